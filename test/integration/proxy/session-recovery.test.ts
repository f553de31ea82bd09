/**
 * Session recovery under concurrency: a server that recycles every session after a few
 * requests (`scenario.expireSessionsAfter`) while the client keeps several requests in flight.
 * Every request must be answered exactly once and succeed: the requests that hit the expired
 * session share one re-initialisation and are retried on the new session (a 404 for an unknown
 * session means the server did not process them), again if that session expires too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_PAT, startFakeWorkspace } from '../../../src/emulator/index.js';
import { MAX_BARREN_SESSIONS } from '../../../src/proxy/session.js';
import { patConfig, startInProcess, tempHome } from '../../support/proxy-harness.js';

type Msg = Record<string, unknown>;
const TOTAL = 300;
const EXPIRE_AFTER = 5;
/** A hang guard only: a regression fails instead of blocking the run. */
const GUARD = { timeout: 120_000 };

const bodyOf = (r: { body: unknown }) => r.body as { method?: string; params?: { arguments?: { message?: string } } } | undefined;

for (const mode of ['json', 'sse'] as const) {
  describe(`proxy session recovery under concurrency (${mode} mode)`, () => {
    for (const inFlight of [4, 8]) {
      it(`${TOTAL} tools/call, ${inFlight} in flight, every session expiring after ${EXPIRE_AFTER} requests: all answered once, all succeed`, GUARD, async (t) => {
        const ws = await startFakeWorkspace({ mcpResponseMode: mode });
        const { home, cleanup } = tempHome(patConfig(ws.url, DEMO_PAT));
        const p = await startInProcess({ home, opts: { url: ws.mcpUrl('sql'), logLevel: 'debug' } });
        t.after(async () => {
          await p.end();
          await ws.close();
          cleanup();
        });
        assert.ok((await p.rpc.initialize()).result);
        ws.scenario.expireSessionsAfter = EXPIRE_AFTER;

        let next = 0;
        const answers: Msg[] = [];
        await Promise.all(
          Array.from({ length: inFlight }, async () => {
            while (next < TOTAL) {
              const i = next++;
              answers.push(await p.rpc.request('tools/call', { name: 'slow_echo', arguments: { message: `m${i}`, ms: 0 } }, `c${i}`));
            }
          }),
        );

        const failed = answers.filter((a) => a.error);
        assert.deepEqual(failed.slice(0, 3), [], `${failed.length} of ${TOTAL} failed`);
        assert.deepEqual(p.rpc.garbage, []);
        for (let i = 0; i < TOTAL; i++) assert.equal(p.rpc.answersFor(`c${i}`), 1, `c${i} answered once`);
        // On the server: each call processed exactly once (200); every other attempt was a 404.
        const byMessage = new Map<string, number[]>();
        for (const r of ws.requests) {
          const b = bodyOf(r);
          if (r.method !== 'POST' || b?.method !== 'tools/call') continue;
          const m = b.params!.arguments!.message!;
          byMessage.set(m, [...(byMessage.get(m) ?? []), r.status]);
        }
        for (let i = 0; i < TOTAL; i++) {
          const statuses = byMessage.get(`m${i}`) ?? [];
          assert.equal(statuses.filter((s) => s === 200).length, 1, `m${i}: ${statuses.join(',')}`);
          assert.ok(statuses.every((s) => s === 200 || s === 404), `m${i}: ${statuses.join(',')}`);
        }
        const expired = new Set(ws.requests.filter((r) => r.status === 404).map((r) => r.headers['mcp-session-id']));
        const reinits = ws.requests.filter((r) => bodyOf(r)?.method === 'initialize').length - 1;
        assert.ok(expired.size > 1, 'sessions did expire');
        // Single flight: one re-initialisation per expired session, however many requests hit it.
        assert.ok(reinits <= expired.size, `${reinits} re-initialisations for ${expired.size} expired sessions`);
        const stderr = p.stderr.join('');
        assert.match(stderr, /expired on the server; re-initialising/);
        assert.doesNotMatch(stderr, new RegExp(DEMO_PAT));
      });
    }
  });
}

describe('proxy session recovery bounds', () => {
  it('a server whose sessions expire before serving anything: the request gets an error after a bounded number of recoveries', GUARD, async (t) => {
    const ws = await startFakeWorkspace({ mcpResponseMode: 'sse' });
    const { home, cleanup } = tempHome(patConfig(ws.url, DEMO_PAT));
    const p = await startInProcess({ home, opts: { url: ws.mcpUrl('sql'), logLevel: 'debug' } });
    t.after(async () => {
      await p.end();
      await ws.close();
      cleanup();
    });
    assert.ok((await p.rpc.initialize()).result);
    await ws.waitForRequest((r) => bodyOf(r)?.method === 'notifications/initialized', 'end');
    ws.scenario.expireSessionsAfter = 0;
    const r = await p.rpc.request('tools/call', { name: 'slow_echo', arguments: { message: 'doomed', ms: 0 } }, 'doomed');
    const err = r.error as { message: string; data: { status: number } };
    assert.equal(err.data.status, 404);
    assert.match(err.message, /expired the session \d+ times in a row.*not processed/);
    assert.equal(p.rpc.answersFor('doomed'), 1);
    const statuses = ws.requests.filter((q) => bodyOf(q)?.params?.arguments?.message === 'doomed').map((q) => q.status);
    assert.ok(statuses.length >= 2 && statuses.every((s) => s === 404), statuses.join(','));
    const inits = ws.requests.filter((q) => bodyOf(q)?.method === 'initialize').length;
    // The session the call first hit had served requests; then MAX_BARREN_SESSIONS barren ones.
    assert.ok(inits - 1 <= MAX_BARREN_SESSIONS + 1, `${inits - 1} re-initialisations`);
    // Nothing keeps re-initialising once the request is answered (the event stream does not loop).
    const after = ws.requests.length;
    delete ws.scenario.expireSessionsAfter;
    const ok = await p.rpc.request('tools/call', { name: 'slow_echo', arguments: { message: 'healthy', ms: 0 } }, 'healthy');
    assert.ok(ok.result, JSON.stringify(ok));
    assert.ok(ws.requests.slice(after).filter((q) => bodyOf(q)?.method === 'initialize').length <= 1);
  });

  it('an answer that arrives from the expired session after the recovery does not bring its id back (JSON mode)', GUARD, async (t) => {
    const ws = await startFakeWorkspace({ mcpResponseMode: 'json' });
    const { home, cleanup } = tempHome(patConfig(ws.url, DEMO_PAT));
    const p = await startInProcess({ home, opts: { url: ws.mcpUrl('sql'), logLevel: 'debug' } });
    t.after(async () => {
      await p.end();
      await ws.close();
      cleanup();
    });
    assert.ok((await p.rpc.initialize()).result);
    await ws.waitForRequest((r) => bodyOf(r)?.method === 'notifications/initialized', 'end');
    const call = (message: string, ms = 0) => p.rpc.request('tools/call', { name: 'slow_echo', arguments: { message, ms } });
    const statuses = (message: string) => ws.requests.filter((q) => bodyOf(q)?.params?.arguments?.message === message).map((q) => q.status);
    // A slow call is in flight on the first session (its JSON answer, with that session's id in
    // the headers, comes at the end); meanwhile the server retires the session.
    const late = call('late', 1_000);
    await ws.waitForRequest((r) => bodyOf(r)?.params?.arguments?.message === 'late');
    ws.scenario.expireSessionsAfter = 0;
    void ws.waitForRequest((r) => r.method === 'POST' && bodyOf(r)?.params?.arguments?.message === 'trigger').then(() => delete ws.scenario.expireSessionsAfter);
    assert.ok((await call('trigger')).result);
    assert.deepEqual(statuses('trigger'), [404, 200], 'recovered onto a new session');
    assert.ok((await late).result, 'the in-flight call still got its answer');
    assert.ok((await call('after')).result);
    assert.deepEqual(statuses('after'), [200], 'sent on the new session at once, not on the dead one');
  });
});
