import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace } from '../../../src/emulator/index.js';

const MODERN = '2026-07-28';
let ws: FakeWorkspace;
const closers: Array<() => Promise<unknown>> = [];
before(async () => {
  ws = await startFakeWorkspace();
});
after(async () => {
  await ws.close();
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c().catch(() => undefined)));
  ws.reset();
});

const auth = { requestInit: { headers: { Authorization: `Bearer ${DEMO_PAT}` } } };

async function legacyTools(url: string): Promise<string[]> {
  const client = new LegacyClient({ name: 'legacy', version: '0.0.0' });
  closers.push(() => client.close());
  await client.connect(new LegacyTransport(new URL(url), auth));
  return (await client.listTools()).tools.map((t) => t.name);
}

async function modernClient(url: string, mode: 'auto' | 'pin'): Promise<Client> {
  const client = new Client({ name: 'modern', version: '0.0.0' }, { versionNegotiation: { mode: mode === 'auto' ? 'auto' : { pin: MODERN } } } as never);
  closers.push(() => client.close());
  await client.connect(new StreamableHTTPClientTransport(new URL(url), auth));
  return client;
}

describe('emulator MCP eras', () => {
  for (const era of ['modern', 'dual'] as const) {
    test(`${era}: a pinned-modern 2.x client lists and calls tools (progress arrives)`, async () => {
      ws.scenario.mcpEra = era;
      const client = await modernClient(ws.mcpUrl('sql'), 'pin');
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('execute_sql') && names.includes('progress_echo'), names.join(','));
      const seen: number[] = [];
      const r = await client.callTool({ name: 'progress_echo', arguments: { message: 'hé', steps: 2, intervalMs: 0 } }, { onprogress: (p: { progress: number }) => void seen.push(p.progress) } as never);
      assert.match(JSON.stringify(r.content), /hé/);
      assert.deepEqual(seen, [1, 2]);
    });
  }

  test('modern-only: a legacy (1.x) client is refused with UnsupportedProtocolVersionError', async () => {
    ws.scenario.mcpEra = 'modern';
    await assert.rejects(legacyTools(ws.mcpUrl('sql')), /32022|nsupported protocol version/i);
  });

  test('dual: a legacy client still gets a session; an auto 2.x client too', async () => {
    ws.scenario.mcpEra = 'dual';
    assert.ok((await legacyTools(ws.mcpUrl('sql'))).includes('execute_sql'));
    const client = await modernClient(ws.mcpUrl('sql'), 'auto');
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'execute_sql'));
  });

  test('modern-only: a modern request without the required headers gets 400 -32020', async () => {
    ws.scenario.mcpEra = 'modern';
    const body = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} } } };
    const r = await fetch(ws.mcpUrl('sql'), { method: 'POST', headers: { Authorization: `Bearer ${DEMO_PAT}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: JSON.stringify(body) });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /-32020/);
  });
});
