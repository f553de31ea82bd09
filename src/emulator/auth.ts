/**
 * Bearer authentication for `/api/` and MCP routes, with the exact failure bodies and headers
 * observed on real workspaces: integer `error_code`, 401 only for a missing or
 * non-bearer credential, 403 for anything wrong with the token itself (also expired OAuth).
 */
import type { ServerResponse } from 'node:http';
import { sendJson, type Caller, type Ctx, type Internals } from './http-util.js';
import type { TokenRecord, WorkspaceState } from './types.js';

export const MSG_NO_CREDENTIAL = 'Credential was not sent or was of an unsupported type for this API.';
export const MSG_INVALID_TOKEN = 'Invalid access token.';

/** Extracts the bearer token; undefined for missing or non-Bearer schemes. */
export function bearerOf(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/**
 * 401 for no credential. Plain APIs send `Www-Authenticate: Bearer realm="DatabricksRealm"`;
 * MCP routes send an RFC 9728 `resource_metadata` pointer instead (source: MCP endpoint and /oidc behaviour observed on real workspaces) so MCP clients can
 * discover the authorization server.
 */
export function sendUnauthenticated(res: ServerResponse, resourceMetadataUrl?: string): void {
  const www = resourceMetadataUrl ? `Bearer resource_metadata="${resourceMetadataUrl}"` : 'Bearer realm="DatabricksRealm"';
  // Header name casing follows the observed log (source: responses observed on real workspaces); Node sends it verbatim.
  sendJson(res, 401, { error_code: 401, message: MSG_NO_CREDENTIAL }, {
    'Www-Authenticate': www,
    'X-Databricks-Reason-Phrase': MSG_NO_CREDENTIAL,
  });
}

/** 403 with integer code and the reason-phrase header mirroring the message (source: responses observed on real workspaces). */
export function sendForbidden(res: ServerResponse, message: string): void {
  sendJson(res, 403, { error_code: 403, message }, { 'X-Databricks-Reason-Phrase': message });
}

/** Builds the caller for a token principal; undefined if the principal no longer exists. */
export function principalFor(state: WorkspaceState, token: TokenRecord): Caller | undefined {
  const user = state.users.find((u) => u.userName === token.principal);
  if (user) {
    if (!user.active) return undefined;
    return { kind: 'user', name: user.userName, id: user.id, displayName: user.displayName, groups: [...user.groups], accountAdmin: user.accountAdmin, token };
  }
  const sp = state.servicePrincipals.find((s) => s.applicationId === token.principal);
  if (sp) {
    return { kind: 'service-principal', name: sp.applicationId, id: sp.id, displayName: sp.displayName, groups: [...sp.groups], accountAdmin: sp.accountAdmin, token };
  }
  return undefined;
}

/**
 * Authenticates `ctx` for a workspace (`audience: 'workspace'`) or account route. On failure the
 * response is sent and undefined is returned.
 */
export function authenticate(
  ctx: Ctx,
  audience: 'workspace' | 'account',
  opts: { resourceMetadataUrl?: string } = {},
): Caller | undefined {
  const { ws, res } = ctx;
  const bearer = bearerOf(ctx.req.headers.authorization);
  if (!bearer) {
    sendUnauthenticated(res, opts.resourceMetadataUrl);
    return undefined;
  }
  const rec = tokenLookup(ws, bearer);
  if (!rec) {
    sendForbidden(res, MSG_INVALID_TOKEN);
    return undefined;
  }
  // Account tokens on a workspace: "Invalid access to Org" (source: responses observed on real workspaces).
  if (audience === 'workspace' && rec.audience === 'account' && !ws.scenario.unifiedAccountTokens) {
    sendForbidden(res, `Invalid access to Org: ${ws.workspaceId}`);
    return undefined;
  }
  const caller = principalFor(ws.state, rec);
  if (!caller) {
    sendForbidden(res, MSG_INVALID_TOKEN);
    return undefined;
  }
  return caller;
}

/** The token record if the token is currently valid under the scenario, else undefined. */
function tokenLookup(ws: Internals, bearer: string): TokenRecord | undefined {
  if (ws.scenario.invalidToken) return undefined;
  const rec = Object.prototype.hasOwnProperty.call(ws.state.tokens, bearer) ? ws.state.tokens[bearer] : undefined;
  if (!rec || rec.revoked) return undefined;
  if (rec.kind === 'oauth' && ws.scenario.expireTokens) return undefined;
  if (rec.expiresAt !== undefined && rec.expiresAt <= Date.now()) return undefined;
  return rec;
}
