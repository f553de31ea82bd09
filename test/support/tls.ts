/**
 * TLS and proxy fixtures for the transport tests: throwaway certificates made at test time with
 * the `openssl` CLI (nothing committed), and a loopback HTTP proxy that tunnels CONNECT to
 * 127.0.0.1 targets and records what it saw.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The openssl binary, or undefined when there is none (TLS tests skip then). */
export const OPENSSL: string | undefined = (() => {
  for (const bin of ['/usr/bin/openssl', 'openssl']) {
    const r = spawnSync(bin, ['version'], { encoding: 'utf8' });
    if (r.status === 0) return bin;
  }
  return undefined;
})();

export const NO_OPENSSL = 'the openssl CLI is not installed: cannot make throwaway certificates';

export interface CertSet {
  /** PEM file of the self-signed CA. */
  caPath: string;
  caPem: string;
  /** The server key and certificate (signed by the CA) for 127.0.0.1 and localhost. */
  key: string;
  cert: string;
}

function openssl(args: string[]): void {
  const r = spawnSync(OPENSSL!, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** A fresh CA and a server certificate it signed (EC P-256, valid one day), in `dir`. */
export function makeCerts(dir: string, name: string): CertSet {
  const p = (f: string) => join(dir, `${name}-${f}`);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '1', '-subj', `/CN=dbx-mcp ${name} test CA`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', ...ec, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  const serial = `0x${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`;
  openssl(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-set_serial', serial, '-days', '1',
    '-out', p('server.pem'), '-extfile', p('ext.cnf')]);
  return { caPath: p('ca.pem'), caPem: readFileSync(p('ca.pem'), 'utf8'), key: readFileSync(p('server.key'), 'utf8'), cert: readFileSync(p('server.pem'), 'utf8') };
}

/** A temporary directory with two unrelated CA + server certificate sets, `a` and `b`. */
export function makeCertDir(): { dir: string; a: CertSet; b: CertSet; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'dbx-mcp-tls-'));
  return { dir, a: makeCerts(dir, 'a'), b: makeCerts(dir, 'b'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ProxySeen {
  /** CONNECT targets (`host:port`) with their Proxy-Authorization header. */
  connects: Array<{ target: string; auth: string | undefined }>;
  /** Plain (absolute-form) requests. */
  requests: Array<{ method: string; url: string; host: string | undefined; auth: string | undefined }>;
  /** TCP connections accepted. */
  connections: number;
}

export interface TestProxy extends ProxySeen {
  port: number;
  /** `http://[user:pass@]127.0.0.1:<port>` */
  url(userinfo?: string): string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1. CONNECT to a 127.0.0.1 target is tunnelled (anything else gets
 * 502); `answer` (e.g. 407) refuses every CONNECT with that status instead. Absolute-form
 * requests are answered by the proxy itself (200, the body names the URL it was asked for),
 * never forwarded.
 */
export async function startTestProxy(o: { answer?: number } = {}): Promise<TestProxy> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const seen: ProxySeen = { connects: [], requests: [], connections: 0 };
  const server = http.createServer((req, res) => {
    seen.requests.push({ method: req.method ?? '', url: req.url ?? '', host: req.headers.host, auth: req.headers['proxy-authorization'] });
    res.setHeader('content-type', 'text/plain');
    res.end(`proxy answered ${req.url}`);
  });
  server.on('connection', (s: net.Socket) => {
    seen.connections++;
    track(s);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    seen.connects.push({ target, auth: req.headers['proxy-authorization'] });
    client.on('error', () => undefined);
    if (o.answer) {
      client.end(`HTTP/1.1 ${o.answer} ${http.STATUS_CODES[o.answer] ?? 'Refused'}\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const m = /^127\.0\.0\.1:(\d+)$/.exec(target);
    if (!m) {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(m[1]), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(seen, {
    port,
    url: (userinfo?: string) => `http://${userinfo ? `${userinfo}@` : ''}127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
