/**
 * `server.<name>.grants`: what the signed-in user needs on the server's target. Each kind says
 * what that is (`ServerKindDef.access`, in its file under databricks/server-kinds/); this check
 * hands it an `AccessProbe`: the workspace, the user, and doctor's readers of grants (Unity
 * Catalog effective privileges, Permissions-API levels) and of errors (diagnose.ts).
 */
import { z } from 'zod';
import type { Api } from '../../databricks/api.js';
import { kindDef, type AccessProbe } from '../../databricks/server-kinds/index.js';
import { diagnoseError, missingPrivilege } from '../diagnose.js';
import type { Facts, ServerFact } from '../facts.js';
import { checkRequirements, heldPrivileges, principalsOf, QUICK, type Principal } from '../uc-access.js';
import type { Check, CheckResult } from '../types.js';
import { notFoundFor } from './server-handshake.js';
import { authContext } from './workspace.js';

const LEVELS = ['CAN_VIEW', 'CAN_RUN', 'CAN_USE', 'CAN_MONITOR', 'CAN_EDIT', 'CAN_MANAGE', 'IS_OWNER'];
const Acl = z.object({
  access_control_list: z
    .array(z.object({ user_name: z.string().optional(), group_name: z.string().optional(), service_principal_name: z.string().optional(), all_permissions: z.array(z.object({ permission_level: z.string() })).optional() }))
    .optional(),
});

/** The caller's best Permissions-API level on an object, or null when the ACL can't be read. */
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

/** The probe a kind's `access` reads through, for one server and the signed-in principal. */
export function accessProbe(api: Api, server: ServerFact, p: Principal, facts: Facts): AccessProbe {
  const a = authContext(facts, p.user);
  return {
    api,
    user: p.user,
    level: (path) => bestLevel(api, path, p),
    atLeast: (level, min) => typeof level === 'string' && LEVELS.indexOf(level) >= LEVELS.indexOf(min),
    unmet: async (reqs) => (await checkRequirements(api, reqs, p)).missing,
    held: (type, name) => heldPrivileges(api, type, name, p),
    missing: (r) => missingPrivilege(r.privilege, r.type, r.name, p.user),
    refused: (e, notFound) => diagnoseError(e, a, notFound ?? notFoundFor(server)),
  };
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
      const def = kindDef(t.kind);
      // A kind on its own host (an app: `resolvesUrl`) has its grants read from the profile's workspace.
      if (!def.resolvesUrl && t.host !== host) return { status: 'skip', summary: `the server is on ${t.host}, the profile on ${host}: grants are checked with the profile's identity only` };
      const { user } = await facts.currentUser();
      const p: Principal = { user: user.userName ?? user.emails?.[0]?.value ?? '', groups: (user.groups ?? []).map((g) => g.display).filter((g): g is string => Boolean(g)) };
      const probe = accessProbe(facts.api(), server, p, facts);
      try {
        return await def.access(probe, t.parts);
      } catch (e) {
        return probe.refused(e);
      }
    },
  };
}
