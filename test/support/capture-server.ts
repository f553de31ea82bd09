/**
 * A loopback HTTP server that records whatever reaches it (requests and proxy CONNECTs) and
 * answers 502: the "foreign host" of the trust-boundary tests. Standing in as HTTPS_PROXY, it
 * also sees any connection to a host no test can serve (a look-alike IDN host).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface CaptureServer {
  url: string;
  port: number;
  received: Captured[];
  close(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const received: Captured[] = [];
  const server = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    res.writeHead(502, { 'content-type': 'text/plain' }).end('captured');
  });
  server.on('connect', (req, socket) => {
    received.push({ method: 'CONNECT', url: req.url ?? '', headers: req.headers });
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
