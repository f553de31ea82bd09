/**
 * Workload identity federation, shared by github-oidc, env-oidc and file-oidc: a subject token
 * (an OIDC ID token from the CI or the environment) is exchanged at the OAuth token endpoint for
 * a Databricks token (source: Go SDK oidc/tokensource.go; breadth.md §3). Only how the subject
 * token is obtained differs per method.
 */
import { DbxMcpError, UsageError } from '../../errors.js';
import { registerSecret } from '../../secrets.js';
import type { ResolvedConfig } from '../profiles.js';
import { oidcTokenUrl } from './oauth-m2m.js';
import { cached, tokenFields } from './token-cache.js';
import type { AccessToken, AuthMethod, ConfigValues, TokenDeps } from './types.js';

/** Config keys every federation method reads: the service principal's client id. */
export const FEDERATION_ATTRS = { client_id: 'DATABRICKS_CLIENT_ID' } as const;
/** The audience override; not a credential. */
export const FEDERATION_SETTINGS = { token_audience: 'DATABRICKS_TOKEN_AUDIENCE' } as const;

/** The ID token's audience: `token_audience`, else the account id on an account host, else the token endpoint. */
export function federationAudience(c: ResolvedConfig): string {
  const v = c.values ?? {};
  if (v.token_audience) return v.token_audience;
  if (c.isAccount && c.accountId) return c.accountId;
  return oidcTokenUrl(c);
}

function audienceSource(c: ResolvedConfig): string {
  const s = c.sources.token_audience;
  if (s) return s.kind === 'env' ? `env ${s.name}` : s.name;
  return c.isAccount && c.accountId ? 'the account id (account host)' : 'the token endpoint URL (default)';
}

/** The exact fix for a rejected exchange: the three things that make it fail. */
function exchangeFix(c: ResolvedConfig, extra: string): string {
  return (
    `Check the federation policy of service principal ${c.clientId ?? '(client_id)'}: it must trust this token's issuer and subject, ` +
    `and list the audience ${federationAudience(c)} (or set DATABRICKS_TOKEN_AUDIENCE to the policy's audience)${extra}.`
  );
}

async function exchange(deps: TokenDeps, c: ResolvedConfig, subject: string, extraFix: string): Promise<AccessToken> {
  registerSecret(subject);
  const url = oidcTokenUrl(c);
  const res = await deps.http.raw({
    method: 'POST',
    url,
    form: {
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: subject,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      client_id: c.clientId ?? '',
      scope: 'all-apis',
    },
    timeoutMs: 30_000,
  });
  if (res.status !== 200) {
    const b = (res.json ?? {}) as { error?: string; error_description?: string };
    throw new DbxMcpError(`The token exchange at ${url} was refused: ${res.status} ${b.error ?? ''} ${b.error_description ?? ''}`.trim(), {
      code: 'FEDERATION_FAILED',
      hint: exchangeFix(c, extraFix),
    });
  }
  const parsed = tokenFields(res.json);
  if (!parsed) {
    throw new DbxMcpError(`The token endpoint ${url} answered the token exchange without an access token`, { code: 'FEDERATION_FAILED', hint: 'Check the host (it must be the workspace or account URL); run dbx-mcp doctor for details.' });
  }
  registerSecret(parsed.access_token);
  const seconds = Number(parsed.expires_in ?? 3600);
  return { token: parsed.access_token, expiresAt: deps.now() + (Number.isFinite(seconds) ? seconds : 3600) * 1000 };
}

export interface FederationSpec {
  id: 'github-oidc' | 'env-oidc' | 'file-oidc';
  label: string;
  settings: Readonly<Record<string, string>>;
  /** Whether the environment/config carries this method's subject token (client_id is checked by the caller). */
  hasSubject(v: ConfigValues, env: NodeJS.ProcessEnv): boolean;
  /** What to set when it does not (validate's hint). */
  missing: string;
  /** The subject token for this audience (registered as a secret by the caller). */
  subjectToken(deps: TokenDeps, c: ResolvedConfig, audience: string): Promise<string>;
  /** Where the subject token comes from, for doctor (names, never values). */
  subjectSource(c: ResolvedConfig, env: NodeJS.ProcessEnv): string;
  /** Appended to the rejected-exchange fix (e.g. the `id-token: write` permission). */
  extraFix: string;
}

/** An AuthMethod for one source of subject tokens. */
export function federationMethod(s: FederationSpec): AuthMethod {
  const fix = (a: { profile?: string }): string =>
    `Check ${a.profile ? `client_id of profile ${a.profile}` : 'DATABRICKS_CLIENT_ID'} (the service principal's application id) and its federation policy (issuer, subject, audience)${s.extraFix}.`;
  return {
    id: s.id,
    label: s.label,
    attrs: FEDERATION_ATTRS,
    settings: { ...FEDERATION_SETTINGS, ...s.settings },
    secretAttrs: [],
    detect: (v, _host, env) => Boolean(v.client_id && s.hasSubject(v, env)),
    validate(v, where) {
      if (!v.client_id) {
        throw new UsageError(`auth_type = ${s.id} in ${where}, but no client_id is set`, { hint: 'Set DATABRICKS_CLIENT_ID (or client_id in the profile) to the service principal\'s application id.' });
      }
      // The subject token is environment-only and read when a token is asked for: its absence is reported then, with the variable to set.
    },
    createTokenSource: (deps, c) =>
      cached(s.id, deps.now, async () => {
        if (!s.hasSubject(c.values ?? {}, deps.env)) {
          throw new DbxMcpError(`auth_type = ${s.id}, but ${s.missing} is not set`, { code: 'FEDERATION_NO_SUBJECT', hint: `Set ${s.missing}.` });
        }
        const subject = await s.subjectToken(deps, c, federationAudience(c));
        return exchange(deps, c, subject, s.extraFix);
      }),
    refreshable: true,
    oauth: true,
    describeToken: (c) => `OAuth token from a token exchange (${s.label}, service principal ${c.clientId ?? '?'})`,
    inputs: (c, env) => ({ subject_token: s.subjectSource(c, env), audience: audienceSource(c) }),
    deadTokenFix: fix,
    noCredentialFix: fix,
    expiringFix: 'It is renewed automatically by a new token exchange; if that fails, run doctor again.',
    errorKinds: { FEDERATION_FAILED: 'federation-rejected', FEDERATION_NO_SUBJECT: 'no-credentials', OIDC_SUBJECT_FAILED: 'no-credentials' },
  };
}
