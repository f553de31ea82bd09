/**
 * How doctor runs handshakes at scale and under faults: identical command lines once, spawns
 * through a bounded pool, dbx-mcp proxy entries through one launcher start plus in-process
 * handshakes, nothing waited out when the workspace is down, 429 reported at once.
 * Mechanisms are asserted here; speed is measured by `npm run bench`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_GENIE_SPACES, type FakeWorkspace } from '../../../src/emulator/index.js';
import { createPool, spawnPoolSize } from '../../../src/mcp/pool.js';
import { BIN } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { cursorHeader, doctor, setup, writeJson, deadPort } from './helpers.js';

const STUB = fileURLToPath(new URL('./stdio-stub.mjs', import.meta.url));

function starts(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'starts.log'), 'utf8').trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A launcher that mentions dbx-mcp, logs each start, then runs the real bin. */
function countingLauncher(dir: string): { script: string; log: string } {
  const script = join(dir, 'dbx-mcp-counting.mjs');
  const log = join(dir, 'launches.log');
  writeFileSync(script, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(log)}, 'x\\n');\nawait import(${JSON.stringify(BIN)});\n`);
  return { script, log };
}

function launches(log: string): number {
  try {
    return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

function proxyServers(ws: FakeWorkspace, script: string, host?: string): Record<string, unknown> {
  const urls = {
    sql: ws.mcpUrl('sql'),
    tools: ws.mcpUrl('functions', 'main', 'tools'),
    docs: ws.mcpUrl('vector-search', 'main', 'docs', 'product_docs'),
    sales: ws.mcpUrl('genie', DEMO_GENIE_SPACES.sales),
  };
  return Object.fromEntries(
    Object.entries(urls).map(([name, url]) => [name, { command: process.execPath, args: [script, 'proxy', '--url', host ? url.replace(ws.url, host) : url, '--profile', 'DEFAULT'] }]),
  );
}

test('the pool never runs more than its size at once, hands slots over in order, and passes errors through', async () => {
  const pool = createPool(2);
  let running = 0;
  let peak = 0;
  const gates: Array<() => void> = [];
  const order: number[] = [];
  const tasks: Array<Promise<number>> = [0, 1, 2, 3, 4, 5].map((i) =>
    pool.run(async () => {
      running++;
      peak = Math.max(peak, running);
      order.push(i);
      await new Promise<void>((r) => gates.push(r));
      running--;
      if (i === 3) throw new Error('task 3 failed');
      return i;
    }),
  );
  const settled = Promise.allSettled(tasks);
  // Release the running tasks one at a time; each release lets exactly one queued task start.
  for (let released = 0; released < 6; released++) {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    assert.ok(running <= 2, `running ${running}`);
    gates.shift()!();
  }
  const results = await settled;
  assert.equal(peak, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)), [0, 1, 2, 'task 3 failed', 4, 5]);
  assert.equal(spawnPoolSize(1), 2);
  assert.equal(spawnPoolSize(64), 8);
});

test('the same stdio entry in Claude Desktop, Cursor and Claude Code is one handshake, reported for all three', async (t) => {
  const { ws, home } = await setup(t);
  const dir = tempDir(t, 'dbx-mcp-stub-');
  const entry = { command: process.execPath, args: [STUB, ws.mcpUrl('sql')], env: { STUB_DIR: dir } };
  writeJson(home, '.cursor/mcp.json', { mcpServers: { shared: entry } });
  writeJson(home, '.claude.json', { mcpServers: { shared: entry } });
  writeJson(home, '.config/Claude/claude_desktop_config.json', { mcpServers: { shared: entry } });
  const r = await doctor(home, { only: ['server.shared.handshake'] });
  const hs = r.check('server.shared.handshake');
  assert.equal(hs.status, 'pass', hs.summary);
  const clients = (hs.data?.clients as Array<{ client: string; status: string }>).map((c) => `${c.client}:${c.status}`).sort();
  assert.deepEqual(clients, ['claude-code:pass', 'claude-desktop:pass', 'cursor:pass']);
  assert.equal(starts(dir).length, 1, 'one process for the three entries');
});

test('stdio handshakes go through a pool: never more live servers than its size', async (t) => {
  const { ws, home } = await setup(t);
  const dir = tempDir(t, 'dbx-mcp-stub-');
  const n = 8;
  const servers = Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, { command: process.execPath, args: [STUB, ws.mcpUrl('sql'), `--n=${i}`], env: { STUB_DIR: dir } }]));
  writeJson(home, '.cursor/mcp.json', { mcpServers: servers });
  const r = await doctor(home, { only: ['server'] });
  for (let i = 0; i < n; i++) assert.equal(r.check(`server.s${i}.handshake`).status, 'pass');
  const seen = starts(dir);
  assert.equal(seen.length, n);
  assert.ok(Math.max(...seen) <= spawnPoolSize(), `up to ${Math.max(...seen)} stubs alive at once (pool ${spawnPoolSize()})`);
});

test('dbx-mcp proxy entries: the launcher starts once, every URL is handshaked through the proxy code', async (t) => {
  const { ws, home } = await setup(t);
  const dir = tempDir(t, 'dbx-mcp-launch-');
  const { script, log } = countingLauncher(dir);
  writeJson(home, '.cursor/mcp.json', { mcpServers: proxyServers(ws, script) });
  const r = await doctor(home, { only: ['server'] });
  for (const name of ['sql', 'tools', 'docs', 'sales']) {
    const hs = r.check(`server.${name}.handshake`);
    assert.equal(hs.status, 'pass', `${name}: ${hs.summary}`);
    assert.ok(Number(hs.data?.tools) > 0);
  }
  assert.equal(launches(log), 1, 'one launcher start for four entries that share it');
  // Each URL really went to the workspace, through the proxy (its user agent).
  const inits = ws.requests.filter((q) => q.method === 'POST' && q.path.startsWith('/api/2.0/mcp/'));
  for (const path of ['/api/2.0/mcp/sql', '/api/2.0/mcp/functions/main/tools', '/api/2.0/mcp/vector-search/main/docs/product_docs']) {
    assert.ok(inits.some((q) => q.path === path), `no request to ${path}`);
  }
});

test('a broken launcher fails every entry that uses it, with the fix; the process started once', async (t) => {
  const { ws, home } = await setup(t);
  const dir = tempDir(t, 'dbx-mcp-launch-');
  const script = join(dir, 'dbx-mcp-broken.mjs');
  const log = join(dir, 'launches.log');
  writeFileSync(script, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(log)}, 'x\\n');\nprocess.stderr.write('Error: Cannot find module dist/cli.js\\n');\nprocess.exit(1);\n`);
  writeJson(home, '.cursor/mcp.json', { mcpServers: proxyServers(ws, script) });
  const r = await doctor(home, { only: ['server'] });
  for (const name of ['sql', 'tools', 'docs', 'sales']) {
    const hs = r.check(`server.${name}.handshake`);
    assert.equal(hs.status, 'fail');
    assert.match(hs.summary, /exited \(code 1\).*Cannot find module/);
    assert.ok(hs.fix, `${name} has a fix`);
  }
  assert.equal(launches(log), 1);
});

test('workspace down: handshakes on it are skipped with the reason, nothing is spawned or waited out', async (t) => {
  const { ws, home } = await setup(t);
  const dead = `http://127.0.0.1:${await deadPort()}`;
  writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${dead}\ntoken = dapi0123456789abcdef0123456789abcdef\n`);
  const dir = tempDir(t, 'dbx-mcp-launch-');
  const { script, log } = countingLauncher(dir);
  writeJson(home, '.cursor/mcp.json', { mcpServers: { ...proxyServers(ws, script, dead), hdr: cursorHeader(`${dead}/api/2.0/mcp/sql`) } });
  const r = await doctor(home);
  const reach = r.check('workspace.reachable');
  assert.equal(reach.status, 'fail');
  assert.ok(reach.fix);
  for (const name of ['sql', 'tools', 'docs', 'sales', 'hdr']) {
    const hs = r.check(`server.${name}.handshake`);
    assert.equal(hs.status, 'skip', `${name}: ${hs.summary}`);
    assert.match(hs.summary, /workspace\.reachable failed — http:\/\/127\.0\.0\.1:\d+ is unreachable \(refused\)/);
  }
  assert.equal(launches(log), 0);
});

test('--only a handshake still learns that the workspace is down', async (t) => {
  const { home } = await setup(t);
  const dead = `http://127.0.0.1:${await deadPort()}`;
  writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${dead}\ntoken = dapi0123456789abcdef0123456789abcdef\n`);
  writeJson(home, '.cursor/mcp.json', { mcpServers: { hdr: cursorHeader(`${dead}/api/2.0/mcp/sql`) } });
  const r = await doctor(home, { only: ['server.hdr.handshake'] });
  assert.equal(r.check('server.hdr.handshake').status, 'skip');
  assert.equal(r.check('workspace.reachable').status, 'fail');
});

test('429 on the MCP endpoints: each server reports rate-limited once, in one readable sentence with a fix', async (t) => {
  const { ws, home } = await setup(t);
  const dir = tempDir(t, 'dbx-mcp-launch-');
  const { script } = countingLauncher(dir);
  writeJson(home, '.cursor/mcp.json', { mcpServers: { ...proxyServers(ws, script), hdr: cursorHeader(ws.mcpUrl('sql')) } });
  ws.scenario.rateLimit = { count: 50, retryAfter: '1', paths: /^\/api\/2\.0\/mcp\// };
  const r = await doctor(home, { only: ['server'] });
  for (const name of ['sql', 'tools', 'docs', 'sales', 'hdr']) {
    const hs = r.check(`server.${name}.handshake`);
    assert.equal(hs.status, 'warn', `${name}: ${hs.summary}`);
    assert.equal(hs.data?.kind, 'rate-limited');
    assert.equal(hs.summary.match(/rate-limit/gi)?.length, 1, `said once: ${hs.summary}`);
    assert.doesNotMatch(hs.summary, /\([^)]*\(/, `not nested: ${hs.summary}`);
    assert.match(hs.fix ?? '', /^Wait (1 s|a minute) and run dbx-mcp doctor again\.$/);
  }
  // No retries from doctor: the 429 budget of 50 is far from spent.
  assert.ok((ws.scenario.rateLimit?.count ?? 0) > 30, `429s left: ${ws.scenario.rateLimit?.count}`);
});

test('the handshake of a proxy entry proves what the client would see: a profile that does not exist', async (t) => {
  const { ws, home } = await setup(t);
  mkdirSync(join(home, 'x'), { recursive: true });
  writeJson(home, '.cursor/mcp.json', { mcpServers: { sql: { command: process.execPath, args: [BIN, 'proxy', '--url', ws.mcpUrl('sql'), '--profile', 'NOPE'] } } });
  const r = await doctor(home, { only: ['server.sql.handshake'] });
  const hs = r.check('server.sql.handshake');
  assert.equal(hs.status, 'fail');
  assert.match(hs.summary, /NOPE/);
  assert.ok(hs.fix);
});
