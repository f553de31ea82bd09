/**
 * Helpers every token source shares: a cache that refreshes shortly before expiry (concurrent
 * callers share one fetch), and the fields of a token answer.
 */
import { registerSecret } from '../../secrets.js';
import type { AuthType } from '../profiles.js';
import type { AccessToken, TokenSource } from './types.js';

/** Refresh this long before the stated expiry so a token never dies mid-request. */
export const EXPIRY_MARGIN_MS = 60_000;

/**
 * The fields of a token answer (`databricks auth token --output json`, or an OAuth token
 * endpoint), checked by hand rather than with zod: the proxy creates a token source at start-up,
 * and zod is 60 KB of code it would load for two fields.
 */
export interface TokenFields {
  access_token: string;
  expiry?: string;
  expires_in?: number | string;
}

export function tokenFields(v: unknown): TokenFields | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.access_token !== 'string' || o.access_token === '') return undefined;
  if (o.expiry !== undefined && typeof o.expiry !== 'string') return undefined;
  if (o.expires_in !== undefined && typeof o.expires_in !== 'number' && typeof o.expires_in !== 'string') return undefined;
  return { access_token: o.access_token, expiry: o.expiry as string | undefined, expires_in: o.expires_in as number | string | undefined };
}

/** A token source that caches `fetch`'s token until EXPIRY_MARGIN_MS before it expires. */
export function cached(kind: AuthType, now: () => number, fetch: (force: boolean) => Promise<AccessToken>): TokenSource {
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
