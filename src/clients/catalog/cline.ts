/**
 * Cline (CLI ≥ 4): `mcpServers` in ~/.cline/data/settings/cline_mcp_settings.json, or the file
 * CLINE_MCP_SETTINGS_PATH names; no project file. A remote entry needs
 * `type: "streamableHttp"` (a typeless `url` means SSE). Env interpolation is undocumented
 * (❓), so header mode gets the proxy form; no static OAuth client, so oauth goes through mcp-remote.
 */
import { pathFor } from '../../util/paths.js';
import type { PathInput } from '../types.js';
import { defineClient } from './definition.js';
import { envValue, plainStdioEntry } from './shared.js';
import { noManagedFiles } from './managed.js';

function clineFile(p: PathInput): string {
  return envValue(p, 'CLINE_MCP_SETTINGS_PATH') ?? pathFor(p.platform).join(p.home, '.cline', 'data', 'settings', 'cline_mcp_settings.json');
}

export const cline = defineClient({
  id: 'cline',
  displayName: 'Cline',
  binaries: ['cline'],
  detectionDirs: (p) => [pathFor(p.platform).join(p.home, '.cline')],
  userPath: clineFile,
  projectPath: null,
  format: 'jsonc',
  serversPath: ['mcpServers'],
  dialect: { stdioEntry: plainStdioEntry, httpEntry: (url, headers) => ({ type: 'streamableHttp', url, headers }) },
  envRefs: 'none',
  gui: false,
  // Signs in through mcp-remote with the port pinned right after the URL.
  oauthRedirects: (port) => [`http://localhost:${port}/oauth/callback`],
  needsAllRedirects: false,
  shapeRules: (e) =>
    e.entry.type === 'streamableHttp' || (e.entry.type === 'sse' && !e.isDatabricks)
      ? []
      : [{ message: `"${e.name}" has a URL but no "type": "streamableHttp"; Cline treats it as SSE`, fix: `Set "type": "streamableHttp" on ${e.name}.` }],
  fileRules: () => [],
  // Admin controls: none that fleet can write (catalog/managed.ts).
  mcpEra: { speaks: 'legacy', fact: { text: 'Cline was not measured against a modern-only server; assumed legacy only until it is.', confidence: 'unconfirmed', source: 'not measured (issue 21)' } },
  managed: noManagedFiles([{ text: 'No system-wide managed config documented.', confidence: 'unconfirmed', source: 'https://docs.cline.bot' }]),
  restartHint: 'Restart Cline (or toggle the server off and on in its MCP settings).',
  oauthSignInHint: 'Sign in when it asks (a browser window opens).',
});
