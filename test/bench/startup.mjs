// Startup benchmark: `dbx-mcp --version` wall time side by side with `node -e 0`.
// Goal (issue 2): ≤ 1.3× node's own startup (commands are loaded lazily).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/dbx-mcp.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 40);

function time(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function runStartupBench() {
  const node = [];
  const version = [];
  const help = [];
  for (let i = 0; i < 3; i++) {
    time(['-e', '0']);
    time([BIN, '--version']);
  }
  for (let i = 0; i < RUNS; i++) {
    node.push(time(['-e', '0']));
    version.push(time([BIN, '--version']));
    help.push(time([BIN, '--help']));
  }
  const n = median(node);
  const v = median(version);
  const h = median(help);
  return [
    ['node -e 0', `${n.toFixed(1)} ms`, '1.00×', ''],
    ['dbx-mcp --version', `${v.toFixed(1)} ms`, `${(v / n).toFixed(2)}×`, `goal ≤ 1.30× ${v / n <= 1.3 ? '✔' : '✖'}`],
    ['dbx-mcp --help', `${h.toFixed(1)} ms`, `${(h / n).toFixed(2)}×`, '(no goal)'],
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(runStartupBench());
}
