/**
 * Review finding: over a legacy-only server the proxy itself makes the legacy
 * `resources/subscribe` a modern client's `subscriptions/listen` needs. That subscription lives in
 * the server's session: when the session expires and the proxy re-initialises (session.ts), the
 * listen is still open for the client, so the proxy must subscribe again on the new session, or
 * the client's resource updates stop for good without any sign.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace, type RecordedRequest } from '../../../src/emulator/index.js';
import { patConfig, startInProcess, tempHome, type InProcessProxy } from '../../support/proxy-harness.js';

const MODERN = '2026-07-28';
const SUB = 'io.modelcontextprotocol/subscriptionId';
const README = 'emulator://readme';
type Msg = Record<string, unknown>;
const envelope = () => ({ _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'review', version: '0.0.0' } } });
const metaOf = (m: Msg) => ((m.params as Msg | undefined)?._meta as Msg | undefined) ?? {};

let ws: FakeWorkspace;
let home: { home: string; cleanup: () => void };
const running: InProcessProxy[] = [];
before(async () => {
  ws = await startFakeWorkspace();
  home = tempHome(patConfig(ws.url, DEMO_PAT));
});
after(async () => {
  await ws.close();
  home.cleanup();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.end()));
  ws.reset();
});

test('modern client, legacy-only server: a listen\'s resource subscription survives a session recovery', { timeout: 10_000 }, async () => {
  Object.assign(ws.scenario, { mcpEra: 'legacy', mcpExtras: true });
  const p = await startInProcess({ home: home.home, opts: { url: ws.mcpUrl('sql') } });
  running.push(p);
  const { rpc } = p;
  const acked = rpc.waitForMessage((m) => m.method === 'notifications/subscriptions/acknowledged' && metaOf(m)[SUB] === 'L1');
  void rpc.request('subscriptions/listen', { ...envelope(), notifications: { resourceSubscriptions: [README] } }, 'L1');
  assert.deepEqual(((await acked).params as Msg).notifications, { resourceSubscriptions: [README] });
  // Before the expiry the update arrives (the setup works).
  const first = rpc.waitForMessage((m) => m.method === 'notifications/resources/updated');
  ws.notifyMcpChange({ resourceUpdated: README });
  await first;

  await ws.expireAllSessions();
  const before = ws.requests.length;
  const list = await rpc.request('tools/list', envelope());
  assert.equal(list.error, undefined, JSON.stringify(list.error));
  const isInit = (r: RecordedRequest) => (r.body as Msg | undefined)?.method === 'initialize';
  assert.ok(ws.requests.slice(before).some(isInit), 'the proxy re-initialised');
  // The new session's GET stream is open.
  await ws.waitForRequest((r) => ws.requests.indexOf(r) >= before && r.method === 'GET' && r.status === 200, 'response');
  // Bounded by the test's timeout: without the fix, no resources/subscribe ever comes.
  await ws.waitForRequest((r) => ws.requests.indexOf(r) >= before && (r.body as Msg | undefined)?.method === 'resources/subscribe', 'response');
  const seen = rpc.messages.length;
  const again = rpc.waitForMessage((m) => rpc.messages.indexOf(m) >= seen && m.method === 'notifications/resources/updated' && metaOf(m)[SUB] === 'L1');
  ws.notifyMcpChange({ resourceUpdated: README });
  await again;
});

test('legacy client, legacy server (passed through): the client\'s own resources/subscribe survives a session recovery; an unsubscribed one is not made again', { timeout: 10_000 }, async () => {
  Object.assign(ws.scenario, { mcpEra: 'legacy', mcpExtras: true });
  const p = await startInProcess({ home: home.home, opts: { url: ws.mcpUrl('sql') } });
  running.push(p);
  const { rpc } = p;
  const init = await rpc.initialize();
  assert.equal(init.error, undefined, JSON.stringify(init.error));
  const OTHER = 'emulator://other';
  assert.equal((await rpc.request('resources/subscribe', { uri: README })).error, undefined);
  await rpc.request('resources/subscribe', { uri: OTHER });
  await rpc.request('resources/unsubscribe', { uri: OTHER });

  await ws.expireAllSessions();
  const before = ws.requests.length;
  assert.equal((await rpc.request('tools/list', {})).error, undefined);
  const isInit = (r: RecordedRequest) => (r.body as Msg | undefined)?.method === 'initialize';
  assert.ok(ws.requests.slice(before).some(isInit), 'the proxy re-initialised');
  // The new session's GET stream is open; without the fix no update ever reaches the client (bounded by the timeout).
  await ws.waitForRequest((r) => ws.requests.indexOf(r) >= before && r.method === 'GET' && r.status === 200, 'response');
  const seen = rpc.messages.length;
  const again = rpc.waitForMessage((m) => rpc.messages.indexOf(m) >= seen && m.method === 'notifications/resources/updated');
  ws.notifyMcpChange({ resourceUpdated: README });
  await again;
  const resubscribed = ws.requests.slice(before).filter((r) => (r.body as Msg | undefined)?.method === 'resources/subscribe').map((r) => ((r.body as Msg).params as Msg).uri);
  assert.deepEqual(resubscribed, [README], 'only what is still subscribed is made again');
});
