/**
 * Benchmarks of doctor (run after `npm run build`: node --import tsx test/bench/doctor.ts):
 * - wall time with 4 servers and 300 ms added to every response of the fake workspace, side
 *   by side with that 300 ms (checks run concurrently: the cost follows the depth of the
 *   dependency graph, not the number of servers; goal ≤ 8×);
 * - wall time and peak memory of the whole process tree (RSS summed over doctor and every
 *   process it started, sampled from /proc) with 4, 16 and 48 proxy-mode servers;
 * - wall time with the workspace down (connection refused) and throttled (429, Retry-After: 1,
 *   on the first 50 MCP requests), 4 proxy-mode servers.
 * The 0.1.0 column is what issue 11 measured on the same machine before this change.
 * Loopback only; bounded (each run has a 60 s cap).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES, DEMO_PAT, startFakeWorkspace, type FakeWorkspace } from '../../src/emulator/index.js';
import { BIN, isolatedEnv, runCli } from '../helpers/cli.js';

const LATENCY_MS = 300;
const GOAL = 8;
const RUNS = 3;

const ws = await startFakeWorkspace();
const home = mkdtempSync(join(tmpdir(), 'dbx-mcp-bench-doctor-'));
try {
  writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n`, { mode: 0o600 });
  mkdirSync(join(home, '.cursor'), { recursive: true });
  const header = (url: string) => ({ url, headers: { Authorization: 'Bearer ${env:DBX_BENCH_TOKEN}' } });
  const proxy = (url: string) => ({ command: process.execPath, args: [BIN, 'proxy', '--url', url, '--profile', 'DEFAULT'] });
  writeFileSync(
    join(home, '.cursor', 'mcp.json'),
    JSON.stringify({
      mcpServers: {
        'bench-functions': header(ws.mcpUrl('functions', 'main', 'tools')),
        'bench-genie': header(ws.mcpUrl('genie', DEMO_GENIE_SPACES.sales)),
        'bench-vector': proxy(ws.mcpUrl('vector-search', 'main', 'docs', 'product_docs')),
        'bench-sql': proxy(ws.mcpUrl('sql')),
      },
    }),
    { mode: 0o600 },
  );
  const env = { DBX_BENCH_TOKEN: DEMO_PAT };

  // Baseline: the same run without latency (process start, Node, checks' own work).
  const base = await runCli(['doctor', '--json'], { home, env, timeoutMs: 60_000 });
  const baseJson = JSON.parse(base.stdout) as { summary: Record<string, number> };

  ws.scenario.latencyMs = LATENCY_MS;
  const times: number[] = [];
  let summary: Record<string, number> = {};
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await runCli(['doctor', '--json'], { home, env, timeoutMs: 60_000 });
    times.push(performance.now() - t0);
    summary = (JSON.parse(r.stdout) as { summary: Record<string, number> }).summary;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const ratio = median / LATENCY_MS;
  console.log(`doctor, 4 servers (2 header, 2 proxy), ${LATENCY_MS} ms added to every response`);
  console.log(`  checks: ${JSON.stringify(summary)} (without latency: ${JSON.stringify(baseJson.summary)})`);
  console.log(`  wall time (median of ${RUNS}): ${Math.round(median)} ms   vs   latency ${LATENCY_MS} ms`);
  console.log(`  ratio: ${ratio.toFixed(1)}×   goal: ≤ ${GOAL}×   ${ratio <= GOAL ? 'OK' : 'OVER GOAL'}`);

  await scaleAndFaults(ws, home);
} finally {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
}

/** Every descendant of `root` (and root), from /proc (Linux). */
function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(d), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root];
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (tree.includes(ppid) && !tree.includes(pid)) {
        tree.push(pid);
        grew = true;
      }
    }
  }
  return tree;
}

function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs `dbx-mcp doctor --json` and samples its process tree every 25 ms (it shares the CPU with the emulator). */
async function measuredDoctor(home: string): Promise<{ ms: number; peakMb: number; peakProcs: number; summary: Record<string, number> }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'doctor', '--json', '--timeout', '60'], { cwd: home, env: isolatedEnv(home, {}), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  let peak = 0;
  let procs = 0;
  const sampler = setInterval(() => {
    if (!child.pid) return;
    const tree = processTree(child.pid);
    procs = Math.max(procs, tree.length);
    peak = Math.max(peak, tree.reduce((sum, pid) => sum + rssBytes(pid), 0));
  }, 25);
  await new Promise<void>((resolve) => child.on('close', () => resolve()));
  clearInterval(sampler);
  const ms = performance.now() - t0;
  const summary = (JSON.parse(out) as { summary: Record<string, number> }).summary;
  return { ms, peakMb: peak / 1024 / 1024, peakProcs: procs, summary };
}

/** `n` proxy-mode servers in Cursor, each a distinct command line (rotating over six URLs). */
function proxyServers(ws: FakeWorkspace, home: string, n: number, host?: string): void {
  const urls = [
    ws.mcpUrl('sql'), ws.mcpUrl('functions', 'main', 'tools'), ws.mcpUrl('vector-search', 'main', 'docs', 'product_docs'),
    ws.mcpUrl('genie', DEMO_GENIE_SPACES.sales), ws.mcpUrl('external', 'github_conn'), ws.mcpUrl('functions', 'main', 'tools', 'refund_order'),
  ].map((u) => (host ? u.replace(ws.url, host) : u));
  const servers = Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`bench-${i}`, { command: process.execPath, args: [BIN, 'proxy', '--url', urls[i % urls.length]!, '--profile', 'DEFAULT', '--meta', `bench=${i}`] }]),
  );
  writeFileSync(join(home, '.cursor', 'mcp.json'), JSON.stringify({ mcpServers: servers }), { mode: 0o600 });
}

async function deadHost(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

async function scaleAndFaults(ws: FakeWorkspace, home: string): Promise<void> {
  ws.scenario.latencyMs = 0;
  const cfg = `[DEFAULT]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n`;
  writeFileSync(join(home, '.databrickscfg'), cfg, { mode: 0o600 });
  const OLD: Record<number, string> = { 4: '—', 16: '—', 48: '2.2 s, 2.1 GB, 48+ processes' };
  const rows: Array<Record<string, string>> = [];
  const times: Record<number, number> = {};
  for (const n of [4, 16, 48]) {
    proxyServers(ws, home, n);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measuredDoctor(home));
    runs.sort((a, b) => a.ms - b.ms);
    const m = runs[Math.floor(runs.length / 2)]!;
    times[n] = m.ms;
    rows.push({
      servers: String(n), 'wall (median)': `${Math.round(m.ms)} ms`, 'peak tree RSS (max)': `${Math.round(Math.max(...runs.map((r) => r.peakMb)))} MB`,
      'peak processes': String(Math.max(...runs.map((r) => r.peakProcs))), checks: JSON.stringify(m.summary), '0.1.0': OLD[n]!, goal: 'peak ≤ 400 MB',
    });
  }
  console.log(`\ndoctor with N proxy-mode servers (median of ${RUNS}; RSS summed over the process tree, sampled every 25 ms)`);
  console.table(rows);
  const growth = times[48]! / times[4]!;
  console.log(`  wall time growth 4 → 48 servers: ${growth.toFixed(1)}×   goal: ≤ 6×   ${growth <= 6 ? 'OK' : 'OVER GOAL'}`);

  const faults: Array<Record<string, string>> = [];
  const dead = await deadHost();
  writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${dead}\ntoken = ${DEMO_PAT}\n`, { mode: 0o600 });
  proxyServers(ws, home, 4, dead);
  const down = await measuredDoctor(home);
  faults.push({ situation: 'workspace down (refused), 4 proxy servers', wall: `${Math.round(down.ms)} ms`, checks: JSON.stringify(down.summary), '0.1.0': '24–27 s', goal: '≤ 5 s' });

  writeFileSync(join(home, '.databrickscfg'), cfg, { mode: 0o600 });
  proxyServers(ws, home, 4);
  ws.scenario.rateLimit = { count: 50, retryAfter: '1', paths: /^\/api\/2\.0\/mcp\// };
  const throttled = await measuredDoctor(home);
  ws.reset();
  faults.push({ situation: '429 (Retry-After: 1) on the first 50 MCP requests, 4 proxy servers', wall: `${Math.round(throttled.ms)} ms`, checks: JSON.stringify(throttled.summary), '0.1.0': '25 s', goal: '≤ 10 s' });
  console.log('\ndoctor under faults');
  console.table(faults);
}
