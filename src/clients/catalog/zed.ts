/**
 * Zed: `context_servers` in Zed's settings.json, the file shared with every other Zed setting
 * (the codec edits surgically). Remote `{url, headers}` 🟡. Stdio entries carry
 * `source: "custom"` (breadth.md ❓: current docs add it, older ones nest `command`): one
 * table entry, ZED_STDIO_SOURCE. Env interpolation in the file is undocumented (❓), so header
 * mode gets the proxy form; no static OAuth client, so oauth goes through mcp-remote.
 */
import path from 'node:path';
import { pathFor } from '../../util/paths.js';
import type { PathInput } from '../types.js';
import { defineClient } from './definition.js';
import { appData, plainStdioEntry, xdgConfigHome } from './shared.js';
import { noManagedFiles } from './managed.js';

/** ❓ The extra keys of a stdio entry in `context_servers`. */
const ZED_STDIO_SOURCE = { source: 'custom' } as const;

/** Zed's config dir: ~/.config/zed on macOS, XDG on Linux, %APPDATA%\Zed on Windows (❓). */
function zedDir(p: PathInput): string {
  switch (p.platform) {
    case 'win32':
      return path.win32.join(appData(p), 'Zed');
    case 'darwin':
      return path.posix.join(p.home, '.config', 'zed');
    default:
      return path.posix.join(xdgConfigHome(p), 'zed');
  }
}

export const zed = defineClient({
  id: 'zed',
  displayName: 'Zed',
  binaries: ['zed', 'zeditor'],
  detectionDirs: (p) => [zedDir(p)],
  userPath: (p) => pathFor(p.platform).join(zedDir(p), 'settings.json'),
  projectPath: (p, cwd) => pathFor(p.platform).join(cwd, '.zed', 'settings.json'),
  format: 'jsonc',
  serversPath: ['context_servers'],
  dialect: {
    stdioEntry: (cmd, env) => ({ ...ZED_STDIO_SOURCE, ...plainStdioEntry(cmd, env) }),
    httpEntry: (url, headers) => ({ url, headers }),
  },
  envRefs: 'none',
  gui: true,
  // Signs in through mcp-remote with the port pinned right after the URL.
  oauthRedirects: (port) => [`http://localhost:${port}/oauth/callback`],
  needsAllRedirects: false,
  shapeRules: () => [],
  fileRules: () => [],
  // Admin controls: none that fleet can write (catalog/managed.ts).
  mcpEra: { speaks: 'legacy', fact: { text: 'Zed was not measured against a modern-only server; assumed legacy only until it is.', confidence: 'unconfirmed', source: 'not measured (issue 21)' } },
  managed: noManagedFiles([{ text: 'No system-wide managed config documented.', confidence: 'unconfirmed', source: 'https://zed.dev/docs/ai/mcp' }]),
  restartHint: 'Zed reloads settings.json when it changes; check the server in the Agent panel settings (Model Context Protocol).',
  oauthSignInHint: 'Sign in when it asks (a browser window opens).',
});
