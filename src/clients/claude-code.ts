/**
 * Claude Code: top-level `mcpServers` in ~/.claude.json ($CLAUDE_CONFIG_DIR) for user scope,
 * <project>/.mcp.json for project scope. URL entries need `type: "http"`; `${NAME}`
 * interpolation, which Claude Code also applies to `args` from its own environment (so the
 * mcp-remote header value goes into `env`, never `args`: see render.ts).
 */
import type { Ctx } from '../context.js';
import { detectClient } from './detect.js';
import { configPathFor } from './paths.js';
import { renderWithStyle, type ClientStyle } from './render.js';
import type { ClientAdapter, PathInput, Scope, ServerSpec } from './types.js';

const style: ClientStyle = {
  displayName: 'Claude Code',
  envRef: (name) => `\${${name}}`,
  stdioType: true,
  gui: false,
  httpEntry: (url, headers) => ({ type: 'http', url, headers }),
  oauthEntry: (url, clientId, callbackPort) => ({ type: 'http', url, oauth: { clientId, callbackPort } }),
};

/** Claude Code adapter. */
export const claudeCode: ClientAdapter = {
  id: 'claude-code',
  displayName: 'Claude Code',
  serversPath: ['mcpServers'],
  configPath: (p: PathInput, scope: Scope) => configPathFor('claude-code', p, scope),
  detect: (ctx: Ctx) => detectClient(ctx, 'claude-code', ['claude']),
  render: (spec: ServerSpec, platform: NodeJS.Platform) => renderWithStyle(style, spec, platform),
  restartHint: 'Start a new Claude Code session, or run /mcp and choose Reconnect; check with `claude mcp list`.',
};
