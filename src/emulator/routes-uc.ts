/**
 * Unity Catalog routes (source: https://docs.databricks.com/api/uc-grants/v1; Go SDK service/catalog (functions)): catalogs, schemas, functions, tables, connections and the
 * grants endpoints. Object gets use the legacy per-type not-found codes
 * (`CATALOG_DOES_NOT_EXIST`…), the grants endpoints use `RESOURCE_DOES_NOT_EXIST` — both occur
 * in the wild (source: UC responses observed on real workspaces), so clients must classify by status first.
 * Listings hide what the caller cannot use; `include_browse=true` adds `browse_only: true` items.
 */
import {
  asRecord, badParam, notFound, permissionDenied, sendJson, type Ctx,
} from './http-util.js';
import {
  applyChanges, directAssignments, effectiveAssignments, firstMissing, hasPrivilege, ownerOf, parseSecurableType, useChain,
  type Requirement,
} from './grants.js';
import { route, type Route } from './router.js';
import type { FunctionRecord, SecurableType } from './types.js';

const METASTORE_ID = '11111111-2222-4333-8444-555555555555';
const AUDIT = { created_at: 1746100800000, created_by: 'admin@example.com', updated_at: 1748779200000, updated_by: 'admin@example.com' };

const LEGACY_NOT_FOUND: Record<SecurableType, [code: string, word: string]> = {
  CATALOG: ['CATALOG_DOES_NOT_EXIST', 'Catalog'],
  SCHEMA: ['SCHEMA_DOES_NOT_EXIST', 'Schema'],
  FUNCTION: ['FUNCTION_DOES_NOT_EXIST', 'Routine or Model'],
  TABLE: ['TABLE_DOES_NOT_EXIST', 'Table'],
  CONNECTION: ['RESOURCE_DOES_NOT_EXIST', 'Connection'],
};

/** Real-looking not-found for a UC object, e.g. `Schema 'main.nope' does not exist.` */
export function ucNotFound(ctx: Ctx, type: SecurableType, name: string, legacy = true): void {
  const [code, word] = LEGACY_NOT_FOUND[type];
  notFound(ctx.res, `${word} '${name}' does not exist.`, legacy ? code : 'RESOURCE_DOES_NOT_EXIST');
}

/** Sends the 403 for the first unmet requirement; true when one was sent. */
export function denyIfMissing(ctx: Ctx, reqs: Requirement[]): boolean {
  const miss = firstMissing(ctx.ws, ctx.caller!, reqs);
  if (!miss) return false;
  permissionDenied(ctx.res, miss[2], miss[0], miss[1]);
  return true;
}

function includeBrowse(ctx: Ctx): boolean {
  return ctx.query.get('include_browse') === 'true';
}

/** Item visibility in listings: full, browse-only (with include_browse), or hidden. */
function visibility(ctx: Ctx, type: SecurableType, name: string, usePriv: string): 'full' | 'browse' | 'hidden' {
  if (hasPrivilege(ctx.ws, ctx.caller!, type, name, usePriv)) return 'full';
  if (includeBrowse(ctx) && hasPrivilege(ctx.ws, ctx.caller!, type, name, 'BROWSE')) return 'browse';
  return 'hidden';
}

function catalogInfo(name: string, owner: string, comment: string | undefined, browseOnly: boolean): object {
  return {
    name, full_name: name, owner, comment, metastore_id: METASTORE_ID, securable_type: 'CATALOG',
    catalog_type: 'MANAGED_CATALOG', browse_only: browseOnly, isolation_mode: 'OPEN', ...AUDIT,
  };
}

function schemaInfo(catalog: string, name: string, owner: string, comment: string | undefined, browseOnly: boolean): object {
  return {
    name, catalog_name: catalog, full_name: `${catalog}.${name}`, owner, comment, metastore_id: METASTORE_ID,
    securable_type: 'SCHEMA', browse_only: browseOnly, ...AUDIT,
  };
}

/** FunctionInfo (source: Go SDK service/catalog (functions)); parameter comments become MCP argument descriptions. */
export function functionInfo(f: FunctionRecord, browseOnly = false): object {
  const full = `${f.catalog}.${f.schema}.${f.name}`;
  return {
    name: f.name, catalog_name: f.catalog, schema_name: f.schema, full_name: full, function_id: `fn-${Buffer.from(full).toString('hex').slice(0, 24)}`,
    comment: f.comment, owner: f.owner, data_type: f.dataType, full_data_type: f.dataType === 'TABLE_TYPE' ? 'TABLE(result STRING)' : f.dataType,
    routine_body: 'SQL', routine_definition: 'SELECT 1', is_deterministic: true, security_type: 'DEFINER', sql_data_access: 'READS_SQL_DATA',
    specific_name: f.name, parameter_style: 'S', is_null_call: false, metastore_id: METASTORE_ID, browse_only: browseOnly,
    input_params: {
      parameters: f.params.map((p, position) => ({
        name: p.name, type_name: p.type, type_text: p.type.toLowerCase(), position, type_json: JSON.stringify({ name: p.name, type: p.type.toLowerCase(), nullable: true, metadata: {} }),
        ...(p.comment ? { comment: p.comment } : {}),
      })),
    },
    ...AUDIT,
  };
}

function requireParams(ctx: Ctx, ...names: string[]): string[] | undefined {
  const vals = names.map((n) => ctx.query.get(n) ?? '');
  const missing = names.find((_, i) => !vals[i]);
  if (missing) {
    badParam(ctx.res, `Missing required field: ${missing}`);
    return undefined;
  }
  return vals;
}

function schemaExists(ctx: Ctx, catalog: string, schema: string): boolean {
  if (!ctx.ws.state.catalogs.some((c) => c.name === catalog)) {
    ucNotFound(ctx, 'CATALOG', catalog);
    return false;
  }
  if (!ctx.ws.state.schemas.some((s) => s.catalog === catalog && s.name === schema)) {
    ucNotFound(ctx, 'SCHEMA', `${catalog}.${schema}`);
    return false;
  }
  return true;
}

function listCatalogs(ctx: Ctx): void {
  const catalogs = ctx.ws.state.catalogs.flatMap((c) => {
    const v = visibility(ctx, 'CATALOG', c.name, 'USE_CATALOG');
    return v === 'hidden' ? [] : [catalogInfo(c.name, c.owner, c.comment, v === 'browse')];
  });
  sendJson(ctx.res, 200, { catalogs });
}

function getCatalog(ctx: Ctx, name: string): void {
  const c = ctx.ws.state.catalogs.find((x) => x.name === name);
  if (!c) return ucNotFound(ctx, 'CATALOG', name);
  const v = visibility(ctx, 'CATALOG', name, 'USE_CATALOG');
  if (v === 'hidden') return permissionDenied(ctx.res, 'USE_CATALOG', 'CATALOG', name);
  sendJson(ctx.res, 200, catalogInfo(c.name, c.owner, c.comment, v === 'browse'));
}

function listSchemas(ctx: Ctx): void {
  const [catalog] = requireParams(ctx, 'catalog_name') ?? [];
  if (catalog === undefined) return;
  if (!ctx.ws.state.catalogs.some((c) => c.name === catalog)) return ucNotFound(ctx, 'CATALOG', catalog);
  if (!includeBrowse(ctx) && denyIfMissing(ctx, useChain(catalog))) return;
  // Without USE_CATALOG nothing inside is usable, at best browsable (include_browse=true).
  const canUseCatalog = hasPrivilege(ctx.ws, ctx.caller!, 'CATALOG', catalog, 'USE_CATALOG');
  const schemas = ctx.ws.state.schemas.filter((s) => s.catalog === catalog).flatMap((s) => {
    const full = `${catalog}.${s.name}`;
    let v = visibility(ctx, 'SCHEMA', full, 'USE_SCHEMA');
    if (!canUseCatalog && v === 'full') v = 'browse';
    return v === 'hidden' ? [] : [schemaInfo(catalog, s.name, s.owner, s.comment, v === 'browse')];
  });
  sendJson(ctx.res, 200, { schemas });
}

function getSchema(ctx: Ctx, full: string): void {
  const [catalog = '', schema = ''] = full.split('.');
  if (!schemaExists(ctx, catalog, schema)) return;
  if (denyIfMissing(ctx, useChain(catalog, schema))) return;
  const s = ctx.ws.state.schemas.find((x) => x.catalog === catalog && x.name === schema)!;
  sendJson(ctx.res, 200, schemaInfo(catalog, schema, s.owner, s.comment, false));
}

function listFunctions(ctx: Ctx): void {
  const [catalog, schema] = requireParams(ctx, 'catalog_name', 'schema_name') ?? [];
  if (catalog === undefined || schema === undefined) return;
  if (!schemaExists(ctx, catalog, schema) || denyIfMissing(ctx, useChain(catalog, schema))) return;
  const functions = ctx.ws.state.functions.filter((f) => f.catalog === catalog && f.schema === schema).flatMap((f) => {
    const v = visibility(ctx, 'FUNCTION', `${catalog}.${schema}.${f.name}`, 'EXECUTE');
    return v === 'hidden' ? [] : [functionInfo(f, v === 'browse')];
  });
  sendJson(ctx.res, 200, { functions });
}

function getFunction(ctx: Ctx, full: string): void {
  const [catalog = '', schema = '', name = ''] = full.split('.');
  const f = ctx.ws.state.functions.find((x) => x.catalog === catalog && x.schema === schema && x.name === name);
  if (!f) return ucNotFound(ctx, 'FUNCTION', full);
  if (denyIfMissing(ctx, [...useChain(catalog, schema), ['FUNCTION', full, 'EXECUTE']])) return;
  sendJson(ctx.res, 200, functionInfo(f));
}

function tableInfo(catalog: string, schema: string, name: string, tableType: string, owner: string, comment?: string): object {
  return {
    name, catalog_name: catalog, schema_name: schema, full_name: `${catalog}.${schema}.${name}`, table_type: tableType,
    data_source_format: 'DELTA', owner, comment, metastore_id: METASTORE_ID, securable_type: 'TABLE', browse_only: false, ...AUDIT,
  };
}

function listTables(ctx: Ctx): void {
  const [catalog, schema] = requireParams(ctx, 'catalog_name', 'schema_name') ?? [];
  if (catalog === undefined || schema === undefined) return;
  if (!schemaExists(ctx, catalog, schema) || denyIfMissing(ctx, useChain(catalog, schema))) return;
  const tables = ctx.ws.state.tables
    .filter((t) => t.catalog === catalog && t.schema === schema && hasPrivilege(ctx.ws, ctx.caller!, 'TABLE', `${catalog}.${schema}.${t.name}`, 'SELECT'))
    .map((t) => tableInfo(t.catalog, t.schema, t.name, t.tableType, t.owner, t.comment));
  sendJson(ctx.res, 200, { tables });
}

function getTable(ctx: Ctx, full: string): void {
  const [catalog = '', schema = '', name = ''] = full.split('.');
  const t = ctx.ws.state.tables.find((x) => x.catalog === catalog && x.schema === schema && x.name === name);
  const isIndex = ctx.ws.state.vectorIndexes.some((i) => i.name === full);
  if (!t && !isIndex) return ucNotFound(ctx, 'TABLE', full);
  if (denyIfMissing(ctx, [...useChain(catalog, schema), ['TABLE', full, 'SELECT']])) return;
  sendJson(ctx.res, 200, t ? tableInfo(catalog, schema, name, t.tableType, t.owner, t.comment) : tableInfo(catalog, schema, name, 'MANAGED', 'admins', 'Vector search index'));
}

function connectionInfo(ctx: Ctx, name: string): object | undefined {
  const c = ctx.ws.state.connections.find((x) => x.name === name);
  if (!c) return undefined;
  return {
    name: c.name, full_name: c.name, connection_type: c.connectionType, owner: c.owner, comment: c.comment,
    options: { host: c.host, port: '443', base_path: '/mcp' }, credential_type: 'OAUTH', read_only: false,
    securable_type: 'CONNECTION', metastore_id: METASTORE_ID, connection_id: `conn-${Buffer.from(c.name).toString('hex').slice(0, 16)}`, ...AUDIT,
  };
}

/** `{type}/{full_name}` → validated securable, or a 400/404 already sent. */
function securable(ctx: Ctx, typeSeg: string, name: string): SecurableType | undefined {
  const type = parseSecurableType(typeSeg);
  if (!type) {
    badParam(ctx.res, `Invalid securable type: ${typeSeg}`);
    return undefined;
  }
  if (ownerOf(ctx.ws.state, type, name) === undefined) {
    ucNotFound(ctx, type, name, false);
    return undefined;
  }
  const mr = ctx.query.get('max_results');
  if (mr !== null && mr !== '') {
    const n = Number(mr);
    // source: https://docs.databricks.com/api/uc-grants/v1: negative or 1..149 is an invalid parameter; 0 = paginated (server-chosen size).
    if (!Number.isInteger(n) || n < 0 || (n >= 1 && n < 150)) {
      badParam(ctx.res, 'max_results must be 0 or at least 150');
      return undefined;
    }
  }
  return type;
}

function permissions(ctx: Ctx, typeSeg: string, name: string, effective: boolean): void {
  const type = securable(ctx, typeSeg, name);
  if (!type) return;
  const principal = ctx.query.get('principal') ?? undefined;
  const privilege_assignments = effective
    ? effectiveAssignments(ctx.ws, type, name, principal)
    : directAssignments(ctx.ws, type, name, principal);
  sendJson(ctx.res, 200, { privilege_assignments });
}

function patchPermissions(ctx: Ctx, typeSeg: string, name: string): void {
  const type = securable(ctx, typeSeg, name);
  if (!type) return;
  if (!hasPrivilege(ctx.ws, ctx.caller!, type, name, 'MANAGE')) return permissionDenied(ctx.res, 'MANAGE', type, name);
  const changes = asRecord(ctx.body).changes;
  if (!Array.isArray(changes)) return badParam(ctx.res, 'changes is required');
  const clean = changes.map(asRecord).map((c) => ({
    principal: String(c.principal ?? ''),
    add: Array.isArray(c.add) ? c.add.map(String) : [],
    remove: Array.isArray(c.remove) ? c.remove.map(String) : [],
  }));
  if (clean.some((c) => !c.principal)) return badParam(ctx.res, 'principal is required');
  applyChanges(ctx.ws.state, type, name, clean);
  sendJson(ctx.res, 200, { privilege_assignments: directAssignments(ctx.ws, type, name) });
}

const UC = '\\/api\\/2\\.1\\/unity-catalog';
const re = (s: string): RegExp => new RegExp(`^${UC}${s}$`);

export const ucRoutes: Route[] = [
  route('GET', re('\\/catalogs'), 'workspace', listCatalogs),
  route('GET', re('\\/catalogs\\/([^/]+)'), 'workspace', (ctx, [n]) => getCatalog(ctx, n!)),
  route('GET', re('\\/schemas'), 'workspace', listSchemas),
  route('GET', re('\\/schemas\\/([^/]+)'), 'workspace', (ctx, [n]) => getSchema(ctx, n!)),
  route('GET', re('\\/functions'), 'workspace', listFunctions),
  route('GET', re('\\/functions\\/([^/]+)'), 'workspace', (ctx, [n]) => getFunction(ctx, n!)),
  route('GET', re('\\/tables'), 'workspace', listTables),
  route('GET', re('\\/tables\\/([^/]+)'), 'workspace', (ctx, [n]) => getTable(ctx, n!)),
  route('GET', re('\\/connections'), 'workspace', (ctx) =>
    sendJson(ctx.res, 200, { connections: ctx.ws.state.connections.map((c) => connectionInfo(ctx, c.name)) })),
  route('GET', re('\\/connections\\/([^/]+)'), 'workspace', (ctx, [n]) => {
    const info = connectionInfo(ctx, n!);
    return info ? sendJson(ctx.res, 200, info) : ucNotFound(ctx, 'CONNECTION', n!);
  }),
  route('GET', re('\\/permissions\\/([^/]+)\\/([^/]+)'), 'workspace', (ctx, [t, n]) => permissions(ctx, t!, n!, false)),
  route('PATCH', re('\\/permissions\\/([^/]+)\\/([^/]+)'), 'workspace', (ctx, [t, n]) => patchPermissions(ctx, t!, n!)),
  route('GET', re('\\/effective-permissions\\/([^/]+)\\/([^/]+)'), 'workspace', (ctx, [t, n]) => permissions(ctx, t!, n!, true)),
];
