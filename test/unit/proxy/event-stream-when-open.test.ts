/**
 * Review finding: EventStream.whenOpen resolves "once a stream is open, or once none will be
 * (405, given up, stopped)". After the loop has ended (a legacy server without a GET stream
 * answers 405, which is normal), a later whenOpen must resolve at once; it waits its whole
 * timeout instead, so over such a server every modern client's subscriptions/listen is
 * acknowledged only after LISTEN_ACK_WAIT_MS (5 s).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStream } from '../../../src/proxy/event-stream.js';
import type { Channel } from '../../../src/proxy/channel.js';
import type { ProxyLog } from '../../../src/proxy/log.js';
import type { Session } from '../../../src/proxy/session.js';

const log: ProxyLog = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, debugEnabled: false };

test('whenOpen resolves at once after the server said it has no GET stream (405)', async () => {
  let gets = 0;
  const channel = { exchange: async () => (gets++, { kind: 'failed', failure: { code: -32000, message: 'HTTP 405' }, status: 405 }) } as unknown as Channel;
  const events = new EventStream(channel, {} as Session, async () => undefined, log);
  events.start();
  await events.whenOpen(1_000); // the first wait ends with the 405
  assert.equal(gets, 1);
  const started = Date.now();
  await events.whenOpen(1_000);
  assert.ok(Date.now() - started < 500, `a second wait took ${Date.now() - started} ms although no stream will open`);
  await events.stop();
});
