/**
 * `oauth-m2m`: a service principal's client_id/client_secret, exchanged by client_credentials at
 * /oidc/v1/token, or the account variant /oidc/accounts/{account_id}/v1/token (source: Go SDK
 * config/auth_m2m.go).
 */
import { DbxMcpError, UsageError } from '../../errors.js';
import { registerSecret } from '../../secrets.js';
import type { ResolvedConfig } from '../profiles.js';
import { cached, tokenFields } from './token-cache.js';
import type { AccessToken, AuthMethod, FixContext, TokenDeps } from './types.js';

/** The OAuth token endpoint (M2M and token exchange): workspace `/oidc/v1/token`, account `/oidc/accounts/{id}/v1/token`. */
export function oidcTokenUrl(config: Pick<ResolvedConfig, 'host' | 'isAccount' | 'accountId'>): string {
  if (config.isAccount) {
    if (!config.accountId) {
      throw new DbxMcpError(`Account host ${config.host} needs account_id for OAuth`, { code: 'NO_ACCOUNT_ID', hint: 'Add "account_id = <uuid>" to the profile (Account console → your avatar → account ID).' });
    }
    return `${config.host}/oidc/accounts/${config.accountId}/v1/token`;
  }
  return `${config.host}/oidc/v1/token`;
}

async function fetchM2mToken(deps: TokenDeps, config: ResolvedConfig): Promise<AccessToken> {
  const url = oidcTokenUrl(config);
  const res = await deps.http.raw({
    method: 'POST',
    url,
    basic: { user: config.clientId!, password: config.clientSecret! },
    form: { grant_type: 'client_credentials', scope: 'all-apis' },
    timeoutMs: 30_000,
  });
  if (res.status !== 200) {
    const b = (res.json ?? {}) as { error?: string; error_description?: string };
    throw new DbxMcpError(`The service principal could not get a token from ${url}: ${res.status} ${b.error ?? ''} ${b.error_description ?? ''}`.trim(), {
      code: 'M2M_FAILED',
      hint:
        b.error === 'invalid_client'
          ? `Check client_id/client_secret of profile "${config.profile ?? '(env)'}" (create a new OAuth secret for the service principal if it expired).`
          : 'Check the profile\'s client_id, client_secret and host; run dbx-mcp doctor for details.',
    });
  }
  const parsed = tokenFields(res.json);
  if (!parsed) {
    throw new DbxMcpError(`The token endpoint ${url} answered without an access token`, { code: 'M2M_FAILED', hint: 'Check the profile\'s host (it must be the workspace or account URL); run dbx-mcp doctor for details.' });
  }
  registerSecret(parsed.access_token);
  // Real servers send a number; the CLI's own fake sends a string (source: Go SDK config/auth_m2m.go): accept both.
  const seconds = Number(parsed.expires_in ?? 3600);
  return { token: parsed.access_token, expiresAt: deps.now() + (Number.isFinite(seconds) ? seconds : 3600) * 1000 };
}

function deadTokenFix(a: FixContext): string {
  return `Check client_id/client_secret of ${a.profile ? `profile ${a.profile}` : 'DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET'} (create a new OAuth secret for the service principal if it expired) and that the service principal was added to this workspace.`;
}

export const oauthM2m: AuthMethod = {
  id: 'oauth-m2m',
  label: 'OAuth service principal (M2M)',
  attrs: { client_id: 'DATABRICKS_CLIENT_ID', client_secret: 'DATABRICKS_CLIENT_SECRET' },
  settings: {},
  secretAttrs: ['client_secret'],
  detect: (v) => Boolean(v.client_id && v.client_secret),
  credentialName: 'oauth',
  validate(v, where) {
    if (!(v.client_id && v.client_secret)) {
      throw new UsageError(`auth_type = oauth-m2m in ${where}, but client_id/client_secret are missing`, { hint: 'Add the service principal\'s client_id and client_secret.' });
    }
  },
  createTokenSource: (deps, c) => cached('oauth-m2m', deps.now, () => fetchM2mToken(deps, c)),
  refreshable: true,
  oauth: true,
  describeToken: () => 'OAuth token for the service principal',
  deadTokenFix,
  noCredentialFix: deadTokenFix,
  expiringFix: 'It is renewed automatically; if calls start failing, run doctor again.',
  errorKinds: { M2M_FAILED: 'invalid-token' },
};
