/**
 * `file-oidc`: the subject token is the content of the file at DATABRICKS_OIDC_TOKEN_FILEPATH
 * (`oidc_token_filepath`, e.g. a projected Kubernetes service-account token), read on every
 * exchange so a rotated file is picked up (source: Go SDK config/auth_default.go; breadth.md §3).
 */
import { DbxMcpError } from '../../errors.js';
import { readUserFile } from '../../util/regular-file.js';
import { federationMethod } from './federation.js';

export const fileOidc = federationMethod({
  id: 'file-oidc',
  label: 'OIDC federation (token in a file)',
  settings: { oidc_token_filepath: 'DATABRICKS_OIDC_TOKEN_FILEPATH' },
  hasSubject: (v) => Boolean(v.oidc_token_filepath),
  missing: 'DATABRICKS_OIDC_TOKEN_FILEPATH (or oidc_token_filepath in the profile)',
  async subjectToken(_deps, c) {
    const path = c.values!.oidc_token_filepath!;
    const unreadable = (why: string) =>
      new DbxMcpError(`Cannot read the OIDC token file ${path}: ${why}`, {
        code: 'OIDC_SUBJECT_FAILED',
        hint: 'Point DATABRICKS_OIDC_TOKEN_FILEPATH at a readable file holding the ID token.',
      });
    // A FIFO or folder there is refused with its own message (exit 2) rather than waited on.
    const bytes = await readUserFile(path, 'OIDC token file', (e) => unreadable(e.code ?? e.message));
    if (bytes === null) throw unreadable('ENOENT');
    const text = bytes.toString('utf8').trim();
    if (!text) throw new DbxMcpError(`The OIDC token file ${path} is empty`, { code: 'OIDC_SUBJECT_FAILED', hint: 'Point DATABRICKS_OIDC_TOKEN_FILEPATH at the file holding the ID token.' });
    return text;
  },
  subjectSource: (c) => {
    const s = c.sources.oidc_token_filepath;
    return `file ${c.values?.oidc_token_filepath ?? '?'}${s ? ` (path from ${s.kind === 'env' ? `env ${s.name}` : s.name})` : ''}`;
  },
  extraFix: '',
});
