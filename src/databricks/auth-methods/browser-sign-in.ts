/**
 * The interactive half of `external-browser` (`dbx-mcp login`): authorization code with PKCE
 * (S256, a 64-byte verifier) and a 16-byte `state`, as the Go SDK's PersistentAuth.Challenge
 * does it (source: Go SDK credentials/u2m/persistent_auth.go, callback.go): the public client
 * `databricks-cli`, the redirect `http://localhost:8020` (the port its published app
 * integration accepts), scopes `offline_access all-apis`. The redirect listener binds
 * 127.0.0.1 only; the wait is bounded (5 minutes). The SDK tries ports 8021–8040 when 8020 is
 * taken; dbx-mcp names the taken port instead, since the other holder is usually a sign-in in
 * progress that should finish first.
 *
 * Test overrides (never set by users): DBX_MCP_TEST_LOGIN_PORT (0 = any free port),
 * DBX_MCP_TEST_LOGIN_TIMEOUT_MS.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Ctx } from '../../context.js';
import { DbxMcpError } from '../../errors.js';
import type { StoredToken } from './cli-token-store.js';
import { oidcEndpoints, storedFromAnswer, U2M_CLIENT_ID, U2M_SCOPES } from './u2m.js';

export const LOGIN_PORT = 8020;
const WAIT_MS = 5 * 60_000;

export interface SignInTarget {
  host: string;
  isAccount: boolean;
  accountId?: string;
  profile?: string;
}

type Deps = Pick<Ctx, 'http' | 'env' | 'now' | 'exec' | 'platform' | 'log'>;

const b64url = (b: Buffer) => b.toString('base64url');

function page(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title><body style="font-family:sans-serif;margin:3em"><h2>${esc(title)}</h2><p>${esc(text)}</p></body>`;
}

/** Whether a browser can be opened here: not with --no-browser, and on Linux not without a display. */
function canOpenBrowser(d: Deps, noBrowser: boolean): boolean {
  if (noBrowser) return false;
  if (d.platform === 'linux' || d.platform === 'freebsd' || d.platform === 'openbsd') return Boolean(d.env.DISPLAY || d.env.WAYLAND_DISPLAY);
  return true;
}

/**
 * `open` on macOS, `xdg-open` elsewhere; on Windows the URL handler through rundll32, as the Go
 * CLI's opener (pkg/browser) does: `cmd /c start` would split the URL at its `&`s.
 */
function openBrowser(d: Deps, url: string): void {
  const [cmd, args] = d.platform === 'darwin' ? ['open', [url]] : d.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  // Not awaited: the sign-in waits for the redirect, not for the opener.
  d.exec(cmd, args, { timeoutMs: 30_000 }).then(
    (r) => {
      if (r.exitCode !== 0) d.log.warn(`Could not open a browser (${cmd} exited ${r.exitCode}): open the URL above yourself.`);
    },
    () => d.log.warn(`Could not open a browser (${cmd} is not available): open the URL above yourself.`),
  );
}

async function listen(port: number, handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE' || e.code === 'EACCES') {
        reject(
          new DbxMcpError(`Port ${port} on 127.0.0.1 is in use, and the browser sign-in comes back to it`, {
            code: 'LOGIN_PORT_TAKEN',
            hint: `Finish or stop the other sign-in that holds it (another dbx-mcp login or databricks auth login), or the program listening on port ${port} (lsof -i :${port}), then run the command again.`,
          }),
        );
      } else reject(e);
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

/** Signs in in the browser and returns the tokens; nothing is stored here. */
export async function browserSignIn(d: Deps, target: SignInTarget, o: { noBrowser: boolean }): Promise<StoredToken> {
  const endpoints = await oidcEndpoints(d.http, target);
  const port = d.env.DBX_MCP_TEST_LOGIN_PORT !== undefined ? Number(d.env.DBX_MCP_TEST_LOGIN_PORT) : LOGIN_PORT;
  const waitMs = Number(d.env.DBX_MCP_TEST_LOGIN_TIMEOUT_MS) || WAIT_MS;
  const verifier = b64url(randomBytes(64));
  const state = b64url(randomBytes(16));
  let settle: { ok: (v: { code: string }) => void; fail: (e: Error) => void } | undefined;
  const result = new Promise<{ code: string }>((ok, fail) => (settle = { ok, fail }));
  let exchange: ((code: string) => Promise<StoredToken>) | undefined;
  let done = false;

  const server = await listen(port, (req, res) => {
    const q = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const code = q.get('code');
    const error = q.get('error');
    if (done || (!code && !error)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const reply = (status: number, title: string, text: string) => res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page(title, text));
    if (q.get('state') !== state) {
      // A redirect that is not the answer to this sign-in (a stale tab, a forged link): refused, and the sign-in fails.
      done = true;
      reply(400, 'Sign-in refused', 'This answer does not belong to the sign-in dbx-mcp started. Run dbx-mcp login again.');
      settle!.fail(new DbxMcpError('The browser came back with a state that does not match this sign-in', { code: 'LOGIN_STATE_MISMATCH', hint: 'Run dbx-mcp login again and finish the sign-in in the tab it opens (not an older one).' }));
      return;
    }
    if (error) {
      done = true;
      const why = q.get('error_description') ?? error;
      reply(400, 'Sign-in failed', why);
      settle!.fail(new DbxMcpError(`The workspace refused the sign-in: ${why}`, { code: 'LOGIN_REFUSED', hint: 'Check that you signed in to the right workspace and account, then run dbx-mcp login again.' }));
      return;
    }
    done = true;
    exchange!(code!).then(
      (t) => {
        tokens = t;
        reply(200, 'Signed in', 'dbx-mcp is signed in. You can close this tab.');
        settle!.ok({ code: code! });
      },
      (e: Error) => {
        reply(400, 'Sign-in failed', e.message);
        settle!.fail(e);
      },
    );
  });
  let tokens: StoredToken | undefined;
  const redirectUri = `http://localhost:${(server.address() as AddressInfo).port}`;
  exchange = async (code) => {
    const res = await d.http.raw({
      method: 'POST',
      url: endpoints.token,
      form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, client_id: U2M_CLIENT_ID },
      timeoutMs: 30_000,
    });
    const b = (res.json ?? {}) as { error?: string; error_description?: string };
    const t = res.status === 200 ? storedFromAnswer(res.json, d.now()) : undefined;
    if (!t) {
      throw new DbxMcpError(`The workspace did not exchange the sign-in for a token: ${res.status} ${b.error ?? ''} ${b.error_description ?? ''}`.trim(), { code: 'LOGIN_EXCHANGE_FAILED', hint: 'Run dbx-mcp login again.' });
    }
    return t;
  };

  const url = new URL(endpoints.authorize);
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  for (const [k, v] of Object.entries({ client_id: U2M_CLIENT_ID, code_challenge: challenge, code_challenge_method: 'S256', redirect_uri: redirectUri, response_type: 'code', scope: U2M_SCOPES, state })) {
    url.searchParams.set(k, v);
  }
  const open = canOpenBrowser(d, o.noBrowser);
  d.log.info(open ? `Opening your browser to sign in to ${target.host}. If it does not open, visit:\n  ${url.href}` : `Open this URL in a browser to sign in to ${target.host}:\n  ${url.href}`);
  if (open) openBrowser(d, url.href);

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      result,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new DbxMcpError(`No sign-in came back from the browser within ${Math.round(waitMs / 1000)} s`, {
                code: 'LOGIN_TIMEOUT',
                hint: 'Run dbx-mcp login again and finish the sign-in in the browser (with --no-browser it prints the URL to open yourself).',
              }),
            ),
          waitMs,
        );
      }),
    ]);
    return tokens!;
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  }
}
