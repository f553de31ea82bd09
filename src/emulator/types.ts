/**
 * Data model of the fake workspace. Everything here is plain, JSON-like data so tests can
 * read and mutate `ws.state` directly between requests (the server reads it on every request,
 * nothing is cached). Field names mirror the Databricks wire names where the record is served
 * as-is, and are camelCase where the route handler reshapes them.
 */

/** UC securable types the emulator knows (wire form is upper case; paths are matched case-insensitively, source: https://docs.databricks.com/api/uc-grants/v1). */
export type SecurableType = 'CATALOG' | 'SCHEMA' | 'FUNCTION' | 'TABLE' | 'CONNECTION';

export interface UserRecord {
  /** SCIM id (numeric string). */
  id: string;
  userName: string;
  displayName: string;
  givenName?: string;
  familyName?: string;
  /** Group display names. Empty ⇒ SCIM Me omits `groups` entirely (source: Go SDK service/iam (SCIM Me)). */
  groups: string[];
  entitlements: string[];
  active: boolean;
  /** May call the account API (source: Go SDK service/oauth2/model.go); see routes-account.ts. */
  accountAdmin: boolean;
}

export interface GroupRecord {
  id: string;
  displayName: string;
}

/** An M2M service principal: gets tokens with `client_credentials` (source: Go SDK config/auth_m2m.go). */
export interface ServicePrincipalRecord {
  id: string;
  /** Also the OAuth client id and the UC principal name. */
  applicationId: string;
  displayName: string;
  clientSecret: string;
  groups: string[];
  accountAdmin: boolean;
  /** Workload identity federation: the ID tokens it accepts in a token exchange (federation.ts). */
  federationPolicies?: FederationPolicy[];
}

/** A service principal federation policy: the issuer (and subject) it trusts; `audiences` defaults to the token endpoint / account id. */
export interface FederationPolicy {
  issuer: string;
  subject?: string;
  audiences?: string[];
}

/** A bearer token the server accepts. Keyed by the token value in `WorkspaceState.tokens`. */
export interface TokenRecord {
  /** userName of a user or applicationId of a service principal. */
  principal: string;
  kind: 'pat' | 'oauth';
  /**
   * `account` tokens come from `/oidc/accounts/{id}/v1/token`; on workspace routes they get
   * 403 "Invalid access to Org: <id>" (source: responses observed on real workspaces).
   */
  audience: 'workspace' | 'account';
  /** Epoch ms; past ⇒ 403 "Invalid access token." (expired OAuth tokens are 403, not 401: source: responses observed on real workspaces). */
  expiresAt?: number;
  revoked?: boolean;
  scope?: string;
}

export interface CatalogRecord {
  name: string;
  owner: string;
  comment?: string;
}

export interface SchemaRecord {
  catalog: string;
  name: string;
  owner: string;
  comment?: string;
}

export interface FunctionParam {
  name: string;
  type: 'STRING' | 'INT' | 'LONG' | 'DOUBLE' | 'BOOLEAN';
  comment?: string;
}

export interface FunctionRecord {
  catalog: string;
  schema: string;
  name: string;
  comment?: string;
  params: FunctionParam[];
  /** e.g. `STRING` or `TABLE_TYPE`. */
  dataType: string;
  owner: string;
}

export interface TableRecord {
  catalog: string;
  schema: string;
  name: string;
  tableType: 'MANAGED' | 'EXTERNAL' | 'VIEW';
  owner: string;
  comment?: string;
}

export interface VsEndpointRecord {
  name: string;
  id: string;
  endpointType: 'STANDARD' | 'STORAGE_OPTIMIZED';
  state: 'ONLINE' | 'OFFLINE' | 'PROVISIONING';
}

/** A vector index; also a UC `TABLE` securable for grants (source: Go SDK service/vectorsearch). */
export interface VectorIndexRecord {
  /** Full UC name `catalog.schema.index`. */
  name: string;
  endpointName: string;
  indexType: 'DELTA_SYNC' | 'DIRECT_ACCESS';
  primaryKey: string;
  ready: boolean;
  indexedRowCount: number;
  sourceTable: string;
  embeddingModelEndpoint: string;
  creator: string;
}

/** One Permissions-API ACL entry (source: Go SDK service/iam (Permissions API); Go SDK service/sql). Exactly one of the principal fields is set. */
export interface AclEntry {
  user_name?: string;
  group_name?: string;
  service_principal_name?: string;
  permission_level: string;
}

export interface GenieSpaceRecord {
  /** 32 hex chars (source: https://docs.databricks.com/api/genie/v1/genie-space.md). */
  space_id: string;
  title: string;
  description?: string;
  warehouse_id: string;
  parent_path: string;
  create_time: string;
  update_time: string;
  /** Who may see/run the space; no matching entry ⇒ 404 (source: Genie responses observed on real workspaces). */
  acl: AclEntry[];
}

export interface WarehouseRecord {
  id: string;
  name: string;
  state: 'RUNNING' | 'STARTING' | 'STOPPED' | 'STOPPING' | 'DELETED' | 'DELETING';
  warehouseType: 'PRO' | 'CLASSIC';
  serverless: boolean;
  clusterSize: string;
  creatorName: string;
  acl: AclEntry[];
}

/** UC connection used by external MCP servers (source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp). */
export interface ConnectionRecord {
  name: string;
  connectionType: string;
  owner: string;
  comment?: string;
  host: string;
}

/** An AI Gateway MCP service (`<catalog>.<schema>.<name>`, source: breadth.md §4; the list API is ✅, the single GET 🟡). */
export interface McpServiceRecord {
  catalog: string;
  schema: string;
  name: string;
  comment?: string;
}

/** A Databricks App (source: Apps API `GET /api/2.0/apps/{name}`); its MCP endpoint is `<url>/mcp` on the apps server. */
export interface AppRecord {
  name: string;
  description?: string;
  /** `app_status.state`. */
  appState: 'RUNNING' | 'DEPLOYING' | 'CRASHED' | 'UNAVAILABLE';
  /** `compute_status.state`. */
  computeState: 'ACTIVE' | 'STARTING' | 'STOPPED' | 'STOPPING' | 'ERROR';
  acl: AclEntry[];
}

/** A direct UC grant: `principal` holds `privileges` on `type`/`name`. */
export interface GrantRecord {
  type: SecurableType;
  /** Full name, e.g. `main`, `main.tools`, `main.tools.lookup_customer`. */
  name: string;
  principal: string;
  privileges: string[];
}

/** Databricks-registered public OAuth client (source: Go SDK service/oauth2 published app integrations). */
export interface PublishedAppRecord {
  app_id: string;
  client_id: string;
  name: string;
  description: string;
  is_confidential_client: false;
  redirect_urls: string[];
  scopes: string[];
}

export interface TokenAccessPolicy {
  access_token_ttl_in_minutes?: number;
  refresh_token_ttl_in_minutes?: number;
  enable_single_use_refresh_tokens?: boolean;
  absolute_session_lifetime_in_minutes?: number;
}

/** Account-level custom OAuth app integration (source: Go SDK service/oauth2/model.go). `client_secret` is never served after create. */
export interface CustomAppIntegrationRecord {
  integration_id: string;
  client_id: string;
  client_secret?: string;
  name: string;
  redirect_urls: string[];
  confidential: boolean;
  scopes: string[];
  user_authorized_scopes?: string[];
  token_access_policy?: TokenAccessPolicy;
  create_time: string;
  created_by: number;
  creator_username: string;
}

/** Workspace IP access list (source: Go SDK service/settings/impl.go). */
export interface IpAccessListRecord {
  list_id: string;
  label: string;
  list_type: 'ALLOW' | 'BLOCK';
  ip_addresses: string[];
  enabled: boolean;
  created_at: number;
  created_by: number;
  updated_at: number;
  updated_by: number;
}

/** The whole mutable state. Seeds replace whole top-level keys (see seed.ts). */
export interface WorkspaceState {
  users: UserRecord[];
  groups: GroupRecord[];
  servicePrincipals: ServicePrincipalRecord[];
  tokens: Record<string, TokenRecord>;
  catalogs: CatalogRecord[];
  schemas: SchemaRecord[];
  functions: FunctionRecord[];
  tables: TableRecord[];
  vsEndpoints: VsEndpointRecord[];
  vectorIndexes: VectorIndexRecord[];
  genieSpaces: GenieSpaceRecord[];
  warehouses: WarehouseRecord[];
  connections: ConnectionRecord[];
  mcpServices: McpServiceRecord[];
  apps: AppRecord[];
  grants: GrantRecord[];
  publishedApps: PublishedAppRecord[];
  customAppIntegrations: CustomAppIntegrationRecord[];
  ipAccessLists: IpAccessListRecord[];
  /** `workspace-conf` key/values; values are strings on the wire (source: Go SDK service/settings/impl.go). */
  workspaceConf: Record<string, string>;
  /** The user "signed in to the browser": `/oidc/v1/authorize` issues codes for them. */
  browserUser: string;
}

/** One received request as recorded in `ws.requests`. Secrets are redacted. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case names; `authorization` becomes `Bearer ***` / `Basic ***`. */
  headers: Record<string, string>;
  /** Parsed JSON, parsed form (secrets redacted), text, or undefined when empty. */
  body: unknown;
  /** 0 while in flight or when the connection was dropped without a response. */
  status: number;
  /** Epoch ms when the request arrived. */
  at: number;
  /**
   * Set when the exchange is over: `answered` (the response was sent to the end) or `closed`
   * (the client or the network dropped the connection before that, e.g. a cancelled request).
   */
  outcome?: 'answered' | 'closed';
}
