// Edit benchmark: the cost of planning one entry in a large config file, the shape of a
// well-used ~/.claude.json (about 1 MB of unrelated state), and of diffing it for the plan.
// The alternative printed beside it is the naive rewrite (JSON.parse + JSON.stringify), which
// is what a tool that does not keep the user's bytes would do.
import { setJsonValue } from '../../src/config/jsonc-edit.js';
import { redactedDiff, unifiedDiff } from '../../src/config/diff.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

const projects: Record<string, unknown> = {};
for (let i = 0; i < 4500; i++) {
  projects[`/home/u/src/project-${i}`] = { allowedTools: [], history: [{ display: `fix the thing number ${i} please`, pastedContents: {} }], lastCost: i * 0.01 };
}
const before = JSON.stringify({ numStartups: 42, projects, mcpServers: { existing: { command: 'x' } } }, null, 2) + '\n';
const server = { command: 'npx', args: ['-y', 'dbx-mcp@0.2.0', 'proxy', '--url', 'https://example.cloud.databricks.com/api/2.0/mcp/sql'] };

const edit: number[] = [];
const naive: number[] = [];
const diff: number[] = [];
const shown: number[] = [];
let after = before;
for (let i = 0; i < RUNS; i++) {
  edit.push(time(() => (after = setJsonValue(before, ['mcpServers', 'databricks-sql'], server))));
  naive.push(time(() => {
    const o = JSON.parse(before) as { mcpServers: Record<string, unknown> };
    o.mcpServers['databricks-sql'] = server;
    return JSON.stringify(o, null, 2);
  }));
  diff.push(time(() => unifiedDiff('.claude.json', before, after)));
  shown.push(time(() => redactedDiff('.claude.json', before, after)));
}
console.log(`file: ${(before.length / 1024).toFixed(0)} KB, ${RUNS} runs, median`);
console.table([
  ['add one entry, every other byte kept (setJsonValue)', `${median(edit).toFixed(1)} ms`],
  ['naive rewrite (JSON.parse + stringify, loses comments)', `${median(naive).toFixed(1)} ms`],
  ['unified diff of the change (for the plan)', `${median(diff).toFixed(1)} ms`],
  ['the diff as printed: every secret masked by key and value (redactedDiff)', `${median(shown).toFixed(1)} ms`],
]);
