/**
 * Cursor: `mcpServers` in ~/.cursor/mcp.json or <project>/.cursor/mcp.json. Native
 * streamable HTTP from `url` (no `type`: an unknown one can make Cursor drop the file),
 * `${env:NAME}` interpolation, OAuth with a static client under `auth.CLIENT_ID`.
 */
import { pathFor } from '../../util/paths.js';
import { defineClient } from './definition.js';
import { plainStdioEntry } from './shared.js';
import { noManagedFiles } from './managed.js';

export const cursor = defineClient({
  id: 'cursor',
  displayName: 'Cursor',
  binaries: ['cursor', 'cursor-agent'],
  // %USERPROFILE%\.cursor on Windows.
  detectionDirs: (p) => [pathFor(p.platform).join(p.home, '.cursor')],
  userPath: (p) => pathFor(p.platform).join(p.home, '.cursor', 'mcp.json'),
  projectPath: (p, cwd) => pathFor(p.platform).join(cwd, '.cursor', 'mcp.json'),
  format: 'jsonc',
  serversPath: ['mcpServers'],
  dialect: {
    stdioEntry: plainStdioEntry,
    httpEntry: (url, headers) => ({ url, headers }),
    oauthEntry: (url, clientId) => ({ url, auth: { CLIENT_ID: clientId } }),
  },
  envRefs: 'env-colon',
  gui: true,
  oauthRedirects: () => ['cursor://anysphere.cursor-mcp/oauth/callback', 'http://localhost:8787/callback', 'https://www.cursor.com/agents/mcp/oauth/callback'],
  needsAllRedirects: false,
  publishedOAuth: { clientId: 'cursor-desktop' },
  shapeRules: () => [],
  fileRules: () => [],
  // Admin controls: none that fleet can write (catalog/managed.ts).
  mcpEra: { speaks: 'legacy', fact: { text: 'Cursor was not measured against a modern-only server; assumed legacy only until it is.', confidence: 'unconfirmed', source: 'not measured (issue 21)' } },
  managed: noManagedFiles([{ text: 'Team MCP controls live in the Cursor team admin dashboard (cloud), not in a file on the laptop.', confidence: 'unconfirmed', source: 'https://docs.cursor.com/account/teams/dashboard' }]),
  restartHint: 'Open Cursor Settings → MCP and refresh the server (or reload the window); existing chats may need a new one.',
  oauthSignInHint: 'Sign in when it asks (a browser window opens).',
});
