/**
 * `external-browser`: the SDKs' own OAuth sign-in (authorization code + PKCE in the browser,
 * `dbx-mcp login`), its tokens in the Databricks CLI's store so the CLI and dbx-mcp share one
 * sign-in (u2m.ts, cli-token-store.ts). Never picked unasked, as in the SDKs (source:
 * databricks-sdk-py credentials_provider.py external_browser, which runs only for
 * `auth_type = external-browser`; the Go SDK's default chain has no such method): `dbx-mcp
 * login` writes `auth_type = databricks-cli`, as `databricks auth login` does, and this name is
 * for profiles that spell it so.
 */
import { cached } from './token-cache.js';
import type { AuthMethod } from './types.js';
import { signInAgain, storedAccessToken } from './u2m.js';

export const externalBrowser: AuthMethod = {
  id: 'external-browser',
  label: 'OAuth in the browser (dbx-mcp login)',
  attrs: {},
  settings: {},
  secretAttrs: [],
  validate() {
    // Nothing up front: whether it is signed in shows when a token is asked for.
  },
  createTokenSource: (deps, c) => cached('external-browser', deps.now, (force) => storedAccessToken(deps, c, force)),
  refreshable: true,
  oauth: true,
  describeToken: () => 'OAuth token from your browser sign-in',
  deadTokenFix: (a) => `Sign in again: ${signInAgain({ host: a.host ?? 'https://<workspace-host>', profile: a.profile, isAccount: false })}`,
  noCredentialFix: (a) => `Sign in: ${signInAgain({ host: a.host ?? 'https://<workspace-host>', profile: a.profile, isAccount: false })}`,
  expiringFix: 'It is refreshed automatically with the stored refresh token; if that fails, run dbx-mcp login again.',
  errorKinds: { U2M_NOT_SIGNED_IN: 'no-credentials', U2M_REFRESH_INVALID: 'invalid-token', U2M_REFRESH_FAILED: 'invalid-token', KEYRING_UNREACHABLE: 'no-credentials' },
};
