/**
 * Benchmark: doctor's wall time with 4 servers configured and 300 ms added to every response
 * of the fake workspace, side by side with that 300 ms. Checks run concurrently, so the cost
 * follows the depth of the dependency graph, not the number of servers. Goal: ≤ 8×.
 * Run after `npm run build`: node --import tsx test/bench/doctor.ts
 * Loopback only; bounded (each run has a 60 s cap).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES, DEMO_PAT, startFakeWorkspace } from '../../src/emulator/index.js';
import { BIN, runCli } from '../helpers/cli.js';

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
} finally {
  await ws.close();
  rmSync(home, { recursive: true, force: true });
}
