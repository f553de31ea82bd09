/**
 * Whether a client's managed policy lets a user-added server load, as the client decides it
 * (the rules in catalog.ts's facts): Claude Code's exclusive managed-mcp.json and its
 * allow/deny lists, Gemini CLI's mcp.allowed / mcp.excluded, Codex's requirements allowlist.
 * Pure: it takes parsed documents.
 */
import type { ReadEntry } from '../clients/catalog/definition.js';
import type { FleetClientId } from './catalog.js';

/** A parsed managed file of one client. */
export interface PolicyDoc {
  name: string;
  /** The system path, named in the verdict. */
  file: string;
  doc: unknown;
}

export interface Blocked {
  /** The policy file that blocks it. */
  policyFile: string;
  reason: string;
}

function rec(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Claude Code's URL pattern: `*` matches anything. */
function urlMatches(pattern: string, url: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}/?$`);
  return re.test(url) || re.test(url.replace(/\/$/, ''));
}

function claudeItemMatches(item: unknown, name: string, e: ReadEntry | undefined): boolean {
  const i = rec(item);
  if (!i) return false;
  if (typeof i.serverName === 'string') return i.serverName === name;
  if (Array.isArray(i.serverCommand)) return e?.transport === 'stdio' && JSON.stringify(i.serverCommand) === JSON.stringify([e.command, ...e.args]);
  if (typeof i.serverUrl === 'string') return e?.transport === 'http' && urlMatches(i.serverUrl, e.url);
  return false;
}

function claudeCode(docs: PolicyDoc[], name: string, e: ReadEntry | undefined): Blocked | undefined {
  const exclusive = docs.find((d) => d.name === 'managed-mcp.json');
  if (exclusive) return { policyFile: exclusive.file, reason: 'the managed server set is exclusive: Claude Code loads only the servers in it' };
  const settings = docs.find((d) => d.name === 'managed-settings.json');
  const s = rec(settings?.doc);
  if (!settings || !s) return undefined;
  const denied = Array.isArray(s.deniedMcpServers) ? s.deniedMcpServers : [];
  if (denied.some((i) => claudeItemMatches(i, name, e))) return { policyFile: settings.file, reason: 'it is on the managed denylist (deniedMcpServers)' };
  if (Array.isArray(s.allowedMcpServers) && !s.allowedMcpServers.some((i) => claudeItemMatches(i, name, e))) {
    return { policyFile: settings.file, reason: `it is not on the managed allowlist (allowedMcpServers${s.allowManagedMcpServersOnly === true ? ', allowManagedMcpServersOnly' : ''})` };
  }
  return undefined;
}

function gemini(docs: PolicyDoc[], name: string): Blocked | undefined {
  const settings = docs.find((d) => d.name === 'settings.json');
  const mcp = rec(rec(settings?.doc)?.mcp);
  if (!settings || !mcp) return undefined;
  if (Array.isArray(mcp.excluded) && mcp.excluded.includes(name)) return { policyFile: settings.file, reason: 'it is in mcp.excluded of the system settings' };
  if (Array.isArray(mcp.allowed) && !mcp.allowed.includes(name)) return { policyFile: settings.file, reason: 'it is not in mcp.allowed of the system settings' };
  return undefined;
}

function codex(docs: PolicyDoc[], name: string, e: ReadEntry | undefined): Blocked | undefined {
  const req = docs.find((d) => d.name === 'requirements.toml');
  const servers = rec(rec(req?.doc)?.mcp_servers);
  if (!req || !servers) return undefined;
  const identity = rec(rec(servers[name])?.identity);
  if (!identity) return { policyFile: req.file, reason: 'it is not on the requirements.toml allowlist (mcp_servers)' };
  const ok = typeof identity.command === 'string' ? e?.transport === 'stdio' && e.command === identity.command : typeof identity.url === 'string' ? e?.transport === 'http' && e.url === identity.url : false;
  return ok ? undefined : { policyFile: req.file, reason: 'its command or URL is not the identity requirements.toml allows for that name' };
}

const RULES = { 'claude-code': claudeCode, gemini, codex } satisfies Record<FleetClientId, (docs: PolicyDoc[], name: string, e: ReadEntry | undefined) => Blocked | undefined>;

/** Why the client's managed policy blocks a user-added entry, or undefined when it may load. */
export function blockedByPolicy(client: FleetClientId, docs: PolicyDoc[], name: string, entry: ReadEntry | undefined): Blocked | undefined {
  return RULES[client](docs, name, entry);
}
