/**
 * Claude Desktop: `mcpServers` in claude_desktop_config.json. Its file reads only stdio
 * servers (remote ones need Settings → Connectors) and has no env interpolation, so header
 * mode becomes proxy (or mcp-remote with a literal token) and oauth goes through mcp-remote.
 */
import path from 'node:path';
import type { PathInput } from '../types.js';
import { defineClient } from './definition.js';
import { appData, listDirSafe, localAppData, plainStdioEntry, xdgConfigHome } from './shared.js';
import { noManagedFiles } from './managed.js';

/**
 * The MSIX (Store / current default installer) package dir of Claude Desktop, if present.
 * The publisher hash is normally `pzs8sxrjxfjjc`; prefer it, else the first `Claude_*` match.
 */
export function claudeMsixPackageDir(p: PathInput): string | undefined {
  if (!p.listDir) return undefined;
  const packages = path.win32.join(localAppData(p), 'Packages');
  const matches = listDirSafe(p, packages).filter((n) => /^Claude_[a-z0-9]+$/i.test(n)).sort();
  const pick = matches.find((n) => n.toLowerCase() === 'claude_pzs8sxrjxfjjc') ?? matches[0];
  return pick === undefined ? undefined : path.win32.join(packages, pick);
}

/** Claude Desktop's app-data dir (where claude_desktop_config.json lives). */
function claudeDesktopDir(p: PathInput): string {
  switch (p.platform) {
    case 'darwin':
      return path.posix.join(p.home, 'Library', 'Application Support', 'Claude');
    case 'win32': {
      // The MSIX build reads a virtualised copy of Roaming; writing %APPDATA% there is silently ignored.
      const msix = claudeMsixPackageDir(p);
      return msix !== undefined ? path.win32.join(msix, 'LocalCache', 'Roaming', 'Claude') : path.win32.join(appData(p), 'Claude');
    }
    default:
      return path.posix.join(xdgConfigHome(p), 'Claude');
  }
}

export const claudeDesktop = defineClient({
  id: 'claude-desktop',
  displayName: 'Claude Desktop',
  binaries: [],
  detectionDirs: (p) => {
    const dirs = [claudeDesktopDir(p)];
    if (p.platform === 'win32') {
      const msix = claudeMsixPackageDir(p);
      if (msix !== undefined) dirs.push(msix);
      dirs.push(path.win32.join(appData(p), 'Claude'));
    }
    if (p.platform === 'darwin') dirs.push('/Applications/Claude.app');
    return [...new Set(dirs)];
  },
  userPath: (p) => (p.platform === 'win32' ? path.win32 : path.posix).join(claudeDesktopDir(p), 'claude_desktop_config.json'),
  projectPath: null,
  format: 'jsonc',
  serversPath: ['mcpServers'],
  dialect: { stdioEntry: plainStdioEntry },
  envRefs: 'none',
  gui: true,
  // Signs in through mcp-remote with the port pinned right after the URL.
  oauthRedirects: (port) => [`http://localhost:${port}/oauth/callback`],
  needsAllRedirects: false,
  shapeRules: (e) => [
    {
      message: `"${e.name}" is a remote entry; Claude Desktop's file reads only stdio servers`,
      fix: `Use the proxy form instead: dbx-mcp add … --name ${e.name} --client claude-desktop --auth proxy${e.owned ? '' : ' --force'}`,
    },
  ],
  fileRules: () => [],
  // Admin controls: none that fleet can write (catalog/managed.ts).
  mcpEra: { speaks: 'legacy', fact: { text: 'Claude Desktop was not measured against a modern-only server; assumed legacy only until it is.', confidence: 'unconfirmed', source: 'not measured (issue 21)' } },
  managed: noManagedFiles([{ text: 'Claude Desktop connectors are managed in the Claude organization settings; no system MCP file is documented.', confidence: 'unconfirmed', source: 'https://support.claude.com' }]),
  restartHint: 'Quit Claude Desktop completely (closing the window is not enough) and start it again.',
  oauthSignInHint: 'Sign in when it asks (a browser window opens).',
});
