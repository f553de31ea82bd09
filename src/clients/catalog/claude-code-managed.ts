/**
 * Claude Code's admin controls: managed-mcp.json (a fixed, exclusive server set) and
 * allowedMcpServers / deniedMcpServers / allowManagedMcpServersOnly in managed-settings.json
 * (an approved catalog), in one system folder per OS.
 */
import { rec, type Blocked, type ManagedFacts, type ManagedServer, type PolicyDoc } from './managed.js';
import type { ReadEntry } from './definition.js';

const DOCS = 'https://code.claude.com/docs/en/managed-mcp';
const BIN = 'strings of the pinned Claude Code binary, 2.1.330 and rechecked in 2.1.337 (.cache/real-clients/claude-code)';
const DIRS = { macos: '/Library/Application Support/ClaudeCode', linux: '/etc/claude-code', windows: 'C:\\Program Files\\ClaudeCode' };

/** Claude Code's URL pattern: `*` matches anything; a trailing slash is optional. */
function urlMatches(pattern: string, url: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}/?$`);
  return re.test(url) || re.test(url.replace(/\/$/, ''));
}

function itemMatches(item: unknown, name: string, e: ReadEntry | undefined): boolean {
  const i = rec(item);
  if (!i) return false;
  if (typeof i.serverName === 'string') return i.serverName === name;
  if (Array.isArray(i.serverCommand)) return e?.transport === 'stdio' && JSON.stringify(i.serverCommand) === JSON.stringify([e.command, ...e.args]);
  if (typeof i.serverUrl === 'string') return e?.transport === 'http' && urlMatches(i.serverUrl, e.url);
  return false;
}

function blocks(docs: readonly PolicyDoc[], name: string, e: ReadEntry | undefined): Blocked | undefined {
  const exclusive = docs.find((d) => d.name === 'managed-mcp.json');
  if (exclusive) return { policyFile: exclusive.file, reason: 'the managed server set is exclusive: Claude Code loads only the servers in it' };
  const settings = docs.find((d) => d.name === 'managed-settings.json');
  const s = rec(settings?.doc);
  if (!settings || !s) return undefined;
  const denied = Array.isArray(s.deniedMcpServers) ? s.deniedMcpServers : [];
  if (denied.some((i) => itemMatches(i, name, e))) return { policyFile: settings.file, reason: 'it is on the managed denylist (deniedMcpServers)' };
  if (Array.isArray(s.allowedMcpServers) && !s.allowedMcpServers.some((i) => itemMatches(i, name, e))) {
    return { policyFile: settings.file, reason: `it is not on the managed allowlist (allowedMcpServers${s.allowManagedMcpServersOnly === true ? ', allowManagedMcpServersOnly' : ''})` };
  }
  return undefined;
}

export const claudeCodeManaged: ManagedFacts = {
  facts: [
    { text: 'managed-mcp.json is exclusive: Claude Code loads only its servers; users cannot add others (an empty map disables MCP).', confidence: 'confirmed', source: DOCS },
    { text: 'allowedMcpServers + allowManagedMcpServersOnly: true in managed-settings.json is the "approved catalog": users add listed servers, everything else is blocked.', confidence: 'confirmed', source: DOCS },
    { text: 'An allowlist entry has exactly one of serverName, serverCommand (the exact [command, ...args] array) or serverUrl (wildcards allowed).', confidence: 'confirmed', source: BIN },
    { text: 'managed-mcp.json entries with no ${VAR} in command, args, url or headers are allowed without being listed.', confidence: 'confirmed', source: BIN },
    { text: 'The system folder is fixed: the pinned binary computes it from the OS alone (no variable moves managed-mcp.json; CLAUDE_CODE_MANAGED_SETTINGS_PATH, present in the binary, did not apply a managed-settings.json allowlist when tried).', confidence: 'confirmed', source: `${BIN}; tried with claude mcp list` },
    { text: 'Windows folder is C:\\Program Files\\ClaudeCode (older docs said C:\\ProgramData\\ClaudeCode).', confidence: 'confirmed', source: `${BIN}; https://code.claude.com/docs/en/settings` },
  ],
  files: [
    { role: 'servers', name: 'managed-mcp.json', dirs: DIRS, format: 'jsonc', serversPath: ['mcpServers'], fact: { text: 'managed-mcp.json in the system folder', confidence: 'confirmed', source: DOCS } },
    { role: 'policy', name: 'managed-settings.json', dirs: DIRS, format: 'jsonc', fact: { text: 'managed-settings.json in the same folder (also deliverable as server-managed settings or MDM profiles)', confidence: 'confirmed', source: DOCS } },
  ],
  mdm: {
    macos: 'Jamf / a configuration profile or a package script that runs install.sh as root (files go to /Library/Application Support/ClaudeCode).',
    windows: 'Intune or Group Policy: run install.ps1 as SYSTEM (files go to C:\\Program Files\\ClaudeCode).',
    linux: 'Ansible / Chef / Puppet: run install.sh as root (files go to /etc/claude-code).',
  },
  // fixed: the exclusive set. catalog: an allowlist naming each server by its exact command (a
  // name alone would admit any server a user calls that name) or, for OAuth entries, its URL.
  generate: (servers, _os, mode) => {
    if (mode === 'fixed') return [{ file: 'managed-mcp.json', ops: servers.map((s) => ({ op: 'set', path: ['mcpServers', s.name], value: s.entry })) }];
    const items = servers.map((s: ManagedServer) => (s.stdio ? { serverCommand: [s.stdio.command, ...s.stdio.args] } : { serverUrl: s.url }));
    return [{ file: 'managed-settings.json', ops: [{ op: 'include', path: ['allowedMcpServers'], items }, { op: 'set', path: ['allowManagedMcpServersOnly'], value: true }] }];
  },
  blocks,
  addCommand: (name, s) => (s.stdio ? `claude mcp add -s user ${name} -- ${[s.stdio.command, ...s.stdio.args].join(' ')}` : `claude mcp add --transport http -s user ${name} ${s.url ?? ''}`),
};
