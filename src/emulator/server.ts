/**
 * The request pipeline: record → read body → scenario switches → route → IP ACL → auth →
 * handler. Node's `http` only; every route module plugs in through the router table.
 */
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, sendForbidden } from './auth.js';
import { parseBody, readBody, sendError, sendJson, sleep, type Ctx, type Internals } from './http-util.js';
import { parseAppPath, parseMcpPath, parseServicePath } from './mcp-paths.js';
import { appsRoutes, visibleApp } from './routes-apps.js';
import { aclLevel, atLeast } from './routes-genie.js';
import type { McpSessions } from './mcp-servers.js';
import { match, route, type Route } from './router.js';
import { accountRoutes } from './routes-account.js';
import { computeRoutes } from './routes-compute.js';
import { genieRoutes } from './routes-genie.js';
import { federationRoutes } from './federation.js';
import { oidcRoutes } from './routes-oidc.js';
import { ucRoutes } from './routes-uc.js';
import { workspaceRoutes } from './routes-workspace.js';
import { takeCounted } from './scenario.js';
import type { RecordedRequest } from './types.js';

/** Entries kept in the request log; the oldest are dropped. */
export const MAX_LOGGED_REQUESTS = 5000;
const MAX_LATENCY_MS = 60_000;

const SECRET_KEYS = /secret|token|password|code_verifier|^code$|authorization/i;
const SECRET_VALUES = [/\bdapi[0-9a-f]{16,}(-\d+)?\b/gi, /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, /\bdose[0-9a-f]{16,}\b/gi, /\bdoau[0-9a-f]{16,}\b/gi];

/** Deep copy with secret-looking keys and token-looking values replaced by `***`. */
export function redactValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return SECRET_VALUES.reduce((s, re) => s.replace(re, '***'), v);
  if (depth > 8 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => redactValue(x, depth + 1));
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, SECRET_KEYS.test(k) && typeof x === 'string' ? '***' : redactValue(x, depth + 1)]),
  );
}

function redactHeaders(h: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    const val = Array.isArray(v) ? v.join(', ') : v;
    if (k === 'authorization') out[k] = /^(\w+)\s/.test(val) ? `${/^(\w+)\s/.exec(val)![1]} ***` : '***';
    else if (k === 'cookie') out[k] = '***';
    else out[k] = redactValue(val) as string;
  }
  return out;
}

/** The catch-all MCP route; the target is parsed and served by McpSessions. */
function mcpRoute(sessions: McpSessions): Route {
  return route(['GET', 'POST', 'DELETE'], /^\/api\/2\.0\/mcp(?:\/.*)?$/, 'mcp', async (ctx) => {
    const target = parseMcpPath(ctx.path);
    if (!target) return sendError(ctx.res, 404, 'ENDPOINT_NOT_FOUND', `No MCP server found at ${ctx.path}`);
    await sessions.handle(ctx, target);
  });
}

/** AI Gateway MCP services: `/ai-gateway/mcp-services/<catalog>.<schema>.<name>`. */
function serviceRoute(sessions: McpSessions): Route {
  return route(['GET', 'POST', 'DELETE'], /^\/ai-gateway\/mcp-services(?:\/.*)?$/, 'mcp', async (ctx) => {
    const target = parseServicePath(ctx.path);
    if (!target) return sendError(ctx.res, 404, 'ENDPOINT_NOT_FOUND', `No MCP service found at ${ctx.path}`);
    await sessions.handle(ctx, target);
  });
}

export function buildRoutes(sessions: McpSessions): Route[] {
  return [...oidcRoutes, ...federationRoutes, ...workspaceRoutes, ...ucRoutes, ...genieRoutes, ...computeRoutes, ...accountRoutes, ...appsRoutes, serviceRoute(sessions), mcpRoute(sessions)];
}

/** Message of the apps server for a personal access token (illustrative: the real wording is not documented). */
export const MSG_APP_NEEDS_OAUTH = 'Databricks Apps accept OAuth tokens only; a personal access token was sent.';

/**
 * The apps server's one route: `/<app>/mcp`. Apps authenticate with the workspace's OAuth
 * tokens only (a `dapi…` PAT is refused with 401), the caller needs CAN_USE on the app, and the
 * app must be running.
 */
export function buildAppRoutes(sessions: McpSessions): Route[] {
  return [
    route(['GET', 'POST', 'DELETE'], /^\/[^/]+\/mcp\/?$/, 'none', async (ctx) => {
      const target = parseAppPath(ctx.path);
      if (!target) return sendError(ctx.res, 404, 'ENDPOINT_NOT_FOUND', `No app at ${ctx.path}`);
      const caller = authenticate(ctx, 'workspace');
      if (!caller) return;
      if (caller.token.kind !== 'oauth') {
        return sendJson(ctx.res, 401, { error_code: 401, message: MSG_APP_NEEDS_OAUTH });
      }
      const app = visibleApp(ctx.ws, caller, target.parts[0]!);
      if (!app) return sendError(ctx.res, 404, 'RESOURCE_DOES_NOT_EXIST', `App ${target.parts[0]} does not exist.`);
      if (!atLeast(aclLevel(app.acl, caller), 'CAN_USE')) return sendForbidden(ctx.res, `You need CAN_USE on app ${app.name}.`);
      if (app.appState !== 'RUNNING' || app.computeState !== 'ACTIVE') return sendError(ctx.res, 503, 'TEMPORARILY_UNAVAILABLE', `App ${app.name} is not running.`);
      ctx.caller = caller;
      await sessions.handle(ctx, target);
    }),
  ];
}

/** IP ACL block (source: responses observed on real workspaces), integer error_code, with a ReqId suffix like the observed message. */
function ipAclBlocked(ctx: Ctx, isAccount: boolean): boolean {
  const acl = ctx.ws.scenario.ipAcl;
  if (!acl) return false;
  const target = acl.target ?? 'all';
  if ((target === 'workspace' && isAccount) || (target === 'account' && !isAccount)) return false;
  const where = isAccount ? `account: ${ctx.ws.accountId}` : `workspace: ${ctx.ws.workspaceId}`;
  const message = `Source IP address: ${acl.sourceIp} is blocked by Databricks IP ACL for ${where} [ReqId: ${randomUUID()}]`;
  sendJson(ctx.res, 403, { error_code: 403, message }, { 'X-Databricks-Reason-Phrase': message });
  return true;
}

/** Account routes: our account id, an authenticated principal, and an account admin. */
function authAccount(ctx: Ctx): boolean {
  const id = /^\/api\/2\.0\/accounts\/([^/]+)/.exec(ctx.path)?.[1];
  const caller = authenticate(ctx, 'account');
  if (!caller) return false;
  if (id !== ctx.ws.accountId) {
    sendError(ctx.res, 404, 'RESOURCE_DOES_NOT_EXIST', `Account ${id ?? ''} does not exist.`);
    return false;
  }
  if (ctx.ws.scenario.accountNonAdmin || !caller.accountAdmin) {
    sendError(ctx.res, 403, 'PERMISSION_DENIED', 'Only account admins can perform this operation.');
    return false;
  }
  ctx.caller = caller;
  return true;
}

/**
 * Creates the `http` request listener. `log` is the live `ws.requests` array; `events` gets
 * `request` when a request's body has been read (the entry is complete), `response` when its
 * status goes out, and `end` when its exchange is over (`entry.outcome` set), so tests await
 * what the server saw instead of polling.
 */
export function createListener(ws: Internals, routes: Route[], log: RecordedRequest[], events?: EventEmitter) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: RecordedRequest = {
      method, path: url.pathname, query: Object.fromEntries(url.searchParams),
      headers: redactHeaders(req.headers), body: undefined, status: 0, at: Date.now(),
    };
    log.push(entry);
    if (log.length > MAX_LOGGED_REQUESTS) log.splice(0, log.length - MAX_LOGGED_REQUESTS);
    // Capture the status when headers go out (SSE responses may stay open for long).
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      entry.status = Number(args[0]);
      const r = writeHead(...args);
      events?.emit('response', entry);
      return r;
    }) as typeof res.writeHead;
    res.on('finish', () => {
      if (!entry.status) entry.status = res.statusCode;
      entry.outcome = 'answered';
      events?.emit('end', entry);
    });
    res.on('close', () => {
      if (entry.outcome) return;
      entry.outcome = 'closed';
      events?.emit('end', entry);
    });

    try {
      const raw = await readBody(req);
      if (!raw) return sendError(res, 413, 'INVALID_PARAMETER_VALUE', 'Request body too large');
      const body = parseBody(raw, req.headers['content-type']);
      entry.body = redactValue(body);
      events?.emit('request', entry);
      const s = ws.scenario;
      if (takeCounted(s, 'resetConnection', url.pathname)) {
        req.socket.destroy();
        return;
      }
      if (s.latencyMs && s.latencyMs > 0) await sleep(Math.min(s.latencyMs, MAX_LATENCY_MS));
      const limited = takeCounted(s, 'rateLimit', url.pathname);
      if (limited) {
        // source: Go SDK apierr/errors.go: string error_code, Retry-After in seconds or as an HTTP date.
        return sendJson(res, 429, { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'Request rate limit exceeded. Please retry after some time.' }, { 'Retry-After': limited.retryAfter });
      }
      const down = takeCounted(s, 'unavailable', url.pathname);
      if (down) {
        return sendJson(res, 503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'The service is temporarily unavailable. Please try again later.' },
          down.retryAfter ? { 'Retry-After': down.retryAfter } : {});
      }

      const m = match(routes, method, url.pathname);
      if (!m.route) {
        if (m.methodMismatch) return sendError(res, 405, 'BAD_REQUEST', `Method ${method} is not allowed on ${url.pathname}`);
        return sendError(res, 404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${url.pathname}'`);
      }
      const ctx: Ctx = { req, res, method, path: url.pathname, query: url.searchParams, body, ws };
      const mode = m.route.auth;
      if (mode !== 'none') {
        if (ipAclBlocked(ctx, mode === 'account')) return;
        if (mode === 'account') {
          if (!authAccount(ctx)) return;
        } else {
          const rm = mode === 'mcp' ? `${ws.baseUrl()}/.well-known/oauth-protected-resource${url.pathname}` : undefined;
          const caller = authenticate(ctx, 'workspace', rm ? { resourceMetadataUrl: rm } : {});
          if (!caller) return;
          ctx.caller = caller;
        }
      }
      await m.route.handle(ctx, m.params);
    } catch (err) {
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_ERROR', `Emulator error: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    }
  };
}
