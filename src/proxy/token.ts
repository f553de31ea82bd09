/**
 * Bearer tokens for upstream requests. The token source caches and refreshes before expiry;
 * this wrapper adds the "refresh once on rejection" rule: a 401, or a 403 whose message says
 * the token is invalid or expired (Databricks answers expired OAuth tokens with 403), means the
 * cached token is stale, so one forced refresh and one retry are safe: the server refused the
 * request before doing anything.
 */
import { classifyApiError } from '../databricks/api-errors.js';
import type { TokenSource } from '../databricks/auth.js';

export interface Bearer {
  /** `Bearer <token>` for the next request. */
  header(): Promise<string>;
  /** Forces a refresh (after a rejection); concurrent callers share it. */
  refresh(): Promise<void>;
}

export function createBearer(source: TokenSource): Bearer {
  let forced: Promise<void> | undefined;
  return {
    async header() {
      if (forced) await forced;
      const { token } = await source.getToken();
      return `Bearer ${token}`;
    },
    refresh() {
      forced ??= source.getToken({ forceRefresh: true }).then(
        () => {
          forced = undefined;
        },
        (e: unknown) => {
          forced = undefined;
          throw e;
        },
      );
      return forced;
    },
  };
}

/** True when the status and body say "this token is not accepted" (refresh may fix it). */
export function isTokenRejection(status: number, body: unknown): boolean {
  if (status === 401) return true;
  if (status !== 403) return false;
  return classifyApiError(status, body).kind === 'invalid-token';
}
