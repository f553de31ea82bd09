/**
 * Managed MCP URL shapes (source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp) and the OAuth scope each server advertises in its
 * protected-resource metadata (source: MCP endpoint and /oidc behaviour observed on real workspaces).
 */

/** The kinds served under `/api/2.0/mcp/<kind>/…`. */
export type ManagedKind = 'genie' | 'vector-search' | 'functions' | 'sql' | 'external';
/** Plus AI Gateway MCP services (`/ai-gateway/mcp-services/<full name>`) and apps (`/<app>/mcp` on the apps server). */
export type McpKind = ManagedKind | 'mcp-service' | 'app';

export interface McpTarget {
  kind: McpKind;
  /** Path segments after the kind, e.g. `['main', 'tools']` or `['main', 'tools', 'lookup_customer']`. */
  parts: string[];
  /** The canonical path, e.g. `/api/2.0/mcp/functions/main/tools`. */
  path: string;
}

/** Illustrative scope names (source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp; the external one is UNCONFIRMED there). */
export const MCP_SCOPES: Record<McpKind, string> = {
  genie: 'genie',
  'vector-search': 'vector-search',
  functions: 'unity-catalog',
  sql: 'sql',
  external: 'unity-catalog',
  'mcp-service': 'ai-gateway',
  app: 'all-apis',
};

/** Segment counts each kind accepts. */
const ARITY: Record<ManagedKind, readonly number[]> = {
  genie: [1],
  'vector-search': [2, 3],
  functions: [2, 3],
  sql: [0],
  external: [1],
};

/**
 * Parses `/api/2.0/mcp/<kind>/...`. `ai-search` (the 2026 name, source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp) is accepted as an
 * alias of `vector-search`. Undefined when the path is no MCP server URL.
 */
export function parseMcpPath(path: string): McpTarget | undefined {
  const m = /^\/api\/2\.0\/mcp\/([a-z-]+)((?:\/[^/]+)*)\/?$/.exec(path);
  if (!m) return undefined;
  const raw = m[1]!;
  const kind = (raw === 'ai-search' ? 'vector-search' : raw) as ManagedKind;
  if (!(kind in ARITY)) return undefined;
  const parts = (m[2] ?? '')
    .split('/')
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  if (!ARITY[kind].includes(parts.length)) return undefined;
  return { kind, parts, path: `/api/2.0/mcp/${raw}${parts.length ? '/' + parts.map(encodeURIComponent).join('/') : ''}` };
}

/** Path of an MCP server URL (without host). */
export function mcpPath(kind: McpKind, parts: string[]): string {
  if (kind === 'mcp-service') return `/ai-gateway/mcp-services/${parts.join('.')}`;
  if (kind === 'app') return `/${parts[0]}/mcp`;
  return `/api/2.0/mcp/${kind}${parts.map((p) => '/' + encodeURIComponent(p)).join('')}`;
}

/** Parses `/ai-gateway/mcp-services/<catalog>.<schema>.<name>`; parts are the three names. */
export function parseServicePath(path: string): McpTarget | undefined {
  const m = /^\/ai-gateway\/mcp-services\/([^/.]+)\.([^/.]+)\.([^/.]+)\/?$/.exec(path);
  if (!m) return undefined;
  const parts = [m[1]!, m[2]!, m[3]!];
  return { kind: 'mcp-service', parts, path: `/ai-gateway/mcp-services/${parts.join('.')}` };
}

/** Parses `/<app name>/mcp` on the apps server. */
export function parseAppPath(path: string): McpTarget | undefined {
  const m = /^\/([a-z0-9-]+)\/mcp\/?$/.exec(path);
  return m ? { kind: 'app', parts: [m[1]!], path: `/${m[1]}/mcp` } : undefined;
}
