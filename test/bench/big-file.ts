// Big-file benchmark (issue 20, item 10): `add` into a minified (one-line) config of N MB, the
// shape of a well-used ~/.claude.json. Printed side by side:
// - the diff: whole lines (what 0.1 printed: the 28 MB line twice) vs elided (the changed region);
// - the edit's parse: jsonc-parser's full parseTree vs the path-only tree the edit now uses;
// - peak memory of the real `add` (built bin, emulator workspace, temporary HOME), above the
//   same command's peak on a tiny file, as a multiple of the file size (goal: under 3×); then the
//   same for `remove` of that entry.
// Each measurement runs in its own process so one peak does not hide another.
// Usage: node --import tsx test/bench/big-file.ts [MB ...]   (default: 1 7 28; BENCH_BIG_MB too)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTree } from 'jsonc-parser';
import { redactedDiff } from '../../src/config/diff.js';
import { jsonSetSplices, parsePathTree } from '../../src/config/jsonc-edit.js';
import { applySplices, SplicedText } from '../../src/config/splice.js';
import { DEMO_PAT, startFakeWorkspace } from '../../src/emulator/index.js';

const SELF = fileURLToPath(import.meta.url);
const BIN = fileURLToPath(new URL('../../bin/dbx-mcp.js', import.meta.url));
const MiB = 1024 * 1024;
const mb = (n: number) => `${(n / MiB).toFixed(1)} MB`;

/** A minified config of about `bytes`: one line, mcpServers between two halves of unrelated state. */
function minified(bytes: number): string {
  const half = (tag: string) => {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < bytes / 2; i++) {
      const p = `"/home/u/src/${tag}-${i}":{"allowedTools":[],"history":[{"display":"fix the thing number ${i} please","pastedContents":{}}],"lastCost":${i / 100}}`;
      parts.push(p);
      size += p.length + 1;
    }
    return parts.join(',');
  };
  return `{"projects":{${half('a')}},"mcpServers":{"existing":{"command":"x"}},"history":{${half('b')}}}`;
}

const ENTRY = { url: 'https://example.cloud.databricks.com/api/2.0/mcp/sql' };
const after = (text: string) => text.replace('"mcpServers":{', `"mcpServers":{"databricks-sql":${JSON.stringify(ENTRY)},`);

/** One measurement in this process: { ms, bytes?, rssMB } on stdout. */
function child(kind: string, size: number): void {
  const before = minified(size);
  const next = after(before);
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  let bytes = 0;
  if (kind === 'diff-whole') bytes = redactedDiff('.claude.json', before, next, { maxLineLength: Infinity }).length;
  else if (kind === 'diff-elided') bytes = redactedDiff('.claude.json', before, next).length;
  else if (kind === 'tree-full') parseTree(before);
  else if (kind === 'tree-path') parsePathTree(before, ['mcpServers', 'databricks-sql'], []);
  // The plan's diff of the real edit: its new text made whole (a string, read by the diff) vs
  // read in place as the old text and its splices (what `add` does now).
  else if (kind === 'plan-whole') bytes = redactedDiff('.claude.json', before, applySplices(before, jsonSetSplices(before, ['mcpServers', 'databricks-sql'], ENTRY))).length;
  else if (kind === 'plan-spliced') bytes = redactedDiff('.claude.json', before, new SplicedText(before, jsonSetSplices(before, ['mcpServers', 'databricks-sql'], ENTRY))).length;
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, bytes, overMB: (process.resourceUsage().maxRSS * 1024 - rss0) / MiB }));
}

function measure(kind: string, size: number): { ms: number; bytes: number; overMB: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', kind, String(size)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${kind}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { ms: number; bytes: number; overMB: number };
}

// Reports the bin's own peak RSS at exit (process.resourceUsage), written to stderr.
const PEAK = `data:text/javascript,process.on('exit',()=>process.stderr.write('PEAK_RSS '+process.resourceUsage().maxRSS+'\\n'))`;

interface Run { peak: number; ms: number; stdout: number; code: number | null }

/** `add` then `remove` of one entry on a minified config of `size` bytes: each one's peak RSS, time and stdout. */
async function peaks(size: number, url: string): Promise<{ add: Run; remove: Run }> {
  const home = mkdtempSync(join(tmpdir(), 'dbx-bench-'));
  try {
    writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost  = ${url}\ntoken = ${DEMO_PAT}\n`, { mode: 0o600 });
    mkdirSync(join(home, '.cursor'));
    writeFileSync(join(home, '.cursor', 'mcp.json'), minified(size));
    const env = { PATH: process.env.PATH, HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: join(home, '.config'), CI: 'true', NO_COLOR: '1' };
    const run = (args: string[]): Promise<Run> => {
      const t0 = performance.now();
      return new Promise((resolve, reject) => {
        const c = spawn(process.execPath, ['--import', PEAK, BIN, ...args], { env, cwd: home });
        let stdout = 0;
        let stderr = '';
        c.stdout.on('data', (d: Buffer) => (stdout += d.length));
        c.stderr.on('data', (d: Buffer) => (stderr += d));
        c.on('error', reject);
        c.on('close', (code) => {
          const peak = Number(/PEAK_RSS (\d+)/.exec(stderr)?.[1] ?? NaN) * 1024;
          resolve({ peak, ms: performance.now() - t0, stdout, code });
        });
      });
    };
    // remove runs on what add wrote, beside the backup add made (remove reads backups for secrets).
    const add = await run(['add', 'sql', '--client', 'cursor', '--yes']);
    const remove = await run(['remove', 'databricks-sql', '--client', 'cursor', '--yes']);
    return { add, remove };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = (process.argv.length > 2 ? process.argv.slice(2) : (process.env.BENCH_BIG_MB ?? '1 7 28').split(/\s+/)).map((s) => Math.round(Number(s) * MiB));
  const rows: Record<string, string>[] = [];
  for (const size of sizes) {
    const whole = measure('diff-whole', size);
    const elided = measure('diff-elided', size);
    const full = measure('tree-full', size);
    const path = measure('tree-path', size);
    const whole2 = measure('plan-whole', size);
    const spliced = measure('plan-spliced', size);
    rows.push(
      { file: mb(size), what: 'diff printed: whole lines (0.1) → elided (now)', before: mb(whole.bytes), now: `${elided.bytes} bytes` },
      { file: mb(size), what: 'diff time', before: `${whole.ms.toFixed(0)} ms`, now: `${elided.ms.toFixed(0)} ms` },
      { file: mb(size), what: 'edit parse: full parseTree → path tree', before: `${full.ms.toFixed(0)} ms, +${full.overMB.toFixed(0)} MB RSS`, now: `${path.ms.toFixed(0)} ms, +${path.overMB.toFixed(0)} MB RSS` },
      { file: mb(size), what: "plan's diff: new text whole → read in place (splices)", before: `${whole2.ms.toFixed(0)} ms, +${whole2.overMB.toFixed(0)} MB RSS`, now: `${spliced.ms.toFixed(0)} ms, +${spliced.overMB.toFixed(0)} MB RSS` },
    );
  }
  const ws = await startFakeWorkspace({});
  try {
    const tiny = await peaks(2048, ws.url);
    if (tiny.add.code !== 0 || tiny.remove.code !== 0) throw new Error('add or remove on a tiny file failed');
    for (const size of sizes) {
      const r = await peaks(size, ws.url);
      for (const cmd of ['add', 'remove'] as const) {
        const [run, base] = [r[cmd], tiny[cmd]];
        rows.push({
          file: mb(size),
          what: `\`${cmd}\` (built bin): exit ${run.code}, stdout, time, peak RSS above a tiny file's (${mb(base.peak)})`,
          before: '—',
          now: `${run.stdout} bytes, ${(run.ms / 1000).toFixed(1)} s, +${mb(run.peak - base.peak)} = ${((run.peak - base.peak) / size).toFixed(1)}× the file (goal < 3×)`,
        });
      }
    }
  } finally {
    await ws.close();
  }
  console.table(rows);
}

if (process.argv[2] === '--child') child(process.argv[3] as string, Number(process.argv[4]));
else await main();
