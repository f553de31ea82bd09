/**
 * Proxy behaviour beyond faults: auth (refresh on rejection, useful errors), --meta,
 * cancellation, the GET event stream, batches, parse errors, timeouts, shutdown.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { DEMO_PAT, DEMO_SP_CLIENT_ID, DEMO_SP_CLIENT_SECRET, startFakeWorkspace, type FakeWorkspace } from '../../../src/emulator/index.js';
import type { ProxyOptions, ProxyTuning } from '../../../src/proxy/run.js';
import { patConfig, startInProcess, tempHome, type InProcessProxy } from '../../support/proxy-harness.js';

type Msg = Record<string, unknown>;
/** A hang guard only: a regression fails instead of blocking the run. */
const GUARD = { timeout: 30_000 };

async function setup(
  t: TestContext,
  o: { cfg?: (ws: FakeWorkspace) => string; opts?: Partial<ProxyOptions>; tuning?: ProxyTuning; url?: (ws: FakeWorkspace) => string; mode?: 'json' | 'sse' } = {},
): Promise<{ ws: FakeWorkspace; p: InProcessProxy }> {
  const ws = await startFakeWorkspace({ mcpResponseMode: o.mode ?? 'sse' });
  const { home, cleanup } = tempHome(o.cfg ? o.cfg(ws) : patConfig(ws.url, DEMO_PAT));
  const p = await startInProcess({ home, opts: { url: o.url ? o.url(ws) : ws.mcpUrl('sql'), logLevel: 'debug', ...o.opts }, tuning: o.tuning });
  t.after(async () => {
    await p.end();
    await ws.close();
    cleanup();
  });
  return { ws, p };
}

const errMsg = (r: Msg) => (r.error as { message: string } | undefined)?.message ?? '';
const bodyOf = (ws: FakeWorkspace, method: string) => ws.requests.filter((q) => (q.body as Msg | undefined)?.method === method).map((q) => q.body as Msg);

describe('proxy auth', () => {
  it('refreshes an OAuth token once when Databricks rejects it (403 Invalid access token)', async (t) => {
    const { ws, p } = await setup(t, { cfg: (w) => `[DEFAULT]\nhost = ${w.url}\nclient_id = ${DEMO_SP_CLIENT_ID}\nclient_secret = ${DEMO_SP_CLIENT_SECRET}\n` });
    assert.ok((await p.rpc.initialize()).result);
    const first = Object.entries(ws.state.tokens).filter(([, r]) => r.kind === 'oauth').map(([k]) => k);
    assert.equal(first.length, 1);
    ws.revokeToken(first[0]!);
    const r = await p.rpc.request('tools/call', { name: 'slow_echo', arguments: { message: 'after-revoke', ms: 0 } });
    assert.ok(r.result, JSON.stringify(r));
    const calls = ws.requests.filter((q) => (q.body as { params?: { arguments?: { message?: string } } })?.params?.arguments?.message === 'after-revoke');
    assert.deepEqual(calls.map((c) => c.status), [403, 200]);
    assert.equal(ws.requests.filter((q) => q.path.endsWith('/oidc/v1/token')).length, 2, 'one forced refresh');
  });

  it('answers with the fix when the PAT is rejected', async (t) => {
    const { p } = await setup(t, { cfg: (w) => patConfig(w.url, 'dapi00000000000000000000000000000000') });
    const r = await p.rpc.initialize();
    assert.match(errMsg(r), /Databricks rejected the token \((401|403)/);
    assert.match(errMsg(r), /personal access token/);
    assert.doesNotMatch(errMsg(r), /dapi0000/, 'the token is redacted');
    assert.deepEqual(p.rpc.garbage, []);
  });

  it('an app URL the workspace does not vouch for gets no token (token rule), answered with the host and the fix', async (t) => {
    // Issue 18: only an app the profile's Apps API returns may receive its token; this one is unknown.
    const { p } = await setup(t, { url: () => 'https://my-app-1234567890.aws.databricksapps.com/mcp' });
    const r = await p.rpc.initialize();
    assert.match(errMsg(r), /my-app-1234567890\.aws\.databricksapps\.com is not the workspace of profile .* nor an app it vouches for.*not sent there/);
    assert.equal(p.rpc.answersFor(1), 1);
  });

  it('answers every request with the fix when there is no profile', async (t) => {
    const ws = await startFakeWorkspace();
    const { home, cleanup } = tempHome('');
    const p = await startInProcess({ home, opts: { url: ws.mcpUrl('sql') } });
    t.after(async () => {
      await p.end();
      await ws.close();
      cleanup();
    });
    const r = await p.rpc.initialize();
    assert.match(errMsg(r), /No Databricks configuration.*databricks auth login/);
  });
});

describe('proxy forwarding', () => {
  it('adds --meta fields to tools/call only, keeping the client\'s own _meta', async (t) => {
    const { ws, p } = await setup(t, { opts: { meta: ['warehouse_id=abcdef1234567890', 'team=x=y'] } });
    await p.rpc.initialize();
    await p.rpc.request('tools/call', { name: 'slow_echo', arguments: { ms: 0 }, _meta: { progressToken: 7 } });
    await p.rpc.request('tools/list');
    const [call] = bodyOf(ws, 'tools/call');
    assert.deepEqual((call!.params as Msg)._meta, { warehouse_id: 'abcdef1234567890', team: 'x=y', progressToken: 7 });
    assert.equal((bodyOf(ws, 'tools/list')[0]!.params as Msg | undefined)?._meta, undefined);
  });

  it('relays progress notifications before the result (SSE)', async (t) => {
    const { p } = await setup(t);
    await p.rpc.initialize();
    const r = await p.rpc.request('tools/call', { name: 'progress_echo', arguments: { message: 'done', steps: 3, intervalMs: 5 }, _meta: { progressToken: 'tok' } }, 'pe');
    assert.ok(r.result);
    const seq = p.rpc.messages.filter((m) => m.method === 'notifications/progress' || m.id === 'pe').map((m) => (m.method ? (m.params as Msg).progress : 'result'));
    assert.deepEqual(seq, [1, 2, 3, 'result']);
  });

  it('holds a result that follows progress until the client answered a ping, so a stdio client has dispatched the progress first; the answer goes nowhere', async (t) => {
    const { ws, p } = await setup(t);
    await p.rpc.initialize();
    const r = await p.rpc.request('tools/call', { name: 'progress_echo', arguments: { message: 'done', steps: 2, intervalMs: 0 }, _meta: { progressToken: 'tok' } }, 'pe2');
    assert.ok(r.result);
    const seq = p.rpc.messages.filter((m) => m.method === 'notifications/progress' || m.method === 'ping' || m.id === 'pe2').map((m) => (m.method === 'ping' ? 'ping' : m.method ? (m.params as Msg).progress : 'result'));
    assert.deepEqual(seq, [1, 2, 'ping', 'result']);
    const ping = p.rpc.messages.find((m) => m.method === 'ping')!;
    assert.ok(!ws.requests.some((q) => JSON.stringify(q.body ?? '').includes(String(ping.id))), 'the ping answer was not forwarded');
  });

  it('relays server-initiated notifications from the GET event stream', async (t) => {
    const { ws, p } = await setup(t, { url: (w) => w.mcpUrl('functions', 'main', 'tools') });
    await p.rpc.initialize();
    await ws.waitForRequest((q) => q.method === 'GET', 'response');
    const changed = p.rpc.waitForMessage((m) => m.method === 'notifications/tools/list_changed');
    ws.scenario.denyGrants = ['EXECUTE'];
    await p.rpc.request('ping');
    assert.equal((await changed).method, 'notifications/tools/list_changed', 'relayed');
  });

  for (const mode of ['sse', 'json'] as const) {
    it(`does not answer a cancelled request, and aborts its upstream HTTP request (${mode})`, GUARD, async (t) => {
      const { ws, p } = await setup(t, { mode });
      await p.rpc.initialize();
      const isCall = (q: { body: unknown }) => (q.body as Msg | undefined)?.id === 'c1';
      void p.rpc.request('tools/call', { name: 'slow_echo', arguments: { ms: 10_000 } }, 'c1');
      await ws.waitForRequest(isCall);
      p.rpc.notify('notifications/cancelled', { requestId: 'c1', reason: 'user' });
      // The server sees the proxy drop the call's HTTP request (the tool would run for 10 s).
      const upstream = await ws.waitForRequest(isCall, 'end');
      assert.equal(upstream.outcome, 'closed', 'the HTTP request was aborted, not answered');
      assert.ok((await p.rpc.request('ping')).result);
      assert.equal(p.rpc.answersFor('c1'), 0);
    });
  }

  it('forwards a JSON-RPC batch and answers each request once', async (t) => {
    const { p } = await setup(t);
    await p.rpc.initialize();
    p.rpc.send([
      { jsonrpc: '2.0', id: 'b1', method: 'ping' },
      { jsonrpc: '2.0', id: 'b2', method: 'tools/list' },
      { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
    ]);
    await Promise.all([p.rpc.answer('b1'), p.rpc.answer('b2')]);
    assert.equal(p.rpc.answersFor('b1'), 1);
    assert.equal(p.rpc.answersFor('b2'), 1);
  });

  it('answers a line that is not JSON with a parse error', async (t) => {
    const { p } = await setup(t);
    (p.rpc as unknown as { write: (l: string) => void }).write('{not json');
    assert.deepEqual(await p.rpc.waitForMessage(() => true), { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: the line is not valid JSON' } });
  });

  it('answers a timed-out request with an error and does not resend it', async (t) => {
    const { ws, p } = await setup(t, { tuning: { requestTimeoutMs: 300 }, mode: 'json' });
    await p.rpc.initialize();
    const r = await p.rpc.request('tools/call', { name: 'slow_echo', arguments: { message: 'slow', ms: 2_000 } });
    assert.match(errMsg(r), /no answer .* in time.*not retried/);
    assert.equal(bodyOf(ws, 'tools/call').length, 1);
  });
});

describe('proxy shutdown', () => {
  it('answers in-flight requests after stdin ends, then deletes the session', async (t) => {
    const { ws, p } = await setup(t);
    await p.rpc.initialize();
    const pending = p.rpc.request('tools/call', { name: 'slow_echo', arguments: { message: 'last', ms: 300 } }, 'last');
    await ws.waitForRequest((q) => (q.body as Msg | undefined)?.id === 'last');
    const code = await p.end();
    assert.equal(code, 0);
    assert.ok((await pending).result);
    assert.equal(ws.requests.at(-1)!.method, 'DELETE');
  });

  it('stops on SIGTERM, answering what is in flight with an error', async (t) => {
    const { ws, p } = await setup(t);
    await p.rpc.initialize();
    const pending = p.rpc.request('tools/call', { name: 'slow_echo', arguments: { ms: 10_000 } }, 'inflight');
    await ws.waitForRequest((q) => (q.body as Msg | undefined)?.id === 'inflight');
    assert.equal(await p.signal('SIGTERM'), 0);
    // Answered by the proxy, not after the tool's 10 s: it did not wait for the call.
    assert.match(errMsg(await pending), /stopped \(SIGTERM\)/);
    assert.equal(p.rpc.answersFor('inflight'), 1);
    assert.ok(ws.requests.some((q) => q.method === 'DELETE'));
  });

  it('exits 130 on SIGINT', async (t) => {
    const { p } = await setup(t);
    await p.rpc.initialize();
    assert.equal(await p.signal('SIGINT'), 130);
  });
});
