/**
 * Failure switches. `ws.scenario` is one mutable object: set a field in a test, the next
 * request sees it; `ws.reset()` empties it in place (the object identity never changes, so a
 * test may keep a reference). Counted switches (`rateLimit`, `unavailable`, `resetConnection`)
 * decrement on each matching request and remove themselves at zero.
 *
 * Order of evaluation per request: resetConnection → latencyMs → rateLimit → unavailable →
 * (routing) ipAcl → auth (invalidToken / expireTokens) → route-specific switches.
 */

export interface Scenario {
  /**
   * Every `/api/` route (workspace, account and MCP) answers 403
   * `{"error_code":403,"message":"Source IP address: <ip> is blocked by Databricks IP ACL for workspace: <id> [ReqId: <uuid>]"}`
   * (source: responses observed on real workspaces). `target` narrows it: `workspace` (non-account routes), `account` (account
   * routes, wording `for account: <accountId>`, UNCONFIRMED in the reference), `all` (default).
   */
  ipAcl?: { sourceIp: string; target?: 'workspace' | 'account' | 'all' };
  /** Every bearer (PAT and OAuth) is rejected: 403 `Invalid access token.` (source: responses observed on real workspaces). */
  invalidToken?: boolean;
  /** Every OAuth-issued token is treated as expired: 403 `Invalid access token.` (source: responses observed on real workspaces: 403, not 401). PATs still work. */
  expireTokens?: boolean;
  /**
   * Behind a unified host (unified.ts sets it): an account-audience OAuth token (signed in at the
   * host's `/oidc/accounts/<id>`) is valid on the account's workspaces, as one sign-in on a unified
   * host serves them all.
   */
  unifiedAccountTokens?: boolean;
  /**
   * The next `count` requests whose path matches `paths` (all paths if absent) get 429 with
   * `Retry-After: <retryAfter>` (seconds or an HTTP date) and
   * `{"error_code":"REQUEST_LIMIT_EXCEEDED","message":…}` (source: Go SDK apierr/errors.go).
   */
  rateLimit?: { count: number; retryAfter: string; paths?: RegExp };
  /** The next `count` matching requests get 503 `TEMPORARILY_UNAVAILABLE` (source: Go SDK apierr/errors.go), with `Retry-After` if given. */
  unavailable?: { count: number; retryAfter?: string; paths?: RegExp };
  /** Added before every response (bounded to 60 s). */
  latencyMs?: number;
  /**
   * When true, the next MCP request that carries an `Mcp-Session-Id` expires every session
   * (404 `Session not found`, like the SDK for an unknown session) and the flag clears itself.
   * `ws.expireAllSessions()` does the same immediately.
   */
  expireSessions?: boolean;
  /**
   * Every MCP session serves this many requests that carry its `Mcp-Session-Id` (POST, GET or
   * DELETE, counted as they arrive); the next one gets the SDK's 404 `Session not found` and
   * the session is closed, like a server that recycles sessions. Applies to existing sessions
   * too; remove the field to stop.
   */
  expireSessionsAfter?: number;
  /**
   * Overrides the server's MCP response mode for every request from now on, including
   * requests on existing sessions: `json` = single JSON body (SDK `enableJsonResponse`),
   * `sse` = `text/event-stream` (the SDK default).
   */
  mcpResponseMode?: 'json' | 'sse';
  /**
   * The MCP era every emulated MCP endpoint speaks from now on: `legacy` (default: 2025-11-25,
   * `initialize` + `Mcp-Session-Id`), `modern` (2026-07-28 only, on `@modelcontextprotocol/server`
   * 2.x: a legacy request gets `-32022` UnsupportedProtocolVersionError) or `dual` (both,
   * classified per request as the 2.x SDK does).
   */
  mcpEra?: 'legacy' | 'modern' | 'dual';
  /** Every emulated MCP endpoint also offers a resource and a prompt (mcp-extras.ts), for sessions and servers created from now on. */
  mcpExtras?: boolean;
  /** The next `count` matching requests have their socket destroyed after the body is read, with no response. */
  resetConnection?: { count: number; paths?: RegExp };
  /** Account API callers are not account admins: 403 PERMISSION_DENIED on every account route. */
  accountNonAdmin?: boolean;
  /**
   * UC privileges nobody holds while set (e.g. `['EXECUTE']`), without editing `state.grants`:
   * affects access checks, effective-permissions output and MCP tool lists.
   */
  denyGrants?: string[];
  /** `/oidc/.well-known/*` answer 404, which the SDK reads as "OAuth not supported" (source: https://docs.databricks.com/dev-tools/auth/oauth-u2m.html). */
  oidcDisabled?: boolean;
  /**
   * Refresh tokens rotate: each refresh answers with a new refresh token and the one it used
   * stops working (an authorization server that rotates, as OAuth 2.1 recommends for public clients).
   */
  rotateRefreshTokens?: boolean;
  /**
   * Refresh tokens are revoked (the user signed out everywhere, an admin revoked the app's
   * tokens): while set, every refresh gets 401 `Refresh token is invalid`. Sign-ins still work.
   */
  revokeRefreshTokens?: boolean;
  /** `/.well-known/databricks-config` answers 404, like a host from before host metadata (the SDKs then infer the host type from its name). */
  noHostMetadata?: boolean;
}

/** Clears every switch in place. */
export function clearScenario(s: Scenario): void {
  for (const key of Object.keys(s)) delete (s as Record<string, unknown>)[key];
}

/** Counted switch helper: true when this request is hit (and decrements / removes the switch). */
export function takeCounted<K extends 'rateLimit' | 'unavailable' | 'resetConnection'>(
  s: Scenario,
  key: K,
  path: string,
): NonNullable<Scenario[K]> | undefined {
  const sw = s[key];
  if (!sw || sw.count <= 0) return undefined;
  if (sw.paths) {
    sw.paths.lastIndex = 0; // a /g regexp would otherwise skip every other match
    if (!sw.paths.test(path)) return undefined;
  }
  sw.count -= 1;
  if (sw.count <= 0) delete s[key];
  return sw as NonNullable<Scenario[K]>;
}
