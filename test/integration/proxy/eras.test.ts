/**
 * MCP eras through the proxy: modern (2026-07-28) requests reach a modern-only server with the
 * headers its transport requires, and an upstream error's `data` (e.g. the `supported` versions
 * of UnsupportedProtocolVersionError) reaches the client as the server sent it.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace } from '../../../src/emulator/index.js';
import { patConfig, startInProcess, tempHome, type InProcessProxy } from '../../support/proxy-harness.js';

const MODERN = '2026-07-28';
const envelope = (extra: Record<string, unknown> = {}) => ({
  _meta: {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'eras-test', version: '0.0.0' },
    ...extra,
  },
});

let ws: FakeWorkspace;
let home: { home: string; cleanup: () => void };
const running: InProcessProxy[] = [];
before(async () => {
  ws = await startFakeWorkspace();
  home = tempHome(patConfig(ws.url, DEMO_PAT));
});
after(async () => {
  await ws.close();
  home.cleanup();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.end()));
  ws.reset();
});

async function proxy(): Promise<InProcessProxy> {
  const p = await startInProcess({ home: home.home, opts: { url: ws.mcpUrl('sql') } });
  running.push(p);
  return p;
}

describe('proxy: modern requests', () => {
  test('a modern tools/list and tools/call reach a modern-only server (MCP-Protocol-Version, Mcp-Method, Mcp-Name sent)', async () => {
    ws.scenario.mcpEra = 'modern';
    const { rpc } = await proxy();
    const list = await rpc.request('tools/list', envelope());
    assert.equal(list.error, undefined, JSON.stringify(list.error));
    assert.ok((list.result as { tools: Array<{ name: string }> }).tools.some((t) => t.name === 'execute_sql'));
    const call = await rpc.request('tools/call', { name: 'slow_echo', arguments: { message: 'héllo', ms: 0 }, ...envelope() });
    assert.equal(call.error, undefined, JSON.stringify(call.error));
    assert.match(JSON.stringify(call.result), /héllo/);
  });

  test('UnsupportedProtocolVersionError: data.supported reaches the client unchanged', async () => {
    ws.scenario.mcpEra = 'modern';
    const { rpc } = await proxy();
    const r = await rpc.request('tools/list', { _meta: { ...envelope()._meta, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } });
    const err = r.error as { code: number; data?: { supported?: unknown } };
    assert.ok(err, JSON.stringify(r));
    assert.ok(Array.isArray(err.data?.supported), `data: ${JSON.stringify(err.data)}`);
    assert.ok((err.data!.supported as string[]).includes(MODERN));
  });
});
