/**
 * Does the workspace know this OAuth client id? Databricks has no dynamic client registration
 * and no public "list clients" call, so probe the token endpoint the way source: MCP endpoint and /oidc behaviour observed on real workspaces
 * describes: an authorization_code grant with a dummy code. 401 invalid_client = unknown;
 * 400 invalid_request ("Invalid authorization code") = known; anything else = inconclusive.
 */
import type { HttpClient } from '../databricks/http.js';
import { CLIENTS, type ClientId } from '../clients/catalog/index.js';

export type ProbeResult = 'known' | 'unknown' | 'inconclusive';

/** Databricks-published public clients that MCP clients can use without a custom app (source: Go SDK service/oauth2 published app integrations; https://docs.databricks.com/gcp/en/generative-ai/mcp/connect-clients). */
export const PUBLISHED_CLIENTS: Partial<Record<ClientId, { clientId: string; callbackPort?: number }>> = Object.fromEntries(
  CLIENTS.flatMap((c) => (c.publishedOAuth !== undefined ? [[c.id, c.publishedOAuth]] : [])),
);

// ≥ 43 characters: shorter verifiers are rejected before the client check (source: MCP endpoint and /oidc behaviour observed on real workspaces).
const VERIFIER = 'dbx-mcp-probe-verifier-0123456789abcdefghijklmnopqrstuvwxyz';

export async function probeOAuthClient(http: HttpClient, host: string, clientId: string, timeoutMs = 10_000): Promise<ProbeResult> {
  try {
    const res = await http.raw({
      method: 'POST',
      url: `${host}/oidc/v1/token`,
      form: { grant_type: 'authorization_code', code: 'dummy', redirect_uri: 'http://localhost:3118/callback', client_id: clientId, code_verifier: VERIFIER },
      timeoutMs,
    });
    const err = (res.json as { error?: string } | undefined)?.error;
    if (res.status === 401 || err === 'invalid_client') return 'unknown';
    if (res.status === 400 && (err === 'invalid_request' || err === 'invalid_grant')) return 'known';
    return 'inconclusive';
  } catch {
    return 'inconclusive';
  }
}
