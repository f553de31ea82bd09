// Proxy benchmark: one fake workspace (loopback), three ways to reach its MCP server:
//   direct     SDK Client + StreamableHTTPClientTransport (no bridge)
//   dbx-mcp    SDK Client over stdio to the Claude Desktop entry that the real CLI writes:
//              `dbx-mcp add sql --client claude-desktop --auth proxy --yes` runs (built bin,
//              temporary HOME, no TTY) and its entry's command/args/env are spawned as is
//   mcp-remote SDK Client over stdio to mcp-remote@0.15.1 --transport http-only --allow-http
// Figures: median/p95 latency over sequential tools/call, throughput with 8 concurrent callers,
// peak RSS of the bridge process (VmHWM), spawn-to-initialized. Prints, never asserts.
//
// Run after `npm run build`:  node --import tsx test/bench/proxy.mjs
// (tsx because the fake workspace is TypeScript in src/emulator.)
// BENCH_CALLS (default 1000) and BENCH_SPAWNS (default 7) shorten or lengthen it.
// BENCH_ONLY=direct,dbx-mcp runs only the variants whose name contains one of the
// comma-separated substrings (names: "direct", "dbx-mcp proxy", "mcp-remote 0.15.1",
// "workspace down").
// "workspace down": the bridge started against a port that refuses connections, as a client
// starts it, with `initialize` written at once: time from spawn to the answer (or to the exit
// without one), the median of BENCH_DOWN_RUNS (default 3), dbx-mcp and mcp-remote side by side.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawn } from 'node:child_process';
import { configPathFor } from '../../src/clients/paths.ts';
import { DEMO_PAT } from '../../src/emulator/index.ts';
import { isolatedEnv, runCli } from '../helpers/cli.ts';
import { ensureRealClient } from '../support/real-clients.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const SPAWNS = Number(process.env.BENCH_SPAWNS ?? 7);
const CONCURRENCY = 8;
const THROUGHPUT_CALLS = 2000;
const DIRECT = 'direct';
const OURS = 'dbx-mcp proxy';
const REMOTE = 'mcp-remote 0.15.1';
const DOWN = 'workspace down';
const DOWN_RUNS = Number(process.env.BENCH_DOWN_RUNS ?? 3);
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const selected = (name) => ONLY.length === 0 || ONLY.some((s) => name.includes(s));
if (![DIRECT, OURS, REMOTE, DOWN].some(selected)) {
  console.error(`BENCH_ONLY=${process.env.BENCH_ONLY} matches no variant (${[DIRECT, OURS, REMOTE, DOWN].join(', ')})`);
  process.exit(2);
}

// The direct client must not be handicapped. StreamableHTTPClientTransport passes one
// transport-lifetime AbortSignal to every POST (sdk dist/esm/client/streamableHttp.js: start()
// creates it, send() passes it), and Node's bundled fetch adds an abort listener per request that
// only a FinalizationRegistry removes: thousands pile up between GCs (MaxListenersExceededWarning
// at 1500) and each new one costs a walk of the list. POSTs here go without that signal (their
// answers are read to the end); the GET event stream keeps it so that close() still ends it.
const directFetch = (input, init) => fetch(input, init?.method === 'POST' ? { ...init, signal: undefined } : init);

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
};
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const f = (n, d = 2) => (n === undefined ? 'n/a' : n.toFixed(d));
const shellQuote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

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
writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${wsUrl}\ntoken = ${DEMO_PAT}\n`, { mode: 0o600 });
const env = { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' };
const cleanup = () => {
  server.kill();
  rmSync(home, { recursive: true, force: true });
};

// dbx-mcp: let the real CLI write the Claude Desktop entry (proxy is its default auth mode),
// the way the e2e tests run `add` against the emulator (test/helpers/cli.ts: built bin,
// temporary HOME and XDG/AppData dirs inside it, CI=true, stdin a pipe, no TTY).
let oursEntry;
if (selected(OURS)) {
  const addArgs = ['add', 'sql', '--client', 'claude-desktop', '--auth', 'proxy', '--yes'];
  const added = await runCli(addArgs, { home });
  if (added.code !== 0) {
    console.error(`dbx-mcp ${addArgs.join(' ')} exited ${added.code}\n${added.stdout}${added.stderr}`);
    cleanup();
    process.exit(1);
  }
  const file = configPathFor('claude-desktop', { platform: process.platform, env: isolatedEnv(home), home }, 'user');
  const entry = JSON.parse(readFileSync(file, 'utf8')).mcpServers?.['databricks-sql'];
  if (!entry?.command) {
    console.error(`dbx-mcp ${addArgs.join(' ')} wrote no stdio entry "databricks-sql" into ${file}:\n${readFileSync(file, 'utf8')}`);
    cleanup();
    process.exit(1);
  }
  oursEntry = { command: entry.command, args: entry.args ?? [], env: entry.env ?? {} };
  // Proxy entries hold no secret (URL and profile name only); redact by value all the same.
  const line = [...Object.entries(oursEntry.env).map(([k, v]) => `${k}=${v}`), oursEntry.command, ...oursEntry.args].map(shellQuote).join(' ').replaceAll(DEMO_PAT, '<redacted>');
  console.log(`${OURS}: launched from the entry \`dbx-mcp ${addArgs.join(' ')}\` wrote: ${line}`);
  if (!oursEntry.args.includes(url)) console.error(`${OURS}: the entry does not point at ${url}, which the other variants use`);
}

let mcpRemoteBin;
if (selected(REMOTE) || selected(DOWN)) {
  try {
    mcpRemoteBin = ensureRealClient('mcp-remote');
  } catch (e) {
    console.error(`mcp-remote unavailable (${e.message}); its column is skipped`);
  }
}

const variants = Object.fromEntries(
  Object.entries({
    [DIRECT]: () => new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${DEMO_PAT}` } }, fetch: directFetch }),
    ...(oursEntry
      ? { [OURS]: () => new StdioClientTransport({ command: oursEntry.command, args: oursEntry.args, env: { ...env, ...oursEntry.env }, stderr: 'ignore' }) }
      : {}),
    ...(mcpRemoteBin
      ? {
          [REMOTE]: () =>
            new StdioClientTransport({
              command: process.execPath,
              args: [mcpRemoteBin, url, '--transport', 'http-only', '--allow-http', '--header', 'Authorization:${AUTH}'],
              env: { ...env, AUTH: `Bearer ${DEMO_PAT}` },
              stderr: 'ignore',
            }),
        }
      : {}),
  }).filter(([name]) => selected(name)),
);

async function connect(make) {
  const transport = make();
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const t0 = process.hrtime.bigint();
  await client.connect(transport);
  return { client, transport, initMs: ms(t0) };
}
const call = (client, i) => client.callTool({ name: 'slow_echo', arguments: { message: `m${i}`, ms: 0 } });

// Latency is sampled interleaved: call i goes to every variant in turn (the order rotating per
// call), so a noisy neighbour on this 2-core machine slows all of them alike instead of
// whichever ran during the noise. Spawn-to-initialized and throughput run one variant at a time.
async function spawnToInit(make) {
  const inits = [];
  for (let i = 0; i < SPAWNS; i++) {
    const { client, initMs } = await connect(make);
    inits.push(initMs);
    await client.close();
  }
  return pct(inits, 50);
}

async function throughput(client) {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < THROUGHPUT_CALLS) await call(client, next++);
    }),
  );
  return THROUGHPUT_CALLS / (ms(t0) / 1000);
}


/** A loopback port with nothing listening: connections to it are refused. */
async function refusedPort() {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Spawns `command args`, writes initialize at once; resolves when id 1 is answered or the process exits. */
function answerWhenDown(command, args, extraEnv) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(command, args, { env: { ...env, ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let stderrLines = 0;
    let settled = false;
    const done = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      resolve({ ms: ms(t0), outcome, stderrLines });
      child.kill();
    };
    const guard = setTimeout(() => done('no answer within 120 s'), 120_000);
    child.stderr.on('data', (d) => (stderrLines += String(d).split('\n').filter(Boolean).length));
    child.stdout.on('data', (d) => {
      out += d;
      for (const line of out.split('\n')) {
        try {
          const m = JSON.parse(line);
          if (m.id === 1) done(m.error ? 'JSON-RPC error' : 'result');
        } catch {
          // not a whole line yet
        }
      }
    });
    child.on('exit', (code) => done(`exited ${code} without an answer`));
    child.stdin.on('error', () => undefined);
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1.0.0' } } }) + '\n');
  });
}

async function downBench() {
  const port = await refusedPort();
  const deadUrl = `http://127.0.0.1:${port}/api/2.0/mcp/sql`;
  const downHome = mkdtempSync(join(tmpdir(), 'dbx-mcp-bench-down-'));
  writeFileSync(join(downHome, '.databrickscfg'), `[DEFAULT]\nhost = http://127.0.0.1:${port}\ntoken = ${DEMO_PAT}\n`, { mode: 0o600 });
  const bin = fileURLToPath(new URL('../../bin/dbx-mcp.js', import.meta.url));
  const runs = {
    [OURS]: () => answerWhenDown(process.execPath, [bin, 'proxy', '--url', deadUrl], { HOME: downHome }),
    ...(mcpRemoteBin
      ? { [REMOTE]: () => answerWhenDown(process.execPath, [mcpRemoteBin, deadUrl, '--transport', 'http-only', '--allow-http', '--header', 'Authorization:${AUTH}'], { AUTH: `Bearer ${DEMO_PAT}`, HOME: downHome }) }
      : {}),
  };
  const table = {};
  for (const [name, run] of Object.entries(runs)) {
    const rs = [];
    for (let i = 0; i < DOWN_RUNS; i++) rs.push(await run());
    const median = pct(rs.map((r) => r.ms), 50);
    table[name] = {
      'spawn → answer ms (median)': f(median, 0),
      'min–max ms': `${f(Math.min(...rs.map((r) => r.ms)), 0)}–${f(Math.max(...rs.map((r) => r.ms)), 0)}`,
      outcome: [...new Set(rs.map((r) => r.outcome))].join(' / '),
      'stderr lines meanwhile': rs[0].stderrLines,
    };
  }
  rmSync(downHome, { recursive: true, force: true });
  console.log(`workspace down (connection refused on ${deadUrl}): spawn, write initialize, wait for its answer; ${DOWN_RUNS} runs each`);
  console.table(table);
  const ours = table[OURS];
  if (ours) {
    const v = Number(ours['spawn → answer ms (median)']);
    console.table({ 'answer with the workspace down': { 'dbx-mcp proxy': `${ours['spawn → answer ms (median)']} ms`, goal: '≤ 5000 ms, a JSON-RPC error', met: v <= 5000 && ours.outcome === 'JSON-RPC error' ? 'yes' : 'NO' } });
  }
}

const started = Date.now();
const results = {};
const live = {};
for (const [name, make] of Object.entries(variants)) {
  try {
    results[name] = {};
    if (name !== DIRECT) results[name].spawnToInit = await spawnToInit(make);
    live[name] = await connect(make);
    for (let i = 0; i < 100; i++) await call(live[name].client, i); // warm-up (JIT, keep-alive sockets)
  } catch (e) {
    console.error(`${name}: ${e.stack ?? e}`);
    delete results[name];
  }
}
const names = Object.keys(live);
const lat = Object.fromEntries(names.map((n) => [n, []]));
for (let i = 0; i < CALLS; i++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(i + k) % names.length];
    const t0 = process.hrtime.bigint();
    await call(live[name].client, i);
    lat[name].push(ms(t0));
  }
}
for (const name of names) {
  const row = results[name];
  row.median = pct(lat[name], 50);
  row.p95 = pct(lat[name], 95);
  row.throughput = await throughput(live[name].client);
  if (live[name].transport.pid) row.rss = vmHWM(live[name].transport.pid);
}
for (const name of names) await live[name].client.close();
cleanup();

const direct = results[DIRECT];
const ours = results[OURS];
const remote = results[REMOTE];
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
if (Object.keys(table).length > 0) {
  console.log(`proxy benchmark: ${CALLS} sequential tools/call (slow_echo 0 ms, SSE responses), ${THROUGHPUT_CALLS} calls over ${CONCURRENCY} callers, ${SPAWNS} spawns; node ${process.version}`);
  console.table(table);
}
if (ours && direct) {
  const goals = [
    ['overhead over direct (median)', `${f(ours.median - direct.median, 3)} ms`, '≤ 0.3 ms', ours.median - direct.median <= 0.3],
    ['latency vs mcp-remote (median)', remote ? `${f(ours.median / remote.median, 2)}×` : 'n/a', '≤ 0.8×', remote ? ours.median / remote.median <= 0.8 : undefined],
    ['peak RSS', `${f(ours.rss, 1)} MB`, '≤ 55 MB', ours.rss !== undefined ? ours.rss <= 55 : undefined],
    ['spawn→initialized', `${f(ours.spawnToInit, 1)} ms`, '≤ 150 ms', ours.spawnToInit <= 150],
  ];
  console.table(Object.fromEntries(goals.map(([k, v, g, ok]) => [k, { 'dbx-mcp proxy': v, goal: g, met: ok === undefined ? 'n/a' : ok ? 'yes' : 'NO' }])));
}
if (selected(DOWN)) await downBench();
console.log(`(total ${((Date.now() - started) / 1000).toFixed(1)} s)`);
