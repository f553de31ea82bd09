/**
 * Cursor: `mcpServers` in ~/.cursor/mcp.json or <project>/.cursor/mcp.json. Native
 * streamable HTTP from `url` (no `type`: an unknown one can make Cursor drop the file),
 * `${env:NAME}` interpolation, OAuth with a static client under `auth.CLIENT_ID`.
 */
import type { Ctx } from '../context.js';
import { detectClient } from './detect.js';
import { configPathFor } from './paths.js';
import { renderWithStyle, type ClientStyle } from './render.js';
import type { ClientAdapter, PathInput, Scope, ServerSpec } from './types.js';

const style: ClientStyle = {
  displayName: 'Cursor',
  envRef: (name) => `\${env:${name}}`,
  stdioType: false,
  gui: true,
  httpEntry: (url, headers) => ({ url, headers }),
  oauthEntry: (url, clientId) => ({ url, auth: { CLIENT_ID: clientId } }),
};

/** Cursor adapter. */
export const cursor: ClientAdapter = {
  id: 'cursor',
  displayName: 'Cursor',
  serversPath: ['mcpServers'],
  configPath: (p: PathInput, scope: Scope) => configPathFor('cursor', p, scope),
  detect: (ctx: Ctx) => detectClient(ctx, 'cursor', ['cursor', 'cursor-agent']),
  render: (spec: ServerSpec, platform: NodeJS.Platform) => renderWithStyle(style, spec, platform),
  restartHint: 'Open Cursor Settings → MCP and refresh the server (or reload the window); existing chats may need a new one.',
};
