/**
 * A tiny method + regexp router. Each route declares how it authenticates, so the auth and
 * IP-ACL rules live in one place (server.ts) instead of in every handler.
 */
import type { Ctx } from './http-util.js';

/**
 * - `none`: public (OIDC, well-known documents).
 * - `workspace`: workspace `/api/` route, bearer required.
 * - `account`: account `/api/2.0/accounts/{id}/…` route (source: Go SDK config/config.go (account hosts)).
 * - `mcp`: managed MCP route; like `workspace` but the 401 carries `resource_metadata` (source: MCP endpoint and /oidc behaviour observed on real workspaces).
 */
export type AuthMode = 'none' | 'workspace' | 'account' | 'mcp';

export interface Route {
  methods: readonly string[];
  pattern: RegExp;
  auth: AuthMode;
  /** `params` are the decoded capture groups of `pattern`. */
  handle(ctx: Ctx, params: string[]): void | Promise<void>;
}

/** Shorthand constructor. */
export function route(methods: string | readonly string[], pattern: RegExp, auth: AuthMode, handle: Route['handle']): Route {
  return { methods: typeof methods === 'string' ? [methods] : methods, pattern, auth, handle };
}

/**
 * Finds the route for a request. `methodMismatch` is true when some route matches the path but
 * not the method, so the server can answer 405 rather than 404.
 */
export function match(routes: readonly Route[], method: string, path: string): { route?: Route; params: string[]; methodMismatch: boolean } {
  let methodMismatch = false;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (!r.methods.includes(method)) {
      methodMismatch = true;
      continue;
    }
    const params = m.slice(1).map((p) => {
      try {
        return decodeURIComponent(p ?? '');
      } catch {
        return p ?? '';
      }
    });
    return { route: r, params, methodMismatch };
  }
  return { params: [], methodMismatch };
}
