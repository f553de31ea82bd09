/**
 * GitHub Copilot CLI: `mcpServers` in ~/.copilot/mcp-config.json, <project>/.github/mcp.json
 * for project scope (`copilot mcp --help` also names `.mcp.json`, which is Claude Code's
 * project file: dbx-mcp writes `.github/mcp.json`). Entries carry `type` (`local` / `http`)
 * and `tools: ["*"]`; `${NAME}` in headers (🟡: one table entry, `envRefs`); no documented
 * static OAuth client, so oauth goes through mcp-remote.
 */
import { pathFor } from '../../util/paths.js';
import { defineClient } from './definition.js';
import { ERA_MEASUREMENT as M21 } from './shared.js';
import { needsHttpType } from './shared.js';
import { noManagedFiles } from './managed.js';

export const copilotCli = defineClient({
  id: 'copilot-cli',
  displayName: 'Copilot CLI',
  binaries: ['copilot'],
  detectionDirs: (p) => [pathFor(p.platform).join(p.home, '.copilot')],
  userPath: (p) => pathFor(p.platform).join(p.home, '.copilot', 'mcp-config.json'),
  projectPath: (p, cwd) => pathFor(p.platform).join(cwd, '.github', 'mcp.json'),
  format: 'jsonc',
  serversPath: ['mcpServers'],
  dialect: {
    stdioEntry: (cmd, env) => ({ type: 'local', command: cmd.command, args: cmd.args, ...(env !== undefined ? { env } : {}), tools: ['*'] }),
    httpEntry: (url, headers) => ({ type: 'http', url, headers, tools: ['*'] }),
  },
  envRefs: 'shell',
  gui: false,
  // Signs in through mcp-remote with the port pinned right after the URL.
  oauthRedirects: (port) => [`http://localhost:${port}/oauth/callback`],
  needsAllRedirects: false,
  shapeRules: needsHttpType,
  fileRules: () => [],
  // Admin controls: none that fleet can write (catalog/managed.ts).
  mcpEra: {
    speaks: 'dual',
    modernSince: '1.0.102',
    fact: {
      text: 'Copilot CLI 1.0.102 speaks both eras: its native entry sends server/discover first (a modern-only server: `copilot -p` calls its tools in 2026-07-28) and falls back to initialize (2025-11-25) when a legacy server refuses it; its proxy entry calls them too. Older versions were not measured: 1.0.102 is the oldest known to reach a modern-only server.',
      confidence: 'confirmed',
      source: `${M21}; \`copilot -p\` (offline, with a stand-in model), test/e2e/real-clients-model.test.ts`,
    },
  },
  managed: noManagedFiles([{ text: 'GitHub Copilot MCP allowlists are enterprise policies / a managed-settings.json stored on GitHub; fleet does not generate it.', confidence: 'likely', source: 'https://docs.github.com/en/copilot/how-tos/administer-copilot/manage-mcp-usage/configure-enterprise-allowlist' }]),
  restartHint: 'Start a new Copilot CLI session; check with `copilot mcp list`.',
  oauthSignInHint: 'Sign in when it asks (a browser window opens).',
});
