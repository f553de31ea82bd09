/**
 * Review finding: a modern client that cancels its subscriptions/listen while the proxy is still
 * opening it over a legacy server (waiting up to 5 s for the GET stream, or for its own
 * resources/subscribe) must not end up with a live subscription: after the cancel nothing more is
 * sent for that id (spec: cancel ends the subscription), and the legacy resources/subscribe the
 * proxy made for it is undone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalListens } from '../../../src/proxy/listen.js';
import type { JsonRpcMessage } from '../../../src/proxy/framing.js';

const CAPS = { tools: { listChanged: true }, resources: { subscribe: true } };

test('a listen cancelled while the proxy waits for the legacy GET stream stays cancelled', async () => {
  const written: JsonRpcMessage[] = [];
  const calls: string[] = [];
  let open!: () => void;
  const eventsOpen = new Promise<void>((r) => (open = r));
  const listens = new LocalListens({
    write: (m) => written.push(m),
    call: async (method, uri) => (calls.push(`${method} ${uri}`), true),
    eventsOpen: () => eventsOpen,
  });
  const opening = listens.open({ jsonrpc: '2.0', id: 'L1', method: 'subscriptions/listen', params: { notifications: { toolsListChanged: true, resourceSubscriptions: ['emulator://readme'] } } }, CAPS);
  await new Promise((r) => setImmediate(r));
  // The client gives up before the acknowledgement (the forwarder calls this on notifications/cancelled).
  listens.cancel('L1');
  open();
  await opening;
  assert.deepEqual(listens.route({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }), [], 'nothing is delivered for a cancelled listen');
  assert.deepEqual(listens.route({ jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: 'emulator://readme' } }), [], 'no subscription is left open');
  assert.deepEqual(listens.subscribedUris(), [], 'no resource is held for it');
  assert.ok(calls.includes('resources/unsubscribe emulator://readme'), `the legacy subscription made for it is undone: ${calls.join(', ')}`);
});

test('a listen cancelled while its legacy resources/subscribe is in flight gets no acknowledgement and the subscribe is undone', async () => {
  const written: JsonRpcMessage[] = [];
  const calls: string[] = [];
  let subscribed!: (ok: boolean) => void;
  const listens = new LocalListens({
    write: (m) => written.push(m),
    call: (method, uri) => {
      calls.push(`${method} ${uri}`);
      return method === 'resources/subscribe' ? new Promise<boolean>((r) => (subscribed = r)) : Promise.resolve(true);
    },
    eventsOpen: async () => undefined,
  });
  const opening = listens.open({ jsonrpc: '2.0', id: 7, method: 'subscriptions/listen', params: { notifications: { resourceSubscriptions: ['emulator://readme'] } } }, CAPS);
  await new Promise((r) => setImmediate(r));
  listens.cancel(7);
  subscribed(true);
  assert.deepEqual(await opening, { cancelled: true });
  assert.deepEqual(written, [], 'no acknowledgement for a cancelled listen');
  assert.deepEqual(calls, ['resources/subscribe emulator://readme', 'resources/unsubscribe emulator://readme']);
  assert.deepEqual(listens.subscribedUris(), []);
});
