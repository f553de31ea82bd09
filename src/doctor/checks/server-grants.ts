/**
 * `server.<name>.grants`: what the signed-in user needs for each kind of managed server.
 * UC functions: USE CATALOG, USE SCHEMA, EXECUTE. Vector Search: USE CATALOG, USE SCHEMA,
 * SELECT on the index, index ready. Genie: the space is readable (404 = no access), CAN RUN,
 * its warehouse exists and is usable. SQL: a usable warehouse. External: USE CONNECTION.
 */
import { z } from 'zod';
import type { Api } from '../../databricks/api.js';
import { appIsRunning, findMcpService, getApp, getConnection, getGenieSpace, getVectorIndex, getWarehouse, listFunctions, listVectorIndexes, listWarehouses, type Warehouse } from '../../databricks/workspace.js';
import { diagnoseError, missingPrivilege, type AuthContext } from '../diagnose.js';
import type { Facts, ServerFact } from '../facts.js';
import { checkRequirements, heldPrivileges, principalsOf, QUICK, type Principal, type Requirement } from '../uc-access.js';
import type { Check, CheckResult } from '../types.js';
import { notFoundFor } from './server-handshake.js';
import { kindDef } from '../../databricks/server-kinds/index.js';
import { authContext } from './workspace.js';

const LEVELS = ['CAN_VIEW', 'CAN_RUN', 'CAN_USE', 'CAN_MONITOR', 'CAN_EDIT', 'CAN_MANAGE', 'IS_OWNER'];
const Acl = z.object({
  access_control_list: z
    .array(z.object({ user_name: z.string().optional(), group_name: z.string().optional(), service_principal_name: z.string().optional(), all_permissions: z.array(z.object({ permission_level: z.string() })).optional() }))
    .optional(),
});

/** The caller's best Permissions-API level on an object, or undefined when the ACL can't be read. */
async function bestLevel(api: Api, path: string, p: Principal): Promise<string | undefined | null> {
  let acl;
  try {
    acl = await api.get(path, { schema: Acl, ...QUICK });
  } catch {
    return null; // unreadable ACL: not a verdict
  }
  const mine = new Set(principalsOf(p));
  let best: string | undefined = p.groups.includes('admins') ? 'CAN_MANAGE' : undefined;
  for (const e of acl.access_control_list ?? []) {
    const who = e.user_name ?? e.group_name ?? e.service_principal_name;
    if (!who || !mine.has(who)) continue;
    for (const l of e.all_permissions ?? []) if (best === undefined || LEVELS.indexOf(l.permission_level) > LEVELS.indexOf(best)) best = l.permission_level;
  }
  return best;
}

function atLeast(level: string | undefined | null, min: string): boolean {
  return typeof level === 'string' && LEVELS.indexOf(level) >= LEVELS.indexOf(min);
}

function ucReqs(kind: 'functions' | 'vector-search', parts: string[]): Requirement[] {
  const [c, s, leaf] = parts as [string, string, string | undefined];
  const reqs: Requirement[] = [
    { type: 'CATALOG', name: c, privilege: 'USE_CATALOG' },
    { type: 'SCHEMA', name: `${c}.${s}`, privilege: 'USE_SCHEMA' },
  ];
  if (kind === 'functions') reqs.push(leaf ? { type: 'FUNCTION', name: `${c}.${s}.${leaf}`, privilege: 'EXECUTE' } : { type: 'SCHEMA', name: `${c}.${s}`, privilege: 'EXECUTE' });
  else reqs.push(leaf ? { type: 'TABLE', name: `${c}.${s}.${leaf}`, privilege: 'SELECT' } : { type: 'SCHEMA', name: `${c}.${s}`, privilege: 'SELECT' });
  return reqs;
}

async function functionsGrants(api: Api, parts: string[], p: Principal): Promise<CheckResult> {
  const reqs = ucReqs('functions', parts);
  const r = await checkRequirements(api, reqs, p);
  const leaf = parts[2];
  if (!r.missing) return { status: 'pass', summary: `${p.user} has USE CATALOG, USE SCHEMA and EXECUTE on ${parts.join('.')}` };
  if (r.missing.privilege === 'EXECUTE' && !leaf) {
    // No EXECUTE on the schema: functions granted one by one still become tools.
    const fns = (await listFunctions(api, parts[0]!, parts[1]!)).slice(0, 25);
    const ok = await Promise.all(fns.map(async (f) => ((await heldPrivileges(api, 'FUNCTION', f.full_name ?? `${parts[0]}.${parts[1]}.${f.name}`, p)).has('EXECUTE') ? f.name : undefined)));
    const granted = ok.filter((n): n is string => n !== undefined);
    if (granted.length > 0) {
      return { status: 'pass', summary: `${p.user} may EXECUTE ${granted.length} of ${fns.length} functions in ${parts.join('.')} (${granted.slice(0, 5).join(', ')})`, data: { functions: granted.length, of: fns.length } };
    }
  }
  return missingPrivilege(r.missing.privilege, r.missing.type, r.missing.name, p.user);
}

async function vectorGrants(api: Api, parts: string[], p: Principal): Promise<CheckResult> {
  const [r, index, list] = await Promise.all([
    checkRequirements(api, ucReqs('vector-search', parts), p),
    parts[2] ? getVectorIndex(api, parts.join('.')) : Promise.resolve(undefined),
    parts[2] ? Promise.resolve(undefined) : listVectorIndexes(api, `${parts[0]}.${parts[1]}.`),
  ]);
  if (r.missing) return missingPrivilege(r.missing.privilege, r.missing.type, r.missing.name, p.user);
  if (index && index.status?.ready === false) {
    return {
      status: 'warn',
      summary: `${index.name} is not ready yet${index.status.message ? ` (${index.status.message})` : ''}: searches return nothing until its first sync finishes`,
      fix: `Wait for the sync (databricks vector-search-indexes get-index ${index.name}), then retry.`,
      data: { kind: 'index-not-ready' },
    };
  }
  if (list && list.length === 0) {
    return { status: 'warn', summary: `no vector indexes visible in ${parts.join('.')}`, fix: 'Create an index with Databricks-managed embeddings in that schema, or point the server at the right schema.', data: { kind: 'not-found' } };
  }
  return { status: 'pass', summary: `${p.user} has USE CATALOG, USE SCHEMA and SELECT on ${parts.join('.')}${index ? '; index ready' : list ? `; ${list.length} index${list.length === 1 ? '' : 'es'}` : ''}` };
}

async function genieGrants(api: Api, server: ServerFact, p: Principal, a: AuthContext): Promise<CheckResult> {
  const id = server.target!.parts[0];
  const retired = kindDef('genie').retired?.(server.target!.parts);
  if (retired) return { status: 'warn', summary: retired.message, fix: retired.hint, data: { kind: 'sunset' } };
  if (!id) return { status: 'skip', summary: 'Genie One has no space to check' };
  let space;
  try {
    space = await getGenieSpace(api, id);
  } catch (e) {
    return diagnoseError(e, a, notFoundFor(server));
  }
  const [level, wh, whLevel] = await Promise.all([
    bestLevel(api, `/api/2.0/permissions/genie/${encodeURIComponent(id)}`, p),
    space.warehouse_id ? getWarehouse(api, space.warehouse_id).then((w): Warehouse | { error: unknown } => w, (e: unknown) => ({ error: e })) : Promise.resolve(undefined),
    space.warehouse_id ? bestLevel(api, `/api/2.0/permissions/warehouses/${encodeURIComponent(space.warehouse_id)}`, p) : Promise.resolve(null),
  ]);
  if (level !== null && !atLeast(level, 'CAN_RUN')) {
    return {
      status: 'fail',
      summary: `${p.user} can see "${space.title}" but has ${level ?? 'no permission'}, not CAN RUN`,
      fix: `Ask the owner of the space "${space.title}" to share it with ${p.user} with CAN RUN (Share in the space).`,
      data: { kind: 'missing-privilege', privilege: 'CAN_RUN', securableType: 'GENIE_SPACE', securable: id },
    };
  }
  if (!space.warehouse_id) return { status: 'warn', summary: `"${space.title}" has no SQL warehouse`, fix: 'Ask the space owner to attach a pro or serverless SQL warehouse.', data: { kind: 'no-warehouse' } };
  if (wh === undefined || 'error' in wh) {
    const r = diagnoseError(wh?.error, a, { what: `the space's SQL warehouse ${space.warehouse_id} does not exist or is not visible to you`, fix: `Ask the space owner to attach a warehouse you can use, or ask for CAN USE on ${space.warehouse_id}.`, kind: 'not-found' });
    return r;
  }
  if (wh.state === 'DELETED' || wh.state === 'DELETING') {
    return { status: 'fail', summary: `the space's warehouse ${wh.name ?? wh.id} is ${wh.state.toLowerCase()}`, fix: 'Ask the space owner to attach another pro or serverless warehouse.', data: { kind: 'not-found' } };
  }
  if (whLevel !== null && !atLeast(whLevel, 'CAN_USE')) {
    return {
      status: 'fail',
      summary: `${p.user} cannot use the space's warehouse ${wh.name ?? wh.id}`,
      fix: `Ask a workspace admin for CAN USE on the SQL warehouse ${wh.name ?? wh.id} (${wh.id}).`,
      data: { kind: 'missing-privilege', privilege: 'CAN_USE', securableType: 'WAREHOUSE', securable: wh.id },
    };
  }
  if (wh.warehouse_type === 'CLASSIC' && !wh.enable_serverless_compute) {
    return { status: 'warn', summary: `"${space.title}" uses a classic warehouse; Genie needs a pro or serverless one`, fix: 'Ask the space owner to switch the space to a pro or serverless warehouse.', data: { kind: 'warehouse-type' } };
  }
  return { status: 'pass', summary: `"${space.title}": ${level ?? 'readable'}; warehouse ${wh.name ?? wh.id} ${(wh.state ?? 'unknown').toLowerCase()}` };
}

async function sqlGrants(api: Api, p: Principal): Promise<CheckResult> {
  const all = await listWarehouses(api);
  const usable = all.filter((w) => w.state !== 'DELETED' && w.state !== 'DELETING');
  if (usable.length === 0) {
    return { status: 'fail', summary: `${p.user} can use no SQL warehouse`, fix: `Ask a workspace admin for CAN USE on a SQL warehouse for ${p.user}.`, data: { kind: 'no-warehouse' } };
  }
  const running = usable.filter((w) => w.state === 'RUNNING');
  return { status: 'pass', summary: `${usable.length} SQL warehouse${usable.length === 1 ? '' : 's'} usable${running.length ? ` (${running[0]!.name ?? running[0]!.id} running)` : ' (all stopped; they start on the first query)'}` };
}

async function externalGrants(api: Api, server: ServerFact, p: Principal, a: AuthContext): Promise<CheckResult> {
  const name = server.target!.parts[0]!;
  try {
    await getConnection(api, name);
  } catch (e) {
    return diagnoseError(e, a, notFoundFor(server));
  }
  const r = await checkRequirements(api, [{ type: 'CONNECTION', name, privilege: 'USE_CONNECTION' }], p);
  if (r.missing) return missingPrivilege('USE_CONNECTION', 'CONNECTION', name, p.user);
  return { status: 'pass', summary: `${p.user} has USE CONNECTION on ${name}` };
}

/** An AI Gateway MCP service: listed in its schema for this identity (listings hide what it cannot use). */
async function serviceGrants(api: Api, server: ServerFact): Promise<CheckResult> {
  const [c, s, n] = server.target!.parts as [string, string, string];
  const found = await findMcpService(api, c, s, n);
  if (found) return { status: 'pass', summary: `the MCP service ${c}.${s}.${n} is visible to you` };
  const nf = notFoundFor(server);
  return { status: 'fail', summary: nf.what, fix: nf.fix, data: { kind: 'not-found' } };
}

/** A Databricks App: it exists, is running, and this identity has CAN USE on it. */
async function appGrants(api: Api, server: ServerFact, p: Principal, a: AuthContext): Promise<CheckResult> {
  const name = server.target!.parts[0]!;
  let app;
  try {
    app = await getApp(api, name);
  } catch (e) {
    return diagnoseError(e, a, notFoundFor(server));
  }
  if (!appIsRunning(app)) {
    return { status: 'fail', summary: `the app ${name} is not running (${app.app_status?.state ?? 'unknown'}, compute ${app.compute_status?.state ?? 'unknown'})`, fix: `Start it (databricks apps start ${name}) or ask its owner to.`, data: { kind: 'app-not-running' } };
  }
  const level = await bestLevel(api, `/api/2.0/permissions/apps/${encodeURIComponent(name)}`, p);
  if (level !== null && !atLeast(level, 'CAN_USE')) {
    return {
      status: 'fail',
      summary: `${p.user} has ${level ?? 'no permission'} on the app ${name}, not CAN USE`,
      fix: `Ask the owner of the app ${name} for CAN USE (Compute → Apps → ${name} → Permissions).`,
      data: { kind: 'missing-privilege', privilege: 'CAN_USE', securableType: 'APP', securable: name },
    };
  }
  return { status: 'pass', summary: `the app ${name} is running${level ? ` and you have ${level}` : ''}` };
}

export function grantsCheck(server: ServerFact): Check {
  return {
    id: `server.${server.key}.grants`,
    title: `${server.name}: permissions`,
    group: 'server',
    subject: server.key,
    dependsOn: ['auth.current-user'],
    timeoutMs: 30_000,
    async run(_ctx, facts: Facts): Promise<CheckResult> {
      const t = server.target;
      const host = facts.config().host;
      if (!t) return { status: 'skip', summary: 'not a managed MCP URL' };
      // An app lives on its own host: its grants are read from the profile's workspace.
      if (t.kind !== 'app' && t.host !== host) return { status: 'skip', summary: `the server is on ${t.host}, the profile on ${host}: grants are checked with the profile's identity only` };
      const { user } = await facts.currentUser();
      const p: Principal = { user: user.userName ?? user.emails?.[0]?.value ?? '', groups: (user.groups ?? []).map((g) => g.display).filter((g): g is string => Boolean(g)) };
      const a = authContext(facts, p.user);
      const api = facts.api();
      try {
        switch (t.kind) {
          case 'functions':
            return await functionsGrants(api, t.parts, p);
          case 'vector-search':
            return await vectorGrants(api, t.parts, p);
          case 'genie':
            return await genieGrants(api, server, p, a);
          case 'sql':
            return await sqlGrants(api, p);
          case 'external':
            return await externalGrants(api, server, p, a);
          case 'mcp-service':
            return await serviceGrants(api, server);
          case 'app':
            return await appGrants(api, server, p, a);
        }
      } catch (e) {
        return diagnoseError(e, a, notFoundFor(server));
      }
    },
  };
}
