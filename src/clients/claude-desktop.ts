/**
 * Claude Desktop: `mcpServers` in claude_desktop_config.json. Its file reads only stdio
 * servers (remote ones need Settings → Connectors) and has no env interpolation, so header
 * mode becomes proxy (or mcp-remote with a literal token) and oauth goes through mcp-remote.
 */
import type { Ctx } from '../context.js';
import { detectClient } from './detect.js';
import { configPathFor } from './paths.js';
import { renderWithStyle, type ClientStyle } from './render.js';
import type { ClientAdapter, PathInput, Scope, ServerSpec } from './types.js';

const style: ClientStyle = { displayName: 'Claude Desktop', stdioType: false, gui: true };

/** Claude Desktop adapter. */
export const claudeDesktop: ClientAdapter = {
  id: 'claude-desktop',
  displayName: 'Claude Desktop',
  serversPath: ['mcpServers'],
  configPath: (p: PathInput, scope: Scope) => configPathFor('claude-desktop', p, scope),
  detect: (ctx: Ctx) => detectClient(ctx, 'claude-desktop', []),
  render: (spec: ServerSpec, platform: NodeJS.Platform) => renderWithStyle(style, spec, platform),
  restartHint: 'Quit Claude Desktop completely (closing the window is not enough) and start it again.',
};
