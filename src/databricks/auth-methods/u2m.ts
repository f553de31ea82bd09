/**
 * User-to-machine OAuth as the Databricks SDKs and CLI do it, without the CLI (source: Go SDK
 * credentials/u2m: persistent_auth.go, endpoint_supplier.go, workspace_oauth_argument.go,
 * account_oauth_argument.go): the public client `databricks-cli`, scopes
 * `offline_access all-apis`, the workspace's endpoints from
 * `/oidc/.well-known/oauth-authorization-server` (an account's are
 * `/oidc/accounts/<id>/v1/{authorize,token}`), tokens in the CLI's store (cli-token-store.ts)
 * under the profile name (else the host key), refreshed with the refresh token 5 minutes before
 * expiry, a rotated refresh token stored, a rejected one diagnosed as "sign in again".
 * Token rule: the refresh token goes only to the token endpoint on the profile's own origin.
 */
import { homedir } from 'node:os';
import { DbxMcpError } from '../../errors.js';
import { registerSecret } from '../../secrets.js';
import { getHostMetadata } from '../host-metadata.js';
import type { HttpClient } from '../http.js';
import type { ResolvedConfig } from '../profiles.js';
import { destinationOrigin } from '../host.js';
import { storeForRead, type StoredToken, type StoreOptions, type TokenStore } from './cli-token-store.js';
import { dbxLoginCommand } from './login.js';
import type { AccessToken, TokenDeps } from './types.js';

export const U2M_CLIENT_ID = 'databricks-cli';
export const U2M_SCOPES = 'offline_access all-apis';
/** The SDK's tokenRefreshBuffer. */
const REFRESH_BEFORE_MS = 5 * 60_000;

interface Target {
  host: string;
  isAccount: boolean;
  accountId?: string | undefined;
  profile?: string | undefined;
}

export interface OidcEndpoints {
  authorize: string;
  token: string;
}

/** The key a token is stored under without a profile (and the mirrored legacy key with one). */
export function hostCacheKey(t: Target): string {
  const host = t.host.replace(/\/+$/, '');
  return t.isAccount ? `${host}/oidc/accounts/${t.accountId}` : host;
}

export function cacheKey(t: Target): string {
  return t.profile || hostCacheKey(t);
}

/** The exact command that signs this profile in again. */
export function signInAgain(t: Target): string {
  return t.profile ? `dbx-mcp login --profile ${t.profile}` : dbxLoginCommand(t.host, undefined, t.isAccount ? t.accountId : undefined);
}

export async function oidcEndpoints(http: HttpClient, t: Target): Promise<OidcEndpoints> {
  const host = t.host.replace(/\/+$/, '');
  // A unified host signs in at the account's OIDC endpoints on the same host (Go SDK: the host
  // metadata's oidc_endpoint, `<host>/oidc/accounts/{account_id}`); discovery is public and cached.
  if (!t.isAccount) {
    const meta = await getHostMetadata(http, host);
    const accountId = t.accountId ?? meta?.accountId;
    if (meta?.hostType === 'UNIFIED_HOST' && accountId) return { authorize: `${host}/oidc/accounts/${accountId}/v1/authorize`, token: `${host}/oidc/accounts/${accountId}/v1/token` };
  }
  if (t.isAccount) {
    if (!t.accountId) {
      throw new DbxMcpError(`Account host ${host} needs an account id to sign in`, { code: 'NO_ACCOUNT_ID', hint: `Pass it: dbx-mcp login --host ${host} --account-id <account-id> (Account console → your avatar → account ID).` });
    }
    return { authorize: `${host}/oidc/accounts/${t.accountId}/v1/authorize`, token: `${host}/oidc/accounts/${t.accountId}/v1/token` };
  }
  const url = `${host}/oidc/.well-known/oauth-authorization-server`;
  let res;
  try {
    res = await http.raw({ method: 'GET', url, timeoutMs: 30_000 });
  } catch (e) {
    throw new DbxMcpError(`Could not reach ${host} to sign in: ${(e as Error).message}`, { code: 'OIDC_UNREACHABLE', hint: 'Check the host and your network (VPN, proxy), then run the command again.' });
  }
  const b = (res.status === 200 ? res.json : undefined) as { authorization_endpoint?: unknown; token_endpoint?: unknown } | undefined;
  const origin = destinationOrigin(host);
  const own = (u: unknown): u is string => typeof u === 'string' && destinationOrigin(u) === origin;
  if (!b || !own(b.authorization_endpoint) || !own(b.token_endpoint)) {
    throw new DbxMcpError(
      res.status === 404 ? `${host} does not offer OAuth sign-in (${url} answered 404)` : `${host} gave no usable OAuth endpoints at ${url} (${res.status})`,
      { code: 'OIDC_UNAVAILABLE', hint: 'Check that the host is your workspace URL (https://<workspace>.cloud.databricks.com or the Azure/GCP equivalent); an account host also needs --account-id.' },
    );
  }
  return { authorize: b.authorization_endpoint, token: b.token_endpoint };
}

/** A token endpoint's answer as the store keeps it (Go's oauth2 keeps the old refresh token when none comes back). */
export function storedFromAnswer(json: unknown, now: number, previousRefresh?: string): StoredToken | undefined {
  const o = (json ?? {}) as Record<string, unknown>;
  if (typeof o.access_token !== 'string' || !o.access_token) return undefined;
  registerSecret(o.access_token);
  const refresh = typeof o.refresh_token === 'string' && o.refresh_token ? o.refresh_token : previousRefresh;
  if (refresh) registerSecret(refresh);
  const seconds = Number(o.expires_in);
  return {
    access_token: o.access_token,
    token_type: typeof o.token_type === 'string' ? o.token_type : 'Bearer',
    ...(refresh ? { refresh_token: refresh } : {}),
    ...(Number.isFinite(seconds) && seconds > 0 ? { expiry: new Date(now + seconds * 1000).toISOString() } : {}),
  };
}

export function storeOptions(deps: TokenDeps, c: Pick<ResolvedConfig, 'configFile'>): StoreOptions {
  return { home: deps.home ?? homedir(), env: deps.env, configFile: c.configFile };
}

function expiryOf(t: StoredToken): number | undefined {
  const ms = t.expiry ? Date.parse(t.expiry) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

async function refresh(deps: TokenDeps, c: ResolvedConfig, store: TokenStore, old: StoredToken): Promise<StoredToken> {
  const endpoints = await oidcEndpoints(deps.http, c);
  const res = await deps.http.raw({
    method: 'POST',
    url: endpoints.token,
    form: { grant_type: 'refresh_token', refresh_token: old.refresh_token!, client_id: U2M_CLIENT_ID },
    timeoutMs: 30_000,
  });
  const b = (res.json ?? {}) as { error?: string; error_description?: string };
  if (res.status !== 200) {
    // The SDK's InvalidRefreshTokenError is this description; invalid_grant is the RFC 6749 spelling.
    if (b.error_description === 'Refresh token is invalid' || b.error === 'invalid_grant') {
      throw new DbxMcpError(`The sign-in of ${c.profile ? `profile ${c.profile}` : c.host} has expired or was revoked (the refresh token was rejected)`, {
        code: 'U2M_REFRESH_INVALID',
        hint: `Sign in again: ${signInAgain(c)}`,
      });
    }
    throw new DbxMcpError(`Refreshing the OAuth token at ${endpoints.token} failed: ${res.status} ${b.error ?? ''} ${b.error_description ?? ''}`.trim(), { code: 'U2M_REFRESH_FAILED', hint: `Run the command again; if it keeps failing, sign in again: ${signInAgain(c)}` });
  }
  const next = storedFromAnswer(res.json, deps.now(), old.refresh_token);
  if (!next) throw new DbxMcpError(`The token endpoint ${endpoints.token} answered without an access token`, { code: 'U2M_REFRESH_FAILED', hint: `Sign in again: ${signInAgain(c)}` });
  // Rotation: the new refresh token replaces the old one, which the server may already have revoked.
  await store.put(cacheKey(c), next, c.profile ? hostCacheKey(c) : undefined);
  return next;
}

/**
 * The token of a signed-in profile from the shared store, refreshed in-process when it is
 * within 5 minutes of expiry (or `force`). `method` names the auth method in messages.
 */
export async function storedAccessToken(deps: TokenDeps, c: ResolvedConfig, force: boolean): Promise<AccessToken & { from: TokenStore['location'] }> {
  const store = await storeForRead(storeOptions(deps, c));
  const t = await store.lookup(cacheKey(c));
  if (!t) {
    throw new DbxMcpError(`Not signed in to ${c.host}${c.profile ? ` (profile ${c.profile})` : ''}: no token in ${store.description}`, {
      code: 'U2M_NOT_SIGNED_IN',
      hint: `Sign in: ${signInAgain(c)}`,
    });
  }
  let current = t;
  const exp = expiryOf(t);
  if (force || (exp !== undefined && exp - REFRESH_BEFORE_MS <= deps.now())) {
    if (!t.refresh_token) {
      if (!force && exp !== undefined && exp > deps.now()) return { token: t.access_token, expiresAt: exp, from: store.location };
      throw new DbxMcpError(`The OAuth token of ${c.profile ? `profile ${c.profile}` : c.host} expired and has no refresh token`, { code: 'U2M_REFRESH_INVALID', hint: `Sign in again: ${signInAgain(c)}` });
    }
    current = await refresh(deps, c, store, t);
  }
  return { token: current.access_token, expiresAt: expiryOf(current), from: store.location };
}
