/**
 * Managed MCP URL shapes (source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp) and default server names.
 * Both the legacy `vector-search` and the 2026 `ai-search` paths are recognised.
 */
import { kindDef, kindOfUrl, slugify, type AddKind } from './server-kinds/index.js';


/** Every kind of MCP server dbx-mcp recognises: the table's kinds, plus Databricks Apps (recognised by URL, not added). */
export type ServerKind = AddKind | 'app';

export interface McpTarget {
  kind: ServerKind;
  /** Path parts after the kind, e.g. ['main','tools'] or ['<space_id>']; for an app, its URL. */
  parts: string[];
}

/**
 * The target as the user would write it, when they pasted a URL instead: the Genie space's
 * page or any managed MCP URL of that kind (`…/api/2.0/mcp/functions/main/tools`). Undefined
 * when `t` is not such a URL; what it returns is validated like typed input.
 */
function targetOfUrl(kind: AddKind, t: string): string | undefined {
  const page = kindDef(kind).targetOfPage;
  if (page) return page(t);
  const m = /^https?:\/\//i.test(t) ? parseMcpUrl(t) : undefined;
  return m && m.kind === kind && m.parts.length ? m.parts.join('.') : undefined;
}

/**
 * Validates a command-line target for `add <kind>` and returns its parts (UsageError → exit 2).
 * A pasted URL of the space or the server is accepted too.
 */
export function parseTarget(kind: AddKind, raw: string): McpTarget {
  const t = targetOfUrl(kind, raw.trim()) ?? raw.trim();
  return { kind, parts: kindDef(kind).parse(t, raw) };
}

export function mcpUrl(host: string, target: McpTarget): string {
  if (target.kind === 'app') return target.parts[0]!;
  return kindDef(target.kind).url(host, target.parts);
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
  const t = kindOfUrl(u);
  return t && { ...t, host: u.origin };
}

/** Default server name: databricks-genie-<title slug>, databricks-functions-<c>-<s>, databricks-sql, … */
export function defaultServerName(target: McpTarget, title?: string): string {
  if (target.kind === 'app') return `databricks-app-${slugify(new URL(target.parts[0]!).hostname.split('.')[0] ?? 'app')}`;
  return kindDef(target.kind).defaultName(target.parts, title);
}
