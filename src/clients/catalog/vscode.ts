/**
 * VS Code (Copilot agent mode): `servers` in the user profile's mcp.json or
 * <project>/.vscode/mcp.json (JSONC; comments are kept by the surgical edit). `type` is
 * required on every entry; `${env:NAME}` interpolation (and `${input:…}` prompts); OAuth with `oauth.clientId`.
 */
import path from 'node:path';
import { pathFor } from '../../util/paths.js';
import type { PathInput } from '../types.js';
import { defineClient } from './definition.js';
import { appData, needsHttpType, typedStdioEntry, xdgConfigHome } from './shared.js';
import { noManagedFiles } from './managed.js';

/** VS Code's default-profile user dir (`Code/User`). */
function vscodeUserDir(p: PathInput): string {
  switch (p.platform) {
    case 'darwin':
      return path.posix.join(p.home, 'Library', 'Application Support', 'Code', 'User');
    case 'win32':
      return path.win32.join(appData(p), 'Code', 'User');
    default:
      return path.posix.join(xdgConfigHome(p), 'Code', 'User');
  }
}

export const vscode = defineClient({
  id: 'vscode',
  displayName: 'VS Code',
  binaries: ['code'],
  detectionDirs: (p) => [vscodeUserDir(p)],
  userPath: (p) => pathFor(p.platform).join(vscodeUserDir(p), 'mcp.json'),
  projectPath: (p, cwd) => pathFor(p.platform).join(cwd, '.vscode', 'mcp.json'),
  format: 'jsonc',
  serversPath: ['servers'],
  dialect: {
    stdioEntry: typedStdioEntry,
    httpEntry: (url, headers) => ({ type: 'http', url, headers }),
    oauthEntry: (url, clientId) => ({ type: 'http', url, oauth: { clientId } }),
  },
  envRefs: 'env-colon',
  promptInputs: true,
  gui: true,
  oauthRedirects: () => ['http://127.0.0.1:33418/', 'http://127.0.0.1/', 'https://vscode.dev/redirect', 'https://insiders.vscode.dev/redirect'],
  needsAllRedirects: false,
  shapeRules: needsHttpType,
  fileRules: (doc, file) =>
    typeof doc === 'object' && doc !== null && 'mcpServers' in doc
      ? [{ message: `${file} has "mcpServers"; VS Code reads "servers"`, fix: `Move the entries under "servers" in ${file}.` }]
      : [],
  // Admin controls: none that fleet can write (catalog/managed.ts).
  mcpEra: { speaks: 'legacy', fact: { text: 'VS Code was not measured against a modern-only server; assumed legacy only until it is.', confidence: 'unconfirmed', source: 'not measured (issue 21)' } },
  managed: noManagedFiles([{ text: 'Admin control is OS policy (Group Policy ADMX / macOS configuration profile), not a settings file: ChatMCP / chat.mcp.access ("none", "registry", "all") restricts MCP servers; an MCP registry URL lists approved ones. fleet does not generate policy payloads.', confidence: 'likely', source: 'https://code.visualstudio.com/docs/setup/enterprise; https://docs.github.com/en/copilot/how-tos/administer-copilot/configure-mcp-server-access' }]),
  restartHint: 'In VS Code run "MCP: List Servers" and start (or restart) the server; confirm trust when asked.',
  oauthSignInHint: 'Sign in when it asks (a browser window opens).',
});
