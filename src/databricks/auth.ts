/**
 * Token sources: where a bearer token for a resolved configuration comes from.
 * - pat: the `token` attribute;
 * - databricks-cli: `databricks auth token --profile <p>` (JSON), cached until shortly
 *   before expiry; the CLI owns the refresh token and its keyring (source: Databricks CLI cmd/auth/token.go; Databricks CLI libs/auth/storage/filestore.go);
 * - oauth-m2m: client_credentials at /oidc/v1/token, or the account variant
 *   /oidc/accounts/{account_id}/v1/token (source: Go SDK config/auth_m2m.go).
 * Concurrent callers share one fetch. Tokens are registered for redaction as soon as seen.
 */
import type { Ctx } from '../context.js';
import { DbxMcpError } from '../errors.js';
import { registerSecret } from '../secrets.js';
import type { HttpClient } from './http.js';
import { loginCommand, type AuthType, type ResolvedConfig } from './profiles.js';

export interface AccessToken {
  token: string;
  /** Epoch milliseconds; undefined for tokens without a known expiry (PATs). */
  expiresAt?: number;
}

export interface TokenSource {
  readonly kind: AuthType;
  /** A valid token; `forceRefresh` skips the cache (after a 401/403 "Invalid access token"). */
  getToken(opts?: { forceRefresh?: boolean }): Promise<AccessToken>;
}

/** Refresh this long before the stated expiry so a token never dies mid-request. */
export const EXPIRY_MARGIN_MS = 60_000;

/**
 * The fields of a token answer (`databricks auth token --output json`, or an OAuth token
 * endpoint), checked by hand rather than with zod: the proxy creates a token source at start-up,
 * and zod is 60 KB of code it would load for two fields.
 */
interface TokenFields {
  access_token: string;
  expiry?: string;
  expires_in?: number | string;
}

function tokenFields(v: unknown): TokenFields | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.access_token !== 'string' || o.access_token === '') return undefined;
  if (o.expiry !== undefined && typeof o.expiry !== 'string') return undefined;
  if (o.expires_in !== undefined && typeof o.expires_in !== 'number' && typeof o.expires_in !== 'string') return undefined;
  return { access_token: o.access_token, expiry: o.expiry as string | undefined, expires_in: o.expires_in as number | string | undefined };
}

type Deps = Pick<Ctx, 'exec' | 'env' | 'now'> & { http: HttpClient };

/** Creates the token source for a configuration. Nothing is fetched until getToken(). */
export function createTokenSource(deps: Deps, config: ResolvedConfig): TokenSource {
  switch (config.authType) {
    case 'pat':
      return {
        kind: 'pat',
        getToken: async () => {
          registerSecret(config.token);
          return { token: config.token! };
        },
      };
    case 'databricks-cli':
      return cached('databricks-cli', deps.now, (force) => fetchCliToken(deps, config, force));
    case 'oauth-m2m':
      return cached('oauth-m2m', deps.now, () => fetchM2mToken(deps, config));
  }
}

function cached(kind: AuthType, now: () => number, fetch: (force: boolean) => Promise<AccessToken>): TokenSource {
  let current: AccessToken | undefined;
  let inflight: Promise<AccessToken> | undefined;
  return {
    kind,
    async getToken(opts = {}) {
      const fresh = current && (current.expiresAt === undefined || current.expiresAt - EXPIRY_MARGIN_MS > now());
      if (fresh && !opts.forceRefresh) return current!;
      inflight ??= fetch(Boolean(opts.forceRefresh)).then(
        (t) => {
          registerSecret(t.token);
          current = t;
          inflight = undefined;
          return t;
        },
        (e: unknown) => {
          inflight = undefined;
          throw e;
        },
      );
      return inflight;
    },
  };
}

async function fetchCliToken(deps: Deps, config: ResolvedConfig, force = false): Promise<AccessToken> {
  const cli = config.cliPath || 'databricks';
  const args = ['auth', 'token', '--output', 'json'];
  if (config.profile) args.push('--profile', config.profile);
  else args.push('--host', config.host);
  if (config.isAccount && config.accountId) args.push('--account-id', config.accountId);
  if (force) args.push('--force-refresh');
  const login = loginCommand(config.host, config.profile, config.isAccount ? config.accountId : undefined);
  // Concurrent `auth token` calls can collide on the CLI's cache lock; retry those (source: Databricks CLI libs/auth/storage/filestore.go).
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await deps.exec(cli, args, { timeoutMs: 30_000 });
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') {
        throw new DbxMcpError(`The Databricks CLI (${cli}) is not installed, and profile "${config.profile ?? config.host}" signs in through it (auth_type = databricks-cli)`, {
          code: 'CLI_MISSING',
          hint: `Install it (https://docs.databricks.com/dev-tools/cli/install.html, e.g. \`brew install databricks/tap/databricks\` or \`curl -fsSL https://raw.githubusercontent.com/databricks/setup-cli/main/install.sh | sh\`), then run: ${login}`,
        });
      }
      throw new DbxMcpError(`Running \`${cli} auth token\` failed: ${(e as Error).message}`, { code: 'CLI_FAILED', hint: `Run ${login}` });
    }
    if (res.exitCode !== 0) {
      const err = res.stderr.trim();
      if (attempt < 3 && /cache update|exit status 45|lock/i.test(err)) continue;
      const notLoggedIn = /not configured|no cached credentials|refresh token is invalid|auth login|expired/i.test(err);
      throw new DbxMcpError(
        notLoggedIn
          ? `Not signed in to ${config.host} with the Databricks CLI (profile ${config.profile ?? '(env)'})`
          : `\`${cli} auth token\` failed: ${err.split('\n')[0] || `exit code ${res.exitCode}`}`,
        { code: notLoggedIn ? 'CLI_NOT_LOGGED_IN' : 'CLI_FAILED', hint: `Run: ${login}` },
      );
    }
    let parsed: TokenFields | undefined;
    try {
      parsed = tokenFields(JSON.parse(res.stdout));
    } catch {
      parsed = undefined;
    }
    if (!parsed) {
      throw new DbxMcpError('`databricks auth token` printed something that is not a token', {
        code: 'CLI_FAILED',
        hint: `Update the Databricks CLI (databricks version ≥ 0.200), then run: ${login}`,
      });
    }
    registerSecret(parsed.access_token);
    const expiresAt = parsed.expiry ? Date.parse(parsed.expiry) : parsed.expires_in ? deps.now() + Number(parsed.expires_in) * 1000 : undefined;
    return { token: parsed.access_token, expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt };
  }
}

/** The token endpoint for M2M: workspace `/oidc/v1/token`, account `/oidc/accounts/{id}/v1/token`. */
export function m2mTokenUrl(config: Pick<ResolvedConfig, 'host' | 'isAccount' | 'accountId'>): string {
  if (config.isAccount) {
    if (!config.accountId) {
      throw new DbxMcpError(`Account host ${config.host} needs account_id for OAuth`, { code: 'NO_ACCOUNT_ID', hint: 'Add "account_id = <uuid>" to the profile (Account console → your avatar → account ID).' });
    }
    return `${config.host}/oidc/accounts/${config.accountId}/v1/token`;
  }
  return `${config.host}/oidc/v1/token`;
}

async function fetchM2mToken(deps: Deps, config: ResolvedConfig): Promise<AccessToken> {
  const url = m2mTokenUrl(config);
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
