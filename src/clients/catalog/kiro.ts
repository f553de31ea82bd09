/**
 * Kiro (IDE and Kiro CLI): `mcpServers` in ~/.kiro/settings/mcp.json or
 * <project>/.kiro/settings/mcp.json. Remote `{url, headers}`, stdio `{command, args, env}`;
 * `${NAME}` expands only variables the user approved in Kiro (envRefNote says so); no static
 * OAuth client documented, so oauth goes through mcp-remote.
 */
import { pathFor } from '../../util/paths.js';
import { defineClient } from './definition.js';
import { plainStdioEntry } from './shared.js';
import { noManagedFiles } from './managed.js';

export const kiro = defineClient({
  id: 'kiro',
  displayName: 'Kiro',
  binaries: ['kiro', 'kiro-cli'],
  detectionDirs: (p) => [pathFor(p.platform).join(p.home, '.kiro')],
  userPath: (p) => pathFor(p.platform).join(p.home, '.kiro', 'settings', 'mcp.json'),
  projectPath: (p, cwd) => pathFor(p.platform).join(cwd, '.kiro', 'settings', 'mcp.json'),
  format: 'jsonc',
  serversPath: ['mcpServers'],
  dialect: { stdioEntry: plainStdioEntry, httpEntry: (url, headers) => ({ url, headers }) },
  envRefs: 'shell',
  envRefNote: 'Kiro expands ${…} only for environment variables you approved in Kiro: approve the variable when Kiro asks (or use --auth proxy).',
  gui: true,
  // Signs in through mcp-remote with the port pinned right after the URL.
  oauthRedirects: (port) => [`http://localhost:${port}/oauth/callback`],
  needsAllRedirects: false,
  shapeRules: () => [],
  fileRules: () => [],
  // Admin controls: none that fleet can write (catalog/managed.ts).
  mcpEra: { speaks: 'legacy', fact: { text: 'Kiro was not measured against a modern-only server; assumed legacy only until it is.', confidence: 'unconfirmed', source: 'not measured (issue 21)' } },
  managed: noManagedFiles([{ text: 'No system-wide managed config documented.', confidence: 'unconfirmed', source: 'https://kiro.dev/docs/mcp' }]),
  restartHint: 'Kiro reloads mcp.json when it changes; check the server in the MCP Servers view (or `/mcp` in Kiro CLI).',
  oauthSignInHint: 'Sign in when it asks (a browser window opens).',
});
