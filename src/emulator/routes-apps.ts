/**
 * AI Gateway MCP services and Databricks Apps (source: /work/shared/reference/breadth.md §4).
 * - `GET /api/2.1/unity-catalog/mcp-services?parent=schemas/<catalog>.<schema>` →
 *   `{mcp_services: [{full_name, name, comment, …}], next_page_token}` (✅); the single GET
 *   `/api/2.1/unity-catalog/mcp-services/<full name>` is 🟡 (the shape is assumed).
 *   Services under `system.ai` are visible to everyone; others need USE CATALOG / USE SCHEMA.
 * - `GET /api/2.0/apps` (paginated), `GET /api/2.0/apps/{name}` → `{name, url, app_status, compute_status, …}`,
 *   `GET /api/2.0/permissions/apps/{name}`. An app is visible with any permission on it. Its
 *   `url` is on the apps server (its own loopback port, standing in for `*.databricksapps.com`).
 */
import { firstMissing, useChain } from './grants.js';
import { notFound, sendError, sendJson, type Caller, type Internals } from './http-util.js';
import { route, type Route } from './router.js';
import { aclLevel, objectPermissions } from './routes-genie.js';
import type { AppRecord, McpServiceRecord } from './types.js';

const fullName = (s: McpServiceRecord) => `${s.catalog}.${s.schema}.${s.name}`;

/** Whether the caller can see (and call) the service. */
export function canSeeService(ws: Internals, caller: Caller, s: McpServiceRecord): boolean {
  if (s.catalog === 'system' && s.schema === 'ai') return true;
  return firstMissing(ws, caller, useChain(s.catalog, s.schema)) === undefined;
}

export function visibleService(ws: Internals, caller: Caller, full: string): McpServiceRecord | undefined {
  const s = ws.state.mcpServices.find((x) => fullName(x) === full);
  return s && canSeeService(ws, caller, s) ? s : undefined;
}

function serviceJson(s: McpServiceRecord): object {
  return { name: s.name, full_name: fullName(s), catalog_name: s.catalog, schema_name: s.schema, comment: s.comment, owner: 'System user', securable_type: 'MCP_SERVICE' };
}

/** The app if it exists and the caller has any permission on it. */
export function visibleApp(ws: Internals, caller: Caller, name: string): AppRecord | undefined {
  const a = ws.state.apps.find((x) => x.name === name);
  return a && aclLevel(a.acl, caller) !== undefined ? a : undefined;
}

function appJson(ws: Internals, a: AppRecord): object {
  return {
    name: a.name,
    description: a.description,
    url: `${ws.appsBaseUrl()}/${a.name}`,
    app_status: { state: a.appState, message: a.appState === 'RUNNING' ? 'App is running' : 'App is not running' },
    compute_status: { state: a.computeState, message: a.computeState === 'ACTIVE' ? 'App compute is active.' : 'App compute is stopped.' },
    creator: 'admin@example.com',
    create_time: '2026-09-01T10:00:00Z',
  };
}

const PAGE = 50;

export const appsRoutes: Route[] = [
  route('GET', /^\/api\/2\.1\/unity-catalog\/mcp-services$/, 'workspace', (ctx) => {
    const parent = ctx.query.get('parent') ?? '';
    const m = /^schemas\/([^.]+)\.([^.]+)$/.exec(parent);
    if (!m) return sendError(ctx.res, 400, 'INVALID_PARAMETER_VALUE', `parent must be schemas/<catalog>.<schema>, got '${parent}'`);
    const items = ctx.ws.state.mcpServices.filter((s) => s.catalog === m[1] && s.schema === m[2] && canSeeService(ctx.ws, ctx.caller!, s));
    const start = Number(ctx.query.get('page_token') ?? 0) || 0;
    const size = Number(ctx.query.get('page_size') ?? PAGE) || PAGE;
    const page = items.slice(start, start + size);
    sendJson(ctx.res, 200, { mcp_services: page.map(serviceJson), ...(start + size < items.length ? { next_page_token: String(start + size) } : {}) });
  }),
  route('GET', /^\/api\/2\.1\/unity-catalog\/mcp-services\/([^/]+)$/, 'workspace', (ctx, [full]) => {
    const s = visibleService(ctx.ws, ctx.caller!, full!);
    return s ? sendJson(ctx.res, 200, serviceJson(s)) : notFound(ctx.res, `MCP service '${full}' does not exist.`);
  }),
  route('GET', /^\/api\/2\.0\/apps$/, 'workspace', (ctx) => {
    const items = ctx.ws.state.apps.filter((a) => aclLevel(a.acl, ctx.caller!) !== undefined);
    const start = Number(ctx.query.get('page_token') ?? 0) || 0;
    const size = Number(ctx.query.get('page_size') ?? PAGE) || PAGE;
    const page = items.slice(start, start + size);
    sendJson(ctx.res, 200, { apps: page.map((a) => appJson(ctx.ws, a)), ...(start + size < items.length ? { next_page_token: String(start + size) } : {}) });
  }),
  route('GET', /^\/api\/2\.0\/apps\/([^/]+)$/, 'workspace', (ctx, [name]) => {
    const a = visibleApp(ctx.ws, ctx.caller!, name!);
    return a ? sendJson(ctx.res, 200, appJson(ctx.ws, a)) : notFound(ctx.res, `App with name ${name} does not exist or is deleted.`);
  }),
  route('GET', /^\/api\/2\.0\/permissions\/apps\/([^/]+)$/, 'workspace', (ctx, [name]) => {
    const a = visibleApp(ctx.ws, ctx.caller!, name!);
    if (!a) return notFound(ctx.res, `App with name ${name} does not exist or is deleted.`);
    sendJson(ctx.res, 200, objectPermissions(ctx.ws.state, `/apps/${a.name}`, 'apps', a.acl));
  }),
];
