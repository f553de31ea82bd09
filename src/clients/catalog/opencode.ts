/**
 * OpenCode: `mcp` in $XDG_CONFIG_HOME/opencode/opencode.json, or opencode.jsonc when that
 * exists (OpenCode's first run creates it); <project>/opencode.json[c] at the repository root.
 * Its own entry shapes: stdio `{type: "local", command: [cmd, ...args], environment}`, remote
 * `{type: "remote", url, headers, oauth: false}` (without `oauth: false` it may try OAuth
 * discovery first), `{env:NAME}` interpolation, OAuth with a fixed redirect.
 */
import { pathFor } from '../../util/paths.js';
import type { PathInput } from '../types.js';
import { defineClient, type ReadEntry } from './definition.js';
import { ERA_MEASUREMENT as M21, listDirSafe, xdgConfigHome } from './shared.js';
import { noManagedFiles } from './managed.js';

/** `opencode.jsonc` when it is there, else `opencode.json` (what OpenCode reads first). */
function opencodeFile(p: PathInput, dir: string): string {
  const jsonc = listDirSafe(p, dir).includes('opencode.jsonc');
  return pathFor(p.platform).join(dir, jsonc ? 'opencode.jsonc' : 'opencode.json');
}

/** OpenCode's config dir: XDG on every OS (~/.config/opencode on Windows too). */
function opencodeDir(p: PathInput): string {
  return p.platform === 'win32' ? pathFor(p.platform).join(p.home, '.config', 'opencode') : pathFor(p.platform).join(xdgConfigHome(p), 'opencode');
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The inverse of the entry functions below. */
function readOpencodeEntry(entry: unknown): ReadEntry | undefined {
  const e = record(entry);
  if (e === undefined) return undefined;
  const disabled = e.enabled === false ? { disabled: true } : {};
  if (Array.isArray(e.command) && typeof e.command[0] === 'string') {
    const [command, ...args] = e.command.filter((x): x is string => typeof x === 'string') as [string, ...string[]];
    return { transport: 'stdio', command, args, env: record(e.environment) ?? {}, ...disabled };
  }
  if (typeof e.url !== 'string') return undefined;
  const oauth = record(e.oauth);
  return { transport: 'http', url: e.url, headers: record(e.headers) ?? {}, ...(oauth !== undefined ? { oauth } : {}), ...disabled };
}

export const opencode = defineClient({
  id: 'opencode',
  displayName: 'OpenCode',
  binaries: ['opencode'],
  detectionDirs: (p) => [opencodeDir(p)],
  userPath: (p) => opencodeFile(p, opencodeDir(p)),
  projectPath: (p, cwd) => opencodeFile(p, cwd),
  format: 'jsonc',
  serversPath: ['mcp'],
  dialect: {
    stdioEntry: (cmd, env) => ({ type: 'local', command: [cmd.command, ...cmd.args], ...(env !== undefined ? { environment: env } : {}), enabled: true }),
    httpEntry: (url, headers) => ({ type: 'remote', url, headers, oauth: false, enabled: true }),
    oauthEntry: (url, clientId) => ({ type: 'remote', url, oauth: { clientId }, enabled: true }),
    readEntry: readOpencodeEntry,
  },
  envRefs: 'env-brace',
  gui: false,
  // Fixed by OpenCode (its callback server always listens there).
  oauthRedirects: () => ['http://127.0.0.1:19876/mcp/oauth/callback'],
  needsAllRedirects: true,
  shapeRules: (e) =>
    e.entry.type === 'remote' ? [] : [{ message: `"${e.name}" has a URL but no "type": "remote"`, fix: `Set "type": "remote" on ${e.name}.` }],
  fileRules: (doc, file) =>
    typeof doc === 'object' && doc !== null && 'mcpServers' in doc
      ? [{ message: `${file} has "mcpServers"; OpenCode reads "mcp"`, fix: `Move the entries under "mcp" in ${file} (in OpenCode's entry shape).` }]
      : [],
  // Admin controls: none that fleet can write (catalog/managed.ts).
  mcpEra: { speaks: 'legacy', fact: { text: 'OpenCode 1.18.33 (the newest measured) speaks legacy only: it falls back to the old SSE transport, which a modern server answers 405.', confidence: 'confirmed', source: M21 } },
  managed: noManagedFiles([{ text: 'No system-wide managed config documented.', confidence: 'unconfirmed', source: 'https://opencode.ai/docs/config' }]),
  restartHint: 'Restart OpenCode; check with `opencode mcp list`.',
  oauthSignInHint: 'Then run `opencode mcp auth <name>`.',
});
