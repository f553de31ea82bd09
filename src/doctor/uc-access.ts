/**
 * Unity Catalog access as the signed-in user really has it: effective privileges asked for
 * the user AND each of their groups (and `account users`), because effective-permissions for
 * a user does not reliably fold in group grants; ownership of the object or a parent counts
 * as every privilege.
 */
import { z } from 'zod';
import type { Api } from '../databricks/api.js';
import { getEffectivePrivileges } from '../databricks/workspace.js';

export interface Principal {
  user: string;
  groups: string[];
}

export function principalsOf(p: Principal): string[] {
  return [p.user, ...p.groups, 'account users'];
}

const Owned = z.object({ owner: z.string().optional() });

const OBJECT_PATH: Record<string, string> = {
  CATALOG: '/api/2.1/unity-catalog/catalogs/',
  SCHEMA: '/api/2.1/unity-catalog/schemas/',
  FUNCTION: '/api/2.1/unity-catalog/functions/',
  TABLE: '/api/2.1/unity-catalog/tables/',
  CONNECTION: '/api/2.1/unity-catalog/connections/',
};

/** Calls that fail fast and don't sit in long retries: doctor reports a 429 instead. */
export const QUICK = { retryBudgetMs: 3_000, timeoutMs: 15_000 } as const;

/** The object's owner, or undefined when it cannot be read. */
export async function ownerOf(api: Api, type: string, fullName: string): Promise<string | undefined> {
  const base = OBJECT_PATH[type.toUpperCase()];
  if (!base) return undefined;
  // Best effort: the privilege call that runs beside it reports not-found and 429 itself.
  try {
    const r = await api.get(base + encodeURIComponent(fullName), { schema: Owned, ...QUICK });
    return r.owner;
  } catch {
    return undefined;
  }
}

/** Union of effective privileges over the principal's identities. */
export async function heldPrivileges(api: Api, type: string, fullName: string, p: Principal): Promise<Set<string>> {
  const lists = await Promise.all(principalsOf(p).map((who) => getEffectivePrivileges(api, type, fullName, who)));
  return new Set(lists.flat());
}

export interface Requirement {
  type: string;
  name: string;
  privilege: string;
}

export interface AccessReport {
  /** First unmet requirement, in order (catalog, schema, leaf). */
  missing?: Requirement;
  /** Privileges found per securable, for details. */
  held: Record<string, string[]>;
}

/**
 * Checks requirements on catalog, schema and leaf separately (each asked concurrently).
 * Owners of an object or of a parent hold everything below.
 */
export async function checkRequirements(api: Api, reqs: Requirement[], p: Principal): Promise<AccessReport> {
  const mine = new Set(principalsOf(p));
  const securables = [...new Map(reqs.map((r) => [`${r.type}:${r.name}`, r])).values()];
  const results = await Promise.all(
    securables.map(async (s) => {
      const [held, owner] = await Promise.all([heldPrivileges(api, s.type, s.name, p), ownerOf(api, s.type, s.name)]);
      return { key: `${s.type}:${s.name}`, held, owned: owner !== undefined && mine.has(owner) };
    }),
  );
  const byKey = new Map(results.map((r) => [r.key, r]));
  // Ownership flows down: owning the catalog means owning what's in it, for our purposes.
  const ownedAbove = (name: string): boolean => results.some((r) => r.owned && (name === r.key.split(':')[1] || name.startsWith(`${r.key.split(':')[1]}.`)));
  const held: Record<string, string[]> = {};
  for (const r of results) held[r.key] = [...r.held].sort();
  for (const req of reqs) {
    const r = byKey.get(`${req.type}:${req.name}`)!;
    if (r.held.has(req.privilege) || r.held.has('ALL_PRIVILEGES') || r.held.has('ALL PRIVILEGES') || ownedAbove(req.name)) continue;
    return { missing: req, held };
  }
  return { held };
}
