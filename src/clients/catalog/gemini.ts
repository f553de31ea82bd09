/**
 * Gemini CLI: `mcpServers` in ~/.gemini/settings.json or <project>/.gemini/settings.json. JSON
 * with comments, but a trailing comma is rejected (so the codec never introduces one). Remote
 * entries use `httpUrl` (a bare `url` means SSE on older builds), `${NAME}` interpolation
 * anywhere, OAuth with `oauth: {enabled, clientId, redirectUri}` (the redirect is pinned).
 * The policy parser splits server names on `_`: add warns about such a name.
 */
import { pathFor } from '../../util/paths.js';
import { defineClient } from './definition.js';
import { ERA_MEASUREMENT as M21 } from './shared.js';
import { plainStdioEntry } from './shared.js';
import { geminiManaged } from './gemini-managed.js';

/** Gemini's OAuth callback path (`REDIRECT_PATH` in its oauth-flow.ts); the port is pinned by `redirectUri`. */
const geminiRedirect = (port: number): string => `http://localhost:${port}/oauth/callback`;

export const gemini = defineClient({
  id: 'gemini',
  displayName: 'Gemini CLI',
  binaries: ['gemini'],
  detectionDirs: (p) => [pathFor(p.platform).join(p.home, '.gemini')],
  userPath: (p) => pathFor(p.platform).join(p.home, '.gemini', 'settings.json'),
  projectPath: (p, cwd) => pathFor(p.platform).join(cwd, '.gemini', 'settings.json'),
  format: 'jsonc',
  formatOptions: { trailingCommas: 'never' },
  serversPath: ['mcpServers'],
  dialect: {
    stdioEntry: plainStdioEntry,
    httpEntry: (httpUrl, headers) => ({ httpUrl, headers }),
    oauthEntry: (httpUrl, clientId, callbackPort) => ({ httpUrl, oauth: { enabled: true, clientId, redirectUri: geminiRedirect(callbackPort) } }),
  },
  envRefs: 'shell',
  nameWarning: (name) =>
    name.includes('_')
      ? `Gemini CLI splits server names on "_" in its tool policies; prefer "${name.replace(/_/g, '-')}" (--name ${name.replace(/_/g, '-')}).`
      : undefined,
  gui: false,
  oauthRedirects: (port) => [geminiRedirect(port)],
  needsAllRedirects: false,
  shapeRules: (e) =>
    typeof e.entry.httpUrl === 'string' || e.entry.type === 'http' || !e.isDatabricks
      ? []
      : [{ message: `"${e.name}" uses "url" without "type": "http"; Gemini CLI may treat it as SSE`, fix: `Rename "url" to "httpUrl" in ${e.name}.` }],
  fileRules: () => [],
  mcpEra: { speaks: 'legacy', fact: { text: 'Gemini CLI 0.61 (the newest measured) speaks legacy only: against a modern-only server it shows "Disconnected".', confidence: 'confirmed', source: M21 } },
  managed: geminiManaged,
  restartHint: 'Restart Gemini CLI, or run /mcp reload in it; check with `gemini mcp list`.',
  oauthSignInHint: 'Then run /mcp auth <name> in Gemini CLI.',
});
