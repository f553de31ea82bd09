/**
 * Managed MCP URL shapes (source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp) and default server names.
 * Both the legacy `vector-search` and the 2026 `ai-search` paths are recognised.
 */
import { UsageError } from '../errors.js';
import { addArguments, kindDef, kindOfUrl, type AddKind } from './server-kinds/index.js';


/** Every kind of MCP server dbx-mcp recognises: the table's kinds. */
export type ServerKind = AddKind;

export interface McpTarget {
  kind: ServerKind;
  /** Path parts after the kind, e.g. ['main','tools'], ['<space_id>'] or ['<app name>']. */
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

/**
 * A target pasted as a URL (`add genie https://<host>/genie/rooms/<id>`, `init --genie <url>`)
 * must be on the profile's workspace, as `add url` requires: the id would otherwise be looked up
 * (and the token sent) on a workspace the user did not mean. UsageError (exit 2) before any request.
 * Ids and dotted names, and kinds whose URL is on their own host (apps), pass.
 */
export function checkPastedHost(kind: AddKind, raw: string, host: string): void {
  const t = raw.trim();
  if (!/^https?:\/\//i.test(t) || kindDef(kind).resolvesUrl) return;
  let pasted: string;
  try {
    pasted = new URL(t).host;
  } catch {
    return; // parseTarget already refused a URL that does not parse
  }
  const own = new URL(host).host;
  if (pasted.toLowerCase() !== own.toLowerCase()) {
    throw new UsageError(`${t} is on ${pasted}, and the profile signs in to ${own}`, { hint: 'Pass the profile of that workspace with --profile, or paste a URL of this workspace.' });
  }
}

export function mcpUrl(host: string, target: McpTarget): string {
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
  const t = kindOfUrl(u);
  return t && { ...t, host: u.origin };
}

/** Default server name: databricks-genie-<title slug>, databricks-functions-<c>-<s>, databricks-sql, … */
export function defaultServerName(target: McpTarget, title?: string): string {
  return kindDef(target.kind).defaultName(target.parts, title);
}

/** The URL families `add url` recognises, for its error. */
const URL_FAMILIES = '<workspace>/api/2.0/mcp/{genie,vector-search,functions,sql,external}/…, <workspace>/ai-gateway/mcp-services/<c.s.name> or https://<app>.databricksapps.com/mcp';

/**
 * `add url <url>`: the target a pasted Databricks MCP URL stands for, validated like the
 * matching kind's typed target. UsageError (exit 2, before any request) for a URL that is not
 * one, names no target, is retired (Genie One's space-less path), or is on another workspace
 * than `host` (the profile's). An app's URL is on its own host: `add` checks it against the
 * URL the Apps API gives.
 */
export function targetOfMcpUrl(raw: string, host: string): McpTarget {
  const t = raw.trim();
  const found = /^https?:\/\//i.test(t) ? parseMcpUrl(t) : undefined;
  if (!found) throw new UsageError(`${raw} is not a Databricks MCP URL`, { hint: `Paste the URL of a managed MCP server, an AI Gateway MCP service or an app: ${URL_FAMILIES}.` });
  const def = kindDef(found.kind);
  const retired = def.retired?.(found.parts);
  if (retired) throw new UsageError(retired.message, { hint: retired.hint });
  checkPastedHost(found.kind, t, host);
  if (def.add.argument && found.parts.length === 0) {
    throw new UsageError(`${raw} names no ${def.add.argument.name}`, { hint: `Paste the full URL, or run: dbx-mcp add ${addArguments({ kind: found.kind, parts: [] })}` });
  }
  return parseTarget(found.kind, found.parts.join('.'));
}
