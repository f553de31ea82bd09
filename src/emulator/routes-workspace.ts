/**
 * Workspace identity and network settings: SCIM Me (source: Go SDK service/iam (SCIM Me)), IP access lists and the
 * `enableIpAccessLists` flag (source: Go SDK service/settings/impl.go).
 */
import { randomUUID } from 'node:crypto';
import { asRecord, notFound, sendJson, type Ctx } from './http-util.js';
import { route, type Route } from './router.js';
import type { IpAccessListRecord } from './types.js';

/** SCIM Me with `X-Databricks-Org-Id` (source: Go SDK service/iam (SCIM Me)); `groups` omitted entirely when empty. */
function me(ctx: Ctx): void {
  const c = ctx.caller!;
  const { state, workspaceId } = ctx.ws;
  const headers = { 'X-Databricks-Org-Id': workspaceId };
  const groups = c.groups
    .map((g) => state.groups.find((x) => x.displayName === g))
    .filter((g) => g !== undefined)
    .map((g) => ({ display: g.displayName, type: 'direct', value: g.id, $ref: `Groups/${g.id}` }));
  const schemas = ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:workspace:2.0:User'];
  if (c.kind === 'service-principal') {
    // For service principals userName is the application id (source: Go SDK service/iam (SCIM Me), UNCONFIRMED there).
    return sendJson(ctx.res, 200, {
      schemas, id: c.id, userName: c.name, displayName: c.displayName, active: true,
      ...(groups.length ? { groups } : {}),
    }, headers);
  }
  const u = state.users.find((x) => x.userName === c.name)!;
  sendJson(ctx.res, 200, {
    schemas,
    id: u.id,
    userName: u.userName,
    displayName: u.displayName,
    name: { givenName: u.givenName ?? '', familyName: u.familyName ?? '' },
    emails: [{ value: u.userName, type: 'work', primary: true }],
    ...(groups.length ? { groups } : {}),
    entitlements: u.entitlements.map((value) => ({ value })),
    active: u.active,
  }, headers);
}

function withCount(l: IpAccessListRecord): IpAccessListRecord & { address_count: number } {
  return { ...l, address_count: l.ip_addresses.length };
}

function createList(ctx: Ctx): void {
  const b = asRecord(ctx.body);
  const now = Date.now();
  const rec: IpAccessListRecord = {
    list_id: randomUUID(),
    label: String(b.label ?? ''),
    list_type: b.list_type === 'BLOCK' ? 'BLOCK' : 'ALLOW',
    ip_addresses: Array.isArray(b.ip_addresses) ? b.ip_addresses.map(String) : [],
    enabled: b.enabled !== false,
    created_at: now, created_by: Number(ctx.caller!.id) || 0, updated_at: now, updated_by: Number(ctx.caller!.id) || 0,
  };
  ctx.ws.state.ipAccessLists.push(rec);
  sendJson(ctx.res, 200, { ip_access_list: withCount(rec) });
}

function updateList(ctx: Ctx, id: string): void {
  const rec = ctx.ws.state.ipAccessLists.find((l) => l.list_id === id);
  if (!rec) return notFound(ctx.res, `IP access list ${id} does not exist.`);
  const b = asRecord(ctx.body);
  if (typeof b.label === 'string') rec.label = b.label;
  if (b.list_type === 'ALLOW' || b.list_type === 'BLOCK') rec.list_type = b.list_type;
  if (typeof b.enabled === 'boolean') rec.enabled = b.enabled;
  if (Array.isArray(b.ip_addresses)) rec.ip_addresses = b.ip_addresses.map(String);
  rec.updated_at = Date.now();
  sendJson(ctx.res, 200, {});
}

function getConf(ctx: Ctx): void {
  const keys = (ctx.query.get('keys') ?? '').split(',').filter(Boolean);
  const conf = ctx.ws.state.workspaceConf;
  // Unknown keys come back as null, known ones as strings (source: Go SDK service/settings/impl.go).
  sendJson(ctx.res, 200, Object.fromEntries(keys.map((k) => [k, conf[k] ?? null])));
}

function patchConf(ctx: Ctx): void {
  for (const [k, v] of Object.entries(asRecord(ctx.body))) ctx.ws.state.workspaceConf[k] = String(v);
  sendJson(ctx.res, 200, {});
}

export const workspaceRoutes: Route[] = [
  route('GET', /^\/api\/2\.0\/preview\/scim\/v2\/Me$/, 'workspace', me),
  route('GET', /^\/api\/2\.0\/ip-access-lists$/, 'workspace', (ctx) =>
    sendJson(ctx.res, 200, { ip_access_lists: ctx.ws.state.ipAccessLists.map(withCount) })),
  route('POST', /^\/api\/2\.0\/ip-access-lists$/, 'workspace', createList),
  route('GET', /^\/api\/2\.0\/ip-access-lists\/([^/]+)$/, 'workspace', (ctx, [id]) => {
    const rec = ctx.ws.state.ipAccessLists.find((l) => l.list_id === id);
    return rec ? sendJson(ctx.res, 200, { ip_access_list: withCount(rec) }) : notFound(ctx.res, `IP access list ${id} does not exist.`);
  }),
  route(['PATCH', 'PUT'], /^\/api\/2\.0\/ip-access-lists\/([^/]+)$/, 'workspace', (ctx, [id]) => updateList(ctx, id!)),
  route('DELETE', /^\/api\/2\.0\/ip-access-lists\/([^/]+)$/, 'workspace', (ctx, [id]) => {
    const before = ctx.ws.state.ipAccessLists.length;
    ctx.ws.state.ipAccessLists = ctx.ws.state.ipAccessLists.filter((l) => l.list_id !== id);
    return before === ctx.ws.state.ipAccessLists.length ? notFound(ctx.res, `IP access list ${id} does not exist.`) : sendJson(ctx.res, 200, {});
  }),
  route('GET', /^\/api\/2\.0\/workspace-conf$/, 'workspace', getConf),
  route('PATCH', /^\/api\/2\.0\/workspace-conf$/, 'workspace', patchConf),
];
