/**
 * Permissions-API levels (`GET /api/2.0/permissions/<type>/<id>`, e.g. `apps/<name>`,
 * `genie/<space_id>`, `warehouses/<id>`): the best level a principal holds through its own
 * entry or a group's. Shared by `add`'s target checks and doctor's grants checks.
 */
import { z } from 'zod';
import type { Api } from './api.js';

/** The order of levels, lowest first (an object type uses a subset: apps have CAN_USE and CAN_MANAGE). */
const LEVELS = ['CAN_VIEW', 'CAN_RUN', 'CAN_USE', 'CAN_MONITOR', 'CAN_EDIT', 'CAN_MANAGE', 'IS_OWNER'];

const Acl = z.object({
  access_control_list: z
    .array(z.object({ user_name: z.string().optional(), group_name: z.string().optional(), service_principal_name: z.string().optional(), all_permissions: z.array(z.object({ permission_level: z.string() })).optional() }))
    .optional(),
});

/** Who asks: the SCIM userName (or a service principal's application id) and the group names. */
export interface AclPrincipal {
  user: string;
  groups: string[];
}

/** Calls that fail fast and don't sit in long retries (doctor reports a 429 instead). */
const QUICK = { retryBudgetMs: 3_000, timeoutMs: 15_000 } as const;

/**
 * The principal's best level on the object at `path`: undefined when it holds none, null when the
 * ACL cannot be read (no verdict: reading an ACL may need more than using the object).
 */
export async function bestPermissionLevel(api: Api, path: string, p: AclPrincipal): Promise<string | undefined | null> {
  let acl;
  try {
    acl = await api.get(path, { schema: Acl, ...QUICK });
  } catch {
    return null;
  }
  const mine = new Set([p.user, ...p.groups, 'account users']);
  let best: string | undefined = p.groups.includes('admins') ? 'CAN_MANAGE' : undefined;
  for (const e of acl.access_control_list ?? []) {
    const who = e.user_name ?? e.group_name ?? e.service_principal_name;
    if (!who || !mine.has(who)) continue;
    for (const l of e.all_permissions ?? []) if (best === undefined || LEVELS.indexOf(l.permission_level) > LEVELS.indexOf(best)) best = l.permission_level;
  }
  return best;
}

/** `level` is at least `min` (an unknown or unreadable level is not). */
export function atLeastLevel(level: string | undefined | null, min: string): boolean {
  return typeof level === 'string' && LEVELS.indexOf(level) >= LEVELS.indexOf(min);
}
