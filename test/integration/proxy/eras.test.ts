/**
 * MCP eras through the proxy: modern (2026-07-28) requests reach a modern-only server with the
 * headers its transport requires, and an upstream error's `data` (e.g. the `supported` versions
 * of UnsupportedProtocolVersionError) reaches the client as the server sent it.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace, type RecordedRequest } from '../../../src/emulator/index.js';
import { patConfig, startInProcess, tempHome, type InProcessProxy } from '../../support/proxy-harness.js';
import type { ProxyTuning } from '../../../src/proxy/run.js';

const MODERN = '2026-07-28';
const envelope = (extra: Record<string, unknown> = {}) => ({
  _meta: {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'eras-test', version: '0.0.0' },
    ...extra,
  },
});

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

async function proxy(tuning: ProxyTuning = {}): Promise<InProcessProxy> {
  const p = await startInProcess({ home: home.home, opts: { url: ws.mcpUrl('sql') }, tuning });
  running.push(p);
  return p;
}

describe('proxy: modern requests', () => {
  test('a modern tools/list and tools/call reach a modern-only server (MCP-Protocol-Version, Mcp-Method, Mcp-Name sent)', async () => {
    ws.scenario.mcpEra = 'modern';
    const { rpc } = await proxy();
    const list = await rpc.request('tools/list', envelope());
    assert.equal(list.error, undefined, JSON.stringify(list.error));
    assert.ok((list.result as { tools: Array<{ name: string }> }).tools.some((t) => t.name === 'execute_sql'));
    const call = await rpc.request('tools/call', { name: 'slow_echo', arguments: { message: 'héllo', ms: 0 }, ...envelope() });
    assert.equal(call.error, undefined, JSON.stringify(call.error));
    assert.match(JSON.stringify(call.result), /héllo/);
  });

  test('UnsupportedProtocolVersionError: data.supported reaches the client unchanged', async () => {
    ws.scenario.mcpEra = 'modern';
    const { rpc } = await proxy();
    const r = await rpc.request('tools/list', { _meta: { ...envelope()._meta, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } });
    const err = r.error as { code: number; data?: { supported?: unknown } };
    assert.ok(err, JSON.stringify(r));
    assert.ok(Array.isArray(err.data?.supported), `data: ${JSON.stringify(err.data)}`);
    assert.ok((err.data!.supported as string[]).includes(MODERN));
  });
});

const SUB = 'io.modelcontextprotocol/subscriptionId';
const README = 'emulator://readme';
type Msg = Record<string, unknown>;
const isListen = (r: RecordedRequest) => r.method === 'POST' && (r.body as Msg | undefined)?.method === 'subscriptions/listen';
/** Every wait here is for something the proxy must do: a missing behaviour fails in bounded time. */
const BOUNDED = { timeout: 15_000 };
const metaOf = (m: Msg) => ((m.params as Msg | undefined)?._meta as Msg | undefined) ?? {};

describe('proxy: change notifications across eras (subscriptions/listen)', () => {
  test('legacy client, modern-only server: the proxy listens upstream and relays tools/list_changed unsolicited, without the subscription _meta', BOUNDED, async () => {
    ws.scenario.mcpEra = 'modern';
    const { rpc } = await proxy();
    const init = await rpc.initialize();
    assert.equal(init.error, undefined, JSON.stringify(init.error));
    const listen = await ws.waitForRequest(isListen, 'response');
    assert.equal(listen.status, 200);
    assert.deepEqual((listen.body as { params: Msg }).params.notifications, { toolsListChanged: true }, 'asks for what the server offers');
    assert.equal(listen.headers['mcp-method'], 'subscriptions/listen');
    assert.equal(listen.headers['mcp-protocol-version'], MODERN);
    const changed = rpc.waitForMessage((m) => m.method === 'notifications/tools/list_changed');
    ws.notifyMcpChange('tools');
    const n = await changed;
    assert.equal(metaOf(n)[SUB], undefined, JSON.stringify(n));
    assert.ok(!rpc.messages.some((m) => m.method === 'notifications/subscriptions/acknowledged'), 'the acknowledgement is the proxy\'s own');
    // The server offers no resource subscriptions: answered as a legacy server without them would.
    const sub = await rpc.request('resources/subscribe', { uri: README });
    assert.equal((sub.error as { code?: number } | undefined)?.code, -32601, JSON.stringify(sub));
  });

  test('legacy client, modern-only server: when the listen stream ends the proxy listens again (bounded), and resources/subscribe re-opens it with the URI', BOUNDED, async () => {
    Object.assign(ws.scenario, { mcpEra: 'modern', mcpExtras: true });
    const { rpc } = await proxy();
    await rpc.initialize();
    const first = await ws.waitForRequest(isListen, 'response');
    await ws.endMcpListens();
    const second = await ws.waitForRequest((r) => isListen(r) && r !== first, 'response');
    assert.equal(second.status, 200);
    const changed = rpc.waitForMessage((m) => m.method === 'notifications/tools/list_changed');
    ws.notifyMcpChange('tools');
    await changed;
    assert.deepEqual((await rpc.request('resources/subscribe', { uri: README })).result, {});
    await ws.waitForRequest((r) => isListen(r) && JSON.stringify(r.body).includes(README), 'response');
    assert.equal(ws.requests.filter((r) => (r.body as Msg | undefined)?.method === 'resources/subscribe').length, 0, 'not forwarded: the modern era has no resources/subscribe');
    const updated = rpc.waitForMessage((m) => m.method === 'notifications/resources/updated');
    ws.notifyMcpChange({ resourceUpdated: README });
    assert.deepEqual((await updated).params, { uri: README });
  });

  test('modern client, legacy-only server: the proxy acknowledges the honored subset, delivers only what was asked for, stamped with the listen id, and a cancel ends it', BOUNDED, async () => {
    Object.assign(ws.scenario, { mcpEra: 'legacy', mcpExtras: true });
    const { rpc } = await proxy();
    const acked = rpc.waitForMessage((m) => m.method === 'notifications/subscriptions/acknowledged' && metaOf(m)[SUB] === 'L1');
    void rpc.request('subscriptions/listen', { ...envelope(), notifications: { resourceSubscriptions: [README], toolsListChanged: false } }, 'L1');
    const ack = await acked;
    assert.deepEqual((ack.params as Msg).notifications, { resourceSubscriptions: [README] });
    assert.ok(ws.requests.some((r) => (r.body as Msg | undefined)?.method === 'resources/subscribe' && JSON.stringify(r.body).includes(README)), 'mapped onto the legacy resources/subscribe');
    // Tools first, then the resource (in order on the legacy GET stream): only the resource is delivered.
    const updated = rpc.waitForMessage((m) => m.method === 'notifications/resources/updated');
    ws.notifyMcpChange('tools');
    ws.notifyMcpChange({ resourceUpdated: README });
    const u = await updated;
    assert.deepEqual(u.params, { uri: README, _meta: { [SUB]: 'L1' } });
    assert.ok(!rpc.messages.some((m) => m.method === 'notifications/tools/list_changed'), 'a type not asked for is never sent');
    // Cancelling ends it: the legacy subscription goes, and a second listen sees what the first no longer does.
    rpc.notify('notifications/cancelled', { requestId: 'L1', reason: 'done' });
    await ws.waitForRequest((r) => (r.body as Msg | undefined)?.method === 'resources/unsubscribe', 'end');
    const acked2 = rpc.waitForMessage((m) => m.method === 'notifications/subscriptions/acknowledged' && metaOf(m)[SUB] === 'L2');
    // L2 takes the same resource again: were L1 still routed to, it would get a copy of the update.
    void rpc.request('subscriptions/listen', { ...envelope(), notifications: { toolsListChanged: true, resourceSubscriptions: [README] } }, 'L2');
    assert.deepEqual(((await acked2).params as Msg).notifications, { toolsListChanged: true, resourceSubscriptions: [README] });
    const changed = rpc.waitForMessage((m) => m.method === 'notifications/tools/list_changed');
    ws.notifyMcpChange({ resourceUpdated: README });
    ws.notifyMcpChange('tools');
    assert.equal(metaOf(await changed)[SUB], 'L2');
    assert.equal(rpc.messages.filter((m) => m.method === 'notifications/resources/updated' && metaOf(m)[SUB] === 'L2').length, 1, 'the update reached L2 before its tools change');
    assert.equal(rpc.messages.filter((m) => metaOf(m)[SUB] === 'L1').length, 2, 'nothing more for L1 after its cancel (its ack and one update)');
    assert.equal(rpc.answersFor('L1'), 0, 'a cancelled request gets no answer');
  });

  test('modern client, legacy-only server: a filter the server cannot honor is acknowledged empty and ended at once; a listen without a filter is invalid params', BOUNDED, async () => {
    ws.scenario.mcpEra = 'legacy';
    const { rpc } = await proxy();
    const end = await rpc.request('subscriptions/listen', { ...envelope(), notifications: { promptsListChanged: true, resourceSubscriptions: [README] } }, 'L3');
    const ack = rpc.messages.find((m) => m.method === 'notifications/subscriptions/acknowledged')!;
    assert.deepEqual(ack.params, { notifications: {}, _meta: { [SUB]: 'L3' } });
    assert.deepEqual(end.result, { resultType: 'complete', _meta: { [SUB]: 'L3' } });
    const bad = await rpc.request('subscriptions/listen', envelope(), 'L4');
    assert.equal((bad.error as { code?: number } | undefined)?.code, -32602, JSON.stringify(bad));
  });

  test('modern client, modern server: a passed-through listen is ended gracefully at shutdown, not waited for', BOUNDED, async () => {
    ws.scenario.mcpEra = 'modern';
    // A drain far beyond the test's bound: shutdown must not wait for the open stream.
    const p = await proxy({ drainMs: 60_000 });
    const acked = p.rpc.waitForMessage((m) => m.method === 'notifications/subscriptions/acknowledged');
    void p.rpc.request('subscriptions/listen', { ...envelope(), notifications: { toolsListChanged: true } }, 'L5');
    assert.deepEqual(metaOf(await acked)[SUB], 'L5');
    const changed = p.rpc.waitForMessage((m) => m.method === 'notifications/tools/list_changed');
    ws.notifyMcpChange('tools');
    assert.equal(metaOf(await changed)[SUB], 'L5', 'passed through as the server sent it');
    running.splice(running.indexOf(p), 1);
    assert.equal(await p.end(), 0);
    assert.deepEqual((await p.rpc.answer('L5')).result, { resultType: 'complete', _meta: { [SUB]: 'L5' } });
  });
});

/**
 * A subscription lives in the legacy server's session: when the session expires and the proxy
 * re-initialises (session.ts), what is still subscribed must be subscribed again on the new one
 * (the proxy's own, for a modern client's listen, and a legacy client's), or updates stop silently.
 */
describe('proxy: resource subscriptions across a session recovery', () => {
  test('modern client, legacy-only server: a listen\'s resource subscription survives a session recovery', { timeout: 10_000 }, async () => {
    Object.assign(ws.scenario, { mcpEra: 'legacy', mcpExtras: true });
    const { rpc } = await proxy();
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
    const { rpc } = await proxy();
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
});
