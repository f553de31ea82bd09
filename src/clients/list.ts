/**
 * Reading back what a client file holds, including entries users wrote by hand (used by
 * `list` and `doctor`). The auth mode is inferred from the entry's shape, not from our records.
 */
import type { Ctx } from '../context.js';
import { isOwned, loadOwnership, type OwnershipState } from './ownership.js';
import { isDisabledEntry, readerFor, readJsonEntry, type EntryReader } from './read-entry.js';
import { unwrapCmd } from './render.js';
import { codecOf, readConfigText, readServers, resolveTarget } from './target.js';
import type { AuthMode, ClientId, Scope } from './types.js';

/** Auth inferred from an entry's shape; `stdio-other` / `http-other` are entries of no known kind. */
export type DetectedAuth = AuthMode | 'stdio-other' | 'http-other';

/** One server found in a client's file. */
export interface ServerListing {
  name: string;
  url?: string;
  auth: DetectedAuth;
  /** Recorded in dbx-mcp's registry for this file. */
  owned: boolean;
  /** The URL is a Databricks managed MCP endpoint or a Databricks App. */
  databricks: boolean;
  /** The entry carries `disabled: true` (Windsurf / Cline style). */
  disabled: boolean;
}

/** True for /api/2.0/mcp/ URLs and *.databricksapps.com hosts. */
export function isDatabricksUrl(url: string | undefined): boolean {
  if (url === undefined) return false;
  try {
    const u = new URL(url);
    return u.pathname.includes('/api/2.0/mcp/') || u.pathname.startsWith('/ai-gateway/mcp-services/') || u.hostname.toLowerCase().endsWith('.databricksapps.com');
  } catch {
    return /\/api\/2\.0\/mcp\//.test(url);
  }
}

/**
 * Classifies one entry by shape. `ownedHint` lets a proxy entry started by a custom
 * --proxy-command (no "dbx-mcp" in it) still count as proxy.
 */
export function classifyEntry(entry: unknown, ownedHint = false, read: EntryReader = readJsonEntry): { auth: DetectedAuth; url?: string } {
  const e = read(entry);
  if (e === undefined) return { auth: 'stdio-other' };
  if (e.transport === 'stdio') {
    const { command, args } = unwrapCmd(e.command, e.args);
    const all = [command, ...args];
    if (all.some((a) => /(^|[\\/])mcp-remote(@[^\s]*)?$/.test(a))) {
      const url = args.find((a) => /^https?:\/\//i.test(a));
      return { auth: args.includes('--static-oauth-client-info') ? 'oauth' : 'mcp-remote', url };
    }
    const p = args.indexOf('proxy');
    const u = args.indexOf('--url', p + 1);
    if (p !== -1 && u !== -1) {
      const mentionsUs = [command, ...args.slice(0, p)].some((a) => /dbx-mcp/i.test(a));
      if (mentionsUs || ownedHint) return { auth: 'proxy', url: args[u + 1] };
    }
    return { auth: 'stdio-other' };
  }
  const url = e.url;
  if (e.tokenEnvVar !== undefined || Object.keys(e.headers).some((k) => k.toLowerCase() === 'authorization')) return { auth: 'header', url };
  if (e.oauth !== undefined) return { auth: 'oauth', url };
  return { auth: 'http-other', url };
}

/**
 * Every server in a client's file for a scope ([] when the file or scope does not exist).
 * Throws ConfigParseError when the file does not parse (doctor reports it as config-invalid).
 */
export async function listServers(
  ctx: Ctx,
  client: ClientId,
  scope: Scope,
  opts: { ownership?: OwnershipState; projectRoot?: string } = {},
): Promise<ServerListing[]> {
  let target: ReturnType<typeof resolveTarget>;
  try {
    target = resolveTarget(ctx, client, scope, opts.projectRoot);
  } catch {
    return [];
  }
  const { adapter, file } = target;
  const text = await readConfigText(file);
  if (text === null) return [];
  const servers = readServers(await codecOf(adapter), text, file, adapter.serversPath);
  const ownership = opts.ownership ?? (await loadOwnership(ctx));
  return Object.entries(servers).map(([name, entry]) => {
    const owned = isOwned(ownership, { file, name, current: entry, reader: readerFor(client) }, ctx.platform);
    const { auth, url } = classifyEntry(entry, owned, readerFor(client));
    return {
      name,
      ...(url !== undefined ? { url } : {}),
      auth,
      owned,
      // dbx-mcp writes Databricks servers only: one it wrote is one, whatever its URL (an app on its own host).
      databricks: owned || isDatabricksUrl(url),
      disabled: isDisabledEntry(entry, readerFor(client)),
    };
  });
}
