/**
 * The OAuth redirect URLs each client uses with a pre-registered client, in the form dbx-mcp
 * writes it (mcp-remote, Claude Code and the vendors' docs for their callbacks). `oauth register` registers the union for the chosen
 * clients, so what is registered always matches what was written.
 */
import { DEFAULT_OAUTH_CALLBACK_PORT } from './render.js';
import type { ClientId } from './types.js';

/** Redirect URLs for a client; `port` is the pinned callback port (mcp-remote and Claude Code). */
export function oauthRedirectUris(client: ClientId, port: number = DEFAULT_OAUTH_CALLBACK_PORT): string[] {
  switch (client) {
    case 'claude-code':
      // 2.1.229+ may send 127.0.0.1 instead of localhost: register both.
      return [`http://localhost:${port}/callback`, `http://127.0.0.1:${port}/callback`];
    case 'claude-desktop':
    case 'windsurf':
      // Both sign in through mcp-remote with the port pinned right after the URL.
      return [`http://localhost:${port}/oauth/callback`];
    case 'cursor':
      return [
        'cursor://anysphere.cursor-mcp/oauth/callback',
        'http://localhost:8787/callback',
        'https://www.cursor.com/agents/mcp/oauth/callback',
      ];
    case 'vscode':
      return ['http://127.0.0.1:33418/', 'http://127.0.0.1/', 'https://vscode.dev/redirect', 'https://insiders.vscode.dev/redirect'];
  }
}

/** Union of the redirect URLs of several clients, without duplicates, in a stable order. */
export function oauthRedirectUrisFor(clients: readonly ClientId[], port?: number): string[] {
  return [...new Set(clients.flatMap((c) => oauthRedirectUris(c, port)))];
}
