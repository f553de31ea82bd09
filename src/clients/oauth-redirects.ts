/**
 * The OAuth redirect URLs each client uses with a pre-registered client, in the form dbx-mcp
 * writes it (each catalog definition's `oauthRedirects`). `oauth register` registers the union
 * for the chosen clients, so what is registered always matches what was written.
 */
import { clientDefinition, type ClientId } from './catalog/index.js';
import { DEFAULT_OAUTH_CALLBACK_PORT } from './render.js';

/** Redirect URLs for a client; `port` is the pinned callback port (mcp-remote and Claude Code). */
export function oauthRedirectUris(client: ClientId, port: number = DEFAULT_OAUTH_CALLBACK_PORT): string[] {
  return clientDefinition(client).oauthRedirects(port);
}

/** Union of the redirect URLs of several clients, without duplicates, in a stable order. */
export function oauthRedirectUrisFor(clients: readonly ClientId[], port?: number): string[] {
  return [...new Set(clients.flatMap((c) => oauthRedirectUris(c, port)))];
}
