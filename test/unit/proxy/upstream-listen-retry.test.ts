/**
 * The proxy's own listen stream to a modern-only server (UpstreamListen) re-opens within bounds:
 * a server that keeps failing is given up on after `maxFailures` unhealthy connections in a row,
 * and a 4xx refusal is final (asking again changes nothing).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UpstreamListen } from '../../../src/proxy/listen.js';
import type { Channel, ExchangeResult } from '../../../src/proxy/channel.js';
import type { ProxyLog } from '../../../src/proxy/log.js';

const CAPS = { tools: { listChanged: true } };
const SHORT = { maxFailures: 2, healthyAfterMs: 60_000, baseRetryMs: 1, maxRetryMs: 1 };

/** Starts a listen whose every exchange fails with `status`; resolves once its loop has ended by itself. */
async function failingListen(status: number) {
  const bodies: string[] = [];
  const lines: string[] = [];
  const channel = { exchange: async (o: { body?: string }): Promise<ExchangeResult> => (bodies.push(o.body ?? ''), { kind: 'failed', failure: { code: -32000, message: `HTTP ${status}` }, status }) } as unknown as Channel;
  const log: ProxyLog = { error: () => undefined, warn: (t) => lines.push(`warn ${t}`), info: (t) => lines.push(`info ${t}`), debug: () => undefined, debugEnabled: false };
  const listen = new UpstreamListen(channel, log, async () => undefined, SHORT);
  listen.configure(CAPS, {});
  listen.start();
  // The loop's own promise (private): it settles only when the loop gives up or stops for good,
  // so an unbounded loop fails this test by its timeout.
  await (listen as unknown as { running: Promise<void> }).running;
  await listen.stop();
  return { bodies, lines };
}

test('a listen stream that keeps failing (503) is given up after maxFailures + 1 tries', { timeout: 10_000 }, async () => {
  const { bodies, lines } = await failingListen(503);
  assert.equal(bodies.length, SHORT.maxFailures + 1);
  assert.ok(bodies.every((b) => JSON.parse(b).method === 'subscriptions/listen'));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^warn .*keeps failing/);
});

test('a listen stream the server refuses (403) is not asked for again', { timeout: 10_000 }, async () => {
  const { bodies, lines } = await failingListen(403);
  assert.equal(bodies.length, 1);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^info the server refused the listen stream \(HTTP 403/);
});
