import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterTakes, honoredFilter, withSubscription } from '../../../src/proxy/listen.js';

const SUB = 'io.modelcontextprotocol/subscriptionId';

test('honoredFilter keeps what was asked for and the capabilities offer, nothing else', () => {
  const caps = { tools: { listChanged: true }, resources: { subscribe: true } };
  assert.deepEqual(honoredFilter({ toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true, resourceSubscriptions: ['a', 'a', 'b'] }, caps), { toolsListChanged: true, resourceSubscriptions: ['a', 'b'] });
  assert.deepEqual(honoredFilter({ toolsListChanged: false, resourceSubscriptions: [] }, caps), {});
  assert.deepEqual(honoredFilter({ resourceSubscriptions: ['a'] }, { resources: { listChanged: true } }), {});
  assert.deepEqual(honoredFilter({ promptsListChanged: true, resourcesListChanged: true }, { prompts: { listChanged: true }, resources: { listChanged: true } }), { promptsListChanged: true, resourcesListChanged: true });
});

test('filterTakes: each change type only when asked for; a resource update only for its URI', () => {
  const f = { toolsListChanged: true, resourceSubscriptions: ['emulator://a'] };
  assert.equal(filterTakes(f, { method: 'notifications/tools/list_changed' }), true);
  assert.equal(filterTakes(f, { method: 'notifications/prompts/list_changed' }), false);
  assert.equal(filterTakes(f, { method: 'notifications/resources/list_changed' }), false);
  assert.equal(filterTakes(f, { method: 'notifications/resources/updated', params: { uri: 'emulator://a' } }), true);
  assert.equal(filterTakes(f, { method: 'notifications/resources/updated', params: { uri: 'emulator://b' } }), false);
  assert.equal(filterTakes(f, { method: 'notifications/progress' }), false);
});

test('withSubscription stamps and strips the subscription id, keeping the rest of _meta and params', () => {
  assert.deepEqual(withSubscription({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' }, 'L1'), { jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: { _meta: { [SUB]: 'L1' } } });
  assert.deepEqual(withSubscription({ method: 'notifications/resources/updated', params: { uri: 'u', _meta: { [SUB]: 7, other: 1 } } }, undefined), { jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: 'u', _meta: { other: 1 } } });
  assert.deepEqual(withSubscription({ method: 'notifications/tools/list_changed', params: { _meta: { [SUB]: 7 } } }, undefined), { jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
});
