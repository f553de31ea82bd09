/**
 * The built bin as a client launches it: `node bin/dbx-mcp.js proxy --url …` with a temporary
 * HOME. stdout must carry JSON-RPC lines only, logs go to stderr with tokens redacted, and the
 * process exits cleanly when stdin ends.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_PAT, startFakeWorkspace } from '../../src/emulator/index.js';
import { patConfig, startChild, tempHome } from '../support/proxy-harness.js';
import { closedPort } from '../support/tls.js';

const BUILT = existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)));

describe('dbx-mcp proxy (built bin)', { skip: BUILT ? false : 'run npm run build first' }, () => {
  it('bridges a session end to end: JSON-RPC only on stdout, redacted logs on stderr, exit 0 on stdin end', async (t) => {
    const ws = await startFakeWorkspace();
    const { home, cleanup } = tempHome(patConfig(ws.url, DEMO_PAT));
    t.after(async () => {
      await ws.close();
      cleanup();
    });
    const p = startChild({ home, args: ['--url', ws.mcpUrl('sql'), '--log-level', 'debug', '--meta', 'warehouse_id=abcdef1234567890'] });
    const init = await p.rpc.initialize();
    assert.equal((init.result as { serverInfo: { name: string } }).serverInfo.name, 'databricks-sql');
    const calls = await Promise.all(Array.from({ length: 20 }, (_, i) => p.rpc.request('tools/call', { name: 'slow_echo', arguments: { message: `m${i} ✓`, ms: 5 } })));
    assert.ok(calls.every((c, i) => JSON.stringify(c.result).includes(`m${i} ✓`)));
    await ws.expireAllSessions();
    assert.ok((await p.rpc.request('tools/list')).result, 'recovered the session');
    const code = await p.end();
    assert.equal(code, 0);
    assert.deepEqual(p.rpc.garbage, [], 'stdout carries only JSON-RPC');
    assert.ok(p.rpc.lines.length >= 22);
    assert.match(p.stderr(), /dbx-mcp proxy: forwarding to/);
    assert.doesNotMatch(p.stderr(), new RegExp(DEMO_PAT), 'the token never reaches stderr');
    assert.ok(ws.requests.some((q) => q.method === 'DELETE'), 'the session was deleted');
  });

  it('workspace down (connection refused): says on stderr what it retries, then answers with what is wrong and the fix', { timeout: 60_000 }, async (t) => {
    const port = await closedPort();
    const down = `http://127.0.0.1:${port}`;
    const { home, cleanup } = tempHome(patConfig(down, DEMO_PAT));
    t.after(cleanup);
    // Default log level, as a client starts it.
    const p = startChild({ home, args: ['--url', `${down}/api/2.0/mcp/sql`] });
    const init = await p.rpc.initialize();
    const error = init.error as { message: string; data: { network: string; maybeProcessed: boolean; attempts: number } };
    assert.equal(error.data.network, 'refused', JSON.stringify(init));
    assert.equal(error.data.maybeProcessed, false);
    assert.match(error.message, new RegExp(`connection refused by 127\\.0\\.0\\.1:${port} \\(${error.data.attempts} attempts over \\d+\\.\\d s\\)\\. Fix: `));
    assert.equal(p.rpc.answersFor(1), 1);
    const retries = p.stderr().split('\n').filter((l) => /dbx-mcp proxy: POST \/api\/2\.0\/mcp\/sql: Cannot reach .*connection refused.*; retrying in \d+ ms/.test(l));
    assert.equal(retries.length, error.data.attempts - 1, p.stderr());
    assert.ok(retries.length >= 2, 'retried briefly');
    assert.equal(await p.end(), 0);
    assert.deepEqual(p.rpc.garbage, []);
    assert.doesNotMatch(p.stderr(), new RegExp(DEMO_PAT));
  });

  it('without --profile, uses the profile whose host is the --url workspace (committed project entries name none)', async (t) => {
    const ws = await startFakeWorkspace();
    const other = 'https://dbc-other.cloud.databricks.com';
    // The default profile is for another workspace; two profiles match, the first in the file wins.
    const cfg = `[DEFAULT]\nhost = ${other}\ntoken = dapi-not-this-one-0000\n\n[team-ws]\nhost = ${ws.url}/\ntoken = ${DEMO_PAT}\n\n[team-ws-2]\nhost = ${ws.url}\ntoken = dapi-second-match-0000\n`;
    const { home, cleanup } = tempHome(cfg);
    t.after(async () => {
      await ws.close();
      cleanup();
    });
    const p = startChild({ home, args: ['--url', ws.mcpUrl('sql'), '--log-level', 'info'] });
    const init = await p.rpc.initialize();
    assert.equal((init.result as { serverInfo: { name: string } }).serverInfo.name, 'databricks-sql', JSON.stringify(init));
    assert.equal(await p.end(), 0);
    assert.match(p.stderr(), /as profile team-ws \(pat\)/);
    assert.doesNotMatch(p.stderr(), /differs from profile host/);

    // An explicit DATABRICKS_CONFIG_PROFILE still wins over the match.
    const q = startChild({ home, args: ['--url', ws.mcpUrl('sql'), '--log-level', 'info'], env: { DATABRICKS_CONFIG_PROFILE: 'DEFAULT' } });
    const rejected = await q.rpc.initialize();
    assert.equal((rejected.error as { data: { kind: string } }).data.kind, 'foreign-host', 'the default profile is for another workspace: its token is not sent');
    assert.equal(await q.end(), 0);
  });

  it('without --profile, never sends a token to a host no profile is for (an edited committed entry): answers with the fix instead', async (t) => {
    const ws = await startFakeWorkspace();
    // The other host: a second fake workspace that records whatever reaches it.
    const other = await startFakeWorkspace();
    const { home, cleanup } = tempHome(patConfig(ws.url, DEMO_PAT));
    t.after(async () => {
      await Promise.all([ws.close(), other.close()]);
      cleanup();
    });
    const p = startChild({ home, args: ['--url', other.mcpUrl('sql')] });
    const init = await p.rpc.initialize();
    const error = init.error as { message: string; data: { kind: string } };
    assert.equal(error.data.kind, 'no-profile-for-host', JSON.stringify(init));
    assert.match(error.message, new RegExp(`(?:databricks auth|dbx-mcp) login --host ${other.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(other.requests.length, 0, 'nothing, and so no token, reached the other host');
    assert.equal(await p.end(), 0);
    assert.doesNotMatch(p.stderr(), new RegExp(DEMO_PAT));
  });

  it('rejects a bad flag with exit code 2 before reading stdin', async (t) => {
    const { home, cleanup } = tempHome('');
    t.after(cleanup);
    const p = startChild({ home, args: ['--url', 'http://example.com/mcp'] });
    assert.equal(await p.end(), 2);
    assert.match(p.stderr(), /uses http:\/\//);
    assert.deepEqual(p.rpc.lines, []);
  });

  it('with --json, a usage error still goes to stderr only (stdout is the protocol): exit 2, no stack trace', async (t) => {
    const { home, cleanup } = tempHome('');
    t.after(cleanup);
    const p = startChild({ home, args: ['--url', 'http://127.0.0.1:9/api/2.0/mcp/sql', '--log-level', 'nope', '--json'] });
    assert.equal(await p.end(), 2);
    assert.match(p.stderr(), /--log-level nope: expected one of/);
    assert.doesNotMatch(p.stderr(), /\n\s+at /, 'no stack trace');
    assert.deepEqual(p.rpc.lines, []);
  });
});
