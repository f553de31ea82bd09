/**
 * Workspace API families used by add/init/doctor: SCIM Me, Genie, Unity Catalog, Vector
 * Search, SQL warehouses (shapes: Go SDK service/{iam,catalog,dashboards,vectorsearch,sql}). Zod schemas are loose on
 * purpose (`passthrough`-free but optional fields) so new server fields never break us.
 */
import { z } from 'zod';
import type { Api } from './api.js';
import { listAllPages } from './api.js';

const enc = encodeURIComponent;

export const CurrentUser = z.object({
  id: z.string().optional(),
  userName: z.string().optional(),
  displayName: z.string().optional(),
  emails: z.array(z.object({ value: z.string().optional() })).optional(),
  groups: z.array(z.object({ display: z.string().optional(), value: z.string().optional() })).optional(),
});
export type CurrentUser = z.infer<typeof CurrentUser>;

export function userNameOf(u: CurrentUser): string {
  return u.userName ?? u.emails?.[0]?.value ?? u.id ?? 'unknown';
}

export async function getCurrentUser(api: Api): Promise<CurrentUser> {
  return api.get('/api/2.0/preview/scim/v2/Me', { schema: CurrentUser });
}

export const GenieSpace = z.object({
  space_id: z.string(),
  title: z.string().default(''),
  description: z.string().optional(),
  warehouse_id: z.string().optional(),
});
export type GenieSpace = z.infer<typeof GenieSpace>;

export async function getGenieSpace(api: Api, spaceId: string): Promise<GenieSpace> {
  return api.get(`/api/2.0/genie/spaces/${enc(spaceId)}`, {
    schema: GenieSpace,
    // Genie answers 404 RESOURCE_DOES_NOT_EXIST both for "no such space" and "no access" (source: Genie responses observed on real workspaces).
    hint: (e) =>
      e.kind === 'not-found'
        ? `The space ${spaceId} does not exist or you have no access to it: open it in the workspace UI, or ask its owner for CAN RUN (Share → add you).`
        : undefined,
  });
}

export async function listGenieSpaces(api: Api, maxPages = 20): Promise<GenieSpace[]> {
  return listAllPages(async (page_token) => {
    const r = await api.get('/api/2.0/genie/spaces', {
      query: { page_size: 100, page_token },
      schema: z.object({ spaces: z.array(GenieSpace).optional(), next_page_token: z.string().optional().nullable() }),
    });
    return { items: r.spaces ?? [], next: r.next_page_token };
  }, maxPages);
}

const Named = z.object({ name: z.string(), full_name: z.string().optional(), comment: z.string().optional(), browse_only: z.boolean().optional() });
export type UcObject = z.infer<typeof Named>;

export async function getSchema(api: Api, fullName: string): Promise<UcObject> {
  return api.get(`/api/2.1/unity-catalog/schemas/${enc(fullName)}`, { schema: Named });
}
export async function getFunction(api: Api, fullName: string): Promise<UcObject> {
  return api.get(`/api/2.1/unity-catalog/functions/${enc(fullName)}`, { schema: Named });
}
export async function listFunctions(api: Api, catalog: string, schema: string): Promise<UcObject[]> {
  return listAllPages(async (page_token) => {
    const r = await api.get('/api/2.1/unity-catalog/functions', {
      query: { catalog_name: catalog, schema_name: schema, max_results: 0, page_token },
      schema: z.object({ functions: z.array(Named).optional(), next_page_token: z.string().optional().nullable() }),
    });
    return { items: r.functions ?? [], next: r.next_page_token };
  });
}
export async function listSchemas(api: Api, catalog: string): Promise<UcObject[]> {
  return listAllPages(async (page_token) => {
    const r = await api.get('/api/2.1/unity-catalog/schemas', {
      query: { catalog_name: catalog, max_results: 0, page_token },
      schema: z.object({ schemas: z.array(Named).optional(), next_page_token: z.string().optional().nullable() }),
    });
    return { items: r.schemas ?? [], next: r.next_page_token };
  });
}
export async function listCatalogs(api: Api): Promise<UcObject[]> {
  return listAllPages(async (page_token) => {
    const r = await api.get('/api/2.1/unity-catalog/catalogs', {
      query: { max_results: 0, page_token },
      schema: z.object({ catalogs: z.array(Named).optional(), next_page_token: z.string().optional().nullable() }),
    });
    return { items: r.catalogs ?? [], next: r.next_page_token };
  });
}
export async function getConnection(api: Api, name: string): Promise<UcObject> {
  return api.get(`/api/2.1/unity-catalog/connections/${enc(name)}`, { schema: Named });
}

export const Privilege = z.object({ privilege: z.string(), inherited_from_type: z.string().optional(), inherited_from_name: z.string().optional() });
const Assignments = z.object({
  privilege_assignments: z.array(z.object({ principal: z.string().optional(), privileges: z.array(Privilege).optional() })).optional(),
  next_page_token: z.string().optional().nullable(),
});

/** Effective privileges of one principal on a securable (type is case-insensitive on the server). */
export async function getEffectivePrivileges(api: Api, securableType: string, fullName: string, principal: string): Promise<string[]> {
  const r = await api.get(`/api/2.1/unity-catalog/effective-permissions/${enc(securableType.toLowerCase())}/${enc(fullName)}`, {
    query: { principal },
    schema: Assignments,
  });
  return (r.privilege_assignments ?? []).flatMap((a) => (a.privileges ?? []).map((p) => p.privilege.toUpperCase()));
}

export const VectorIndex = z.object({
  name: z.string(),
  endpoint_name: z.string().optional(),
  index_type: z.string().optional(),
  status: z.object({ ready: z.boolean().optional(), message: z.string().optional() }).optional(),
});
export type VectorIndex = z.infer<typeof VectorIndex>;

export async function getVectorIndex(api: Api, fullName: string): Promise<VectorIndex> {
  return api.get(`/api/2.0/vector-search/indexes/${enc(fullName)}`, { schema: VectorIndex });
}

/** There is no "indexes in a schema" call: list endpoints, then indexes per endpoint (source: Go SDK service/vectorsearch). */
export async function listVectorIndexes(api: Api, prefix?: string): Promise<VectorIndex[]> {
  const endpoints = await listAllPages(async (page_token) => {
    const r = await api.get('/api/2.0/vector-search/endpoints', {
      query: { page_token },
      schema: z.object({ endpoints: z.array(z.object({ name: z.string() })).optional(), next_page_token: z.string().optional().nullable() }),
    });
    return { items: r.endpoints ?? [], next: r.next_page_token };
  });
  const perEndpoint = await Promise.all(
    endpoints.map((ep) =>
      listAllPages(async (page_token) => {
        const r = await api.get('/api/2.0/vector-search/indexes', {
          query: { endpoint_name: ep.name, page_token },
          schema: z.object({ vector_indexes: z.array(VectorIndex).optional(), next_page_token: z.string().optional().nullable() }),
        });
        return { items: r.vector_indexes ?? [], next: r.next_page_token };
      }),
    ),
  );
  const all = perEndpoint.flat();
  return prefix ? all.filter((i) => i.name.startsWith(prefix)) : all;
}

export const Warehouse = z.object({ id: z.string(), name: z.string().optional(), state: z.string().optional(), warehouse_type: z.string().optional(), enable_serverless_compute: z.boolean().optional() });
export type Warehouse = z.infer<typeof Warehouse>;

export async function listWarehouses(api: Api): Promise<Warehouse[]> {
  const r = await api.get('/api/2.0/sql/warehouses', { schema: z.object({ warehouses: z.array(Warehouse).optional() }) });
  return r.warehouses ?? [];
}
export async function getWarehouse(api: Api, id: string): Promise<Warehouse> {
  return api.get(`/api/2.0/sql/warehouses/${enc(id)}`, { schema: Warehouse });
}

/** An AI Gateway MCP service (source: breadth.md §4: unity-gateway `databricks.py`). */
export const McpService = z.object({ name: z.string(), full_name: z.string().optional(), comment: z.string().optional() });
export type McpService = z.infer<typeof McpService>;

/** The services under one schema (`parent=schemas/<catalog>.<schema>`, paginated). */
export async function listMcpServices(api: Api, catalog: string, schema: string): Promise<McpService[]> {
  return listAllPages(async (page_token) => {
    const r = await api.get('/api/2.1/unity-catalog/mcp-services', {
      query: { parent: `schemas/${catalog}.${schema}`, page_token },
      schema: z.object({ mcp_services: z.array(McpService).optional(), next_page_token: z.string().optional().nullable() }),
    });
    return { items: r.mcp_services ?? [], next: r.next_page_token };
  });
}

/**
 * One service by full name. Looked up in its schema's listing (the documented call): a single
 * GET by full name is not confirmed. Undefined when the listing does not show it (it does not
 * exist, or this identity cannot see it: listings hide what you cannot use).
 */
export async function findMcpService(api: Api, catalog: string, schema: string, name: string): Promise<McpService | undefined> {
  const all = await listMcpServices(api, catalog, schema);
  return all.find((s) => s.name === name || s.full_name === `${catalog}.${schema}.${name}`);
}

/** A Databricks App (Apps API: `GET /api/2.0/apps/{name}`). */
export const App = z.object({
  name: z.string(),
  url: z.string().optional(),
  description: z.string().optional(),
  app_status: z.object({ state: z.string().optional(), message: z.string().optional() }).optional(),
  compute_status: z.object({ state: z.string().optional(), message: z.string().optional() }).optional(),
});
export type App = z.infer<typeof App>;

export async function getApp(api: Api, name: string): Promise<App> {
  return api.get(`/api/2.0/apps/${enc(name)}`, { schema: App });
}

export async function listApps(api: Api): Promise<App[]> {
  return listAllPages(async (page_token) => {
    const r = await api.get('/api/2.0/apps', {
      query: { page_size: 100, page_token },
      schema: z.object({ apps: z.array(App).optional(), next_page_token: z.string().optional().nullable() }),
    });
    return { items: r.apps ?? [], next: r.next_page_token };
  });
}

/** Whether the app is serving: `app_status.state` RUNNING and `compute_status.state` ACTIVE. */
export function appIsRunning(a: App): boolean {
  return a.app_status?.state === 'RUNNING' && (a.compute_status?.state ?? 'ACTIVE') === 'ACTIVE';
}
