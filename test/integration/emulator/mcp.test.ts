import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  DEMO_ADMIN_PAT, DEMO_CONNECTION, DEMO_GENIE_SPACES, DEMO_PAT, DEMO_PAT_NO_GROUPS, DEMO_USER,
  startFakeWorkspace, type FakeWorkspace, type McpKind,
} from '../../../src/emulator/index.js';

let ws: FakeWorkspace;
const clients: Client[] = [];
before(async () => {
  ws = await startFakeWorkspace();
});
after(async () => {
  await ws.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  ws.reset();
});

async function connect(url: string, token = DEMO_PAT): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const client = new Client({ name: 'emulator-test', version: '0.0.0' });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

async function toolNames(url: string, token = DEMO_PAT): Promise<string[]> {
  const { client } = await connect(url, token);
  return (await client.listTools()).tools.map((t) => t.name).filter((n) => n !== 'slow_echo' && n !== 'progress_echo');
}

const SERVERS: Array<[McpKind, string[], string[]]> = [
  ['functions', ['main', 'tools'], ['main__tools__lookup_customer', 'main__tools__refund_order']],
  ['functions', ['main', 'tools', 'refund_order'], ['main__tools__refund_order']],
  ['vector-search', ['main', 'docs'], ['main__docs__product_docs']],
  ['sql', [], ['execute_sql', 'execute_sql_read_only', 'poll_sql_result']],
  ['genie', [DEMO_GENIE_SPACES.sales], [`query_space_${DEMO_GENIE_SPACES.sales}`, `poll_response_${DEMO_GENIE_SPACES.sales}`]],
  ['external', [DEMO_CONNECTION], ['search', 'fetch']],
];

for (const mode of ['sse', 'json'] as const) {
  describe(`MCP servers in ${mode} mode`, () => {
    for (const [kind, parts, expected] of SERVERS) {
      test(`${kind}/${parts.join('/')}: initialize, list, call`, async () => {
        ws.scenario.mcpResponseMode = mode;
        const url = ws.mcpUrl(kind, ...parts);
        const { client, transport } = await connect(url);
        assert.ok(transport.sessionId, 'stateful: Mcp-Session-Id issued');
        const names = (await client.listTools()).tools.map((t) => t.name);
        assert.deepEqual(names.filter((n) => !n.endsWith('_echo')), expected);
        assert.ok(names.includes('slow_echo') && names.includes('progress_echo'));
        const first = (await client.listTools()).tools.find((t) => t.name === expected[0])!;
        const args: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries((first.inputSchema.properties ?? {}) as Record<string, { type?: string }>)) {
          args[k] = schema.type === 'number' || schema.type === 'integer' ? 1 : 'x';
        }
        const res = await client.callTool({ name: expected[0]!, arguments: args });
        assert.equal(res.isError ?? false, false);
        const mcpPost = ws.requests.find((r) => r.method === 'POST' && r.path.startsWith('/api/2.0/mcp/') && r.status === 200);
        assert.ok(mcpPost);
        assert.equal(mcpPost.headers.authorization, 'Bearer ***');
      });
    }

    test('response content type follows the mode', async () => {
      ws.scenario.mcpResponseMode = mode;
      const res = await fetch(ws.mcpUrl('sql'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${DEMO_PAT}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } } }),
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', mode === 'json' ? /application\/json/ : /text\/event-stream/);
      assert.ok(res.headers.get('mcp-session-id'));
      await res.text();
    });
  });
}

describe('MCP auth and access (source: MCP endpoint and /oidc behaviour observed on real workspaces; https://docs.databricks.com/aws/en/agents/mcp/managed-mcp; Genie responses observed on real workspaces)', () => {
  test('no token: 401 with resource_metadata', async () => {
    const res = await fetch(ws.mcpUrl('genie', DEMO_GENIE_SPACES.sales), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), `Bearer resource_metadata="${ws.url}/.well-known/oauth-protected-resource/api/2.0/mcp/genie/${DEMO_GENIE_SPACES.sales}"`);
    assert.deepEqual(await res.json(), { error_code: 401, message: 'Credential was not sent or was of an unsupported type for this API.' });
  });

  test('Genie space without access: 404 RESOURCE_DOES_NOT_EXIST JSON before MCP', async () => {
    const res = await fetch(ws.mcpUrl('genie', DEMO_GENIE_SPACES.finance), {
      method: 'POST', headers: { Authorization: `Bearer ${DEMO_PAT}`, 'Content-Type': 'application/json' }, body: '{}',
    });
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error_code: string }).error_code, 'RESOURCE_DOES_NOT_EXIST');
    await assert.rejects(connect(ws.mcpUrl('genie', DEMO_GENIE_SPACES.finance)));
  });

  test('unknown schema: 404; missing USE_CATALOG: 403', async () => {
    const post = (url: string, token = DEMO_PAT) => fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' });
    const nf = await post(ws.mcpUrl('functions', 'main', 'nope'));
    assert.equal(nf.status, 404);
    assert.equal(((await nf.json()) as { error_code: string }).error_code, 'SCHEMA_DOES_NOT_EXIST');
    const denied = await post(ws.mcpUrl('functions', 'main', 'tools'), DEMO_PAT_NO_GROUPS);
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as { message: string }).message, "User does not have USE CATALOG on Catalog 'main'.");
  });

  test('functions tool list shrinks when EXECUTE is revoked; zero tools without any EXECUTE', async () => {
    const url = ws.mcpUrl('functions', 'main', 'tools');
    const { client } = await connect(url);
    const list = async (): Promise<string[]> => (await client.listTools()).tools.map((t) => t.name).filter((n) => !n.endsWith('_echo'));
    assert.equal((await list()).length, 2);
    ws.state.grants = ws.state.grants.map((g) => (g.name === 'main.tools' ? { ...g, privileges: g.privileges.filter((p) => p !== 'EXECUTE') } : g));
    assert.deepEqual(await list(), ['main__tools__lookup_customer']); // same session, direct grant remains
    ws.scenario.denyGrants = ['EXECUTE'];
    assert.deepEqual(await list(), []);
    ws.state.grants = ws.state.grants.map((g) => (g.name === 'main.tools' && g.principal === 'data-team' ? { ...g, privileges: [...g.privileges, 'EXECUTE'] } : g));
  });

  test('admin sees the restricted function; jane is denied USE_SCHEMA there', async () => {
    assert.deepEqual(await toolNames(ws.mcpUrl('functions', 'main', 'restricted'), DEMO_ADMIN_PAT), ['main__restricted__delete_customer']);
    await assert.rejects(connect(ws.mcpUrl('functions', 'main', 'restricted')));
  });
});

describe('MCP sessions', () => {
  test('expired session gives 404 (expireAllSessions and scenario.expireSessions)', async () => {
    const { client, transport } = await connect(ws.mcpUrl('sql'));
    const sid = transport.sessionId!;
    await ws.expireAllSessions();
    await assert.rejects(client.listTools(), /404|Session not found/);
    const raw = await fetch(ws.mcpUrl('sql'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${DEMO_PAT}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'Mcp-Session-Id': sid },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    assert.equal(raw.status, 404);
    assert.deepEqual(await raw.json(), { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });

    const second = await connect(ws.mcpUrl('sql'));
    ws.scenario.expireSessions = true;
    await assert.rejects(second.client.listTools(), /404|Session not found/);
    assert.equal(ws.scenario.expireSessions, undefined);
  });

  test('restart keeps the port and drops sessions', async () => {
    const { client } = await connect(ws.mcpUrl('sql'));
    const port = ws.port;
    await ws.restart();
    assert.equal(ws.sessionCount, 0);
    assert.equal(new URL(ws.url).port, String(port));
    await assert.rejects(client.listTools());
    assert.ok((await toolNames(ws.mcpUrl('sql'))).includes('execute_sql'));
  });

  test('slow_echo runs concurrently and is cancellable; progress_echo streams progress (SSE)', async () => {
    const { client } = await connect(ws.mcpUrl('sql'));
    // Two long calls are in flight when a short one is sent: served one at a time, the short
    // one would answer after them. The long ones are then cancelled (the sleep is cancellable).
    const stop = new AbortController();
    const long = [1, 2].map((i) => client.callTool({ name: 'slow_echo', arguments: { message: `long${i}`, ms: 10_000 } }, undefined, { signal: stop.signal }).then(() => `long${i}`, () => `long${i} cancelled`));
    const short = client.callTool({ name: 'slow_echo', arguments: { message: 'short', ms: 0 } }).then((r) => (r.content as Array<{ text: string }>)[0]!.text);
    assert.equal(await Promise.race([...long, short]), 'short (after 0 ms)');
    stop.abort();
    assert.deepEqual(await Promise.all(long), ['long1 cancelled', 'long2 cancelled']);
    const results = await Promise.all([1, 2, 3].map((i) => client.callTool({ name: 'slow_echo', arguments: { message: `m${i}`, ms: 30 } })));
    assert.deepEqual(results.map((r) => (r.content as Array<{ text: string }>)[0]!.text), ['m1 (after 30 ms)', 'm2 (after 30 ms)', 'm3 (after 30 ms)']);
    const progress: number[] = [];
    const res = await client.callTool({ name: 'progress_echo', arguments: { message: 'done', steps: 4, intervalMs: 5 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    assert.equal((res.content as Array<{ text: string }>)[0]!.text, 'done');
    assert.deepEqual(progress, [1, 2, 3, 4]);
  });

  test('mode switch applies to an existing session', async () => {
    const { client, transport } = await connect(ws.mcpUrl('sql'));
    ws.scenario.mcpResponseMode = 'json';
    assert.ok((await client.listTools()).tools.length > 0);
    const raw = await fetch(ws.mcpUrl('sql'), {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${DEMO_PAT}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
        'Mcp-Session-Id': transport.sessionId!, 'Mcp-Protocol-Version': transport.protocolVersion ?? '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'tools/list' }),
    });
    assert.match(raw.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(((await raw.json()) as { id: number }).id, 99);
  });

  test('tools/list without initialize is served statelessly', async () => {
    const res = await fetch(ws.mcpUrl('vector-search', 'main', 'docs'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${DEMO_PAT}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /main__docs__product_docs/);
  });

  test('an OAuth token for jane works too', async () => {
    assert.ok((await toolNames(ws.mcpUrl('sql'), ws.mintOAuthToken(DEMO_USER))).includes('execute_sql'));
  });
});
