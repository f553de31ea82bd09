/**
 * Windsurf: `mcpServers` in ~/.codeium/windsurf/mcp_config.json (windsurf-next when only
 * that build exists). Remote entries use `serverUrl` (older builds ignore `url`), `${env:NAME}`
 * interpolation; no documented static OAuth client, so oauth goes through mcp-remote.
 */
import type { Ctx } from '../context.js';
import { detectClient } from './detect.js';
import { configPathFor } from './paths.js';
import { renderWithStyle, type ClientStyle } from './render.js';
import type { ClientAdapter, PathInput, Scope, ServerSpec } from './types.js';

const style: ClientStyle = {
  displayName: 'Windsurf',
  envRef: (name) => `\${env:${name}}`,
  stdioType: false,
  gui: true,
  httpEntry: (serverUrl, headers) => ({ serverUrl, headers }),
};

/** Windsurf adapter. */
export const windsurf: ClientAdapter = {
  id: 'windsurf',
  displayName: 'Windsurf',
  serversPath: ['mcpServers'],
  configPath: (p: PathInput, scope: Scope) => configPathFor('windsurf', p, scope),
  detect: (ctx: Ctx) => detectClient(ctx, 'windsurf', ['windsurf', 'windsurf-next']),
  render: (spec: ServerSpec, platform: NodeJS.Platform) => renderWithStyle(style, spec, platform),
  restartHint: 'In Windsurf, open Cascade → MCP servers and press the refresh button.',
};
