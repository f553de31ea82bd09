/**
 * The proxy against the fake workspace in JSON and SSE modes under each fault: every request
 * answered exactly once, nothing lost, nothing duplicated (checked against the emulator's
 * request log), stdout only JSON-RPC.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace } from '../../../src/emulator/index.js';
import type { ProxyTuning } from '../../../src/proxy/run.js';
import { SYSTEM_CLOCK, type Clock } from '../../../src/proxy/retry.js';
import { patConfig, startInProcess, tempHome, type InProcessProxy } from '../../support/proxy-harness.js';

const FAST = { budgetMs: 3_000, baseMs: 20, capMs: 200, maxAttempts: 12 };

/** The real clock, recording every wait the proxy asks for (backoff, Retry-After). */
function recordingClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: SYSTEM_CLOCK.now, sleep: (ms, abort) => (waits.push(ms), SYSTEM_CLOCK.sleep(ms, abort)) };
}

async function setup(t: TestContext, mode: 'json' | 'sse', tuning: ProxyTuning = {}): Promise<{ ws: FakeWorkspace; p: InProcessProxy; clock: ReturnType<typeof recordingClock> }> {
  const ws = await startFakeWorkspace({ mcpResponseMode: mode });
  const { home, cleanup } = tempHome(patConfig(ws.url, DEMO_PAT));
  const clock = recordingClock();
  const p = await startInProcess({ home, opts: { url: ws.mcpUrl('sql'), logLevel: 'debug' }, tuning: { policy: FAST, clock, ...tuning } });
  t.after(async () => {
    await p.end();
    await ws.close();
    cleanup();
  });
  const init = await p.rpc.initialize();
  assert.ok(init.result, JSON.stringify(init));
  // Let the initialized notification (and the GET stream it opens) settle, so that counted
  // fault switches hit the request under test and nothing else.
  await ws.waitForRequest((q) => (q.body as { method?: string } | undefined)?.method === 'notifications/initialized', 'response');
  if (tuning.eventStream !== false) assert.equal((await ws.waitForRequest((q) => q.method === 'GET', 'response')).status, 200, 'the event stream is open');
  return { ws, p, clock };
}

const call = (p: InProcessProxy, message: string, ms = 0, id?: string | number) =>
  p.rpc.request('tools/call', { name: 'slow_echo', arguments: { message, ms } }, id);

const text = (r: Record<string, unknown>) => ((r.result as { content: { text: string }[] } | undefined)?.content[0]?.text);

/** True for the server's record of the tools/call carrying `message`. */
function received(r: { method: string; body: unknown }, message: string): boolean {
  const b = r.body as { method?: string; params?: { arguments?: { message?: string } } } | undefined;
  return r.method === 'POST' && b?.method === 'tools/call' && b.params?.arguments?.message === message;
}

/** tools/call requests the server received for a message (by the recorded body). */
function callsReceived(ws: FakeWorkspace, message: string): { status: number }[] {
  return ws.requests.filter((r) => {
    const b = r.body as { method?: string; params?: { arguments?: { message?: string } } } | undefined;
    return r.method === 'POST' && b?.method === 'tools/call' && b.params?.arguments?.message === message;
  });
}

function assertExactlyOnce(p: InProcessProxy): void {
  assert.deepEqual(p.rpc.garbage, [], 'stdout carries only JSON-RPC');
  const ids = new Map<string, number>();
  for (const m of p.rpc.messages) if (m.method === undefined) ids.set(JSON.stringify(m.id), (ids.get(JSON.stringify(m.id)) ?? 0) + 1);
  for (const [id, n] of ids) assert.equal(n, 1, `id ${id} answered ${n} times`);
}

for (const mode of ['json', 'sse'] as const) {
  describe(`proxy faults (${mode} mode)`, () => {
    it('forwards, echoes the session id and protocol version, and sends the bearer', async (t) => {
      const { ws, p } = await setup(t, mode);
      const r = await call(p, 'hello ✓ 𝄞');
      assert.equal(text(r), 'hello ✓ 𝄞 (after 0 ms)');
      const posts = ws.requests.filter((q) => q.method === 'POST');
      assert.equal(posts[0]!.headers['mcp-session-id'], undefined, 'initialize carries no session id');
      assert.ok(posts[1]!.headers['mcp-session-id'], 'later requests echo the session id');
      assert.equal(posts[1]!.headers['mcp-protocol-version'], '2025-06-18');
      assert.equal(posts[1]!.headers.authorization, 'Bearer ***');
      assert.match(posts[1]!.headers.accept ?? '', /application\/json.*text\/event-stream/);
      assertExactlyOnce(p);
    });

    it('forwards concurrently: a ping is not stuck behind a slow call', async (t) => {
      const { ws, p } = await setup(t, mode);
      const order: string[] = [];
      const slow = call(p, 'slow', 800).then(() => order.push('slow'));
      await ws.waitForRequest((q) => received(q, 'slow'));
      const ping = p.rpc.request('ping').then(() => order.push('ping'));
      await Promise.all([slow, ping]);
      assert.deepEqual(order, ['ping', 'slow']);
      assertExactlyOnce(p);
    });

    it('recovers an expired session by replaying initialize, then retries the request on the new session', async (t) => {
      const { ws, p } = await setup(t, mode);
      await call(p, 'before');
      const oldSession = ws.requests.at(-1)!.headers['mcp-session-id'];
      await ws.expireAllSessions();
      const r = await call(p, 'after-expiry');
      assert.equal(text(r), 'after-expiry (after 0 ms)');
      const got = callsReceived(ws, 'after-expiry');
      assert.deepEqual(got.map((g) => g.status), [404, 200], 'rejected once (not processed), then sent once on the new session');
      const inits = ws.requests.filter((q) => (q.body as { method?: string })?.method === 'initialize');
      assert.equal(inits.length, 2, 'the captured initialize was replayed');
      const newSession = ws.requests.at(-1)!.headers['mcp-session-id'];
      assert.notEqual(newSession, oldSession);
      // Concurrent requests after another expiry share one recovery.
      await ws.expireAllSessions();
      const many = await Promise.all(Array.from({ length: 5 }, (_, i) => call(p, `c${i}`)));
      assert.ok(many.every((m) => m.result));
      assert.equal(ws.requests.filter((q) => (q.body as { method?: string })?.method === 'initialize').length, 3);
      assertExactlyOnce(p);
    });

    it('rides out a 429 storm, honouring Retry-After', async (t) => {
      const { ws, p, clock } = await setup(t, mode);
      ws.scenario.rateLimit = { count: 6, retryAfter: '0', paths: /\/mcp\// };
      const rs = await Promise.all(Array.from({ length: 4 }, (_, i) => call(p, `r${i}`)));
      assert.ok(rs.every((r) => r.result), JSON.stringify(rs));
      for (let i = 0; i < 4; i++) assert.equal(callsReceived(ws, `r${i}`).filter((c) => c.status === 200).length, 1);
      ws.scenario.rateLimit = { count: 1, retryAfter: '1', paths: /\/mcp\// };
      clock.waits.length = 0;
      assert.ok((await call(p, 'ra')).result);
      assert.equal(clock.waits.length, 1);
      assert.ok(clock.waits[0]! >= 1_000, `waited ${clock.waits[0]} ms for Retry-After: 1`);
      assert.deepEqual(callsReceived(ws, 'ra').map((c) => c.status), [429, 200]);
      assertExactlyOnce(p);
    });

    it('answers with a JSON-RPC error once the backoff budget is spent', async (t) => {
      const { ws, p, clock } = await setup(t, mode, { policy: { ...FAST, budgetMs: 300 } });
      ws.scenario.rateLimit = { count: 1000, retryAfter: '0', paths: /\/mcp\// };
      const r = await call(p, 'storm');
      const err = r.error as { code: number; message: string; data: { status: number } };
      assert.equal(err.data.status, 429);
      assert.match(err.message, /rate-limit/i);
      delete ws.scenario.rateLimit;
      assert.ok((await call(p, 'calm')).result);
      // An HTTP-date Retry-After beyond the budget fails at once instead of waiting.
      ws.scenario.rateLimit = { count: 1, retryAfter: new Date(Date.now() + 120_000).toUTCString(), paths: /\/mcp\// };
      clock.waits.length = 0;
      assert.ok((await call(p, 'far')).error);
      assert.deepEqual(clock.waits, [], 'no wait at all');
      assert.deepEqual(callsReceived(ws, 'far').map((c) => c.status), [429]);
      assertExactlyOnce(p);
    });

    it('retries 503 with backoff', async (t) => {
      const { ws, p } = await setup(t, mode);
      ws.scenario.unavailable = { count: 3, paths: /\/mcp\// };
      const r = await call(p, 'u');
      assert.ok(r.result);
      assert.deepEqual(callsReceived(ws, 'u').map((c) => c.status), [503, 503, 503, 200]);
      assertExactlyOnce(p);
    });

    it('handles latency with concurrent callers', async (t) => {
      const { ws, p } = await setup(t, mode);
      ws.scenario.latencyMs = 200;
      const rs = await Promise.all(Array.from({ length: 8 }, (_, i) => call(p, `l${i}`)));
      assert.ok(rs.every((r) => r.result));
      assertExactlyOnce(p);
    });

    it('forwards concurrent callers at once: all 8 reach the server while none is answered', { timeout: 30_000 }, async (t) => {
      const { ws, p } = await setup(t, mode);
      // Each call runs 10 s on the server: serialised, the second would arrive only after that.
      const rs = Array.from({ length: 8 }, (_, i) => call(p, `long${i}`, 10_000, `long${i}`));
      await Promise.all(Array.from({ length: 8 }, (_, i) => ws.waitForRequest((q) => received(q, `long${i}`))));
      assert.equal(p.rpc.messages.filter((m) => m.method === undefined && String(m.id).startsWith('long')).length, 0, 'none answered yet');
      assert.equal(await p.signal('SIGTERM'), 0);
      for (const r of await Promise.all(rs)) assert.match((r.error as { message: string }).message, /stopped \(SIGTERM\)/);
      assertExactlyOnce(p);
    });

    it('survives a server restart: in-flight requests get an error, later ones a new session', async (t) => {
      const { ws, p } = await setup(t, mode);
      const inflight = call(p, 'during-restart', 3_000);
      await ws.waitForRequest((q) => received(q, 'during-restart'));
      await ws.restart();
      const r1 = await inflight;
      assert.ok(r1.error, 'the cut request is answered with an error');
      assert.match((r1.error as { message: string }).message, /not retried/);
      assert.equal(callsReceived(ws, 'during-restart').length, 1, 'never resent');
      const r2 = await call(p, 'after-restart');
      assert.equal(text(r2), 'after-restart (after 0 ms)', JSON.stringify(r2));
      assertExactlyOnce(p);
    });

    it('never resends a request whose connection was reset after sending', async (t) => {
      const { ws, p } = await setup(t, mode, { eventStream: false });
      ws.scenario.resetConnection = { count: 1, paths: /\/mcp\// };
      const r = await call(p, 'reset-me');
      const err = r.error as { message: string; data: { maybeProcessed: boolean } };
      assert.equal(err.data.maybeProcessed, true);
      assert.match(err.message, /may have reached the server/);
      assert.equal(callsReceived(ws, 'reset-me').length, 1, 'tools/call sent exactly once');
      assert.ok((await call(p, 'next')).result);
      assertExactlyOnce(p);
    });
  });
}
