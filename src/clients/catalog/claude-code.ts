/**
 * Claude Code: top-level `mcpServers` in ~/.claude.json ($CLAUDE_CONFIG_DIR) for user scope,
 * <project>/.mcp.json for project scope. URL entries need `type: "http"`; `${NAME}`
 * interpolation, which Claude Code also applies to `args` from its own environment (so the
 * mcp-remote header value goes into `env`, never `args`: see render.ts).
 */
import { pathFor } from '../../util/paths.js';
import type { PathInput } from '../types.js';
import { defineClient } from './definition.js';
import { ERA_MEASUREMENT as M21 } from './shared.js';
import { envValue, needsHttpType, typedStdioEntry } from './shared.js';
import { claudeCodeManaged } from './claude-code-managed.js';

/** Claude Code's config dir: $CLAUDE_CONFIG_DIR, else the home directory. */
function claudeCodeDir(p: PathInput): string {
  return envValue(p, 'CLAUDE_CONFIG_DIR') ?? p.home;
}

export const claudeCode = defineClient({
  id: 'claude-code',
  displayName: 'Claude Code',
  binaries: ['claude'],
  detectionDirs: (p) => [pathFor(p.platform).join(claudeCodeDir(p), '.claude.json'), pathFor(p.platform).join(p.home, '.claude')],
  userPath: (p) => pathFor(p.platform).join(claudeCodeDir(p), '.claude.json'),
  projectPath: (p, cwd) => pathFor(p.platform).join(cwd, '.mcp.json'),
  format: 'jsonc',
  serversPath: ['mcpServers'],
  dialect: {
    stdioEntry: typedStdioEntry,
    httpEntry: (url, headers) => ({ type: 'http', url, headers }),
    oauthEntry: (url, clientId, callbackPort) => ({ type: 'http', url, oauth: { clientId, callbackPort } }),
  },
  envRefs: 'shell',
  // Started from a shell: it sees the shell's PATH.
  gui: false,
  // 2.1.229+ may send 127.0.0.1 instead of localhost: register both.
  oauthRedirects: (port) => [`http://localhost:${port}/callback`, `http://127.0.0.1:${port}/callback`],
  needsAllRedirects: true,
  // Claude Code's loopback `/callback` is registered for `claude-code`; 3118 is the port Databricks' own tooling pins.
  publishedOAuth: { clientId: 'claude-code', callbackPort: 3118 },
  shapeRules: needsHttpType,
  fileRules: () => [],
  // Measured (issue 21) against the emulator's modern-only server; the first dual-era version by
  // bisecting the published versions from 2.1.197 (legacy) to 2.1.330 (dual).
  mcpEra: {
    speaks: 'dual',
    modernSince: '2.1.274',
    olderMeasured: true,
    fact: {
      text: 'Claude Code 2.1.274 and later (2.1.274, 2.1.276, 2.1.281, 2.1.296, 2.1.330, 2.1.332 and the newest, 2.1.337, measured) send server/discover first and speak MCP 2026-07-28 to a modern-only server (no initialize, no session); against a legacy one they fall back to initialize (measured for 2.1.274, 2.1.330 and 2.1.337): both eras. 2.1.273 and older (2.1.197, 2.1.265, 2.1.272, 2.1.273 measured) send initialize only.',
      confidence: 'confirmed',
      source: `${M21}; the emulator's modern-only server (test/e2e/real-clients-eras.test.ts, pinned 2.1.337)`,
    },
  },
  managed: claudeCodeManaged,
  // 2.1.337 (not 2.1.332) checks stdio servers in `claude mcp list` only in a folder it trusts (HOME is one).
  restartHint: 'Start a new Claude Code session, or run /mcp and choose Reconnect; check with `claude mcp list` in a folder Claude Code trusts (elsewhere it shows stdio entries, the proxy too, as Not checked).',
  oauthSignInHint: 'Then run /mcp and choose Authenticate.',
});
