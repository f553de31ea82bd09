/**
 * Goose: the `extensions:` map in ~/.config/goose/config.yaml (Windows
 * %APPDATA%\Block\goose\config\config.yaml), user scope only. Entries are `type: stdio` with
 * `cmd`/`args`/`envs`, or `type: streamable_http` with `uri`/`headers`; every one carries
 * `name`, `enabled` and `timeout` (🟡). Whether Goose expands variables in `headers` is ❓, so
 * header mode becomes the proxy form and OAuth goes through mcp-remote.
 */
import path from 'node:path';
import type { PathInput } from '../types.js';
import { defineClient, type ReadEntry, type StdioCommand } from './definition.js';
import { appData, xdgConfigHome } from './shared.js';
import { noManagedFiles } from './managed.js';

/** Seconds Goose waits for a tool call (its own default for extensions). */
const GOOSE_TIMEOUT = 300;

function gooseDir(p: PathInput): string {
  if (p.platform === 'win32') return path.win32.join(appData(p), 'Block', 'goose', 'config');
  if (p.platform === 'darwin') return path.posix.join(p.home, '.config', 'goose');
  return path.posix.join(xdgConfigHome(p), 'goose');
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Goose repeats the extension's name inside its entry; the entry functions do not know it, the planner's key does. */
function stdioEntry(cmd: StdioCommand, env?: Record<string, string>): Record<string, unknown> {
  return { type: 'stdio', cmd: cmd.command, args: cmd.args, envs: env ?? {}, enabled: true, timeout: GOOSE_TIMEOUT };
}

function readGooseEntry(entry: unknown): ReadEntry | undefined {
  const e = record(entry);
  if (e === undefined) return undefined;
  const disabled = e.enabled === false ? { disabled: true } : {};
  if (typeof e.cmd === 'string') {
    const args = Array.isArray(e.args) ? e.args.filter((a): a is string => typeof a === 'string') : [];
    return { transport: 'stdio', command: e.cmd, args, env: record(e.envs) ?? {}, ...disabled };
  }
  if (typeof e.uri !== 'string') return undefined;
  return { transport: 'http', url: e.uri, headers: record(e.headers) ?? {}, ...disabled };
}

export const goose = defineClient({
  id: 'goose',
  displayName: 'Goose',
  binaries: ['goose'],
  detectionDirs: (p) => [gooseDir(p)],
  userPath: (p) => (p.platform === 'win32' ? path.win32 : path.posix).join(gooseDir(p), 'config.yaml'),
  projectPath: null,
  format: 'yaml',
  serversPath: ['extensions'],
  dialect: {
    stdioEntry,
    httpEntry: (uri, headers) => ({ type: 'streamable_http', uri, headers, enabled: true, timeout: GOOSE_TIMEOUT }),
    namedEntry: (entry, name) => ({ name, ...entry }),
    readEntry: readGooseEntry,
  },
  // ❓ whether Goose expands ${VAR} in headers: treated as none (one table entry to change).
  envRefs: 'none',
  // Goose Desktop is a GUI app; the CLI shares the file.
  gui: true,
  // Signs in through mcp-remote with the port pinned right after the URL.
  oauthRedirects: (port) => [`http://localhost:${port}/oauth/callback`],
  needsAllRedirects: false,
  shapeRules: (e) => {
    if (e.entry.type === 'streamable_http' && typeof e.entry.uri === 'string') return [];
    if (typeof e.entry.url === 'string') return [{ message: `"${e.name}" uses "url"; Goose reads remote extensions from "uri"`, fix: `Rename "url" to "uri" in extensions.${e.name}.` }];
    return [{ message: `"${e.name}" is not "type: streamable_http"; Databricks MCP servers speak streamable HTTP`, fix: `Set "type: streamable_http" on extensions.${e.name}.` }];
  },
  fileRules: () => [],
  // Admin controls: none that fleet can write (catalog/managed.ts).
  mcpEra: { speaks: 'legacy', fact: { text: 'Goose was not measured against a modern-only server; assumed legacy only until it is.', confidence: 'unconfirmed', source: 'not measured (issue 21)' } },
  managed: noManagedFiles([{ text: 'No system-wide managed config documented.', confidence: 'unconfirmed', source: 'https://block.github.io/goose/docs' }]),
  restartHint: 'Restart Goose (quit the desktop app, or start a new `goose session`).',
  oauthSignInHint: 'Sign in when it asks (a browser window opens).',
});
