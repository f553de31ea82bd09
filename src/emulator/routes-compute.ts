/**
 * Vector Search (source: Go SDK service/vectorsearch) and SQL warehouses (source: Go SDK service/sql). Warehouses are listed only when the
 * caller has an ACL entry (UNCONFIRMED exact filter in the reference; this is the plausible one).
 */
import { badParam, intParam, notFound, paginate, sendJson, type Ctx } from './http-util.js';
import { aclLevel, objectPermissions } from './routes-genie.js';
import { route, type Route } from './router.js';
import type { VectorIndexRecord, VsEndpointRecord, WarehouseRecord } from './types.js';

const CREATED = 1746100800000;

function endpointJson(ctx: Ctx, e: VsEndpointRecord): object {
  return {
    name: e.name, id: e.id, endpoint_type: e.endpointType,
    endpoint_status: { state: e.state, message: e.state === 'ONLINE' ? 'Endpoint is ready' : '' },
    num_indexes: ctx.ws.state.vectorIndexes.filter((i) => i.endpointName === e.name).length,
    creator: 'admin@example.com', creation_timestamp: CREATED, last_updated_timestamp: CREATED, last_updated_user: 'admin@example.com',
  };
}

function indexSummary(i: VectorIndexRecord): object {
  return { name: i.name, endpoint_name: i.endpointName, index_type: i.indexType, primary_key: i.primaryKey, creator: i.creator, index_subtype: 'VECTOR' };
}

function indexJson(ctx: Ctx, i: VectorIndexRecord): object {
  return {
    ...indexSummary(i),
    status: {
      ready: i.ready,
      indexed_row_count: i.ready ? i.indexedRowCount : 0,
      message: i.ready ? 'Index is ready' : 'Index is being provisioned: initial sync in progress',
      index_url: `${ctx.ws.baseUrl().replace(/^http:\/\//, '')}/api/2.0/vector-search/endpoints/${i.endpointName}/indexes/${i.name}`,
    },
    delta_sync_index_spec: {
      source_table: i.sourceTable,
      pipeline_type: 'TRIGGERED',
      embedding_source_columns: [{ name: 'content', embedding_model_endpoint_name: i.embeddingModelEndpoint }],
      columns_to_sync: ['id', 'content', 'url'],
    },
  };
}

function warehouseJson(ctx: Ctx, w: WarehouseRecord): object {
  const host = ctx.ws.baseUrl().replace(/^http:\/\//, '');
  return {
    id: w.id, name: w.name, state: w.state, warehouse_type: w.warehouseType, enable_serverless_compute: w.serverless,
    cluster_size: w.clusterSize, auto_stop_mins: w.serverless ? 10 : 45, min_num_clusters: 1, max_num_clusters: 1,
    num_clusters: w.state === 'RUNNING' ? 1 : 0, num_active_sessions: 0, creator_name: w.creatorName, enable_photon: true,
    spot_instance_policy: 'COST_OPTIMIZED', channel: { name: 'CHANNEL_NAME_CURRENT' },
    health: { status: 'HEALTHY' }, tags: {},
    jdbc_url: `jdbc:databricks://${host}:443/default;transportMode=http;ssl=1;AuthMech=3;httpPath=/sql/1.0/warehouses/${w.id};`,
    odbc_params: { hostname: host, path: `/sql/1.0/warehouses/${w.id}`, protocol: 'https', port: 443 },
  };
}

function visibleWarehouse(ctx: Ctx, id: string): WarehouseRecord | undefined {
  const w = ctx.ws.state.warehouses.find((x) => x.id === id);
  return w && aclLevel(w.acl, ctx.caller!) !== undefined ? w : undefined;
}

export const computeRoutes: Route[] = [
  route('GET', /^\/api\/2\.0\/vector-search\/endpoints$/, 'workspace', (ctx) => {
    sendJson(ctx.res, 200, { endpoints: ctx.ws.state.vsEndpoints.map((e) => endpointJson(ctx, e)) });
  }),
  route('GET', /^\/api\/2\.0\/vector-search\/endpoints\/([^/]+)$/, 'workspace', (ctx, [name]) => {
    const e = ctx.ws.state.vsEndpoints.find((x) => x.name === name);
    return e ? sendJson(ctx.res, 200, endpointJson(ctx, e)) : notFound(ctx.res, `Vector search endpoint ${name} not found.`);
  }),
  route('GET', /^\/api\/2\.0\/vector-search\/indexes$/, 'workspace', (ctx) => {
    const ep = ctx.query.get('endpoint_name');
    // endpoint_name is required (source: Go SDK service/vectorsearch).
    if (!ep) return badParam(ctx.res, 'endpoint_name is required');
    if (!ctx.ws.state.vsEndpoints.some((e) => e.name === ep)) return notFound(ctx.res, `Vector search endpoint ${ep} not found.`);
    const all = ctx.ws.state.vectorIndexes.filter((i) => i.endpointName === ep);
    const { page, next } = paginate(all, 100, ctx.query.get('page_token'));
    sendJson(ctx.res, 200, { vector_indexes: page.map(indexSummary), ...(next ? { next_page_token: next } : {}) });
  }),
  route('GET', /^\/api\/2\.0\/vector-search\/indexes\/([^/]+)$/, 'workspace', (ctx, [name]) => {
    const i = ctx.ws.state.vectorIndexes.find((x) => x.name === name);
    return i ? sendJson(ctx.res, 200, indexJson(ctx, i)) : notFound(ctx.res, `Vector index ${name} does not exist.`);
  }),
  route('GET', /^\/api\/2\.0\/sql\/warehouses$/, 'workspace', (ctx) => {
    const visible = ctx.ws.state.warehouses.filter((w) => aclLevel(w.acl, ctx.caller!) !== undefined);
    const { page, next } = paginate(visible, intParam(ctx.query, 'page_size', 100, 1000), ctx.query.get('page_token'));
    sendJson(ctx.res, 200, { warehouses: page.map((w) => warehouseJson(ctx, w)), ...(next ? { next_page_token: next } : {}) });
  }),
  route('GET', /^\/api\/2\.0\/sql\/warehouses\/([^/]+)$/, 'workspace', (ctx, [id]) => {
    const w = visibleWarehouse(ctx, id!);
    return w ? sendJson(ctx.res, 200, warehouseJson(ctx, w)) : notFound(ctx.res, `Warehouse ${id} does not exist.`);
  }),
  route('GET', /^\/api\/2\.0\/permissions\/(?:sql\/)?warehouses\/([^/]+)$/, 'workspace', (ctx, [id]) => {
    const w = visibleWarehouse(ctx, id!);
    if (!w) return notFound(ctx.res, `Warehouse ${id} does not exist.`);
    sendJson(ctx.res, 200, objectPermissions(ctx.ws.state, `/sql/warehouses/${w.id}`, 'warehouses', w.acl));
  }),
];
