/**
 * The built `dbx-mcp proxy` against an https fake workspace (a throwaway CA made with the
 * openssl CLI), reached through a CONNECT proxy given in HTTPS_PROXY, as an MCP client would
 * launch it over stdio. Everything listens on 127.0.0.1; every process gets a temporary HOME.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace } from '../../src/emulator/index.js';
import { BIN, patConfig, startChild, tempHome } from '../support/proxy-harness.js';
import { makeCertDir, NO_OPENSSL, OPENSSL, startTestProxy, type CertSet, type TestProxy } from '../support/tls.js';

const BUILT = existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)));
const BOUND = { timeout: 20_000 };

describe('dbx-mcp proxy over https through HTTPS_PROXY (built bin)', { skip: !BUILT ? 'run npm run build first' : !OPENSSL ? NO_OPENSSL : false }, () => {
  let certs: CertSet;
  let certDir = '';
  let cleanupCerts = () => undefined as void;
  before(() => {
    const made = makeCertDir();
    certs = made.a;
    certDir = made.dir;
    cleanupCerts = made.cleanup;
  });
  after(() => cleanupCerts());

  async function setup(t: TestContext): Promise<{ ws: FakeWorkspace; proxy: TestProxy; home: string; env: Record<string, string> }> {
    const ws = await startFakeWorkspace({ tls: { key: certs.key, cert: certs.cert } });
    const proxy = await startTestProxy();
    const { home, cleanup } = tempHome(patConfig(ws.url, DEMO_PAT));
    t.after(async () => {
      await proxy.close();
      await ws.close();
      cleanup();
    });
    const env = { HOME: home, PATH: process.env.PATH ?? '', NO_COLOR: '1', HTTPS_PROXY: proxy.url('user:p%40ss') };
    return { ws, proxy, home, env };
  }

  /** An MCP SDK client over stdio to `dbx-mcp proxy <args>`; closed after the test. */
  async function connect(t: TestContext, env: Record<string, string>, args: string[]): Promise<{ client: Client; stderr: () => string }> {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'proxy', ...args], env, stderr: 'pipe' });
    let err = '';
    transport.stderr?.on('data', (d) => (err += d));
    const client = new Client({ name: 'proxy-tls-test', version: '0.0.0' });
    t.after(() => client.close().catch(() => undefined));
    await client.connect(transport);
    return { client, stderr: () => err };
  }

  it('lists and calls tools through the CONNECT proxy with --ca-bundle', BOUND, async (t) => {
    const { ws, proxy, env } = await setup(t);
    assert.match(ws.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const { client, stderr } = await connect(t, env, ['--url', ws.mcpUrl('sql'), '--ca-bundle', certs.caPath, '--log-level', 'debug']);
    const names = (await client.listTools()).tools.map((x) => x.name);
    assert.ok(names.includes('execute_sql'), `${names.join(', ')}\n${stderr()}`);
    const echoed = await client.callTool({ name: 'slow_echo', arguments: { message: 'through the tunnel ✓', ms: 1 } });
    assert.match(JSON.stringify(echoed), /through the tunnel ✓/);

    assert.ok(proxy.connects.length >= 1, 'the proxy opened a tunnel');
    for (const c of proxy.connects) {
      assert.equal(c.target, `127.0.0.1:${ws.port}`);
      assert.equal(c.auth, `Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    }
    assert.equal(proxy.requests.length, 0, 'nothing in clear text through the proxy');
    const posts = ws.requests.filter((q) => q.method === 'POST' && q.path === '/api/2.0/mcp/sql');
    assert.ok(posts.length >= 3, 'initialize, tools/list and tools/call reached the workspace');
    assert.ok(posts.every((q) => q.headers['proxy-authorization'] === undefined), 'proxy credentials stay with the proxy');
    assert.doesNotMatch(stderr(), new RegExp(DEMO_PAT));
  });

  it('without --ca-bundle, answers requests with the TLS failure and its fix (nothing reaches the workspace)', BOUND, async (t) => {
    const { ws, proxy, home, env } = await setup(t);
    const p = startChild({ home, args: ['--url', ws.mcpUrl('sql')], env });
    t.after(() => void p.end());
    const init = await p.rpc.initialize();
    const error = init.error as { message?: string; data?: { network?: string; maybeProcessed?: boolean } } | undefined;
    assert.ok(error, JSON.stringify(init));
    assert.equal(error.data?.network, 'tls', JSON.stringify(error));
    // The handshake failed before anything was sent: not "may have been processed", not retried.
    assert.equal(error.data?.maybeProcessed, false);
    assert.doesNotMatch(String(error.message), /may have reached the server/);
    assert.match(String(error.message), /certificate/i);
    assert.match(String(error.message), /--ca-bundle/);
    assert.ok(proxy.connects.length >= 1, 'the tunnel was opened');
    assert.equal(ws.requests.length, 0);
    assert.equal(await p.end(), 0);
  });

  it('a --ca-bundle without a PEM certificate fails at start, naming the file', BOUND, async (t) => {
    const { ws, home, env } = await setup(t);
    const bad = join(certDir, 'not-a-bundle.pem');
    writeFileSync(bad, 'not a certificate\n');
    const p = startChild({ home, args: ['--url', ws.mcpUrl('sql'), '--ca-bundle', bad], env });
    const code = await p.end();
    assert.equal(code, 1, p.stderr());
    assert.match(p.stderr(), /CA bundle .*not-a-bundle\.pem holds no PEM certificate/);
    assert.match(p.stderr(), /--ca-bundle/, 'the fix is named');
    assert.deepEqual(p.rpc.lines, [], 'nothing on stdout');
    assert.equal(ws.requests.length, 0);
  });
});
