/**
 * The channel's rules for failures below HTTP, with a scripted transport and a virtual clock
 * (no real waiting): failures to connect are retried briefly within a wall-time budget and
 * logged one line per retry; failures that retrying cannot fix (TLS, a refused tunnel) are
 * answered at once; anything that may have been processed is never resent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Transport } from '../../../src/databricks/transport.js';
import { Channel } from '../../../src/proxy/channel.js';
import type { ProxyLog } from '../../../src/proxy/log.js';
import { DEFAULT_RETRY_POLICY, UNREACHABLE_BUDGET_MS, type Clock } from '../../../src/proxy/retry.js';

const URL_ = new URL('https://dbc-1234.cloud.databricks.com/api/2.0/mcp/sql');
const TOKEN = 'dapi0123456789abcdef0123456789abcdef';

function netError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

/** A virtual clock: `sleep` moves time forward and returns at once; `cost` is added per request. */
function virtualClock(): Clock & { waits: number[]; t: number } {
  const c = {
    t: 1_000_000,
    waits: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.waits.push(ms);
      c.t += ms;
    },
  };
  return c;
}

function recordingLog(): ProxyLog & { lines: { level: string; text: string }[] } {
  const lines: { level: string; text: string }[] = [];
  const at = (level: string) => (text: string) => void lines.push({ level, text });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), debugEnabled: true };
}

function channelFailingWith(err: () => Error, clock: Clock & { t: number }, log: ProxyLog, costMs = 1): { channel: Channel; sends: () => number } {
  let sends = 0;
  const transport: Transport = {
    send: async () => {
      sends++;
      clock.t += costMs;
      throw err();
    },
    close: () => undefined,
  };
  const channel = new Channel(
    { url: URL_, transport, userAgent: 't', requestTimeoutMs: 1_000 },
    { header: async () => `Bearer ${TOKEN}`, refresh: async () => undefined },
    DEFAULT_RETRY_POLICY,
    { url: URL_.href, host: URL_.origin, profile: 'DEFAULT', authType: 'pat' },
    log,
    clock,
  );
  return { channel, sends: () => sends };
}

const post = { method: 'POST' as const, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}', withSession: false };

describe('proxy channel: the workspace is unreachable', () => {
  for (const [code, network, fix] of [
    ['ECONNREFUSED', 'refused', /connection refused by dbc-1234\.cloud\.databricks\.com.*Fix: Check the host and port/],
    ['ENOTFOUND', 'dns', /the name dbc-1234\.cloud\.databricks\.com does not resolve.*Fix: .*VPN/],
    ['EHOSTUNREACH', 'unreachable', /no route to dbc-1234\.cloud\.databricks\.com.*Fix: .*VPN/],
  ] as const) {
    it(`${code}: retried briefly within the budget, one warning per retry, then an error saying what is wrong and the fix`, async () => {
      const clock = virtualClock();
      const log = recordingLog();
      const { channel, sends } = channelFailingWith(() => netError(code, `connect ${code} 10.0.0.1:443`), clock, log);
      const r = await channel.exchange(post);
      assert.equal(r.kind, 'failed');
      const failure = (r as Extract<typeof r, { kind: 'failed' }>).failure;
      assert.ok(sends() > 1, 'retried');
      assert.ok(sends() <= 6, `${sends()} attempts`);
      const waited = clock.waits.reduce((a, b) => a + b, 0);
      assert.ok(waited <= UNREACHABLE_BUDGET_MS, `waited ${waited} ms`);
      assert.ok(clock.t - 1_000_000 <= UNREACHABLE_BUDGET_MS + sends(), 'the whole exchange stays within the budget');
      assert.deepEqual(failure.data, { network, maybeProcessed: false, attempts: sends() });
      assert.match(failure.message, fix);
      assert.match(failure.message, new RegExp(`\\(${sends()} attempts over \\d+\\.\\d s\\)`));
      const retryLines = log.lines.filter((l) => /retrying in \d+ ms/.test(l.text));
      assert.equal(retryLines.length, sends() - 1, 'one line per retry');
      assert.ok(retryLines.every((l) => l.level === 'warn'), 'shown at the default log level');
      assert.match(retryLines[0]!.text, /^POST \/api\/2\.0\/mcp\/sql: Cannot reach https:\/\/dbc-1234\.cloud\.databricks\.com: .*; retrying in \d+ ms \(retry 1, giving up 4 s after the first attempt\)$/);
      assert.ok(log.lines.every((l) => !l.text.includes(TOKEN)));
    });
  }

  it('a connect timeout spends the budget: no second 10 s attempt', async () => {
    const clock = virtualClock();
    const { channel, sends } = channelFailingWith(() => netError('CONNECT_TIMEOUT', 'connecting to h timed out after 10 s'), clock, recordingLog(), 10_000);
    const r = await channel.exchange(post);
    assert.equal(r.kind, 'failed');
    assert.equal(sends(), 1);
    assert.deepEqual(clock.waits, []);
  });

  it('a workspace that comes back within the budget (a restart) gets the request', async () => {
    const clock = virtualClock();
    let sends = 0;
    const transport: Transport = {
      send: async () => {
        if (++sends < 3) throw netError('ECONNREFUSED');
        return { statusCode: 200, headers: {}, body: undefined as never };
      },
      close: () => undefined,
    };
    const channel = new Channel({ url: URL_, transport, userAgent: 't', requestTimeoutMs: 1_000 }, { header: async () => 'Bearer x', refresh: async () => undefined }, DEFAULT_RETRY_POLICY, { url: URL_.href, host: undefined, profile: undefined, authType: 'pat' }, recordingLog(), clock);
    const r = await channel.exchange(post);
    assert.equal(r.kind, 'ok');
    assert.equal(sends, 3);
    assert.equal(clock.waits.length, 2);
  });
});

describe('proxy channel: failures that retrying cannot fix, or that may have been processed', () => {
  for (const [code, network] of [
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
  ] as const) {
    it(`${code}: answered at once, known not to have been processed`, async () => {
      const clock = virtualClock();
      const { channel, sends } = channelFailingWith(() => netError(code, `${code}: unable to verify the first certificate`), clock, recordingLog());
      const r = await channel.exchange(post);
      const failure = (r as Extract<typeof r, { kind: 'failed' }>).failure;
      assert.equal(sends(), 1);
      assert.deepEqual(clock.waits, []);
      assert.deepEqual(failure.data, { network, maybeProcessed: false });
      assert.doesNotMatch(failure.message, /may have reached the server/);
      assert.match(failure.message, /not trusted.*Fix: .*NODE_EXTRA_CA_CERTS.*--ca-bundle/);
    });
  }

  it('a reset after sending is never resent and says the request may have run', async () => {
    const clock = virtualClock();
    const { channel, sends } = channelFailingWith(() => netError('ECONNRESET', 'socket hang up'), clock, recordingLog());
    const r = await channel.exchange(post);
    const failure = (r as Extract<typeof r, { kind: 'failed' }>).failure;
    assert.equal(sends(), 1);
    assert.equal(failure.data?.maybeProcessed, true);
    assert.match(failure.message, /may have reached the server, so it was not retried/);
  });
});
