/**
 * `github-oidc`: in GitHub Actions with `permissions: id-token: write`, the job's ID token
 * (GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=… with the request token) is exchanged for a
 * Databricks token (source: Go SDK config/auth_default.go, oidc/tokensource.go; breadth.md §3).
 */
import { DbxMcpError } from '../../errors.js';
import { registerSecret } from '../../secrets.js';
import { federationMethod } from './federation.js';

const PERMISSION = '; and check that the workflow job has `permissions: id-token: write`';

export const githubOidc = federationMethod({
  id: 'github-oidc',
  label: 'GitHub Actions OIDC federation',
  settings: {},
  hasSubject: (_v, env) => Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN),
  missing: 'ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN (GitHub sets them for a job with `permissions: id-token: write`)',
  async subjectToken(deps, _c, audience) {
    const requestToken = deps.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN!;
    registerSecret(requestToken);
    let url: URL;
    try {
      url = new URL(deps.env.ACTIONS_ID_TOKEN_REQUEST_URL!);
    } catch {
      // Only GitHub sets it; a hand-set value that is not a URL is named, not a crash.
      throw new DbxMcpError('ACTIONS_ID_TOKEN_REQUEST_URL is not a URL', {
        code: 'OIDC_SUBJECT_FAILED',
        hint: 'Leave ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN to GitHub Actions (a job with `permissions: id-token: write`), or unset both.',
      });
    }
    url.searchParams.set('audience', audience);
    const res = await deps.http.raw({ method: 'GET', url: url.toString(), token: requestToken, timeoutMs: 30_000 });
    const value = (res.json as { value?: unknown } | undefined)?.value;
    if (res.status !== 200 || typeof value !== 'string' || value === '') {
      throw new DbxMcpError(`GitHub Actions did not issue an ID token (${url.origin}: ${res.status})`, {
        code: 'OIDC_SUBJECT_FAILED',
        hint: 'Give the job `permissions: id-token: write` (and `contents: read`) in the workflow, then re-run it.',
      });
    }
    registerSecret(value);
    return value;
  },
  subjectSource: () => 'GitHub Actions ID token (env ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN)',
  extraFix: PERMISSION,
});
