/**
 * A unified host: one loopback host in front of several fake workspaces of one account, as
 * Databricks' unified hosts serve an account and many workspaces (source: Go SDK v0.175
 * config/config.go fixHostIfNeeded — "hitting the SPOG without routing and getting back the
 * login HTML page"; generated service impls set `X-Databricks-Workspace-Id`, which replaced
 * `X-Databricks-Org-Id`, still accepted).
 *
 * - `/.well-known/databricks-config`: the host metadata of the chosen host type (UNIFIED_HOST by
 *   default; ACCOUNT_HOST to stand in for an account host), with no workspace id.
 * - `/oidc/…` and account APIs (`/api/2.x/accounts/…`): the account's, served by the first workspace.
 * - Every other request (workspace APIs, MCP endpoints) is forwarded to the workspace its
 *   routing header names; without one it gets the sign-in page (200 text/html), with an
 *   unknown id a 404.
 * Each request is recorded with the routing header it carried, so tests can assert routing.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeWorkspace } from './index.js';

export interface UnifiedRequest {
  method: string;
  path: string;
  /** The routing header's value (`X-Databricks-Workspace-Id`, else `X-Databricks-Org-Id`), if any. */
  workspaceId?: string;
  /** Which header carried it. */
  header?: 'x-databricks-workspace-id' | 'x-databricks-org-id';
  hadToken: boolean;
  /** Where it went: a workspace id, `account`, `metadata` or `sign-in page`. */
  routedTo: string;
}

export interface UnifiedHost {
  url: string;
  accountId: string;
  workspaces: FakeWorkspace[];
  requests: UnifiedRequest[];
  close(): Promise<void>;
}

export const SIGN_IN_PAGE = '<!doctype html><html><head><title>Databricks - Sign in</title></head><body><div id="login-page">Sign in to Databricks</div></body></html>';

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function forward(req: IncomingMessage, res: ServerResponse, target: FakeWorkspace, body: Buffer): void {
  const url = new URL(target.url);
  const headers = { ...req.headers, host: url.host };
  const out = httpRequest({ hostname: url.hostname, port: url.port, method: req.method, path: req.url, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  out.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error_code: 'BAD_GATEWAY', message: 'workspace unreachable' }));
  });
  res.on('close', () => out.destroy());
  out.end(body);
}

/** Starts a unified host on 127.0.0.1 in front of `workspaces` (they must share one account id). */
export async function startUnifiedHost(workspaces: FakeWorkspace[], opts: { hostType?: 'UNIFIED_HOST' | 'ACCOUNT_HOST' } = {}): Promise<UnifiedHost> {
  const account = workspaces[0];
  if (!account) throw new Error('startUnifiedHost needs at least one workspace');
  const requests: UnifiedRequest[] = [];
  // One sign-in serves the account's workspaces: they share the account's token table.
  for (const w of workspaces) {
    if (w !== account) w.state.tokens = account.state.tokens;
    w.scenario.unifiedAccountTokens = true;
  }
  let base = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const byNew = header(req, 'x-databricks-workspace-id');
      const byOld = header(req, 'x-databricks-org-id');
      const workspaceId = byNew ?? byOld;
      const rec: UnifiedRequest = {
        method: req.method ?? 'GET',
        path,
        ...(workspaceId ? { workspaceId, header: byNew ? 'x-databricks-workspace-id' : 'x-databricks-org-id' } : {}),
        hadToken: Boolean(req.headers.authorization),
        routedTo: '',
      };
      requests.push(rec);
      if (path === '/.well-known/databricks-config') {
        rec.routedTo = 'metadata';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            oidc_endpoint: `${base}/oidc/accounts/{account_id}`,
            account_id: account.accountId,
            cloud: 'AWS',
            host_type: opts.hostType ?? 'UNIFIED_HOST',
            token_federation_default_oidc_audiences: [account.accountId],
          }),
        );
        return;
      }
      if (path.startsWith('/oidc/') || /^\/api\/2\.[01]\/accounts\//.test(path)) {
        rec.routedTo = 'account';
        return forward(req, res, account, body);
      }
      if (!workspaceId) {
        // What an unrouted request to a unified host gets: the sign-in page, not an API error.
        rec.routedTo = 'sign-in page';
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(SIGN_IN_PAGE);
        return;
      }
      const target = workspaces.find((w) => w.workspaceId === workspaceId);
      if (!target) {
        rec.routedTo = 'unknown workspace';
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Workspace ${workspaceId} does not exist in this account.` }));
        return;
      }
      rec.routedTo = workspaceId;
      forward(req, res, target, body);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    accountId: account.accountId,
    workspaces,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
