/**
 * `env-oidc`: the subject token is the value of DATABRICKS_OIDC_TOKEN, or of the variable named
 * by DATABRICKS_OIDC_TOKEN_ENV (`oidc_token_env`), exchanged for a Databricks token (source:
 * Go SDK config/auth_default.go; breadth.md §3).
 */
import { DbxMcpError } from '../../errors.js';
import type { ConfigValues } from './types.js';
import { federationMethod } from './federation.js';

function variable(v: ConfigValues): string {
  return v.oidc_token_env || 'DATABRICKS_OIDC_TOKEN';
}

export const envOidc = federationMethod({
  id: 'env-oidc',
  label: 'OIDC federation (token in an environment variable)',
  settings: { oidc_token_env: 'DATABRICKS_OIDC_TOKEN_ENV' },
  hasSubject: (v, env) => Boolean(env[variable(v)]),
  missing: 'DATABRICKS_OIDC_TOKEN (or the variable named by DATABRICKS_OIDC_TOKEN_ENV)',
  async subjectToken(deps, c) {
    const name = variable(c.values ?? {});
    const token = deps.env[name]!.trim();
    // Whitespace only: say so, rather than send an empty subject and blame the federation policy.
    if (!token) throw new DbxMcpError(`${name} holds only whitespace`, { code: 'OIDC_SUBJECT_FAILED', hint: `Set ${name} to the OIDC ID token.` });
    return token;
  },
  subjectSource: (c) => `env ${variable(c.values ?? {})}`,
  extraFix: '',
});
