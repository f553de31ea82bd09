// Proxy benchmark: one fake workspace (loopback), three ways to reach its MCP server:
//   direct     SDK Client + StreamableHTTPClientTransport (no bridge)
//   dbx-mcp    SDK Client over stdio to `node bin/dbx-mcp.js proxy --url …` (the built bin)
//   mcp-remote SDK Client over stdio to mcp-remote@0.15.1 --transport http-only --allow-http
// Figures: median/p95 latency over sequential tools/call, throughput with 8 concurrent callers,
// peak RSS of the bridge process (VmHWM), spawn-to-initialized. Prints, never asserts.
//
// Run after `npm run build`:  node --import tsx test/bench/proxy.mjs
// (tsx because the fake workspace is TypeScript in src/emulator.)
// BENCH_CALLS (default 1000) and BENCH_SPAWNS (default 7) shorten or lengthen it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawn } from 'node:child_process';
import { DEMO_PAT } from '../../src/emulator/index.ts';
import { ensureRealClient } from '../support/real-clients.ts';

const BIN = fileURLToPath(new URL('../../bin/dbx-mcp.js', import.meta.url));
const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const SPAWNS = Number(process.env.BENCH_SPAWNS ?? 7);
const CONCURRENCY = 8;
const THROUGHPUT_CALLS = 2000;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
};
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const f = (n, d = 2) => (n === undefined ? 'n/a' : n.toFixed(d));

function vmHWM(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

// The fake workspace runs in its own process, so that the direct client does not share an
// event loop with the server (which would penalise the direct column).
const server = spawn(
  process.execPath,
  ['--import', 'tsx', '--input-type=module', '-e', "const { startFakeWorkspace } = await import('./src/emulator/index.ts'); const ws = await startFakeWorkspace({ mcpResponseMode: 'sse' }); process.stdout.write(ws.mcpUrl('sql') + '\\n');"],
  { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    if (out.includes('\n')) resolve(out.trim());
  });
  server.on('exit', (c) => reject(new Error(`fake workspace exited ${c}`)));
});
const wsUrl = new URL(url).origin;
const home = mkdtempSync(join(tmpdir(), 'dbx-mcp-bench-'));
writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${wsUrl}\ntoken = ${DEMO_PAT}\n`);
const env = { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' };

let mcpRemoteBin;
try {
  mcpRemoteBin = ensureRealClient('mcp-remote');
} catch (e) {
  console.error(`mcp-remote unavailable (${e.message}); its column is skipped`);
}

const variants = {
  direct: () => new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${DEMO_PAT}` } } }),
  'dbx-mcp proxy': () => new StdioClientTransport({ command: process.execPath, args: [BIN, 'proxy', '--url', url], env, stderr: 'ignore' }),
  ...(mcpRemoteBin
    ? {
        'mcp-remote 0.15.1': () =>
          new StdioClientTransport({
            command: process.execPath,
            args: [mcpRemoteBin, url, '--transport', 'http-only', '--allow-http', '--header', 'Authorization:${AUTH}'],
            env: { ...env, AUTH: `Bearer ${DEMO_PAT}` },
            stderr: 'ignore',
          }),
      }
    : {}),
};

async function connect(make) {
  const transport = make();
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const t0 = process.hrtime.bigint();
  await client.connect(transport);
  return { client, transport, initMs: ms(t0) };
}

const call = (client, i) => client.callTool({ name: 'slow_echo', arguments: { message: `m${i}`, ms: 0 } });

async function measure(name, make) {
  const row = {};
  // Spawn-to-initialized: a fresh bridge each time (connect = spawn + initialize + initialized).
  if (name !== 'direct') {
    const inits = [];
    for (let i = 0; i < SPAWNS; i++) {
      const { client, initMs } = await connect(make);
      inits.push(initMs);
      await client.close();
    }
    row.spawnToInit = pct(inits, 50);
  }
  const { client, transport } = await connect(make);
  for (let i = 0; i < 100; i++) await call(client, i); // warm-up (JIT, keep-alive sockets)
  const lat = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = process.hrtime.bigint();
    await call(client, i);
    lat.push(ms(t0));
  }
  row.median = pct(lat, 50);
  row.p95 = pct(lat, 95);
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < THROUGHPUT_CALLS) await call(client, next++);
    }),
  );
  row.throughput = THROUGHPUT_CALLS / (ms(t0) / 1000);
  if (transport.pid) row.rss = vmHWM(transport.pid);
  await client.close();
  return row;
}

const started = Date.now();
const results = {};
for (const [name, make] of Object.entries(variants)) {
  try {
    results[name] = await measure(name, make);
  } catch (e) {
    console.error(`${name}: ${e.stack ?? e}`);
  }
}
server.kill();
rmSync(home, { recursive: true, force: true });

const direct = results.direct;
const ours = results['dbx-mcp proxy'];
const remote = results['mcp-remote 0.15.1'];
const table = {};
for (const [name, r] of Object.entries(results)) {
  table[name] = {
    'median ms': f(r.median, 3),
    'p95 ms': f(r.p95, 3),
    'calls/s (8 conc.)': f(r.throughput, 0),
    'peak RSS MB': f(r.rss, 1),
    'spawn→initialized ms': f(r.spawnToInit, 1),
  };
}
console.log(`proxy benchmark: ${CALLS} sequential tools/call (slow_echo 0 ms, SSE responses), ${THROUGHPUT_CALLS} calls over ${CONCURRENCY} callers, ${SPAWNS} spawns; node ${process.version}`);
console.table(table);
if (ours && direct) {
  const goals = [
    ['overhead over direct (median)', `${f(ours.median - direct.median, 3)} ms`, '≤ 0.3 ms', ours.median - direct.median <= 0.3],
    ['latency vs mcp-remote (median)', remote ? `${f(ours.median / remote.median, 2)}×` : 'n/a', '≤ 0.8×', remote ? ours.median / remote.median <= 0.8 : undefined],
    ['peak RSS', `${f(ours.rss, 1)} MB`, '≤ 55 MB', ours.rss !== undefined ? ours.rss <= 55 : undefined],
    ['spawn→initialized', `${f(ours.spawnToInit, 1)} ms`, '≤ 150 ms', ours.spawnToInit <= 150],
  ];
  console.table(Object.fromEntries(goals.map(([k, v, g, ok]) => [k, { 'dbx-mcp proxy': v, goal: g, met: ok === undefined ? 'n/a' : ok ? 'yes' : 'NO' }])));
}
console.log(`(total ${((Date.now() - started) / 1000).toFixed(1)} s)`);
