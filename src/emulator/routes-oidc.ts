/**
 * Public OAuth / discovery routes (source: MCP endpoint and /oidc behaviour observed on real workspaces; https://docs.databricks.com/dev-tools/auth/oauth-u2m.html): authorization-server metadata (no
 * `registration_endpoint`: Databricks has no DCR), authorize with loopback-port-agnostic
 * redirect matching, the token endpoint with the client-probe semantics Databricks' own tools
 * rely on, RFC 9728 protected-resource metadata for MCP URLs, and the host metadata of
 * `/.well-known/databricks-config` (fields: Go SDK v0.175 config/host_metadata.go; a 404 with
 * `scenario.noHostMetadata`, which the SDKs tolerate).
 */
import { federatedPrincipal, FEDERATION_REJECTED } from './federation.js';
import { asRecord, sendEmpty, sendJson, type Ctx } from './http-util.js';
import { MCP_SCOPES, parseMcpPath } from './mcp-paths.js';
import { findClient, mintToken, pkceOk, redirectMatches } from './oauth.js';
import { route, type Route } from './router.js';

type Audience = 'workspace' | 'account';

function oauthError(ctx: Ctx, status: number, error: string, description: string): void {
  sendJson(ctx.res, status, { error, error_description: description });
}

/** Base of the authorization server: workspace `/oidc` or account `/oidc/accounts/{id}`. */
function issuer(ctx: Ctx, audience: Audience): string {
  return audience === 'account' ? `${ctx.ws.baseUrl()}/oidc/accounts/${ctx.ws.accountId}` : `${ctx.ws.baseUrl()}/oidc`;
}

/** Metadata as probed live (source: https://docs.databricks.com/dev-tools/auth/oauth-u2m.html), with this server's URLs. */
function metadata(ctx: Ctx, audience: Audience): void {
  if (ctx.ws.scenario.oidcDisabled) return sendJson(ctx.res, 404, { error_code: 'NOT_FOUND', message: 'Not Found' });
  const iss = issuer(ctx, audience);
  sendJson(ctx.res, 200, {
    authorization_endpoint: `${iss}/v1/authorize`,
    token_endpoint: `${iss}/v1/token`,
    issuer: iss,
    jwks_uri: `${iss}/jwks.json`,
    scopes_supported: ['all-apis', 'email', 'offline_access', 'openid', 'profile', 'sql'],
    response_types_supported: ['code', 'id_token'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti', 'name', 'family_name', 'given_name', 'preferred_username'],
    request_uri_parameter_supported: false,
  });
}

function authorize(ctx: Ctx, audience: Audience): void {
  const q = ctx.query;
  const clientId = q.get('client_id') ?? '';
  const redirectUri = q.get('redirect_uri') ?? '';
  const client = findClient(ctx.ws.state, clientId);
  // Never redirect to an unverified URI: errors about the client/redirect are shown, not sent back.
  if (!client || client.servicePrincipal) return oauthError(ctx, 400, 'invalid_client', `Invalid client_id: ${clientId}`);
  if (!redirectMatches(client.redirectUrls, redirectUri)) return oauthError(ctx, 400, 'invalid_request', 'Invalid redirect_uri');
  const target = new URL(redirectUri);
  const state = q.get('state');
  if (q.get('response_type') !== 'code') {
    target.searchParams.set('error', 'unsupported_response_type');
  } else {
    const code = ctx.ws.oauth.issueCode({
      clientId,
      redirectUri,
      principal: ctx.ws.state.browserUser,
      scope: q.get('scope') ?? 'all-apis',
      audience,
      ...(q.get('code_challenge') ? { codeChallenge: q.get('code_challenge')! } : {}),
    });
    target.searchParams.set('code', code);
  }
  if (state !== null) target.searchParams.set('state', state);
  sendEmpty(ctx.res, 302, { Location: target.toString() });
}

/** client_id/secret from `Authorization: Basic` (M2M, source: Go SDK config/auth_m2m.go) or the form (client_secret_post / public). */
function clientCredentials(ctx: Ctx, form: Record<string, unknown>): { id: string; secret?: string } {
  const m = /^Basic\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '');
  if (m) {
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    const id = decodeURIComponent(i < 0 ? decoded : decoded.slice(0, i));
    return i < 0 ? { id } : { id, secret: decodeURIComponent(decoded.slice(i + 1)) };
  }
  const id = typeof form.client_id === 'string' ? form.client_id : '';
  return typeof form.client_secret === 'string' ? { id, secret: form.client_secret } : { id };
}

function tokenResponse(ctx: Ctx, access: { token: string; expiresIn: number }, scope: string, refresh?: string): void {
  sendJson(ctx.res, 200, {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    scope,
    ...(refresh ? { refresh_token: refresh } : {}),
  }, { 'Cache-Control': 'no-store' });
}

function token(ctx: Ctx, audience: Audience): void {
  const { state, oauth } = ctx.ws;
  const form = asRecord(ctx.body);
  const str = (k: string): string | undefined => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
  const grant = str('grant_type');
  const iss = issuer(ctx, audience);
  const cred = clientCredentials(ctx, form);

  if (grant === 'client_credentials') {
    const client = findClient(state, cred.id);
    if (!client?.servicePrincipal || cred.secret !== client.secret) {
      return oauthError(ctx, 401, 'invalid_client', 'Client authentication failed');
    }
    const scope = str('scope') ?? 'all-apis';
    return tokenResponse(ctx, mintToken(state, iss, { principal: client.servicePrincipal, audience, scope, clientId: cred.id }), scope);
  }

  if (grant === 'urn:ietf:params:oauth:grant-type:token-exchange') {
    const scope = str('scope') ?? 'all-apis';
    const principal = str('subject_token_type') === 'urn:ietf:params:oauth:token-type:jwt'
      ? federatedPrincipal(state, str('client_id') ?? '', str('subject_token') ?? '', audience === 'account' ? ctx.ws.accountId : `${iss}/v1/token`)
      : undefined;
    if (!principal) return oauthError(ctx, FEDERATION_REJECTED.status, FEDERATION_REJECTED.error, FEDERATION_REJECTED.description);
    return tokenResponse(ctx, mintToken(state, iss, { principal, audience, scope, clientId: principal }), scope);
  }

  if (grant === 'authorization_code') {
    // Order matters for the client-existence probe (source: MCP endpoint and /oidc behaviour observed on real workspaces): verifier length first, then the client, then the code.
    const verifier = str('code_verifier');
    if (verifier !== undefined && verifier.length < 43) {
      return oauthError(ctx, 400, 'invalid_request', 'code_verifier must be between 43 and 128 characters');
    }
    const client = findClient(state, cred.id);
    if (!client || client.servicePrincipal) return oauthError(ctx, 401, 'invalid_client', 'Client authentication failed');
    if (client.secret && cred.secret !== undefined && cred.secret !== client.secret) {
      return oauthError(ctx, 401, 'invalid_client', 'Client authentication failed');
    }
    const code = str('code') ?? '';
    const pending = oauth.codes.get(code);
    if (!pending || pending.clientId !== cred.id || pending.audience !== audience) {
      return oauthError(ctx, 400, 'invalid_request', 'Invalid authorization code');
    }
    oauth.codes.delete(code); // single use
    if (pending.redirectUri !== str('redirect_uri')) return oauthError(ctx, 400, 'invalid_grant', 'redirect_uri mismatch');
    if (!pkceOk(pending.codeChallenge, verifier)) return oauthError(ctx, 400, 'invalid_grant', 'PKCE verification failed');
    const access = mintToken(state, iss, {
      principal: pending.principal, audience, scope: pending.scope, clientId: cred.id,
      ...(client.accessTtlMin ? { ttlSec: client.accessTtlMin * 60 } : {}),
    });
    const refresh = pending.scope.split(/\s+/).includes('offline_access')
      ? oauth.issueRefresh({ clientId: cred.id, principal: pending.principal, scope: pending.scope, audience })
      : undefined;
    return tokenResponse(ctx, access, pending.scope, refresh);
  }

  if (grant === 'refresh_token') {
    const rt = str('refresh_token') ?? '';
    const g = ctx.ws.scenario.revokeRefreshTokens ? undefined : oauth.refreshTokens.get(rt);
    // Exact body the SDK maps to InvalidRefreshTokenError; the CLI acceptance test uses 401 (source: responses observed on real workspaces).
    if (!g || g.clientId !== cred.id || g.audience !== audience) {
      return oauthError(ctx, 401, 'invalid_request', 'Refresh token is invalid');
    }
    const client = findClient(state, cred.id);
    const access = mintToken(state, iss, {
      principal: g.principal, audience, scope: g.scope, clientId: cred.id,
      ...(client?.accessTtlMin ? { ttlSec: client.accessTtlMin * 60 } : {}),
    });
    if (ctx.ws.scenario.rotateRefreshTokens) {
      oauth.refreshTokens.delete(rt);
      return tokenResponse(ctx, access, g.scope, oauth.issueRefresh(g));
    }
    return tokenResponse(ctx, access, g.scope, rt);
  }

  return oauthError(ctx, 400, 'unsupported_grant_type', `Unsupported grant_type: ${grant ?? '(none)'}`);
}

/** RFC 9728 metadata for an MCP URL; unauthenticated (source: MCP endpoint and /oidc behaviour observed on real workspaces). */
function protectedResource(ctx: Ctx, rest: string): void {
  const target = parseMcpPath(`/api/2.0/mcp/${rest}`);
  if (!target) return sendJson(ctx.res, 404, { error_code: 'NOT_FOUND', message: 'Not Found' });
  const base = ctx.ws.baseUrl();
  sendJson(ctx.res, 200, {
    resource: `${base}${target.path}`,
    authorization_servers: [`${base}/oidc`],
    scopes_supported: [MCP_SCOPES[target.kind], 'offline_access'],
    bearer_methods_supported: ['header'],
  });
}

/** Account-scoped route guard: the account id in the path must be ours. */
function acct(fn: (ctx: Ctx) => void): Route['handle'] {
  return (ctx, [id]) => (id === ctx.ws.accountId ? fn(ctx) : sendJson(ctx.res, 404, { error: 'not_found', error_description: 'Unknown account' }));
}

/** `/.well-known/databricks-config` of a workspace host (Go SDK v0.175 config/host_metadata.go HostMetadata). */
export function workspaceHostMetadata(base: string, workspaceId: string, accountId: string): Record<string, unknown> {
  return {
    oidc_endpoint: `${base}/oidc`,
    account_id: accountId,
    workspace_id: workspaceId,
    cloud: 'AWS',
    host_type: 'WORKSPACE_HOST',
    token_federation_default_oidc_audiences: [`${base}/oidc/v1/token`],
  };
}

export const oidcRoutes: Route[] = [
  route('GET', /^\/oidc\/\.well-known\/(?:oauth-authorization-server|openid-configuration)$/, 'none', (ctx) => metadata(ctx, 'workspace')),
  route('GET', /^\/oidc\/v1\/authorize$/, 'none', (ctx) => authorize(ctx, 'workspace')),
  route('POST', /^\/oidc\/v1\/token$/, 'none', (ctx) => token(ctx, 'workspace')),
  route('GET', /^\/oidc\/accounts\/([^/]+)\/\.well-known\/(?:oauth-authorization-server|openid-configuration)$/, 'none', acct((ctx) => metadata(ctx, 'account'))),
  route('GET', /^\/oidc\/accounts\/([^/]+)\/v1\/authorize$/, 'none', acct((ctx) => authorize(ctx, 'account'))),
  route('POST', /^\/oidc\/accounts\/([^/]+)\/v1\/token$/, 'none', acct((ctx) => token(ctx, 'account'))),
  route('GET', /^\/\.well-known\/oauth-protected-resource\/api\/2\.0\/mcp\/(.+)$/, 'none', (ctx, [rest]) => protectedResource(ctx, rest ?? '')),
  route('GET', /^\/\.well-known\/databricks-config$/, 'none', (ctx) =>
    ctx.ws.scenario.noHostMetadata ? sendJson(ctx.res, 404, { error_code: 'NOT_FOUND', message: 'Not Found' }) : sendJson(ctx.res, 200, workspaceHostMetadata(ctx.ws.baseUrl(), ctx.ws.workspaceId, ctx.ws.accountId)),
  ),
];
