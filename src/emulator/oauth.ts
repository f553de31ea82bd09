/**
 * OAuth bookkeeping of the emulated `/oidc` authorization server: token minting, pending
 * authorization codes, refresh tokens, client lookup and loopback redirect matching.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TokenRecord, WorkspaceState } from './types.js';

/** Pending codes / refresh tokens kept at most; the oldest are dropped first. */
const MAX_ENTRIES = 1000;

export interface PendingCode {
  clientId: string;
  redirectUri: string;
  principal: string;
  scope: string;
  codeChallenge?: string;
  audience: 'workspace' | 'account';
}

export interface RefreshGrant {
  clientId: string;
  principal: string;
  scope: string;
  audience: 'workspace' | 'account';
}

function b64url(v: string | Buffer): string {
  return Buffer.from(v).toString('base64url');
}

/** Insertion-ordered map that forgets its oldest entries beyond MAX_ENTRIES. */
class BoundedMap<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    super.set(key, value);
    while (this.size > MAX_ENTRIES) {
      const oldest = this.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
    return this;
  }
}

export class OAuthStore {
  readonly codes = new BoundedMap<PendingCode>();
  readonly refreshTokens = new BoundedMap<RefreshGrant>();

  issueCode(p: PendingCode): string {
    const code = `dcode${randomBytes(16).toString('hex')}`;
    this.codes.set(code, p);
    return code;
  }

  issueRefresh(g: RefreshGrant): string {
    const rt = `doau${randomBytes(24).toString('hex')}`;
    this.refreshTokens.set(rt, g);
    return rt;
  }
}

/**
 * Mints a JWT-shaped OAuth access token (real ones are JWTs starting `eyJ`, source: Go SDK credentials/u2m/persistent_auth.go),
 * registers it in `state.tokens` and returns it. The signature is random: nobody verifies it.
 */
export function mintToken(
  state: WorkspaceState,
  issuer: string,
  o: { principal: string; audience: 'workspace' | 'account'; scope: string; ttlSec?: number; clientId?: string },
): { token: string; expiresIn: number } {
  const ttl = Math.max(1, Math.min(o.ttlSec ?? 3600, 86_400 * 90));
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ kid: 'emulator', typ: 'JWT', alg: 'RS256' }));
  const payload = b64url(
    JSON.stringify({ iss: issuer, sub: o.principal, aud: o.clientId ?? 'emulator', iat: now, exp: now + ttl, scope: o.scope, jti: randomUUID() }),
  );
  const token = `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
  const rec: TokenRecord = { principal: o.principal, kind: 'oauth', audience: o.audience, expiresAt: Date.now() + ttl * 1000, scope: o.scope };
  pruneTokens(state);
  state.tokens[token] = rec;
  return { token, expiresIn: ttl };
}

/** Minted tokens kept at most; beyond it expired, then oldest, OAuth tokens are forgotten (PATs never). */
export const MAX_OAUTH_TOKENS = 10_000;

function pruneTokens(state: WorkspaceState): void {
  const oauth = Object.entries(state.tokens).filter(([, r]) => r.kind === 'oauth');
  if (oauth.length < MAX_OAUTH_TOKENS) return;
  const now = Date.now();
  for (const [t, r] of oauth) if (r.expiresAt !== undefined && r.expiresAt <= now) delete state.tokens[t];
  const left = oauth.filter(([t]) => t in state.tokens);
  for (const [t] of left.slice(0, Math.max(0, left.length - MAX_OAUTH_TOKENS + 1))) delete state.tokens[t];
}

/** A client the token endpoint knows: published apps, custom app integrations, service principals. */
export interface KnownClient {
  clientId: string;
  redirectUrls: string[];
  /** Set for confidential clients and service principals. */
  secret?: string;
  servicePrincipal?: string;
  accessTtlMin?: number;
}

export function findClient(state: WorkspaceState, clientId: string): KnownClient | undefined {
  const pub = state.publishedApps.find((a) => a.client_id === clientId);
  if (pub) return { clientId, redirectUrls: pub.redirect_urls };
  const app = state.customAppIntegrations.find((a) => a.client_id === clientId);
  if (app) {
    return {
      clientId,
      redirectUrls: app.redirect_urls,
      ...(app.confidential && app.client_secret ? { secret: app.client_secret } : {}),
      ...(app.token_access_policy?.access_token_ttl_in_minutes ? { accessTtlMin: app.token_access_policy.access_token_ttl_in_minutes } : {}),
    };
  }
  const sp = state.servicePrincipals.find((s) => s.applicationId === clientId);
  if (sp) return { clientId, redirectUrls: [], secret: sp.clientSecret, servicePrincipal: sp.applicationId };
  return undefined;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Redirect matching as `/oidc` does it (source: MCP endpoint and /oidc behaviour observed on real workspaces): exact, except that for loopback hosts the
 * port is ignored (RFC 8252 §8.4) — the scheme, host and path must still match.
 */
export function redirectMatches(registered: readonly string[], requested: string): boolean {
  let req: URL;
  try {
    req = new URL(requested);
  } catch {
    return false;
  }
  return registered.some((r) => {
    if (r === requested) return true;
    let reg: URL;
    try {
      reg = new URL(r);
    } catch {
      return false;
    }
    if (!LOOPBACK.has(req.hostname) || req.hostname !== reg.hostname) return false;
    return reg.protocol === req.protocol && reg.pathname === req.pathname;
  });
}

/** PKCE S256 check. */
export function pkceOk(challenge: string | undefined, verifier: string | undefined): boolean {
  if (!challenge) return true;
  if (!verifier) return false;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}
