/**
 * A modern client's subscriptions/listen over a legacy-only server waits for the proxy's own
 * legacy handshake before LocalListens sees it. A cancel in that window must end it too: no
 * acknowledgement, no subscription, nothing routed to it.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { EraBridge } from '../../../src/proxy/era-bridge.js';
import { Session } from '../../../src/proxy/session.js';
import type { Channel, ExchangeResult } from '../../../src/proxy/channel.js';
import type { JsonRpcMessage } from '../../../src/proxy/framing.js';
import type { ProxyLog } from '../../../src/proxy/log.js';

const log: ProxyLog = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, debugEnabled: false };
const MODERN_META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

const answer = (status: number, body: unknown): ExchangeResult =>
  ({ kind: 'ok', sentSessionId: undefined, res: { statusCode: status, headers: { 'content-type': 'application/json', 'mcp-session-id': 'S1' }, body: Readable.from(body === undefined ? [] : [Buffer.from(JSON.stringify(body))]) } }) as unknown as ExchangeResult;

test('a listen cancelled while the proxy runs its legacy handshake is never opened', async () => {
  let releaseInit!: () => void;
  const initHeld = new Promise<void>((r) => (releaseInit = r));
  const sent: string[] = [];
  const channel = {
    session: { id: undefined, protocolVersion: undefined },
    exchange: async (o: { body?: string }): Promise<ExchangeResult> => {
      const m = JSON.parse(o.body ?? '{}') as JsonRpcMessage;
      sent.push(String(m.method));
      if (m.method === 'server/discover') return { kind: 'failed', failure: { code: -32000, message: 'HTTP 404' }, status: 404 };
      if (m.method === 'initialize') {
        await initHeld;
        return answer(200, { jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: { listChanged: true }, resources: { subscribe: true } } } });
      }
      if (m.id === undefined) return answer(202, undefined);
      return answer(200, { jsonrpc: '2.0', id: m.id, result: {} });
    },
  } as unknown as Channel;
  const awaiting = new Set<unknown>(['L1']);
  const toClient: JsonRpcMessage[] = [];
  const bridge = new EraBridge(channel, new Session(channel, log), log, {
    reply: (id, body) => awaiting.delete(id) && toClient.push({ id, ...body }),
    awaiting: (id) => awaiting.has(id),
    startEvents: () => undefined,
    eventsOpen: async () => undefined,
    notify: async (n) => void toClient.push(n),
    proxyVersion: '0.0.0',
  });
  const planned = bridge.plan({ jsonrpc: '2.0', id: 'L1', method: 'subscriptions/listen', params: { _meta: MODERN_META, notifications: { toolsListChanged: true, resourceSubscriptions: ['emulator://readme'] } } });
  for (let turns = 0; turns < 1_000 && !sent.includes('initialize'); turns++) await new Promise((r) => setImmediate(r));
  assert.ok(sent.includes('initialize'), 'the proxy started its handshake');
  // The forwarder on notifications/cancelled: the request is no longer awaited, and the bridge is told.
  awaiting.delete('L1');
  bridge.cancelled('L1');
  releaseInit();
  assert.deepEqual(await planned, { kind: 'answered' });
  assert.deepEqual(toClient, [], 'no acknowledgement and no answer for the cancelled listen');
  assert.ok(!sent.includes('resources/subscribe'), `no legacy subscription made for it: ${sent.join(', ')}`);
  assert.deepEqual(bridge.routeChange({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }), [], 'nothing routed to it');
});
