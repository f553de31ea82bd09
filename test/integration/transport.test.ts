/**
 * The node:http/https transport (src/databricks/transport.ts) against real loopback servers:
 * https with a throwaway CA (made with the openssl CLI at test time), CONNECT tunnels through a
 * recording HTTP proxy, absolute-form plain http through HTTP_PROXY, NO_PROXY, the idle
 * timeout and Abort; and the same failures as the API client (http.ts) classifies them.
 *
 * The four tests whose comments start "Regression" failed against the first version of
 * transport.ts; each comment names the cause.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import tls from 'node:tls';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHttpClient } from '../../src/databricks/http.js';
import { classifyNetworkError, NetworkError } from '../../src/databricks/network.js';
import { bypassesProxy, createTransport, proxyEnv, readText, trustedCa, type Exchange, type Transport } from '../../src/databricks/transport.js';
import { DEMO_PAT, DEMO_USER, startFakeWorkspace } from '../../src/emulator/index.js';
import { DbxMcpError } from '../../src/errors.js';
import { wasNeverSent } from '../../src/proxy/retry.js';
import { Abort } from '../../src/util/abort.js';
import { closedPort, makeCertDir, NO_OPENSSL, OPENSSL, startTestProxy, type CertSet, type TestProxy } from '../support/tls.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TRANSPORT_TS = pathToFileURL(join(ROOT, 'src/databricks/transport.ts')).href;
const GET: Exchange = { method: 'GET', headers: {}, timeoutMs: 5_000 };
/** A bound for every test that does I/O: a regression fails instead of hanging. */
const BOUND = { timeout: 8_000 };

const scratch = mkdtempSync(join(tmpdir(), 'dbx-mcp-transport-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The client port: equal ports mean one (reused) connection. */
  remotePort: number | undefined;
}

interface TestServer {
  port: number;
  url: string;
  requests: Seen[];
  /** TCP connections accepted (for https: TLS connections established). */
  connections: number;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const hello: Handler = (_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ hello: 'world' }));
};

/** An http (or, with `certs`, https) server on 127.0.0.1, closed after the test. */
async function startServer(t: TestContext, handler: Handler = hello, certs?: CertSet): Promise<TestServer> {
  const requests: Seen[] = [];
  const onRequest: Handler = (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, remotePort: req.socket.remotePort });
    handler(req, res);
  };
  const server: http.Server | https.Server = certs ? https.createServer({ key: certs.key, cert: certs.cert }, onRequest) : http.createServer(onRequest);
  const state = { connections: 0 };
  server.on(certs ? 'secureConnection' : 'connection', () => state.connections++);
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return {
    port,
    url: `${certs ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    get connections() {
      return state.connections;
    },
  };
}

function transport(t: TestContext, env: NodeJS.ProcessEnv, caPath?: string): Transport {
  const tr = createTransport(env, caPath);
  t.after(() => tr.close());
  return tr;
}

async function proxy(t: TestContext, o: { answer?: number } = {}): Promise<TestProxy> {
  const p = await startTestProxy(o);
  t.after(() => p.close());
  return p;
}

async function getText(tr: Transport, url: string, x: Exchange = GET): Promise<{ status: number; text: string }> {
  const res = await tr.send(new URL(url), x);
  return { status: res.statusCode, text: await readText(res.body) };
}

/** The rejection of `p` (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<Error & { code?: string; statusCode?: number }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  assert.fail('expected a rejection, got a response');
}

const basic = (creds: string) => `Basic ${Buffer.from(creds).toString('base64')}`;

// ---------------------------------------------------------------------------------------------

describe('bypassesProxy (NO_PROXY)', () => {
  const u = (s: string) => new URL(s);

  it('is false without NO_PROXY and true for *', () => {
    assert.equal(bypassesProxy(u('https://a.example.com/'), undefined), false);
    assert.equal(bypassesProxy(u('https://a.example.com/'), ''), false);
    assert.equal(bypassesProxy(u('https://a.example.com/'), '*'), true);
    assert.equal(bypassesProxy(u('http://127.0.0.1:8080/'), 'other.com, *'), true);
  });

  it('matches an exact host, and a plain domain matches its subdomains but not look-alikes', () => {
    assert.equal(bypassesProxy(u('https://example.com/x'), 'example.com'), true);
    assert.equal(bypassesProxy(u('https://a.corp.com/'), 'corp.com'), true);
    assert.equal(bypassesProxy(u('https://b.a.corp.com/'), 'corp.com'), true);
    assert.equal(bypassesProxy(u('https://notcorp.com/'), 'corp.com'), false);
    assert.equal(bypassesProxy(u('https://corp.com.evil.net/'), 'corp.com'), false);
    assert.equal(bypassesProxy(u('http://127.0.0.1:9/'), '127.0.0.1'), true);
    assert.equal(bypassesProxy(u('http://127.0.0.10:9/'), '127.0.0.1'), false);
  });

  it('treats .corp.com and *.corp.com as domain suffixes', () => {
    for (const entry of ['.corp.com', '*.corp.com']) {
      assert.equal(bypassesProxy(u('https://a.corp.com/'), entry), true, entry);
      assert.equal(bypassesProxy(u('https://x.y.corp.com/'), entry), true, entry);
      assert.equal(bypassesProxy(u('https://xcorp.com/'), entry), false, entry);
      assert.equal(bypassesProxy(u('https://corp.co/'), entry), false, entry);
    }
  });

  it('honours a :port on an entry (default ports included)', () => {
    assert.equal(bypassesProxy(u('https://host.corp:8443/'), 'host.corp:8443'), true);
    assert.equal(bypassesProxy(u('https://host.corp/'), 'host.corp:8443'), false);
    assert.equal(bypassesProxy(u('https://host.corp:9443/'), 'host.corp:8443'), false);
    assert.equal(bypassesProxy(u('https://host.corp/'), 'host.corp:443'), true);
    assert.equal(bypassesProxy(u('http://host.corp/'), 'host.corp:443'), false);
    assert.equal(bypassesProxy(u('http://host.corp/'), 'host.corp:80'), true);
    assert.equal(bypassesProxy(u('https://a.corp.com:8443/'), '.corp.com:8443'), true);
  });

  it('is case-insensitive and splits on commas and whitespace', () => {
    assert.equal(bypassesProxy(u('https://A.Corp.COM/'), 'CORP.com'), true);
    assert.equal(bypassesProxy(u('https://a.corp.com/'), '*.CORP.COM'), true);
    const list = ' foo.com ,bar.com\tbaz.com\n  corp.com ';
    for (const h of ['foo.com', 'bar.com', 'baz.com', 'x.corp.com']) assert.equal(bypassesProxy(u(`https://${h}/`), list), true, h);
    assert.equal(bypassesProxy(u('https://qux.com/'), list), false);
  });

  it('matches bracketed IPv6 literals, with and without a port', () => {
    assert.equal(bypassesProxy(u('http://[::1]:8080/'), '[::1]'), true);
    assert.equal(bypassesProxy(u('http://[::1]:8080/'), '[::1]:8080'), true);
    assert.equal(bypassesProxy(u('http://[::1]:8080/'), '[::1]:9090'), false);
    assert.equal(bypassesProxy(u('http://[::2]:8080/'), '[::1]'), false);
    assert.equal(bypassesProxy(u('http://127.0.0.1:8080/'), '[::1]'), false);
  });

  // Regression: a bare IPv6 entry such as `::1` (accepted by Go's net/http, i.e. the Databricks
  // CLI/SDK) was read as host ':' with port '1', so it never matched.
  it('matches a bare (unbracketed) IPv6 entry like ::1', () => {
    assert.equal(bypassesProxy(u('http://[::1]:8080/'), '::1'), true);
  });
});

describe('proxyEnv', () => {
  it('is undefined without a proxy (and ignores empty values)', () => {
    assert.equal(proxyEnv({}), undefined);
    assert.equal(proxyEnv({ NO_PROXY: 'x' }), undefined);
    assert.equal(proxyEnv({ HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '' }), undefined);
  });

  it('prefers upper case, falls back to lower case, and reads NO_PROXY / no_proxy', () => {
    assert.deepEqual(proxyEnv({ HTTPS_PROXY: 'http://up:1', https_proxy: 'http://low:1', HTTP_PROXY: 'http://h:2', NO_PROXY: 'a', no_proxy: 'b' }), {
      httpProxy: 'http://h:2',
      httpsProxy: 'http://up:1',
      noProxy: 'a',
    });
    assert.deepEqual(proxyEnv({ https_proxy: 'http://low:1', http_proxy: 'http://lowh:2', no_proxy: 'b' }), {
      httpProxy: 'http://lowh:2',
      httpsProxy: 'http://low:1',
      noProxy: 'b',
    });
    assert.deepEqual(proxyEnv({ HTTPS_PROXY: '', https_proxy: 'http://low:1' }), { httpProxy: undefined, httpsProxy: 'http://low:1', noProxy: undefined });
  });

  it('never uses HTTP_PROXY for https (as curl, Go and Python requests)', () => {
    assert.deepEqual(proxyEnv({ HTTP_PROXY: 'http://h:2' }), { httpProxy: 'http://h:2', httpsProxy: undefined, noProxy: undefined });
  });
});

describe('trustedCa and bad CA bundles', () => {
  const notPem = join(scratch, 'not-a-cert.pem');
  const aDir = join(scratch, 'a-directory.pem');
  const missing = join(scratch, 'missing.pem');
  before(() => {
    writeFileSync(notPem, 'this is not a certificate\n');
    mkdirSync(aDir, { recursive: true });
  });

  it('is undefined (node defaults) without a bundle', () => {
    assert.equal(trustedCa(undefined), undefined);
  });

  for (const [what, path] of [
    ['a missing file', missing],
    ['a directory', aDir],
    ['a file without a PEM certificate', notPem],
  ] as const) {
    it(`rejects ${what} with BAD_CA_BUNDLE, from trustedCa and at createTransport time`, () => {
      for (const fn of [() => trustedCa(path), () => createTransport({}, path)]) {
        assert.throws(fn, (e: unknown) => e instanceof DbxMcpError && e.code === 'BAD_CA_BUNDLE' && e.message.includes(path) && !!e.hint);
      }
    });
  }

  it('fails the API client with the DbxMcpError itself (not a NetworkError)', BOUND, async () => {
    const client = createHttpClient({ env: {}, version: '0.0.0-test', caBundlePath: notPem });
    const e = await rejection(client.raw({ method: 'GET', url: 'https://127.0.0.1:9/' }));
    assert.ok(e instanceof DbxMcpError && !(e instanceof NetworkError));
    assert.equal(e.code, 'BAD_CA_BUNDLE');
  });

  it('a proxy setting that is not a URL rejects with BAD_PROXY', BOUND, async (t) => {
    const tr = transport(t, { HTTPS_PROXY: 'http://[oops' });
    const e = await rejection(tr.send(new URL('https://127.0.0.1:9/'), GET));
    assert.ok(e instanceof DbxMcpError);
    assert.equal(e.code, 'BAD_PROXY');
  });
});

describe('plain http through HTTP_PROXY', () => {
  it('sends the request to the proxy in absolute form with the target Host and Proxy-Authorization', BOUND, async (t) => {
    const target = await startServer(t);
    const p = await proxy(t);
    const tr = transport(t, { HTTP_PROXY: p.url('me:s3cr%3At') });
    const r = await getText(tr, `${target.url}/api/2.0/x?y=1`);
    assert.equal(r.status, 200);
    assert.equal(r.text, `proxy answered ${target.url}/api/2.0/x?y=1`);
    assert.deepEqual(p.requests, [{ method: 'GET', url: `${target.url}/api/2.0/x?y=1`, host: `127.0.0.1:${target.port}`, auth: basic('me:s3cr:t') }]);
    assert.equal(target.requests.length, 0, 'nothing went to the target directly');
  });

  // Regression: the plain-http branch set only `host: proxy.hostname`, but request(url, options)
  // already has `hostname: <target host>` from the URL and node prefers `hostname`, so the
  // request went to <target host>:<proxy port>. Invisible when both are 127.0.0.1 (above).
  it('connects to the proxy, not to <target host>:<proxy port>, when the hosts differ', { ...BOUND, skip: process.platform === 'darwin' ? 'macOS routes only 127.0.0.1 on lo0' : false }, async (t) => {
    const p = await proxy(t);
    const tr = transport(t, { HTTP_PROXY: p.url() });
    // 127.0.0.2 is loopback on Linux and Windows; the proxy listens on 127.0.0.1 only, and
    // answers absolute-form requests itself, so nothing has to listen on 127.0.0.2.
    const r = await getText(tr, 'http://127.0.0.2:9/ping', { ...GET, timeoutMs: 2_000 });
    assert.equal(r.text, 'proxy answered http://127.0.0.2:9/ping');
    assert.equal(p.requests[0]?.host, '127.0.0.2:9');
  });

  it('NO_PROXY=<host>:<port> sends plain http direct', BOUND, async (t) => {
    const target = await startServer(t);
    const p = await proxy(t);
    const tr = transport(t, { HTTP_PROXY: p.url(), NO_PROXY: `example.com, 127.0.0.1:${target.port}` });
    const r = await getText(tr, `${target.url}/direct`);
    assert.deepEqual(JSON.parse(r.text), { hello: 'world' });
    assert.equal(target.requests[0]?.url, '/direct');
    assert.equal(p.connections, 0, 'the proxy saw no connection');
  });
});

describe('timeouts and Abort', () => {
  /** A loopback TCP server that accepts and never says a word (no HTTP, no TLS, no CONNECT answer). */
  async function muteServer(t: TestContext): Promise<{ port: number; sockets: Socket[]; closed: () => number; connected: Promise<void>; firstClosed: Promise<void> }> {
    const sockets: Socket[] = [];
    let closed = 0;
    let onConnected!: () => void;
    let onFirstClosed!: () => void;
    const connected = new Promise<void>((r) => (onConnected = r));
    const firstClosed = new Promise<void>((r) => (onFirstClosed = r));
    const server = createNetServer((sock) => {
      sockets.push(sock);
      onConnected();
      sock.resume(); // read (and ignore) what arrives, so that the client's FIN is seen
      sock.on('close', () => {
        closed++;
        onFirstClosed();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => {
      for (const sock of sockets) sock.destroy();
      server.close();
    });
    return { port: (server.address() as AddressInfo).port, sockets, closed: () => closed, connected, firstClosed };
  }

  // Regression: the connect timer stopped at the TCP connect, so a server that never completes
  // the TLS handshake held a request without a timeout (the GET stream has none) forever.
  it('a TLS handshake that never completes: CONNECT_TIMEOUT (never sent), even with no request timeout', BOUND, async (t) => {
    const mute = await muteServer(t);
    const tr = createTransport({}, undefined, 300);
    t.after(() => tr.close());
    // With no request timeout, only the connect timer can end this (BOUND turns a hang into a failure).
    const e = await rejection(tr.send(new URL(`https://127.0.0.1:${mute.port}/stream`), { ...GET, timeoutMs: 0 }));
    assert.equal(e.code, 'CONNECT_TIMEOUT', String(e));
    assert.equal(wasNeverSent(e), true);
  });

  // Regression: an abort while the tunnel was still opening settled only when the proxy
  // answered (up to the connect timeout), and the pending CONNECT kept the process alive.
  it('an abort while the proxy has not answered CONNECT rejects at once; close() ends the CONNECT', BOUND, async (t) => {
    const mute = await muteServer(t);
    const tr = createTransport({ HTTPS_PROXY: `http://127.0.0.1:${mute.port}` });
    const abort = new Abort();
    const pending = tr.send(new URL('https://127.0.0.1:9/x'), { ...GET, abort });
    await mute.connected;
    abort.abort();
    const e = await rejection(pending);
    assert.equal(e.name, 'AbortError');
    // Settled while the CONNECT is still open, i.e. without waiting for the proxy or a timeout.
    assert.equal(mute.sockets.length, 1);
    assert.equal(mute.closed(), 0);
    tr.close();
    await mute.firstClosed;
    assert.equal(mute.closed(), 1, 'close() ended the pending CONNECT');
  });

  // A TCP connect on loopback is refused or accepted at once, so the connect timeout is shown
  // on its other half: a proxy that accepts the connection and never answers CONNECT.
  it('a proxy that never answers CONNECT: CONNECT_TIMEOUT after connectTimeoutMs, never sent, so retriable', BOUND, async (t) => {
    const sockets: Socket[] = [];
    const mute = createNetServer((s) => void sockets.push(s));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    t.after(() => {
      for (const s of sockets) s.destroy();
      mute.close();
    });
    const tr = createTransport({ HTTPS_PROXY: `http://127.0.0.1:${(mute.address() as AddressInfo).port}` }, undefined, 200);
    t.after(() => tr.close());
    const started = Date.now();
    const e = await rejection(tr.send(new URL('https://127.0.0.1:9/x'), { ...GET, timeoutMs: 5_000 }));
    const took = Date.now() - started;
    assert.equal((e as { code?: string }).code, 'CONNECT_TIMEOUT', String(e));
    assert.match((e as Error).message, /did not open a tunnel to 127\.0\.0\.1:9 within 200 ms/);
    assert.ok(took >= 150, `gave up after ${took} ms, before the connect timeout`);
    assert.equal(sockets.length, 1, 'the proxy was reached');
    assert.equal(wasNeverSent(e), true);
    assert.equal(classifyNetworkError(e, 'https://127.0.0.1:9/x').network, 'timeout');
  });

  it('an idle timeout rejects with ETIMEDOUT, classified as timeout and NOT "never sent"', BOUND, async (t) => {
    const silent = await startServer(t, () => undefined);
    const tr = transport(t, {});
    const started = Date.now();
    const e = await rejection(tr.send(new URL(`${silent.url}/wait`), { ...GET, timeoutMs: 200 }));
    const took = Date.now() - started;
    assert.equal(e.code, 'ETIMEDOUT');
    assert.ok(took >= 150, `gave up after ${took} ms, before the idle timeout`);
    assert.equal(silent.requests.length, 1, 'the server did get the request');
    assert.equal(wasNeverSent(e), false, 'a timed-out request may have been processed');
    assert.equal(classifyNetworkError(e, silent.url).network, 'timeout');
  });

  it('the idle timeout also bounds silence between body chunks', BOUND, async (t) => {
    const stalls = await startServer(t, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first chunk');
    });
    const tr = transport(t, {});
    const res = await tr.send(new URL(`${stalls.url}/stall`), { ...GET, timeoutMs: 200 });
    assert.equal(res.statusCode, 200);
    // The server never ends the body: only the idle timeout can reject (BOUND turns a hang into a failure).
    await assert.rejects(readText(res.body));
  });

  it('aborting mid-request rejects with AbortError', BOUND, async (t) => {
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const silent = await startServer(t, () => arrived());
    const tr = transport(t, {});
    const abort = new Abort();
    // The request timeout is beyond BOUND: only the abort can settle it in time.
    const pending = tr.send(new URL(`${silent.url}/wait`), { ...GET, timeoutMs: 60_000, abort });
    await reached;
    assert.equal(silent.requests.length, 1, 'the request reached the server');
    abort.abort();
    const e = await rejection(pending);
    assert.equal(e.name, 'AbortError');
  });

  it('an Abort fired before send rejects at once and nothing reaches the server', BOUND, async (t) => {
    const server = await startServer(t);
    const tr = transport(t, {});
    const abort = new Abort();
    abort.abort();
    const e = await rejection(tr.send(new URL(`${server.url}/never`), { ...GET, abort }));
    assert.equal(e.name, 'AbortError');
    // A request sent afterwards is the first and only one the server sees.
    assert.equal((await tr.send(new URL(`${server.url}/after`), GET)).statusCode, 200);
    assert.deepEqual(server.requests.map((r) => r.url), ['/after']);
    assert.equal(server.connections, 1);
  });
});

describe('TLS and CONNECT tunnels', { skip: OPENSSL ? false : NO_OPENSSL }, () => {
  let a: CertSet;
  let b: CertSet;
  let cleanupCerts = () => undefined as void;
  before(() => {
    const made = makeCertDir();
    ({ a, b } = made);
    cleanupCerts = made.cleanup;
  });
  after(() => cleanupCerts());

  describe('https direct', () => {
    it('fails without the CA with a TLS error classified as tls, by the transport and the API client', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const e = await rejection(transport(t, {}).send(new URL(`${server.url}/`), GET));
      assert.match(String(e.code), /CERT|SELF_SIGNED|UNABLE_TO/);
      assert.equal(classifyNetworkError(e, server.url).network, 'tls');
      assert.equal(server.requests.length, 0, 'no request was sent over an untrusted connection');
      const client = createHttpClient({ env: {}, version: '0.0.0-test' });
      const ce = await rejection(client.raw({ method: 'GET', url: `${server.url}/api` }));
      assert.ok(ce instanceof NetworkError);
      assert.equal(ce.network, 'tls');
      assert.equal(ce.code, 'NETWORK_TLS');
    });

    it('fails with a CA bundle of another CA (the bundle does not trust everything)', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const e = await rejection(transport(t, {}, b.caPath).send(new URL(`${server.url}/`), GET));
      assert.equal(classifyNetworkError(e, server.url).network, 'tls');
    });

    it('succeeds with createTransport(env, caPath), for 127.0.0.1 and localhost', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const tr = transport(t, {}, a.caPath);
      const r = await getText(tr, `${server.url}/ok`);
      assert.equal(r.status, 200);
      assert.deepEqual(JSON.parse(r.text), { hello: 'world' });
      // A name: SNI and hostname verification against DNS:localhost (skipped when localhost is
      // not 127.0.0.1 here).
      const r2 = await tr.send(new URL(`https://localhost:${server.port}/ok`), { ...GET, timeoutMs: 2_000 }).then(
        async (res) => ({ status: res.statusCode, text: await readText(res.body) }),
        (err: Error & { code?: string }) => err,
      );
      if (r2 instanceof Error) assert.equal(r2.code, 'ECONNREFUSED', `localhost failed: ${r2.message}`);
      else assert.equal(r2.status, 200);
    });

    it('keeps the TLS connection alive across requests', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const tr = transport(t, {}, a.caPath);
      for (const path of ['/1', '/2', '/3']) assert.equal((await getText(tr, `${server.url}${path}`)).status, 200);
      assert.equal(server.connections, 1);
    });

    it('succeeds through the API client with caBundlePath (JSON parsed, user agent sent)', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const client = createHttpClient({ env: {}, version: '9.9.9-test', caBundlePath: a.caPath });
      assert.deepEqual(await client.request({ method: 'GET', url: `${server.url}/api/2.0/thing` }), { hello: 'world' });
      assert.match(String(server.requests[0]?.headers['user-agent']), /^dbx-mcp\/9\.9\.9-test /);
    });

    it('returns the system roots plus the bundle from trustedCa', () => {
      const ca = trustedCa(a.caPath)!;
      assert.deepEqual(ca.slice(0, tls.rootCertificates.length), tls.rootCertificates);
      assert.equal(ca.at(-1), a.caPem);
    });

    // The module documents "a CA bundle on top of the system roots (node itself adds
    // NODE_EXTRA_CA_CERTS to them)". Node reads NODE_EXTRA_CA_CERTS at start-up, so this runs
    // in a child process.
    async function childFetch(url: string, extraCa: string, bundle: string | undefined): Promise<{ ok: boolean; status?: number; code?: string }> {
      const script = join(scratch, 'child-fetch.mts');
      writeFileSync(
        script,
        `import { createTransport, readText } from ${JSON.stringify(TRANSPORT_TS)};
const [url, bundle] = process.argv.slice(2);
const t = createTransport({}, bundle || undefined);
try {
  const r = await t.send(new URL(url), { method: 'GET', headers: {}, timeoutMs: 5000 });
  await readText(r.body);
  console.log(JSON.stringify({ ok: true, status: r.statusCode }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, code: e.code }));
} finally {
  t.close();
}
`,
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script, url, bundle ?? ''], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: scratch, NODE_EXTRA_CA_CERTS: extraCa },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      assert.equal(code, 0, `child failed: ${err}`);
      return JSON.parse(out.trim().split('\n').at(-1)!) as { ok: boolean; status?: number; code?: string };
    }

    it('trusts NODE_EXTRA_CA_CERTS without a bundle', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      assert.deepEqual(await childFetch(`${server.url}/`, a.caPath, undefined), { ok: true, status: 200 });
    });

    // Regression: an explicit `ca` replaces node's whole default store, and tls.rootCertificates
    // holds only node's bundled roots, so with --ca-bundle the NODE_EXTRA_CA_CERTS certificates
    // stopped being trusted: a corporate CA there was lost as soon as a bundle was added.
    it('keeps trusting NODE_EXTRA_CA_CERTS when a CA bundle is added', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      assert.deepEqual(await childFetch(`${server.url}/`, a.caPath, b.caPath), { ok: true, status: 200 });
    });
  });

  describe('the fake workspace over https (startFakeWorkspace({ tls }))', () => {
    it('serves https at an https:// url, and again after restart()', BOUND, async (t) => {
      const ws = await startFakeWorkspace({ tls: { key: a.key, cert: a.cert } });
      t.after(() => ws.close());
      assert.equal(ws.url, `https://127.0.0.1:${ws.port}`);
      assert.ok(ws.mcpUrl('sql').startsWith(`https://127.0.0.1:${ws.port}/`));
      const client = createHttpClient({ env: {}, version: '0.0.0-test', caBundlePath: a.caPath });
      const me = () => client.request<{ userName?: string }>({ method: 'GET', url: `${ws.url}/api/2.0/preview/scim/v2/Me`, token: DEMO_PAT });
      assert.equal((await me()).userName, DEMO_USER);
      await ws.restart();
      assert.equal((await me()).userName, DEMO_USER);
      assert.equal(ws.requests.filter((q) => q.path === '/api/2.0/preview/scim/v2/Me').length, 2);
    });
  });

  describe('CONNECT tunnel (HTTPS_PROXY)', () => {
    it('tunnels with Basic proxy credentials (percent-decoded) that never reach the target', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const p = await proxy(t);
      const tr = transport(t, { HTTPS_PROXY: p.url('user:p%40ss') }, a.caPath);
      const r = await getText(tr, `${server.url}/through`);
      assert.equal(r.status, 200);
      assert.deepEqual(JSON.parse(r.text), { hello: 'world' });
      assert.deepEqual(p.connects, [{ target: `127.0.0.1:${server.port}`, auth: basic('user:p@ss') }]);
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0]!.headers.host, `127.0.0.1:${server.port}`);
      assert.equal(server.requests[0]!.headers['proxy-authorization'], undefined, 'proxy credentials stay with the proxy');
      assert.equal(p.requests.length, 0, 'no plain request went to the proxy');
    });

    it('reuses the tunnel for a second request (keep-alive: one CONNECT for two requests)', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const p = await proxy(t);
      const tr = transport(t, { HTTPS_PROXY: p.url() }, a.caPath);
      assert.equal((await getText(tr, `${server.url}/1`)).status, 200);
      assert.equal((await getText(tr, `${server.url}/2`)).status, 200);
      assert.equal(p.connects.length, 1, JSON.stringify(p.connects));
      assert.equal(p.connects[0]!.auth, undefined, 'no credentials, no Proxy-Authorization');
      assert.equal(server.connections, 1);
      assert.deepEqual(server.requests.map((q) => q.url), ['/1', '/2']);
      assert.equal(server.requests[0]!.remotePort, server.requests[1]!.remotePort);
    });

    it('goes through the tunnel from the API client too', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const p = await proxy(t);
      const client = createHttpClient({ env: { HTTPS_PROXY: p.url() }, version: '0.0.0-test', caBundlePath: a.caPath });
      assert.deepEqual(await client.request({ method: 'POST', url: `${server.url}/api/2.0/post`, body: { x: 1 } }), { hello: 'world' });
      assert.equal(p.connects.length, 1);
      assert.equal(server.requests[0]?.method, 'POST');
    });

    it('checks the target certificate inside the tunnel (no CA: tls)', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const p = await proxy(t);
      const e = await rejection(transport(t, { HTTPS_PROXY: p.url() }).send(new URL(`${server.url}/`), GET));
      assert.equal(p.connects.length, 1, 'the tunnel was opened');
      assert.equal(classifyNetworkError(e, server.url, { HTTPS_PROXY: p.url() }).network, 'tls');
      assert.equal(server.requests.length, 0);
    });

    it('a proxy answering 407 rejects with PROXY_TUNNEL_FAILED, classified as proxy', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const p = await proxy(t, { answer: 407 });
      const env = { HTTPS_PROXY: p.url('user:wrong') };
      const e = await rejection(transport(t, env, a.caPath).send(new URL(`${server.url}/`), GET));
      assert.equal(e.code, 'PROXY_TUNNEL_FAILED');
      assert.equal(e.statusCode, 407);
      assert.match(e.message, /407/);
      assert.equal(classifyNetworkError(e, server.url, env).network, 'proxy');
      assert.equal(server.connections, 0, 'the target was never reached');
      const client = createHttpClient({ env, version: '0.0.0-test', caBundlePath: a.caPath });
      const ce = await rejection(client.raw({ method: 'GET', url: `${server.url}/api` }));
      assert.ok(ce instanceof NetworkError);
      assert.equal(ce.network, 'proxy');
    });

    it('a proxy port that refuses gives ECONNREFUSED, "never sent" (retriable) and classified as proxy', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const env = { HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}` };
      const e = await rejection(transport(t, env, a.caPath).send(new URL(`${server.url}/`), GET));
      assert.equal(e.code, 'ECONNREFUSED');
      assert.equal(wasNeverSent(e), true);
      assert.equal(classifyNetworkError(e, server.url, env).network, 'proxy');
      assert.equal(server.connections, 0);
    });

    it('NO_PROXY=127.0.0.1 goes direct: the proxy sees nothing', BOUND, async (t) => {
      const server = await startServer(t, hello, a);
      const p = await proxy(t);
      const tr = transport(t, { HTTPS_PROXY: p.url(), NO_PROXY: '127.0.0.1' }, a.caPath);
      assert.equal((await getText(tr, `${server.url}/direct`)).status, 200);
      assert.equal(server.requests.length, 1);
      assert.equal(p.connections, 0);
      assert.deepEqual(p.connects, []);
    });

    // Regression: node hands createConnection the IPv6 host without brackets, so the CONNECT
    // line read `CONNECT ::1:8443`, which proxies cannot parse.
    it('brackets an IPv6 literal in the CONNECT target', BOUND, async (t) => {
      const p = await proxy(t);
      const tr = transport(t, { HTTPS_PROXY: p.url() }, a.caPath);
      // The test proxy refuses non-127.0.0.1 targets (502): only the CONNECT line matters here.
      await rejection(tr.send(new URL('https://[::1]:8443/'), { ...GET, timeoutMs: 2_000 }));
      assert.deepEqual(p.connects.map((c) => c.target), ['[::1]:8443']);
    });
  });
});

describe('proxy credentials in messages', () => {
  it('never prints the proxy password: refused proxy, unparsable setting, bad percent-encoding', async () => {
    const port = await closedPort();
    const client = createHttpClient({ env: { HTTPS_PROXY: `http://alice:hunter2pass@127.0.0.1:${port}` }, version: 't', sleep: async () => {} });
    const refused = await rejection(client.raw({ method: 'GET', url: 'https://127.0.0.1:9/x' }));
    assert.match(refused.message, /127\.0\.0\.1/);
    for (const [setting, code] of [
      [`http://alice:hunter2pass@127.0.0.1:${port}`, undefined],
      ['http://alice:hunter2pass@proxy.corp:99999', 'BAD_PROXY'],
      ['http://alice:hunter2%zz@127.0.0.1:3128', 'BAD_PROXY'],
    ] as const) {
      const e = await rejection(createHttpClient({ env: { HTTPS_PROXY: setting }, version: 't', sleep: async () => {} }).raw({ method: 'GET', url: 'https://127.0.0.1:9/x' }));
      const text = `${e.message} ${(e as { hint?: string }).hint ?? ''}`;
      assert.doesNotMatch(text, /hunter2/, text);
      if (code) assert.equal(e.code, code, text);
    }
  });
});

