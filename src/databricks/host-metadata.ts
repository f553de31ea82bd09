/**
 * Host metadata discovery, as the Go SDK (v0.175 config/host_metadata.go, config.go
 * resolveHostMetadata) and the Python SDK do: `GET <host>/.well-known/databricks-config`, best
 * effort. It back-fills what a profile does not set (workspace_id, account_id) and tells a
 * unified host (one host for an account and many workspaces) from a workspace or account host.
 *
 * Never fatal, never sent a token (the endpoint is public), bounded at 1 s, and asked once per
 * host per run: the answer is cached on the run's HTTP client.
 */
import type { HttpClient } from './http.js';

export type HostType = 'WORKSPACE_HOST' | 'ACCOUNT_HOST' | 'UNIFIED_HOST';

export interface HostMetadata {
  /** The OIDC discovery URL; for account and unified hosts it may hold `{account_id}`. */
  oidcEndpoint?: string;
  accountId?: string;
  workspaceId?: string;
  cloud?: string;
  hostType?: HostType;
  /** token_federation_default_oidc_audiences[0]. */
  tokenAudience?: string;
}

export const HOST_METADATA_PATH = '/.well-known/databricks-config';
const DISCOVERY_TIMEOUT_MS = 1_000;

/** The SDK's normalizeHostType: case-insensitive, `workspace`/`account`/`unified` too. */
function hostType(v: unknown): HostType | undefined {
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  if (s === 'workspace_host' || s === 'workspace') return 'WORKSPACE_HOST';
  if (s === 'account_host' || s === 'account') return 'ACCOUNT_HOST';
  if (s === 'unified_host' || s === 'unified') return 'UNIFIED_HOST';
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;
}

const cache = new WeakMap<HttpClient, Map<string, Promise<HostMetadata | undefined>>>();

/** The host's metadata, or undefined when it has none, answered otherwise or not in time. */
export function getHostMetadata(http: HttpClient, host: string): Promise<HostMetadata | undefined> {
  let perClient = cache.get(http);
  if (!perClient) cache.set(http, (perClient = new Map()));
  let pending = perClient.get(host);
  if (!pending) {
    pending = fetchHostMetadata(http, host);
    perClient.set(host, pending);
  }
  return pending;
}

async function fetchHostMetadata(http: HttpClient, host: string): Promise<HostMetadata | undefined> {
  try {
    const res = await http.raw({ method: 'GET', url: host + HOST_METADATA_PATH, timeoutMs: DISCOVERY_TIMEOUT_MS });
    if (res.status !== 200 || !res.json || typeof res.json !== 'object') return undefined;
    const j = res.json as Record<string, unknown>;
    const audiences = Array.isArray(j.token_federation_default_oidc_audiences) ? j.token_federation_default_oidc_audiences : [];
    const m: HostMetadata = {};
    const set = <K extends keyof HostMetadata>(k: K, v: HostMetadata[K] | undefined): void => {
      if (v !== undefined) m[k] = v;
    };
    set('oidcEndpoint', str(j.oidc_endpoint));
    set('accountId', str(j.account_id));
    set('workspaceId', str(j.workspace_id));
    set('cloud', str(j.cloud));
    set('hostType', hostType(j.host_type));
    set('tokenAudience', str(audiences[0]));
    return m;
  } catch {
    return undefined; // best effort: a network failure here is reported by the real request
  }
}
