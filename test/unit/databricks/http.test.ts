import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '../../../src/databricks/http.js';
import { DatabricksApiError } from '../../../src/databricks/api-errors.js';
import { NetworkError } from '../../../src/databricks/network.js';

async function serve(t: { after: (fn: () => Promise<void> | void) => void }, handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('429 is retried after Retry-After, within the budget', async (t) => {
  let calls = 0;
  const url = await serve(t, (_req, res) => {
    calls++;
    if (calls < 3) {
      res.writeHead(429, { 'retry-after': '0.05', 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'limit' }));
    } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  const slept: number[] = [];
  const http = createHttpClient({ env: {}, version: 't', sleep: async (ms) => void slept.push(ms) });
  assert.deepEqual(await http.request({ method: 'GET', url }), { ok: true });
  assert.equal(calls, 3);
  assert.equal(slept.length, 2);
  assert.ok(slept.every((ms) => ms >= 50));
});

test('429 beyond the budget becomes a rate-limited error; 403 is not retried', async (t) => {
  let calls = 0;
  const url = await serve(t, (req, res) => {
    calls++;
    if (req.url === '/acl') res.writeHead(403).end(JSON.stringify({ error_code: 403, message: 'Invalid access token.' }));
    else res.writeHead(429, { 'retry-after': '60' }).end(JSON.stringify({ error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'limit' }));
  });
  const http = createHttpClient({ env: {}, version: 't', sleep: async () => {} });
  await assert.rejects(http.request({ method: 'GET', url, retryBudgetMs: 1000 }), (e: DatabricksApiError) => e.kind === 'rate-limited');
  assert.equal(calls, 1);
  await assert.rejects(http.request({ method: 'GET', url: url + '/acl' }), (e: DatabricksApiError) => e.kind === 'invalid-token' && /auth login/.test(e.hint ?? ''));
  assert.equal(calls, 2);
});

test('a closed port is classified as refused; a silent server as timeout (never retried)', async (t) => {
  const http = createHttpClient({ env: {}, version: 't' });
  const closed = await serve(t, () => {});
  const port = new URL(closed).port;
  // Find a port that is closed: bind and close one.
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const dead = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  await assert.rejects(http.request({ method: 'GET', url: `http://127.0.0.1:${dead}/x` }), (e: NetworkError) => e.network === 'refused' && Boolean(e.hint));
  let hits = 0;
  const silent = await serve(t, () => void hits++);
  await assert.rejects(http.request({ method: 'GET', url: silent, timeoutMs: 200 }), (e: NetworkError) => e.network === 'timeout');
  assert.equal(hits, 1, 'a timeout is not retried');
  assert.ok(port);
});

test('sends the bearer token, user agent and JSON body', async (t) => {
  let seen: Record<string, unknown> = {};
  const url = await serve(t, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen = { auth: req.headers.authorization, ua: req.headers['user-agent'], body, url: req.url };
      res.writeHead(200).end('{}');
    });
  });
  const http = createHttpClient({ env: {}, version: '9.9.9' });
  await http.request({ method: 'POST', url: url + '/p', token: 'dapiabcdefabcdefabcdef', body: { a: 1 }, query: { x: 'y', skip: undefined } });
  assert.equal(seen.auth, 'Bearer dapiabcdefabcdefabcdef');
  assert.match(String(seen.ua), /^dbx-mcp\/9\.9\.9 node\//);
  assert.equal(seen.body, '{"a":1}');
  assert.equal(seen.url, '/p?x=y');
});
