/**
 * Unity Catalog privilege model (source: https://docs.databricks.com/api/uc-grants/v1): direct grants, inheritance from catalog and schema,
 * ownership, groups.
 *
 * Group semantics, on purpose: `effective-permissions?principal=<user>` returns only the
 * assignments whose principal IS that user (plus inherited ones for that same principal); it
 * does NOT fold in the user's groups. Group expansion there is unconfirmed (https://docs.databricks.com/api/uc-grants/v1 does not say) and
 * tells a robust diagnostic to ask for each group from SCIM Me as well — the emulator forces
 * callers to do exactly that. Access checks (`hasPrivilege`) of course do count groups, plus
 * the implicit `account users` group every principal belongs to.
 */
import type { Caller, Internals } from './http-util.js';
import type { SecurableType, WorkspaceState } from './types.js';

export interface EffectivePrivilege {
  privilege: string;
  inherited_from_type?: string;
  inherited_from_name?: string;
}

const TYPES: readonly SecurableType[] = ['CATALOG', 'SCHEMA', 'FUNCTION', 'TABLE', 'CONNECTION'];

/** Path segment → securable type, case-insensitive (source: https://docs.databricks.com/api/uc-grants/v1). Unknown ⇒ undefined. */
export function parseSecurableType(segment: string): SecurableType | undefined {
  const up = segment.toUpperCase();
  return TYPES.find((t) => t === up);
}

/** Parent securables, nearest first: a function's schema, then its catalog. */
export function parentsOf(type: SecurableType, name: string): Array<{ type: SecurableType; name: string }> {
  const parts = name.split('.');
  if ((type === 'FUNCTION' || type === 'TABLE') && parts.length === 3) {
    return [{ type: 'SCHEMA', name: `${parts[0]}.${parts[1]}` }, { type: 'CATALOG', name: parts[0]! }];
  }
  if (type === 'SCHEMA' && parts.length === 2) return [{ type: 'CATALOG', name: parts[0]! }];
  return [];
}

/** Owner of a securable, or undefined if it does not exist. Vector indexes count as tables. */
export function ownerOf(state: WorkspaceState, type: SecurableType, name: string): string | undefined {
  const [c, s, x] = name.split('.');
  switch (type) {
    case 'CATALOG':
      return state.catalogs.find((r) => r.name === name)?.owner;
    case 'SCHEMA':
      return state.schemas.find((r) => r.catalog === c && r.name === s && x === undefined)?.owner;
    case 'FUNCTION':
      return state.functions.find((r) => r.catalog === c && r.schema === s && r.name === x)?.owner;
    case 'TABLE': {
      const t = state.tables.find((r) => r.catalog === c && r.schema === s && r.name === x);
      if (t) return t.owner;
      return state.vectorIndexes.some((i) => i.name === name) ? 'admins' : undefined;
    }
    case 'CONNECTION':
      return state.connections.find((r) => r.name === name)?.owner;
  }
}

function denied(ws: Internals, privilege: string): boolean {
  return ws.scenario.denyGrants?.includes(privilege) ?? false;
}

/** Direct assignments on one securable, optionally for one principal only. */
export function directAssignments(
  ws: Internals,
  type: SecurableType,
  name: string,
  principal?: string,
): Array<{ principal: string; privileges: string[] }> {
  const byPrincipal = new Map<string, Set<string>>();
  for (const g of ws.state.grants) {
    if (g.type !== type || g.name !== name) continue;
    if (principal !== undefined && g.principal !== principal) continue;
    const set = byPrincipal.get(g.principal) ?? new Set<string>();
    for (const p of g.privileges) if (!denied(ws, p)) set.add(p);
    byPrincipal.set(g.principal, set);
  }
  return [...byPrincipal].filter(([, s]) => s.size > 0).map(([p, s]) => ({ principal: p, privileges: [...s].sort() }));
}

/**
 * Effective assignments: direct ones plus those inherited from parents, tagged with
 * `inherited_from_type`/`inherited_from_name` (omitted when not inherited, source: https://docs.databricks.com/api/uc-grants/v1).
 */
export function effectiveAssignments(
  ws: Internals,
  type: SecurableType,
  name: string,
  principal?: string,
): Array<{ principal: string; privileges: EffectivePrivilege[] }> {
  const out = new Map<string, EffectivePrivilege[]>();
  const add = (p: string, e: EffectivePrivilege): void => {
    const list = out.get(p) ?? [];
    if (!list.some((x) => x.privilege === e.privilege && x.inherited_from_name === e.inherited_from_name)) list.push(e);
    out.set(p, list);
  };
  for (const a of directAssignments(ws, type, name, principal)) for (const priv of a.privileges) add(a.principal, { privilege: priv });
  for (const parent of parentsOf(type, name)) {
    for (const a of directAssignments(ws, parent.type, parent.name, principal)) {
      for (const priv of a.privileges) {
        add(a.principal, { privilege: priv, inherited_from_type: parent.type, inherited_from_name: parent.name });
      }
    }
  }
  return [...out].map(([p, privileges]) => ({ principal: p, privileges }));
}

/** Every UC principal name the caller acts as. */
export function principalsOf(caller: Caller): string[] {
  return [caller.name, ...caller.groups, 'account users'];
}

/** True when the caller (directly, via a group, via a parent, or as owner) holds `privilege`. */
export function hasPrivilege(ws: Internals, caller: Caller, type: SecurableType, name: string, privilege: string): boolean {
  if (denied(ws, privilege)) return false;
  const mine = new Set(principalsOf(caller));
  const chain = [{ type, name }, ...parentsOf(type, name)];
  for (const s of chain) {
    const owner = ownerOf(ws.state, s.type, s.name);
    if (owner !== undefined && mine.has(owner)) return true;
  }
  for (const s of chain) {
    for (const a of directAssignments(ws, s.type, s.name)) {
      if (mine.has(a.principal) && (a.privileges.includes(privilege) || a.privileges.includes('ALL_PRIVILEGES'))) return true;
    }
  }
  return false;
}

/** A required privilege: `[type, name, privilege]`. */
export type Requirement = [SecurableType, string, string];

/** First requirement the caller does not meet, or undefined when all are met. */
export function firstMissing(ws: Internals, caller: Caller, reqs: Requirement[]): Requirement | undefined {
  return reqs.find(([t, n, p]) => !hasPrivilege(ws, caller, t, n, p));
}

/** The USE_CATALOG / USE_SCHEMA prerequisites of anything inside `catalog.schema`. */
export function useChain(catalog: string, schema?: string): Requirement[] {
  const reqs: Requirement[] = [['CATALOG', catalog, 'USE_CATALOG']];
  if (schema !== undefined) reqs.push(['SCHEMA', `${catalog}.${schema}`, 'USE_SCHEMA']);
  return reqs;
}

/** Applies a `PATCH permissions` change list (source: https://docs.databricks.com/api/uc-grants/v1). */
export function applyChanges(
  state: WorkspaceState,
  type: SecurableType,
  name: string,
  changes: Array<{ principal: string; add?: string[]; remove?: string[] }>,
): void {
  for (const ch of changes) {
    let g = state.grants.find((x) => x.type === type && x.name === name && x.principal === ch.principal);
    if (!g) {
      g = { type, name, principal: ch.principal, privileges: [] };
      state.grants.push(g);
    }
    const set = new Set(g.privileges);
    for (const p of ch.add ?? []) set.add(p.toUpperCase().replace(/ /g, '_'));
    for (const p of ch.remove ?? []) set.delete(p.toUpperCase().replace(/ /g, '_'));
    g.privileges = [...set];
  }
  state.grants = state.grants.filter((g) => g.privileges.length > 0);
}
