/**
 * Genie spaces (source: https://docs.databricks.com/api/genie/v1/genie-space.md) and the Permissions-API object ACLs shared with SQL warehouses (source: Go SDK service/sql).
 * A space the caller has no ACL entry on is invisible: list omits it and GET answers
 * 404 RESOURCE_DOES_NOT_EXIST, like the real service (source: Genie responses observed on real workspaces: "no access" is a not-found).
 */
import { intParam, notFound, paginate, sendJson, type Caller, type Ctx } from './http-util.js';
import { principalsOf } from './grants.js';
import { route, type Route } from './router.js';
import type { AclEntry, GenieSpaceRecord, WorkspaceState } from './types.js';

const LEVEL_ORDER = ['CAN_VIEW', 'CAN_RUN', 'CAN_USE', 'CAN_MONITOR', 'CAN_EDIT', 'CAN_MANAGE', 'IS_OWNER'];

function entryPrincipal(e: AclEntry): string | undefined {
  return e.user_name ?? e.group_name ?? e.service_principal_name;
}

/** The caller's highest level on an ACL (admins implicitly CAN_MANAGE), or undefined. */
export function aclLevel(acl: readonly AclEntry[], caller: Caller): string | undefined {
  const mine = new Set(principalsOf(caller));
  let best = caller.groups.includes('admins') ? 'CAN_MANAGE' : undefined;
  for (const e of acl) {
    const p = entryPrincipal(e);
    if (p === undefined || !mine.has(p)) continue;
    if (best === undefined || LEVEL_ORDER.indexOf(e.permission_level) > LEVEL_ORDER.indexOf(best)) best = e.permission_level;
  }
  return best;
}

/** True when `level` is at least `min` in the Permissions-API order. */
export function atLeast(level: string | undefined, min: string): boolean {
  return level !== undefined && LEVEL_ORDER.indexOf(level) >= LEVEL_ORDER.indexOf(min);
}

/** The space if it exists and the caller can see it. */
export function visibleSpace(state: WorkspaceState, caller: Caller, id: string): GenieSpaceRecord | undefined {
  const s = state.genieSpaces.find((x) => x.space_id === id);
  return s && aclLevel(s.acl, caller) !== undefined ? s : undefined;
}

/** ObjectPermissions (source: Go SDK service/iam (Permissions API)). */
export function objectPermissions(state: WorkspaceState, objectId: string, objectType: string, acl: readonly AclEntry[]): object {
  return {
    object_id: objectId,
    object_type: objectType,
    access_control_list: acl.map((e) => {
      const user = e.user_name ? state.users.find((u) => u.userName === e.user_name) : undefined;
      const key = e.user_name ? { user_name: e.user_name } : e.group_name ? { group_name: e.group_name } : { service_principal_name: e.service_principal_name };
      return { ...key, ...(user ? { display_name: user.displayName } : {}), all_permissions: [{ permission_level: e.permission_level, inherited: false }] };
    }),
  };
}

function spaceJson(s: GenieSpaceRecord): object {
  // serialized_space is never included in list, and only on request for GET (source: https://docs.databricks.com/api/genie/v1/genie-space.md).
  return {
    space_id: s.space_id, title: s.title, description: s.description, warehouse_id: s.warehouse_id,
    parent_path: s.parent_path, create_time: s.create_time, update_time: s.update_time,
  };
}

function noSpace(ctx: Ctx, id: string): void {
  // Message text is illustrative; the code is what clients key on (source: Genie responses observed on real workspaces).
  notFound(ctx.res, `Genie space ${id} does not exist.`);
}

function listSpaces(ctx: Ctx): void {
  const visible = ctx.ws.state.genieSpaces.filter((s) => aclLevel(s.acl, ctx.caller!) !== undefined);
  // page_size default 20, max 100 (source: https://docs.databricks.com/api/genie/v1/genie-space.md).
  const { page, next } = paginate(visible, intParam(ctx.query, 'page_size', 20, 100), ctx.query.get('page_token'));
  sendJson(ctx.res, 200, { spaces: page.map(spaceJson), ...(next ? { next_page_token: next } : {}) });
}

export const genieRoutes: Route[] = [
  route('GET', /^\/api\/2\.0\/genie\/spaces$/, 'workspace', listSpaces),
  route('GET', /^\/api\/2\.0\/genie\/spaces\/([^/]+)$/, 'workspace', (ctx, [id]) => {
    const s = visibleSpace(ctx.ws.state, ctx.caller!, id!);
    return s ? sendJson(ctx.res, 200, spaceJson(s)) : noSpace(ctx, id!);
  }),
  route('GET', /^\/api\/2\.0\/permissions\/genie\/([^/]+)$/, 'workspace', (ctx, [id]) => {
    const s = visibleSpace(ctx.ws.state, ctx.caller!, id!);
    if (!s) return noSpace(ctx, id!);
    sendJson(ctx.res, 200, objectPermissions(ctx.ws.state, `/genie/${s.space_id}`, 'genie-space', s.acl));
  }),
];
