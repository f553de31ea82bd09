import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeHeaderValue, modernHeaders } from '../../../src/proxy/era.js';

const meta = { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } };

test('modernHeaders: a modern named request gets MCP-Protocol-Version, Mcp-Method and Mcp-Name', () => {
  assert.deepEqual(modernHeaders([{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'q', ...meta } }], false), {
    'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'q',
  });
  assert.deepEqual(modernHeaders([{ jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'file:///a b', ...meta } }], false)?.['mcp-name'], 'file:///a b');
  assert.deepEqual(modernHeaders([{ jsonrpc: '2.0', id: 3, method: 'tools/list', params: meta }], false), { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' });
});

test('modernHeaders: legacy requests, notifications and batches go out without them', () => {
  assert.equal(modernHeaders([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }], false), undefined);
  assert.equal(modernHeaders([{ jsonrpc: '2.0', method: 'notifications/progress', params: meta }], false), undefined);
  assert.equal(modernHeaders([{ jsonrpc: '2.0', id: 1, method: 'tools/list', params: meta }], true), undefined);
});

test('encodeHeaderValue: non-ASCII, padded or empty values use the base64 sentinel', () => {
  assert.equal(encodeHeaderValue('plain_name'), 'plain_name');
  assert.equal(encodeHeaderValue('héllo'), `=?base64?${Buffer.from('héllo').toString('base64')}?=`);
  assert.equal(encodeHeaderValue(' x'), `=?base64?${Buffer.from(' x').toString('base64')}?=`);
  assert.equal(encodeHeaderValue(''), '=?base64??=');
});
