/**
 * Managed MCP URL shapes (source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp) and the OAuth scope each server advertises in its
 * protected-resource metadata (source: MCP endpoint and /oidc behaviour observed on real workspaces).
 */

export type McpKind = 'genie' | 'vector-search' | 'functions' | 'sql' | 'external';

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
};

/** Segment counts each kind accepts. */
const ARITY: Record<McpKind, readonly number[]> = {
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
  const kind = (raw === 'ai-search' ? 'vector-search' : raw) as McpKind;
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
  return `/api/2.0/mcp/${kind}${parts.map((p) => '/' + encodeURIComponent(p)).join('')}`;
}
