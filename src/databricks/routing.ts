/**
 * Workspace routing on unified hosts, in one place. A unified host serves an account and many
 * workspaces; a workspace-scoped request names its workspace in `X-Databricks-Workspace-Id`
 * (source: Go SDK v0.175 generated service impls: `if cfg.WorkspaceID != "" { headers[
 * "X-Databricks-Workspace-Id"] = cfg.WorkspaceID }`; CHANGELOG: it replaced `X-Databricks-Org-Id`,
 * which the platform still accepts). The id comes from the profile (`workspace_id`,
 * DATABRICKS_WORKSPACE_ID, a pasted host's `?w=`/`?o=`) or else from host metadata discovery.
 *
 * Every workspace-scoped request dbx-mcp makes takes its headers from `workspaceRouting`: the
 * REST client (api.ts), the MCP handshakes of doctor and init, the proxy's upstream calls, and
 * the header-mode entries `add` writes. Account-scoped calls and token endpoints get none, as
 * in the SDKs. The token rule is unchanged: the unified host is the profile's host.
 */
import { isAccountHost } from './host.js';
import { getHostMetadata, HOST_METADATA_PATH, type HostType } from './host-metadata.js';
import type { HttpClient } from './http.js';
import type { ResolvedConfig, ValueSource } from './profiles.js';

export const WORKSPACE_ID_HEADER = 'X-Databricks-Workspace-Id';

export interface HostRouting {
  hostType: HostType;
  /** `discovery` when the host's metadata said so; `host name` when inferred like the SDK's HostType(). */
  hostTypeFrom: 'discovery' | 'host name';
  workspaceId?: string;
  workspaceIdFrom?: ValueSource;
  accountId?: string;
  accountIdFrom?: ValueSource;
  /** The headers every workspace-scoped request carries (empty when no workspace id is known). */
  headers: Record<string, string>;
  /** A unified host with no workspace to route to: workspace APIs answer its sign-in page. */
  unrouted: boolean;
}

/** The routing header for a workspace id (none without one). */
export function routingHeaders(workspaceId: string | undefined): Record<string, string> {
  return workspaceId ? { [WORKSPACE_ID_HEADER]: workspaceId } : {};
}

/**
 * Resolves how requests to the profile's host are routed: the profile's own ids first, then
 * what the host's metadata says (discovered once per host per run; never fatal, no token).
 */
export async function workspaceRouting(http: HttpClient, config: ResolvedConfig): Promise<HostRouting> {
  const meta = await getHostMetadata(http, config.host);
  const discovered: ValueSource = { kind: 'discovery', name: config.host + HOST_METADATA_PATH };
  const hostType: HostType = meta?.hostType ?? (isAccountHost(config.host) ? 'ACCOUNT_HOST' : 'WORKSPACE_HOST');
  const workspaceId = config.workspaceId ?? (hostType === 'ACCOUNT_HOST' ? undefined : meta?.workspaceId);
  const accountId = config.accountId ?? meta?.accountId;
  return {
    hostType,
    hostTypeFrom: meta?.hostType ? 'discovery' : 'host name',
    ...(workspaceId ? { workspaceId, workspaceIdFrom: config.workspaceId ? config.sources.workspace_id : discovered } : {}),
    ...(accountId ? { accountId, accountIdFrom: config.accountId ? config.sources.account_id : discovered } : {}),
    headers: config.isAccount || hostType === 'ACCOUNT_HOST' ? {} : routingHeaders(workspaceId),
    unrouted: hostType === 'UNIFIED_HOST' && !workspaceId && !config.isAccount,
  };
}

/** The routing headers for a request to `url`: the profile's host gets them, any other host (an app's) none. */
export function routingHeadersFor(url: string, config: Pick<ResolvedConfig, 'host'>, routing: Pick<HostRouting, 'headers'>): Record<string, string> {
  try {
    return new URL(url).origin === new URL(config.host).origin ? routing.headers : {};
  } catch {
    return {};
  }
}
