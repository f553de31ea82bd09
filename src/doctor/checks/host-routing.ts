/**
 * Host routing: what kind of host the profile points at (workspace, account or unified) and
 * which workspace its requests are routed to, each with where it came from; a unified host
 * with no workspace to route to fails here with the fix (databricks/routing.ts).
 */
import type { ValueSource } from '../../databricks/profiles.js';
import type { HostRouting } from '../../databricks/routing.js';
import { unroutedHostFix } from '../../databricks/unrouted.js';
import type { Ctx } from '../../context.js';
import type { Facts } from '../facts.js';
import type { Check, CheckResult } from '../types.js';

const HOST_TYPE_WORDS = { WORKSPACE_HOST: 'a workspace host', ACCOUNT_HOST: 'an account host', UNIFIED_HOST: 'a unified host' } as const;

function from(s: ValueSource | undefined, home: string): string {
  if (!s) return 'unknown';
  const name = s.name.split(home).join('~');
  return s.kind === 'env' ? `env ${name}` : s.kind === 'discovery' ? `discovery (${name})` : name;
}

/** The account's workspaces, to pick from (account API; best effort, only where the caller may list them). */
async function accountWorkspaces(facts: Facts, accountId: string | undefined): Promise<string[]> {
  if (!accountId) return [];
  try {
    const list = await facts.api().call<unknown>('GET', `/api/2.0/accounts/${encodeURIComponent(accountId)}/workspaces`, { timeoutMs: 5_000, retryBudgetMs: 0 });
    if (!Array.isArray(list)) return [];
    return list.flatMap((w: { workspace_id?: unknown; workspace_name?: unknown }) =>
      w && (typeof w.workspace_id === 'number' || typeof w.workspace_id === 'string') ? [`${w.workspace_id}${typeof w.workspace_name === 'string' ? ` (${w.workspace_name})` : ''}`] : [],
    );
  } catch {
    return [];
  }
}

export const hostRoutingCheck: Check = {
  id: 'workspace.routing',
  title: 'Host routing',
  group: 'workspace',
  dependsOn: ['profile.resolved'],
  timeoutMs: 10_000,
  async run(ctx: Ctx, facts): Promise<CheckResult> {
    const c = facts.config();
    const r: HostRouting = await facts.api().routing();
    const data = {
      hostType: r.hostType,
      hostTypeFrom: r.hostTypeFrom,
      workspaceId: r.workspaceId ?? null,
      workspaceIdFrom: r.workspaceIdFrom ? from(r.workspaceIdFrom, ctx.home) : null,
      accountId: r.accountId ?? null,
    };
    const kind = `${HOST_TYPE_WORDS[r.hostType]} (from ${r.hostTypeFrom})`;
    if (r.unrouted) {
      const workspaces = await accountWorkspaces(facts, r.accountId);
      return {
        status: 'fail',
        summary: `${c.host} is a unified host and ${c.profile ? `profile "${c.profile}"` : 'the configuration'} names no workspace: workspace requests get its sign-in page`,
        fix: unroutedHostFix(c) + (workspaces.length ? `. The account's workspaces: ${workspaces.join(', ')}` : ''),
        details: workspaces.map((w) => `workspace ${w}`),
        data: { kind: 'unrouted-host', ...data },
      };
    }
    const routed = r.workspaceId ? `; requests routed to workspace ${r.workspaceId} (from ${from(r.workspaceIdFrom, ctx.home)})` : '';
    return { status: 'pass', summary: `${c.host} is ${kind}${routed}`, data };
  },
};
