/**
 * Fake Databricks workspace: a real HTTP server on 127.0.0.1 answering with the real
 * Databricks bodies and quirks (see /work/shared/reference/databricks-api.md), whose managed MCP
 * endpoints are real MCP servers built with the official SDK. Used by every integration test
 * and by `init --demo`; it imports nothing test-only.
 *
 * ```ts
 * const ws = await startFakeWorkspace();
 * await fetch(`${ws.url}/api/2.0/preview/scim/v2/Me`, { headers: { Authorization: `Bearer ${DEMO_PAT}` } });
 * ws.scenario.rateLimit = { count: 1, retryAfter: '2' };   // next request → 429
 * ws.reset();                                              // clear switches + request log
 * await ws.close();
 * ```
 * Seed data and its constants: seed.ts. Switches: scenario.ts. Tools: mcp-tools.ts.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Internals } from './http-util.js';
import { mcpPath, type McpKind } from './mcp-paths.js';
import { McpSessions, type McpChange } from './mcp-servers.js';
export type { McpChange } from './mcp-servers.js';
import { mintToken, OAuthStore } from './oauth.js';
import { clearScenario, type Scenario } from './scenario.js';
import { createState, DEMO_ACCOUNT_ID, DEMO_USER, DEMO_WORKSPACE_ID } from './seed.js';
import { buildAppRoutes, buildRoutes, createListener } from './server.js';
import type { RecordedRequest, WorkspaceState } from './types.js';

export * from './seed.js';
export * from './federation.js';
export type * from './types.js';
export type { Scenario } from './scenario.js';
export type { McpKind } from './mcp-paths.js';

type Server = HttpServer | HttpsServer;

export interface FakeWorkspace {
  /** `http://127.0.0.1:<port>` (`https://…` with `tls`): the workspace host. */
  url: string;
  /** Same server; the account API lives under `/api/2.0/accounts/{accountId}/…`, account OIDC under `/oidc/accounts/{accountId}`. */
  accountUrl: string;
  accountId: string;
  /** `http://127.0.0.1:<other port>`: the apps server, standing in for `*.databricksapps.com` (an app's URL is `<appsUrl>/<name>`, its MCP endpoint `<appsUrl>/<name>/mcp`). */
  appsUrl: string;
  /** Sent as `X-Databricks-Org-Id` on SCIM Me. */
  workspaceId: string;
  port: number;
  /** Mutable seeded data; read on every request. */
  state: WorkspaceState;
  /** Mutable failure switches (scenario.ts). */
  scenario: Scenario;
  /** Every request received, oldest first (bounded), secrets redacted. */
  requests: RecordedRequest[];
  /**
   * Resolves with the first recorded request (already received or still to come) for which
   * `match` is true; `on: 'response'` waits until its status went out (an SSE stream is then
   * open), `on: 'end'` until its exchange is over (`outcome` set). For tests that must wait for
   * the server to see something: no polling, no sleeps.
   */
  waitForRequest(match: (r: RecordedRequest) => boolean, on?: 'request' | 'response' | 'end'): Promise<RecordedRequest>;
  /** Full URL of a managed MCP server, e.g. `mcpUrl('functions', 'main', 'tools')`. */
  mcpUrl(kind: McpKind, ...parts: string[]): string;
  /** Makes `token` a valid bearer for `user` (default jane). `dapi…` ⇒ PAT, anything else ⇒ OAuth. */
  addToken(token: string, user?: string, opts?: { expiresInSec?: number; audience?: 'workspace' | 'account' }): void;
  /** Revoked tokens get 403 "Invalid access token.". */
  revokeToken(token: string): void;
  /** Mints a JWT-shaped OAuth access token for `user` (default jane), like the U2M flow would. */
  mintOAuthToken(user?: string, opts?: { ttlSec?: number; scope?: string; audience?: 'workspace' | 'account' }): string;
  /** Live MCP sessions. */
  readonly sessionCount: number;
  /**
   * Announces a change to every connected MCP client that asked for it, in its era: `'tools'` a
   * tools list change, `{ resourceUpdated: uri }` an update of a resource (legacy: to sessions
   * that sent `resources/subscribe` for it; modern: to `subscriptions/listen` streams whose
   * filter names it). Resource subscriptions need `scenario.mcpExtras`.
   */
  notifyMcpChange(change: McpChange): void;
  /** Ends every open modern `subscriptions/listen` stream gracefully (as a server does when it shuts down). */
  endMcpListens(): Promise<void>;
  /** Closes every MCP session now; their ids then get 404 `Session not found`. */
  expireAllSessions(): Promise<void>;
  /** Clears the scenario and the request log (state is kept). */
  reset(): void;
  /** Closes and re-listens on the same port, dropping all MCP sessions and connections; state, tokens and scenario survive. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Default 0 (ephemeral). Always bound on 127.0.0.1 only. */
  port?: number;
  /** Top-level keys replace the defaults of seed.ts (arrays are not merged). */
  seed?: Partial<WorkspaceState>;
  /** Default `sse` (the SDK default); `scenario.mcpResponseMode` overrides it at runtime. */
  mcpResponseMode?: 'json' | 'sse';
  workspaceId?: string;
  accountId?: string;
  /** Serve https with this key and certificate (PEM) instead of plain http. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function shutdown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Open SSE streams and keep-alive sockets would otherwise keep close() waiting.
    server.closeAllConnections();
  });
}

/** Starts a fake workspace on 127.0.0.1. */
export async function startFakeWorkspace(opts: StartOptions = {}): Promise<FakeWorkspace> {
  const state = createState(opts.seed);
  const scenario: Scenario = {};
  const requests: RecordedRequest[] = [];
  let base = '';
  let appsBase = '';
  const internals: Internals = {
    state, scenario,
    workspaceId: opts.workspaceId ?? DEMO_WORKSPACE_ID,
    accountId: opts.accountId ?? DEMO_ACCOUNT_ID,
    oauth: new OAuthStore(),
    baseUrl: () => base,
    appsBaseUrl: () => appsBase,
  };
  const sessions = new McpSessions(internals, opts.mcpResponseMode ?? 'sse');
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const listener = createListener(internals, buildRoutes(sessions), requests, events);
  const newServer = (): Server => {
    const tls = opts.tls;
    const s: Server = tls
      ? createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => void listener(req, res))
      : createServer((req, res) => void listener(req, res));
    s.keepAliveTimeout = 5_000;
    return s;
  };
  let server = newServer();
  const port = await listen(server, opts.port ?? 0);
  base = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  // Apps run on their own host, not the workspace's: a second server on its own port.
  const appsListener = createListener(internals, buildAppRoutes(sessions), requests, events);
  const appsServer = createServer((req, res) => void appsListener(req, res));
  appsServer.keepAliveTimeout = 5_000;
  appsBase = `http://127.0.0.1:${await listen(appsServer, 0)}`;

  const ws: FakeWorkspace = {
    url: base,
    accountUrl: base,
    appsUrl: appsBase,
    accountId: internals.accountId,
    workspaceId: internals.workspaceId,
    port,
    state,
    scenario,
    requests,
    mcpUrl: (kind, ...parts) => `${kind === 'app' ? appsBase : base}${mcpPath(kind, parts)}`,
    waitForRequest(match, on = 'request') {
      const done = (r: RecordedRequest) => match(r) && (on === 'request' || (on === 'response' ? r.status !== 0 : r.outcome !== undefined));
      const seen = requests.find(done);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const listener = (r: RecordedRequest): void => {
          if (!done(r)) return;
          for (const e of ['request', 'response', 'end']) events.off(e, listener);
          resolve(r);
        };
        for (const e of ['request', 'response', 'end']) events.on(e, listener);
      });
    },
    addToken(token, user = DEMO_USER, o = {}) {
      state.tokens[token] = {
        principal: user,
        kind: token.startsWith('dapi') ? 'pat' : 'oauth',
        audience: o.audience ?? 'workspace',
        ...(o.expiresInSec !== undefined ? { expiresAt: Date.now() + o.expiresInSec * 1000 } : {}),
      };
    },
    revokeToken(token) {
      const rec = state.tokens[token];
      if (rec) rec.revoked = true;
    },
    mintOAuthToken(user = DEMO_USER, o = {}) {
      const audience = o.audience ?? 'workspace';
      const iss = audience === 'account' ? `${base}/oidc/accounts/${internals.accountId}` : `${base}/oidc`;
      return mintToken(state, iss, { principal: user, audience, scope: o.scope ?? 'all-apis offline_access', ...(o.ttlSec ? { ttlSec: o.ttlSec } : {}) }).token;
    },
    get sessionCount() {
      return sessions.size;
    },
    expireAllSessions: () => sessions.closeAll(),
    notifyMcpChange: (change) => sessions.notifyChange(change),
    endMcpListens: () => sessions.endListens(),
    reset() {
      clearScenario(scenario);
      requests.length = 0;
    },
    async restart() {
      await sessions.closeAll();
      await shutdown(server);
      server = newServer();
      // The port was just released; retry briefly in case the OS has not caught up.
      for (let attempt = 0; ; attempt++) {
        try {
          await listen(server, port);
          // Let in-process clients notice their dropped keep-alive sockets before the next
          // request, so a fetch right after restart() opens a fresh connection.
          await new Promise((r) => setTimeout(r, 25));
          return;
        } catch (err) {
          if (attempt >= 20 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    },
    async close() {
      await sessions.closeAll();
      await Promise.all([shutdown(server), shutdown(appsServer)]);
    },
  };
  return ws;
}
export { startUnifiedHost, type UnifiedHost } from './unified.js';
