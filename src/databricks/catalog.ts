/**
 * What the workspace offers, for the server pickers: Genie spaces, Vector Search indexes, UC
 * schemas that hold functions, SQL warehouses, UC connections. Listing is best effort: a
 * catalog or schema the user cannot read is skipped, never fatal.
 */
import { z } from 'zod';
import type { Api } from './api.js';
import { listAllPages } from './api.js';
import { listCatalogs, listFunctions, listMcpServices, listSchemas, type McpService } from './workspace.js';

export interface FunctionSchema {
  fullName: string;
  functions: string[];
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

// Bounds so a workspace with thousands of schemas answers in seconds; `--functions c.s` reaches the rest.
const MAX_CATALOGS = 25;
const MAX_SCHEMAS = 200;

/** Schemas (catalog.schema) that hold at least one function the user can see. */
export async function listFunctionSchemas(api: Api): Promise<FunctionSchema[]> {
  const catalogs = (await listCatalogs(api).catch(() => [])).slice(0, MAX_CATALOGS);
  const schemas = (
    await mapLimit(catalogs, 5, async (c) => (await listSchemas(api, c.name).catch(() => [])).map((s) => ({ catalog: c.name, schema: s.name })))
  )
    .flat()
    .filter((s) => s.schema !== 'information_schema')
    .slice(0, MAX_SCHEMAS);
  const withFns = await mapLimit(schemas, 8, async (s) => ({
    fullName: `${s.catalog}.${s.schema}`,
    functions: (await listFunctions(api, s.catalog, s.schema).catch(() => [])).map((f) => f.name),
  }));
  return withFns.filter((s) => s.functions.length > 0);
}

const Connection = z.object({ name: z.string(), connection_type: z.string().optional(), comment: z.string().optional() });
export type Connection = z.infer<typeof Connection>;

/** UC connections (external MCP servers go through one). */
export async function listConnections(api: Api): Promise<Connection[]> {
  return listAllPages(async (page_token) => {
    const r = await api.get('/api/2.1/unity-catalog/connections', {
      query: { max_results: 0, page_token },
      schema: z.object({ connections: z.array(Connection).optional(), next_page_token: z.string().optional().nullable() }),
    });
    return { items: r.connections ?? [], next: r.next_page_token };
  });
}

/** Case-insensitive match of every word of `query` against the text. */
export function matchesSearch(text: string, query: string): boolean {
  const hay = text.toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

/** The AI Gateway MCP services of `system.ai` and of every schema this identity can see (a schema it cannot list is left out). */
export async function listVisibleMcpServices(api: Api): Promise<McpService[]> {
  const catalogs = await listCatalogs(api).catch(() => []);
  const schemas = (await Promise.all(catalogs.filter((c) => c.name !== 'system').map((c) => listSchemas(api, c.name).then((ss) => ss.map((s) => [c.name, s.name] as const), () => [])))).flat();
  const lists = await Promise.all([['system', 'ai'] as const, ...schemas].map(([c, s]) => listMcpServices(api, c, s).then((l) => l.map((x) => ({ ...x, full_name: x.full_name ?? `${c}.${s}.${x.name}` })), () => [])));
  return lists.flat();
}
