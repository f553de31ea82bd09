/**
 * Workspace checks: the host answers (OIDC metadata, no auth needed), a token can be
 * obtained, and SCIM Me says who it belongs to. Failures are classified by diagnose.ts.
 */
import { AUTH_METHODS } from '../../databricks/auth-methods/index.js';
import { classifyApiError } from '../../databricks/api-errors.js';
import { NetworkError } from '../../databricks/network.js';
import { diagnoseError, type AuthContext } from '../diagnose.js';
import type { Facts } from '../facts.js';
import type { Check, CheckResult } from '../types.js';

/** Tokens expiring sooner than this get a warning (a client session would die mid-way). */
export const EXPIRY_WARN_MS = 5 * 60_000;

export function authContext(facts: Facts, user?: string): AuthContext {
  try {
    const c = facts.config();
    return { profile: c.profile, host: c.host, authType: c.authType, ...(user ? { user } : {}) };
  } catch {
    return { profile: facts.profileFlag, ...(user ? { user } : {}) };
  }
}

export const workspaceReachableCheck: Check = {
  id: 'workspace.reachable',
  title: 'Workspace reachable',
  group: 'workspace',
  dependsOn: ['profile.resolved'],
  timeoutMs: 15_000,
  async run(ctx, facts, rc): Promise<CheckResult> {
    const host = facts.config().host;
    const url = `${host}/oidc/.well-known/oauth-authorization-server`;
    try {
      const res = await ctx.http.raw({ method: 'GET', url, timeoutMs: Math.max(1_000, rc.timeLeftMs() - 500) });
      if (res.status === 429) {
        return { status: 'warn', summary: `${host} answers, but is rate-limiting requests (429)`, fix: 'Wait a minute and run doctor again.', data: { kind: 'rate-limited' } };
      }
      if (res.status >= 500) {
        const info = classifyApiError(res.status, res.json ?? res.text, res.headers);
        return { status: 'warn', summary: `${host} answers ${res.status} ${info.message}`, fix: 'Retry in a minute; if it persists, check https://status.databricks.com.', data: { kind: 'unavailable', status: res.status } };
      }
      if (res.status === 404) {
        return { status: 'pass', summary: `${host} answers (no OIDC metadata: OAuth sign-in is not available there; tokens still work)`, data: { oidc: false } };
      }
      return { status: 'pass', summary: `${host} answers`, data: { oidc: res.status < 300 } };
    } catch (e) {
      if (e instanceof NetworkError) return diagnoseError(e, authContext(facts));
      throw e;
    }
  },
};

export const authTokenCheck: Check = {
  id: 'auth.token',
  title: 'Access token',
  group: 'workspace',
  dependsOn: ['profile.resolved'],
  timeoutMs: 35_000,
  async run(ctx, facts): Promise<CheckResult> {
    const c = facts.config();
    let t;
    try {
      t = await facts.token();
    } catch (e) {
      return diagnoseError(e, authContext(facts));
    }
    const method = AUTH_METHODS[c.authType];
    // A token from the sign-in shared with the Databricks CLI: say which of its stores held it.
    const from = t.from === 'keyring' ? 'the OS keyring' : t.from === 'token-cache.json' ? '~/.databricks/token-cache.json' : undefined;
    const src = from ? `${method.describeToken(c)} (from ${from})` : method.describeToken(c);
    const fromData = t.from ? { tokenFrom: t.from } : {};
    if (t.expiresAt === undefined) return { status: 'pass', summary: `${src}; no known expiry`, ...(t.from ? { data: fromData } : {}) };
    const left = t.expiresAt - ctx.now();
    const mins = Math.max(0, Math.round(left / 60_000));
    if (left < EXPIRY_WARN_MS) {
      return {
        status: 'warn',
        summary: `${src} expires in ${mins} min`,
        fix: method.expiringFix,
        data: { kind: 'token-expiring', expiresInMs: left, ...fromData },
      };
    }
    return { status: 'pass', summary: `${src}, valid for ${mins} more min`, data: { expiresInMs: left, ...fromData } };
  },
};

export const currentUserCheck: Check = {
  id: 'auth.current-user',
  title: 'Signed in to the workspace',
  group: 'workspace',
  dependsOn: ['auth.token', 'workspace.reachable', 'workspace.routing'],
  timeoutMs: 20_000,
  async run(_ctx, facts): Promise<CheckResult> {
    try {
      const { user, workspaceId } = await facts.currentUser();
      const name = user.userName ?? user.emails?.[0]?.value ?? user.id ?? 'unknown';
      const groups = (user.groups ?? []).map((g) => g.display).filter((g): g is string => Boolean(g));
      return {
        status: 'pass',
        summary: `signed in as ${name}${groups.length ? ` (groups: ${groups.join(', ')})` : ' (no groups)'}${workspaceId ? ` on workspace ${workspaceId}` : ''}`,
        data: { user: name, groups, ...(workspaceId ? { workspaceId } : {}) },
      };
    } catch (e) {
      return diagnoseError(e, authContext(facts));
    }
  },
};

