/**
 * Default seed of the fake workspace.
 *
 * Identity
 * - Workspace id `1234567890123456` (sent as `X-Databricks-Org-Id` on SCIM Me), account id
 *   `0d26daa6-5e44-4c97-a497-ef015f91254a`.
 * - `jane@example.com` ("Jane Doe", SCIM id `6132417231937865`), member of group `data-team`,
 *   account admin, PAT `DEMO_PAT`. She is also the user "signed in to the browser" for
 *   `/oidc/v1/authorize`.
 * - `bob@example.com` ("Bob Lee"), in no groups (SCIM Me omits `groups`), no grants, not an
 *   account admin, PAT `DEMO_PAT_NO_GROUPS`.
 * - `admin@example.com` ("Ada Admin", group `admins`, owner of all UC objects, account admin),
 *   PAT `DEMO_ADMIN_PAT`: use it to PATCH grants like a real admin would.
 * - Service principal `DEMO_SP_CLIENT_ID` / `DEMO_SP_CLIENT_SECRET` ("demo-m2m"), in
 *   `data-team`, account admin; gets tokens with `client_credentials`.
 *
 * Unity Catalog (owner of everything: group `admins`)
 * - catalog `main`: `account users` has BROWSE; `data-team` has USE_CATALOG.
 * - `main.tools`: functions `lookup_customer(id STRING)` and `refund_order(order_id STRING,
 *   amount DOUBLE, reason STRING)`; `data-team` has USE_SCHEMA + EXECUTE on the schema, and jane
 *   has EXECUTE directly on `lookup_customer` too.
 * - `main.docs`: table `product_docs_source`, vector index `main.docs.product_docs` on endpoint
 *   `vs-endpoint-1` (ready); jane has USE_SCHEMA + SELECT on the schema directly.
 * - `main.sales`: table `orders` (read by the Genie spaces); `data-team` USE_SCHEMA + SELECT.
 * - `main.restricted`: function `delete_customer`; jane/data-team have nothing here (no
 *   USE_SCHEMA, no EXECUTE) — the "something she lacks".
 * - connection `github_conn` (external MCP); `data-team` has USE_CONNECTION.
 *
 * Genie spaces (`DEMO_GENIE_SPACES`): "Sales Analytics" (jane CAN_RUN), "Support Tickets"
 * (data-team CAN_RUN), "Finance Forecasts" (admins only: jane gets 404).
 * SQL warehouses: `abcdef1234567890` "Serverless Starter Warehouse" (RUNNING, PRO, serverless)
 * and `0123456789abcdef` "Classic Reporting" (STOPPED, CLASSIC); data-team CAN_USE both.
 * OAuth published apps: `databricks-cli`, `claude-code`, `cursor-desktop` (source: Go SDK service/oauth2 published app integrations).
 * Custom app integrations: none (use `seedCustomAppIntegrations(n)` for paging tests).
 * IP access lists: one disabled ALLOW list; `enableIpAccessLists` = "false".
 */
import { FIXTURE_ISSUER, GITHUB_ISSUER, GITHUB_SUBJECT } from './federation.js';
import type { CustomAppIntegrationRecord, WorkspaceState } from './types.js';

export const DEMO_WORKSPACE_ID = '1234567890123456';
export const DEMO_ACCOUNT_ID = '0d26daa6-5e44-4c97-a497-ef015f91254a';
export const DEMO_USER = 'jane@example.com';
export const DEMO_USER_ID = '6132417231937865';
/** Valid PAT of `DEMO_USER` (`dapi` + 32 hex, like a real one). */
export const DEMO_PAT = 'dapi5e1f0c6a9b2d4e8f7a6b5c4d3e2f1a0b';
export const DEMO_USER_NO_GROUPS = 'bob@example.com';
/** Workspace admin (group `admins`, owner of every UC object): may PATCH grants. */
export const DEMO_ADMIN = 'admin@example.com';
export const DEMO_ADMIN_PAT = 'dapiadadadadadadadadadadadadadadadad';
export const DEMO_PAT_NO_GROUPS = 'dapib0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0';
export const DEMO_GROUP = 'data-team';
/** M2M service principal (application id = OAuth client id). */
export const DEMO_SP_CLIENT_ID = 'c0ffee00-1111-4222-8333-444455556666';
/** Real Databricks OAuth secrets start with `dose`. */
export const DEMO_SP_CLIENT_SECRET = 'dose0123456789abcdef0123456789abcdef';
export const DEMO_WAREHOUSE_ID = 'abcdef1234567890';
export const DEMO_GENIE_SPACES = {
  sales: '01ef34712a29169db030324fd0e1df5f',
  support: '01ef5a9c3b7d4e2f8a1b6c0d9e8f7a6b',
  /** jane has no access: GET gives 404 RESOURCE_DOES_NOT_EXIST. */
  finance: '01ef9e8d7c6b5a4f3e2d1c0b9a8f7e6d',
} as const;
export const DEMO_VS_ENDPOINT = 'vs-endpoint-1';
export const DEMO_VECTOR_INDEX = 'main.docs.product_docs';
export const DEMO_CONNECTION = 'github_conn';
/** AI Gateway MCP services: built-ins under `system.ai` (visible to everyone) and one in `main.tools`. */
export const DEMO_MCP_SERVICES = { genieOne: 'system.ai.genie_one_mcp', dbsql: 'system.ai.dbsql', github: 'system.ai.github', crm: 'main.tools.crm_mcp' } as const;
/** Databricks Apps: running with CAN_USE for data-team, stopped, and one only admins may use. */
export const DEMO_APPS = { sales: 'mcp-sales', stopped: 'mcp-hr', private: 'mcp-private' } as const;

const T0 = '2026-05-01T12:00:00Z';
const T1 = '2026-06-01T12:00:00Z';

/** A fresh copy of the default state (never shared between servers). */
export function defaultState(): WorkspaceState {
  return {
    users: [
      {
        id: DEMO_USER_ID, userName: DEMO_USER, displayName: 'Jane Doe', givenName: 'Jane', familyName: 'Doe',
        groups: [DEMO_GROUP], entitlements: ['workspace-access', 'databricks-sql-access'], active: true, accountAdmin: true,
      },
      {
        id: '7243528342048976', userName: DEMO_USER_NO_GROUPS, displayName: 'Bob Lee', givenName: 'Bob', familyName: 'Lee',
        groups: [], entitlements: ['workspace-access'], active: true, accountAdmin: false,
      },
      {
        id: '4567890123456789', userName: DEMO_ADMIN, displayName: 'Ada Admin', givenName: 'Ada', familyName: 'Admin',
        groups: ['admins'], entitlements: ['workspace-access', 'databricks-sql-access'], active: true, accountAdmin: true,
      },
    ],
    groups: [
      { id: '1234', displayName: 'admins' },
      { id: '5678', displayName: DEMO_GROUP },
    ],
    servicePrincipals: [
      {
        id: '8354639453159087', applicationId: DEMO_SP_CLIENT_ID, displayName: 'demo-m2m',
        clientSecret: DEMO_SP_CLIENT_SECRET, groups: [DEMO_GROUP], accountAdmin: true,
        federationPolicies: [{ issuer: GITHUB_ISSUER, subject: GITHUB_SUBJECT }, { issuer: FIXTURE_ISSUER }],
      },
    ],
    tokens: {
      [DEMO_PAT]: { principal: DEMO_USER, kind: 'pat', audience: 'workspace' },
      [DEMO_PAT_NO_GROUPS]: { principal: DEMO_USER_NO_GROUPS, kind: 'pat', audience: 'workspace' },
      [DEMO_ADMIN_PAT]: { principal: DEMO_ADMIN, kind: 'pat', audience: 'workspace' },
    },
    catalogs: [{ name: 'main', owner: 'admins', comment: 'Main catalog' }],
    schemas: [
      { catalog: 'main', name: 'tools', owner: 'admins', comment: 'Agent tools (UC functions)' },
      { catalog: 'main', name: 'docs', owner: 'admins', comment: 'Product documentation' },
      { catalog: 'main', name: 'sales', owner: 'admins', comment: 'Sales data' },
      { catalog: 'main', name: 'restricted', owner: 'admins', comment: 'Admins only' },
    ],
    functions: [
      {
        catalog: 'main', schema: 'tools', name: 'lookup_customer', comment: 'Look up a customer by id',
        params: [{ name: 'id', type: 'STRING', comment: 'customer id' }], dataType: 'TABLE_TYPE', owner: 'admins',
      },
      {
        catalog: 'main', schema: 'tools', name: 'refund_order', comment: 'Refund an order, fully or partially',
        params: [
          { name: 'order_id', type: 'STRING', comment: 'order id' },
          { name: 'amount', type: 'DOUBLE', comment: 'amount to refund in USD' },
          { name: 'reason', type: 'STRING', comment: 'why the refund is issued' },
        ],
        dataType: 'STRING', owner: 'admins',
      },
      {
        catalog: 'main', schema: 'restricted', name: 'delete_customer', comment: 'Delete a customer (admins only)',
        params: [{ name: 'id', type: 'STRING', comment: 'customer id' }], dataType: 'STRING', owner: 'admins',
      },
    ],
    tables: [
      { catalog: 'main', schema: 'docs', name: 'product_docs_source', tableType: 'MANAGED', owner: 'admins', comment: 'Docs chunks' },
      { catalog: 'main', schema: 'sales', name: 'orders', tableType: 'MANAGED', owner: 'admins', comment: 'Orders' },
    ],
    vsEndpoints: [{ name: DEMO_VS_ENDPOINT, id: '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f', endpointType: 'STANDARD', state: 'ONLINE' }],
    vectorIndexes: [
      {
        name: DEMO_VECTOR_INDEX, endpointName: DEMO_VS_ENDPOINT, indexType: 'DELTA_SYNC', primaryKey: 'id', ready: true,
        indexedRowCount: 1280, sourceTable: 'main.docs.product_docs_source', embeddingModelEndpoint: 'databricks-gte-large-en',
        creator: DEMO_USER,
      },
    ],
    genieSpaces: [
      {
        space_id: DEMO_GENIE_SPACES.sales, title: 'Sales Analytics', description: 'Ask about orders and revenue',
        warehouse_id: DEMO_WAREHOUSE_ID, parent_path: `/Workspace/Users/${DEMO_USER}`, create_time: T0, update_time: T1,
        acl: [{ user_name: DEMO_USER, permission_level: 'CAN_RUN' }, { group_name: 'admins', permission_level: 'CAN_MANAGE' }],
      },
      {
        space_id: DEMO_GENIE_SPACES.support, title: 'Support Tickets', description: 'Ticket volumes and SLAs',
        warehouse_id: DEMO_WAREHOUSE_ID, parent_path: '/Workspace/Shared', create_time: T0, update_time: T1,
        acl: [{ group_name: DEMO_GROUP, permission_level: 'CAN_RUN' }, { group_name: 'admins', permission_level: 'CAN_MANAGE' }],
      },
      {
        space_id: DEMO_GENIE_SPACES.finance, title: 'Finance Forecasts', description: 'Board-level forecasts',
        warehouse_id: DEMO_WAREHOUSE_ID, parent_path: '/Workspace/Finance', create_time: T0, update_time: T1,
        acl: [{ group_name: 'admins', permission_level: 'CAN_MANAGE' }],
      },
    ],
    warehouses: [
      {
        id: DEMO_WAREHOUSE_ID, name: 'Serverless Starter Warehouse', state: 'RUNNING', warehouseType: 'PRO', serverless: true,
        clusterSize: 'Small', creatorName: 'admin@example.com',
        acl: [{ group_name: DEMO_GROUP, permission_level: 'CAN_USE' }, { group_name: 'admins', permission_level: 'CAN_MANAGE' }],
      },
      {
        id: '0123456789abcdef', name: 'Classic Reporting', state: 'STOPPED', warehouseType: 'CLASSIC', serverless: false,
        clusterSize: 'Medium', creatorName: 'admin@example.com',
        acl: [{ group_name: DEMO_GROUP, permission_level: 'CAN_USE' }, { group_name: 'admins', permission_level: 'CAN_MANAGE' }],
      },
    ],
    connections: [
      { name: DEMO_CONNECTION, connectionType: 'HTTP', owner: 'admins', comment: 'GitHub MCP server', host: 'https://api.githubcopilot.com' },
    ],
    mcpServices: [
      { catalog: 'system', schema: 'ai', name: 'genie_one_mcp', comment: 'Genie One: ask questions across your Genie spaces' },
      { catalog: 'system', schema: 'ai', name: 'dbsql', comment: 'Run SQL on a warehouse' },
      { catalog: 'system', schema: 'ai', name: 'github', comment: 'GitHub through a UC connection' },
      { catalog: 'main', schema: 'tools', name: 'crm_mcp', comment: 'CRM tools' },
    ],
    apps: [
      { name: DEMO_APPS.sales, description: 'Sales MCP server', appState: 'RUNNING', computeState: 'ACTIVE', acl: [{ group_name: DEMO_GROUP, permission_level: 'CAN_USE' }, { group_name: 'admins', permission_level: 'CAN_MANAGE' }] },
      { name: DEMO_APPS.stopped, description: 'HR MCP server', appState: 'UNAVAILABLE', computeState: 'STOPPED', acl: [{ group_name: DEMO_GROUP, permission_level: 'CAN_USE' }, { group_name: 'admins', permission_level: 'CAN_MANAGE' }] },
      { name: DEMO_APPS.private, description: 'Admins only', appState: 'RUNNING', computeState: 'ACTIVE', acl: [{ group_name: 'admins', permission_level: 'CAN_MANAGE' }] },
    ],
    grants: [
      { type: 'CATALOG', name: 'main', principal: 'account users', privileges: ['BROWSE'] },
      { type: 'CATALOG', name: 'main', principal: DEMO_GROUP, privileges: ['USE_CATALOG'] },
      { type: 'SCHEMA', name: 'main.tools', principal: DEMO_GROUP, privileges: ['USE_SCHEMA', 'EXECUTE'] },
      { type: 'FUNCTION', name: 'main.tools.lookup_customer', principal: DEMO_USER, privileges: ['EXECUTE'] },
      { type: 'SCHEMA', name: 'main.docs', principal: DEMO_USER, privileges: ['USE_SCHEMA', 'SELECT'] },
      { type: 'SCHEMA', name: 'main.sales', principal: DEMO_GROUP, privileges: ['USE_SCHEMA', 'SELECT'] },
      { type: 'CONNECTION', name: DEMO_CONNECTION, principal: DEMO_GROUP, privileges: ['USE_CONNECTION'] },
    ],
    publishedApps: [
      {
        app_id: 'databricks-cli', client_id: 'databricks-cli', name: 'Databricks CLI', description: 'Databricks CLI and SDKs',
        is_confidential_client: false, redirect_urls: ['http://localhost:8020'], scopes: ['all-apis', 'offline_access'],
      },
      {
        app_id: 'claude-code', client_id: 'claude-code', name: 'Claude Code', description: 'Anthropic Claude Code',
        is_confidential_client: false, redirect_urls: ['http://localhost:3118/callback', 'http://127.0.0.1:3118/callback'],
        scopes: ['all-apis', 'offline_access'],
      },
      {
        app_id: 'cursor-desktop', client_id: 'cursor-desktop', name: 'Cursor', description: 'Cursor desktop',
        is_confidential_client: false, redirect_urls: ['http://localhost:8787/callback'], scopes: ['all-apis', 'offline_access'],
      },
    ],
    customAppIntegrations: [],
    ipAccessLists: [
      {
        list_id: '5a1b2c3d-0000-4000-8000-00000000a11c', label: 'office', list_type: 'ALLOW',
        ip_addresses: ['203.0.113.0/24'], enabled: false,
        created_at: 1754000000000, created_by: 1234, updated_at: 1754000000000, updated_by: 1234,
      },
    ],
    workspaceConf: { enableIpAccessLists: 'false' },
    browserUser: DEMO_USER,
  };
}

/**
 * Builds `count` custom app integrations (for paging tests: the list page size defaults to
 * 100 in the emulator, so seed e.g. 150, or pass `page_size`). Every third one is confidential.
 */
export function seedCustomAppIntegrations(count: number, namePrefix = 'app'): CustomAppIntegrationRecord[] {
  return Array.from({ length: Math.max(0, Math.min(count, 10_000)) }, (_, i) => {
    const n = String(i).padStart(4, '0');
    return {
      integration_id: `00000000-0000-4000-8000-00000000${n}`,
      client_id: `11111111-0000-4000-8000-00000000${n}`,
      name: `${namePrefix}-${n}`,
      redirect_urls: ['http://localhost:8787/callback'],
      confidential: i % 3 === 0,
      scopes: ['all-apis'],
      token_access_policy: { access_token_ttl_in_minutes: 60, refresh_token_ttl_in_minutes: 10080 },
      create_time: '2026-08-01T10:00:00.000Z',
      created_by: 4567890123456789,
      creator_username: 'admin@example.com',
    };
  });
}

/** Default state with the seed's top-level keys replacing the defaults (arrays are not merged). */
export function createState(seed: Partial<WorkspaceState> = {}): WorkspaceState {
  const base = defaultState();
  const merged = { ...base, ...seed };
  // Structured clone so a seed object reused across servers is never mutated by one of them.
  return structuredClone(merged);
}
