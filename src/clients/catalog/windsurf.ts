/**
 * Windsurf: `mcpServers` in ~/.codeium/windsurf/mcp_config.json (windsurf-next when only
 * that build exists). Remote entries use `serverUrl` (older builds ignore `url`), `${env:NAME}`
 * interpolation; no documented static OAuth client, so oauth goes through mcp-remote.
 */
import { pathFor } from '../../util/paths.js';
import type { PathInput } from '../types.js';
import { defineClient } from './definition.js';
import { listDirSafe, plainStdioEntry } from './shared.js';
import { noManagedFiles } from './managed.js';

/** `~/.codeium/windsurf`, or `windsurf-next` when only the Next build has ever run. */
function windsurfDir(p: PathInput): string {
  const P = pathFor(p.platform);
  const codeium = P.join(p.home, '.codeium');
  const names = listDirSafe(p, codeium);
  const useNext = names.includes('windsurf-next') && !names.includes('windsurf');
  return P.join(codeium, useNext ? 'windsurf-next' : 'windsurf');
}

export const windsurf = defineClient({
  id: 'windsurf',
  displayName: 'Windsurf',
  binaries: ['windsurf', 'windsurf-next'],
  detectionDirs: (p) => [pathFor(p.platform).join(p.home, '.codeium', 'windsurf'), pathFor(p.platform).join(p.home, '.codeium', 'windsurf-next')],
  userPath: (p) => pathFor(p.platform).join(windsurfDir(p), 'mcp_config.json'),
  projectPath: null,
  format: 'jsonc',
  serversPath: ['mcpServers'],
  dialect: { stdioEntry: plainStdioEntry, httpEntry: (serverUrl, headers) => ({ serverUrl, headers }) },
  envRefs: 'env-colon',
  gui: true,
  // Signs in through mcp-remote with the port pinned right after the URL.
  oauthRedirects: (port) => [`http://localhost:${port}/oauth/callback`],
  needsAllRedirects: false,
  shapeRules: (e) =>
    typeof e.entry.serverUrl === 'string' ? [] : [{ message: `"${e.name}" uses "url"; Windsurf reads remote servers from "serverUrl"`, fix: `Rename "url" to "serverUrl" in ${e.name}.` }],
  fileRules: () => [],
  // Admin controls: none that fleet can write (catalog/managed.ts).
  mcpEra: { speaks: 'legacy', fact: { text: 'Windsurf was not measured against a modern-only server; assumed legacy only until it is.', confidence: 'unconfirmed', source: 'not measured (issue 21)' } },
  managed: noManagedFiles([{ text: 'Teams/Enterprise admins whitelist MCP servers in the Windsurf admin portal (cloud); there is no system file.', confidence: 'likely', source: 'https://docs.windsurf.com/windsurf/cascade/mcp' }]),
  restartHint: 'In Windsurf, open Cascade → MCP servers and press the refresh button.',
  oauthSignInHint: 'Sign in when it asks (a browser window opens).',
});
