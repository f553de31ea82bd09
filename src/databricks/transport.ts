/**
 * How dbx-mcp speaks HTTP, for the API client (http.ts) and the proxy alike: node's own
 * http/https client with keep-alive agents, HTTP(S)_PROXY and NO_PROXY (a CONNECT tunnel for
 * https, absolute-form requests for http), a CA bundle on top of the system roots (node itself
 * adds NODE_EXTRA_CA_CERTS to them), a connect timeout and an idle timeout.
 *
 * Node's built-in client rather than undici: the proxy runs all day, once per configured server
 * in every client, and node's native parser costs no code of ours. undici added 285 KB to the
 * bundle and compiled its WebAssembly parser in every process. For the
 * same reason https, tls and the root certificates are loaded only for an https target.
 */
import { readFileSync } from 'node:fs';
import { readRegularFileSync } from '../util/regular-file.js';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import type * as Https from 'node:https';
import type { Duplex } from 'node:stream';
import type * as Tls from 'node:tls';
import { DbxMcpError } from '../errors.js';
import { abortError, type Abort } from '../util/abort.js';

const https = (): typeof Https => process.getBuiltinModule('node:https');
const tls = (): typeof Tls => process.getBuiltinModule('node:tls');

/** Giving up on a TCP connect (or a proxy's CONNECT) after this long; the request was not sent. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Idle keep-alive sockets are closed after this long (sooner when the server's Keep-Alive says so). */
const IDLE_SOCKET_MS = 10_000;

export interface Exchange {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** The longest silence, waiting for headers or between body chunks (ms); 0 = none. */
  timeoutMs: number;
  /** Destroys the request (and its response) when fired. */
  abort?: Abort;
}

export interface Response {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The body stream: read it to the end, or `discard` it, so the connection can be reused. */
  body: IncomingMessage;
}

export interface Transport {
  /** Sends one request; resolves at the response headers. Network failures reject (see `errorCode`s below). */
  send(url: URL, x: Exchange): Promise<Response>;
  /** Closes idle connections (open requests finish). */
  close(): void;
}

/**
 * The proxy settings of the environment, upper case first. Like curl, Go (the Databricks CLI)
 * and Python requests, https URLs use HTTPS_PROXY only, never HTTP_PROXY.
 */
export interface ProxyEnv {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export function proxyEnv(env: NodeJS.ProcessEnv): ProxyEnv | undefined {
  const httpProxy = env.HTTP_PROXY || env.http_proxy || undefined;
  const httpsProxy = env.HTTPS_PROXY || env.https_proxy || undefined;
  if (!httpProxy && !httpsProxy) return undefined;
  return { httpProxy, httpsProxy, noProxy: env.NO_PROXY || env.no_proxy || undefined };
}

/** True when NO_PROXY exempts the URL: `*`, exact hosts, domain suffixes (`.corp.com`, `*.corp.com`, `corp.com`), optional `:port`. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    if (!raw) continue;
    if (raw === '*') return true;
    // `host`, `host:port`, `[v6]`, `[v6]:port`; a bare IPv6 address (`::1`) is all host.
    const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(raw.toLowerCase());
    const entry = (m ? m[1]! : raw.toLowerCase()).replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (m?.[2] && m[2] !== port) continue;
    if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/**
 * The trusted CAs with a bundle file added: node's built-in roots, the NODE_EXTRA_CA_CERTS that
 * node read at start-up (an explicit list would otherwise drop them) and the bundle. Undefined
 * without a bundle: node's default store.
 */
export function trustedCa(caBundlePath: string | undefined): string[] | undefined {
  if (!caBundlePath) return undefined;
  let pem: string;
  try {
    const bytes = readRegularFileSync(caBundlePath, 'PEM file');
    if (bytes === null) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    pem = bytes.toString('utf8');
  } catch (e) {
    // A folder or FIFO is named as such (regular-file.ts), under the CA bundle's own code.
    if (e instanceof DbxMcpError) throw new DbxMcpError(e.message, { code: 'BAD_CA_BUNDLE', hint: e.hint ?? 'Point --ca-bundle at a readable PEM file.' });
    throw new DbxMcpError(`Cannot read the CA bundle ${caBundlePath}: ${(e as Error).message}`, { code: 'BAD_CA_BUNDLE', hint: 'Point --ca-bundle at a readable PEM file.' });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new DbxMcpError(`The CA bundle ${caBundlePath} holds no PEM certificate`, { code: 'BAD_CA_BUNDLE', hint: 'Point --ca-bundle at a PEM file (-----BEGIN CERTIFICATE----- …).' });
  }
  const extraPath = process.env.NODE_EXTRA_CA_CERTS;
  const extra = extraPath ? readOptional(extraPath) : undefined;
  return [...tls().rootCertificates, ...(extra ? [extra] : []), pem];
}

/** node already warned at start-up when NODE_EXTRA_CA_CERTS is unreadable; nothing to add then. */
function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `200 ms`, `10 s`: for messages. */
function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function networkError(message: string, code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

/** `Proxy-Authorization` for a proxy URL with credentials (`http://user:pass@proxy:3128`). */
function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  let creds: string;
  try {
    creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  } catch {
    throw new DbxMcpError(`The proxy setting ${withoutCredentials(proxy.href)} has badly encoded credentials`, { code: 'BAD_PROXY', hint: 'Percent-encode special characters of the proxy user and password (e.g. @ as %40).' });
  }
  return { 'proxy-authorization': `Basic ${Buffer.from(creds).toString('base64')}` };
}

/** A proxy setting fit for messages: `http://user:secret@proxy:3128` → `http://proxy:3128`. */
export function withoutCredentials(proxySetting: string): string {
  return proxySetting.replace(/^([a-z][\w+.-]*:\/\/)?[^/@\s]*@/i, '$1');
}

/** An https agent whose connections run through an HTTP proxy's CONNECT tunnel (a class made on first use: https loads lazily). */
function tunnelAgent(proxy: URL, options: Https.AgentOptions, connectTimeoutMs: number): Https.Agent {
  class TunnelAgent extends https().Agent {
    /** CONNECTs still waiting for the proxy: close() must end them too, or they hold the process. */
    private readonly opening = new Set<http.ClientRequest>();

    // The callback form lets node wait for the tunnel before it writes the request.
    override createConnection(options: Tls.ConnectionOptions & { host?: string; port?: number }, callback: (err: Error | null, socket?: Duplex) => void): undefined {
      const connect = openTunnel(proxy, options, connectTimeoutMs, callback);
      this.opening.add(connect);
      connect.once('close', () => this.opening.delete(connect));
      return undefined;
    }

    override destroy(): void {
      for (const c of this.opening) c.destroy();
      super.destroy();
    }
  }
  return new TunnelAgent(options);
}

function openTunnel(proxy: URL, options: Tls.ConnectionOptions & { host?: string; port?: number }, connectTimeoutMs: number, callback: (err: Error | null, socket?: Duplex) => void): http.ClientRequest {
  const host = options.host ?? 'localhost';
  const target = `${isIPv6(host) ? `[${host}]` : host}:${options.port ?? 443}`;
  const viaTls = proxy.protocol === 'https:';
  const connect = (viaTls ? https() : http).request({
    host: proxy.hostname,
    port: proxy.port || (viaTls ? 443 : 80),
    method: 'CONNECT',
    path: target,
    headers: { host: target, ...proxyAuthorization(proxy) },
    agent: false,
    timeout: connectTimeoutMs,
    ...(viaTls && options.ca ? { ca: options.ca } : {}),
  });
  let done = false;
  const finish = (err: Error | null, socket?: Duplex): void => {
    if (done) return;
    done = true;
    callback(err, socket);
  };
  connect.once('connect', (res, socket) => {
    if (res.statusCode !== 200) {
      socket.destroy();
      finish(networkError(`the proxy ${proxy.host} answered ${res.statusCode} ${res.statusMessage ?? ''} to CONNECT ${target}`.trim(), 'PROXY_TUNNEL_FAILED', { statusCode: res.statusCode }));
      return;
    }
    finish(null, tls().connect({ ...options, socket }));
  });
  connect.once('timeout', () => connect.destroy(networkError(`the proxy ${proxy.host} did not open a tunnel to ${target} within ${duration(connectTimeoutMs)}`, 'CONNECT_TIMEOUT')));
  connect.once('error', (e: Error & { code?: string }) => finish(e.code === 'CONNECT_TIMEOUT' ? e : networkError(`cannot reach the proxy ${proxy.host}: ${e.message}`, e.code ?? 'PROXY_UNREACHABLE')));
  connect.end();
  return connect;
}

interface Route {
  request: typeof http.request;
  options: http.RequestOptions;
}

/**
 * `caBundlePath` is checked at once (a bad path fails early), but read only for an https target.
 * `connectTimeoutMs` covers the TCP connect and a proxy's answer to CONNECT.
 */
export function createTransport(env: NodeJS.ProcessEnv, caBundlePath?: string, connectTimeoutMs = CONNECT_TIMEOUT_MS): Transport {
  if (caBundlePath) trustedCa(caBundlePath);
  const proxies = proxyEnv(env);
  const keepAlive = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
  let tlsOptions: { ca?: string[] } | undefined;
  const secureAgentOptions = (): Https.AgentOptions => ({ ...keepAlive, ...(tlsOptions ??= { ca: trustedCa(caBundlePath) }) });
  const agents: http.Agent[] = [];
  const remember = <A extends http.Agent>(a: A): A => (agents.push(a), a);
  let direct: { http?: http.Agent; https?: Https.Agent; tunnels: Map<string, Https.Agent>; forward?: http.Agent } = { tunnels: new Map() };

  function route(url: URL): Route {
    const secure = url.protocol === 'https:';
    const proxyUrl = proxies && !bypassesProxy(url, proxies.noProxy) ? (secure ? proxies.httpsProxy : proxies.httpProxy) : undefined;
    if (!proxyUrl) {
      if (secure) return { request: https().request, options: { agent: (direct.https ??= remember(new (https().Agent)(secureAgentOptions()))) } };
      return { request: http.request, options: { agent: (direct.http ??= remember(new http.Agent(keepAlive))) } };
    }
    let proxy: URL;
    try {
      proxy = new URL(proxyUrl.includes('://') ? proxyUrl : `http://${proxyUrl}`);
    } catch {
      throw new DbxMcpError(`The proxy setting ${withoutCredentials(proxyUrl)} is not a URL`, { code: 'BAD_PROXY', hint: 'Set HTTPS_PROXY to e.g. http://proxy.corp.example:3128, or unset it.' });
    }
    if (secure) {
      let tunnel = direct.tunnels.get(proxy.href);
      if (!tunnel) direct.tunnels.set(proxy.href, (tunnel = remember(tunnelAgent(proxy, secureAgentOptions(), connectTimeoutMs))));
      return { request: https().request, options: { agent: tunnel } };
    }
    // Plain http (loopback only, by the callers' rules) goes to the proxy in absolute form.
    return {
      request: http.request,
      options: {
        agent: (direct.forward ??= remember(new http.Agent(keepAlive))),
        // Both: node prefers the `hostname` that the URL argument already filled in.
        host: proxy.hostname,
        hostname: proxy.hostname.replace(/^\[|\]$/g, ''),
        port: proxy.port || 80,
        path: url.href,
        headers: { host: url.host, ...proxyAuthorization(proxy) },
      },
    };
  }

  return {
    send(url, x) {
      return new Promise<Response>((resolve, reject) => {
        let r: Route;
        try {
          r = route(url);
        } catch (e) {
          reject(e);
          return;
        }
        const headers = { ...(r.options.headers as Record<string, string> | undefined), ...x.headers };
        if (x.body !== undefined) headers['content-length'] = String(Buffer.byteLength(x.body));
        if (x.abort?.aborted) {
          reject(abortError());
          return;
        }
        const req = r.request(url, { ...r.options, method: x.method, headers });
        if (x.abort) {
          // Settle at once: before a socket exists (a tunnel still opening) destroy() alone waits.
          const off = x.abort.onAbort(() => {
            req.destroy(abortError());
            reject(abortError());
          });
          req.once('close', off);
        }
        // Until a new connection is ready (TCP connected, and TLS handshaken for https) nothing
        // was sent: a timeout then is CONNECT_TIMEOUT, which callers may retry. A silent socket
        // timeout of the agent or of the request during that phase counts the same.
        let connected = false;
        const connectTimeout = (): Error => networkError(`connecting to ${url.host} timed out after ${duration(connectTimeoutMs)}`, 'CONNECT_TIMEOUT');
        let connectTimer: NodeJS.Timeout | undefined;
        const clearConnectTimer = (): void => clearTimeout(connectTimer);
        req.on('socket', (socket) => {
          if (req.reusedSocket) {
            connected = true;
            return;
          }
          connectTimer = setTimeout(() => req.destroy(connectTimeout()), connectTimeoutMs);
          socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
            connected = true;
            clearConnectTimer();
          });
        });
        req.setTimeout(x.timeoutMs, () => req.destroy(connected ? networkError(`no answer from ${url.host} within ${duration(x.timeoutMs)}`, 'ETIMEDOUT') : connectTimeout()));
        req.on('error', (e) => {
          clearConnectTimer();
          reject(e);
        });
        req.on('response', (res) => {
          clearConnectTimer();
          // An unread body can still fail (reset); readers see that error through the stream.
          res.on('error', () => undefined);
          resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res });
        });
        req.end(x.body);
      });
    },
    close() {
      for (const a of agents) a.destroy();
      agents.length = 0;
      direct = { tunnels: new Map() };
    },
  };
}

/** Reads a whole body as UTF-8 (multi-byte characters split across chunks stay intact). */
export async function readText(body: IncomingMessage, limit = Infinity): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Drops a body so the connection returns to the pool; a long one is cut off instead. */
export function discard(body: IncomingMessage): void {
  let size = 0;
  body.on('data', (c: Buffer) => {
    size += c.length;
    if (size > 64 * 1024) body.destroy();
  });
  body.resume();
}
