/**
 * VS Code (Copilot agent mode): `servers` in the user profile's mcp.json or
 * <project>/.vscode/mcp.json (JSONC; comments are kept by the surgical edit). `type` is
 * required on every entry; `${env:NAME}` interpolation; OAuth with `oauth.clientId`.
 */
import type { Ctx } from '../context.js';
import { detectClient } from './detect.js';
import { configPathFor } from './paths.js';
import { renderWithStyle, type ClientStyle } from './render.js';
import type { ClientAdapter, PathInput, Scope, ServerSpec } from './types.js';

const style: ClientStyle = {
  displayName: 'VS Code',
  envRef: (name) => `\${env:${name}}`,
  stdioType: true,
  gui: true,
  httpEntry: (url, headers) => ({ type: 'http', url, headers }),
  oauthEntry: (url, clientId) => ({ type: 'http', url, oauth: { clientId } }),
};

/** VS Code adapter. */
export const vscode: ClientAdapter = {
  id: 'vscode',
  displayName: 'VS Code',
  serversPath: ['servers'],
  configPath: (p: PathInput, scope: Scope) => configPathFor('vscode', p, scope),
  detect: (ctx: Ctx) => detectClient(ctx, 'vscode', ['code']),
  render: (spec: ServerSpec, platform: NodeJS.Platform) => renderWithStyle(style, spec, platform),
  restartHint: 'In VS Code run "MCP: List Servers" and start (or restart) the server; confirm trust when asked.',
};
