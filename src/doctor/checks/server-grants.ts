/**
 * `server.<name>.grants`: what the signed-in user needs on the server's target. Each kind says
 * what that is (`ServerKindDef.access`, in its file under databricks/server-kinds/); this check
 * hands it an `AccessProbe`: the workspace, the user, and doctor's readers of grants (Unity
 * Catalog effective privileges, Permissions-API levels) and of errors (diagnose.ts).
 */
import type { Api } from '../../databricks/api.js';
import { atLeastLevel, bestPermissionLevel } from '../../databricks/permissions.js';
import { kindDef, type AccessProbe } from '../../databricks/server-kinds/index.js';
import { diagnoseError, missingPrivilege } from '../diagnose.js';
import type { Facts, ServerFact } from '../facts.js';
import { checkRequirements, heldPrivileges, type Principal } from '../uc-access.js';
import type { Check, CheckResult } from '../types.js';
import { notFoundFor } from './server-handshake.js';
import { authContext } from './workspace.js';

/** The probe a kind's `access` reads through, for one server and the signed-in principal. */
export function accessProbe(api: Api, server: ServerFact, p: Principal, facts: Facts): AccessProbe {
  const a = authContext(facts, p.user);
  return {
    api,
    user: p.user,
    level: (path) => bestPermissionLevel(api, path, p),
    atLeast: atLeastLevel,
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
