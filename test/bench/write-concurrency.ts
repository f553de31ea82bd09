/**
 * Concurrent writers (issue 19; run after `npm run build`: node --import tsx test/bench/write-concurrency.ts):
 * 20 `dbx-mcp add sql --name w-<i> --client cursor --yes` started at once into one Cursor file,
 * end to end (process start to the last exit), and how many of the 20 are in the file and in
 * state.json afterwards. Beside it, the naive baseline: the same 20 adds one after the other
 * (no contention; what a script that serialises its writers itself pays). Loopback only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PAT, startFakeWorkspace } from '../../src/emulator/index.js';
import { BIN, isolatedEnv } from '../helpers/cli.js';

const WRITERS = Number(process.env.BENCH_WRITERS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function add(home: string, name: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'add', 'sql', '--name', name, '--client', 'cursor', '--yes'], { cwd: home, env: isolatedEnv(home), stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

interface Run {
  ms: number;
  exited0: number;
  inFile: number;
  recorded: number;
}

async function once(wsUrl: string, concurrent: boolean): Promise<Run> {
  const home = mkdtempSync(join(tmpdir(), 'dbx-mcp-bench-writers-'));
  try {
    writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${wsUrl}\ntoken = ${DEMO_PAT}\n`, { mode: 0o600 });
    const names = Array.from({ length: WRITERS }, (_, i) => `w-${i}`);
    const t0 = performance.now();
    const codes: (number | null)[] = [];
    if (concurrent) codes.push(...(await Promise.all(names.map((n) => add(home, n)))));
    else for (const n of names) codes.push(await add(home, n));
    const ms = performance.now() - t0;
    const file = JSON.parse(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> };
    const state = JSON.parse(readFileSync(join(home, '.config', 'dbx-mcp', 'state.json'), 'utf8')) as { entries: { name: string }[] };
    return {
      ms,
      exited0: codes.filter((c) => c === 0).length,
      inFile: names.filter((n) => n in file.mcpServers).length,
      recorded: names.filter((n) => state.entries.some((e) => e.name === n)).length,
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ws = await startFakeWorkspace();
try {
  const rows: Record<string, string>[] = [];
  for (const concurrent of [true, false]) {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(ws.url, concurrent));
    rows.push({
      writers: concurrent ? `${WRITERS} adds at once (locked transactions)` : `${WRITERS} adds one after the other (naive baseline)`,
      'wall time, median': `${(median(runs.map((r) => r.ms)) / 1000).toFixed(2)} s`,
      'per add': `${(median(runs.map((r) => r.ms)) / WRITERS).toFixed(0)} ms`,
      'exit 0': runs.map((r) => `${r.exited0}/${WRITERS}`).join(' '),
      'in the file': runs.map((r) => `${r.inFile}/${WRITERS}`).join(' '),
      'in state.json': runs.map((r) => `${r.recorded}/${WRITERS}`).join(' '),
    });
  }
  console.log(`${WRITERS} writers into one Cursor file, ${RUNS} runs each`);
  console.table(rows);
} finally {
  await ws.close();
}
