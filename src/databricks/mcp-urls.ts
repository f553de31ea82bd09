/**
 * Managed MCP URL shapes (source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp) and default server names.
 * Both the legacy `vector-search` and the 2026 `ai-search` paths are recognised.
 */
import { UsageError } from '../errors.js';

export type ServerKind = 'genie' | 'vector-search' | 'functions' | 'sql' | 'external' | 'app';

export interface McpTarget {
  kind: ServerKind;
  /** Path parts after the kind, e.g. ['main','tools'] or ['<space_id>']. */
  parts: string[];
}

const IDENT = /^[A-Za-z0-9_][A-Za-z0-9_\-]*$/;
const SPACE_ID = /^[0-9a-f]{32}$/i;

/** A Genie space id inside a pasted URL: the space's page (…/genie/rooms/<id>?o=…) or its MCP URL. */
const SPACE_ID_IN_URL = /\/(?:genie\/rooms|api\/2\.0\/mcp\/genie)\/([0-9a-f]{32})(?=[/?#]|$)/i;

/**
 * The target as the user would write it, when they pasted a URL instead: the Genie space's
 * page or any managed MCP URL of that kind (`…/api/2.0/mcp/functions/main/tools`). Undefined
 * when `t` is not such a URL; what it returns is validated like typed input.
 */
function targetOfUrl(kind: Exclude<ServerKind, 'app'>, t: string): string | undefined {
  if (kind === 'genie') return SPACE_ID_IN_URL.exec(t)?.[1];
  const m = /^https?:\/\//i.test(t) ? parseMcpUrl(t) : undefined;
  return m && m.kind === kind && m.parts.length ? m.parts.join('.') : undefined;
}

/**
 * Validates a command-line target for `add <kind>` and returns its parts (UsageError → exit 2).
 * A pasted URL of the space or the server is accepted too.
 */
export function parseTarget(kind: Exclude<ServerKind, 'app'>, raw: string): McpTarget {
  const t = targetOfUrl(kind, raw.trim()) ?? raw.trim();
  switch (kind) {
    case 'genie':
      if (!SPACE_ID.test(t)) {
        throw new UsageError(`"${raw}" is not a Genie space id`, {
          hint: 'A space id is 32 hexadecimal characters: open the space and copy it (or the whole URL) from the address bar (…/genie/rooms/<space_id>).',
        });
      }
      return { kind, parts: [t.toLowerCase()] };
    case 'vector-search':
    case 'functions': {
      const parts = t.split('.');
      if (parts.length < 2 || parts.length > 3 || !parts.every((p) => IDENT.test(p))) {
        throw new UsageError(`"${raw}" is not <catalog>.<schema>[.<${kind === 'functions' ? 'function' : 'index'}>]`, {
          hint: `For example: dbx-mcp add ${kind} main.tools${kind === 'functions' ? '' : '.product_docs'}`,
        });
      }
      return { kind, parts };
    }
    case 'sql':
      return { kind, parts: [] };
    case 'external':
      if (!IDENT.test(t)) throw new UsageError(`"${raw}" is not a connection name`, { hint: 'Use the Unity Catalog connection name, e.g. github_conn (Catalog → External data → Connections).' });
      return { kind, parts: [t] };
  }
}

export function mcpUrl(host: string, target: McpTarget): string {
  if (target.kind === 'app') return target.parts[0]!;
  return [host, 'api/2.0/mcp', target.kind, ...target.parts.map(encodeURIComponent)].join('/');
}

/** Recognises a Databricks MCP URL (managed servers or Databricks Apps); undefined otherwise. */
export function parseMcpUrl(url: string): (McpTarget & { host: string }) | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (/\.databricksapps\.com$/i.test(u.hostname)) return { kind: 'app', parts: [url], host: u.origin };
  const m = /^\/api\/2\.0\/mcp\/(genie|vector-search|ai-search|functions|sql|external)(?:\/(.*))?$/.exec(u.pathname.replace(/\/+$/, ''));
  if (!m) return undefined;
  const kind = (m[1] === 'ai-search' ? 'vector-search' : m[1]) as ServerKind;
  const parts = m[2] ? m[2].split('/').map(decodeURIComponent) : [];
  return { kind, parts, host: u.origin };
}

export function slugify(s: string, max = 40): string {
  const slug = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || 'server';
}

/** Default server name: databricks-genie-<title slug>, databricks-functions-<c>-<s>, databricks-sql, … */
export function defaultServerName(target: McpTarget, title?: string): string {
  switch (target.kind) {
    case 'genie':
      return `databricks-genie-${slugify(title || target.parts[0]!.slice(0, 8))}`;
    case 'sql':
      return 'databricks-sql';
    case 'app':
      return `databricks-app-${slugify(new URL(target.parts[0]!).hostname.split('.')[0] ?? 'app')}`;
    default:
      return `databricks-${target.kind}-${slugify(target.parts.join('-'))}`;
  }
}
