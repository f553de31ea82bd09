/**
 * Step 6: one plan for everything (client files grouped by auth settings, plus a new PAT
 * profile or an admin request when the wizard produced one), then workflows/write-flow.ts's
 * confirmAndApply (the diff → confirm → apply of add and sync too), then an MCP handshake
 * with every server. Nothing is written before the confirmation.
 */
import { routingHeadersFor } from '../databricks/routing.js';
import type { ClientId } from '../clients/types.js';
import type { FileChange } from '../config/file-plan.js';
import { mergeUpdates } from '../clients/ownership.js';
import { applyWrites, planWrites, type ConfirmablePlan, type PlannedWrite } from '../workflows/write-flow.js';
import { writesLiteralToken } from '../workflows/project-scope.js';
import { specBase } from '../workflows/writer-options.js';
import type { Ctx } from '../context.js';
import type { Api } from '../databricks/api.js';
import { handshake } from '../mcp/handshake.js';
import { checkTokenDestination, workspaceAppVouch } from '../databricks/token-destination.js';
import type { ChosenServer, ClientAuth, InitOptions } from './options.js';

/** Init's plan: its own files plus every client file, confirmed and applied as one. */
export type InitPlan = ConfirmablePlan;

export interface PlanInput {
  servers: ChosenServer[];
  auths: ClientAuth[];
  profile: string | undefined;
  proxyCommand?: string;
  /** Files the wizard itself adds (a new PAT profile, an OAuth app request). */
  extra: FileChange[];
  /** The token, for header `--literal-token` and mcp-remote entries. */
  literalToken?: () => Promise<string>;
}

/** Plans every entry; clients with the same auth settings share one planWrites call. */
export async function planInit(ctx: Ctx, o: InitOptions, input: PlanInput): Promise<InitPlan> {
  const groups = new Map<string, { auth: ClientAuth; clients: ClientId[] }>();
  for (const a of input.auths) {
    const key = JSON.stringify([a.auth, a.oauth?.clientId, a.oauth?.callbackPort]);
    const g = groups.get(key) ?? { auth: a, clients: [] };
    g.clients.push(a.client);
    groups.set(key, g);
  }
  const parts: PlannedWrite[] = [];
  for (const { auth, clients } of groups.values()) {
    const literal = writesLiteralToken(auth.auth, o) && input.literalToken ? await input.literalToken() : undefined;
    const base = specBase(ctx, { ...o, auth: auth.auth, clientId: auth.oauth?.clientId, callbackPort: auth.oauth?.callbackPort ?? o.callbackPort, proxyCommand: input.proxyCommand ?? o.proxyCommand }, input.profile, literal);
    const upserts = input.servers.map((s) => ({ name: s.name, url: s.url, kind: s.target.kind, ...base }));
    parts.push(await planWrites(ctx, { clients, scope: o.scope, upserts, force: o.force }));
  }
  const changes = [...input.extra, ...parts.flatMap((p) => p.plan.changes)];
  const notes = [...new Set(parts.flatMap((p) => p.plan.notes))];
  return {
    plan: { changes, notes },
    outcomes: parts.flatMap((p) => p.outcomes),
    // One plan: the wizard's own files, every client file and the registry are checked
    // together before anything is written, and roll back together.
    apply: async () => {
      await applyWrites(ctx, changes, mergeUpdates(...parts.map((p) => p.ownership)));
    },
  };
}

export interface VerifyResult {
  name: string;
  url: string;
  ok: boolean;
  tools: string[];
  error?: string;
  /** The exact next step (`fix`, as in every JSON output). */
  fix?: string;
}

/** An MCP handshake (initialize + tools/list) with every server, as the profile's identity. */
export async function verifyServers(ctx: Ctx, api: Api, servers: ChosenServer[], timeoutMs = 20_000): Promise<VerifyResult[]> {
  const spin = ctx.log.spinner(`Checking ${servers.length} server${servers.length === 1 ? '' : 's'} with an MCP handshake`);
  let token: string;
  try {
    token = (await api.tokens.getToken()).token;
  } catch (e) {
    spin.stop(undefined, false);
    return servers.map((s) => ({ name: s.name, url: s.url, ok: false, tools: [], error: (e as Error).message }));
  }
  const vouch = workspaceAppVouch(api);
  const results = await Promise.all(
    servers.map(async (s): Promise<VerifyResult> => {
      // The one rule (databricks/token-destination.ts): the token goes only to the profile's
      // workspace or an app it vouches for; any other URL is reported, and nothing is sent.
      const verdict = await checkTokenDestination(api.config, s.url, vouch);
      if (!verdict.ok) return { name: s.name, url: s.url, ok: false, tools: [], error: verdict.message, fix: verdict.fix };
      const headers = { ...routingHeadersFor(s.url, api.config, await api.routing()), Authorization: `Bearer ${token}` };
      const r = await handshake({ transport: 'http', url: s.url, headers }, { timeoutMs, http: ctx.http, clientVersion: ctx.version });
      return { name: s.name, url: s.url, ok: r.ok, tools: r.tools, ...(r.error && { error: r.error.message, fix: r.error.hint }) };
    }),
  );
  spin.stop();
  for (const r of results) {
    if (r.ok) ctx.log.success(`${r.name} answers: ${r.tools.length} tool${r.tools.length === 1 ? '' : 's'}${r.tools.length ? ` (${r.tools.slice(0, 4).join(', ')}${r.tools.length > 4 ? ', …' : ''})` : ''}`);
    else ctx.log.error(`${r.name}: ${r.error}${r.fix ? `\n  Fix: ${r.fix}` : ''}`);
  }
  return results;
}
