/**
 * Issue 20, item 10: a big minified config. `add` prints the changed region of the one long
 * line, not the line twice; --quiet prints the plan's summary and no diff. (Memory and time on a
 * 28 MB file are test/bench/big-file.ts's figures, not assertions.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

function minified(entries: number): string {
  const projects = Array.from({ length: entries }, (_, i) => `"/home/u/p-${i}":{"history":[{"display":"fix the thing number ${i}"}]}`).join(',');
  return `{"projects":{${projects}},"mcpServers":{"existing":{"command":"x"}},"tail":{${projects}}}`;
}

test('add into a 2 MB one-line config prints the changed region with how much was cut, and --quiet no diff', async (t) => {
  const { home } = await workspaceWithHome(t);
  mkdirSync(join(home, '.cursor'));
  const file = join(home, '.cursor', 'mcp.json');
  const before = minified(20_000);
  writeFileSync(file, before);
  const r = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.length < 4000, `stdout is ${r.stdout.length} bytes (the file is ${before.length})`);
  assert.match(r.stdout, /^\+…\[[\d,]+ characters cut\]….*"databricks-sql":\{.*…\[[\d,]+ characters cut\]…$/m);
  const after = readFileSync(file, 'utf8');
  assert.ok(after.startsWith(before.slice(0, before.indexOf('"mcpServers":{') + 14)) && !after.includes('\n'), 'still one line, the rest kept');

  const q = await runCli(['add', 'sql', '--name', 'sql-2', '--client', 'cursor', '--yes', '--quiet'], { home });
  assert.equal(q.code, 0, q.stderr);
  assert.match(q.stdout, /^\+ mcpServers\.sql-2 \(cursor, /m, 'the summary line stays');
  assert.doesNotMatch(q.stdout, /^(---|\+\+\+|@@)/m, `no diff with --quiet: ${q.stdout}`);
  assert.match(readFileSync(file, 'utf8'), /"sql-2":/);

  const d = await runCli(['remove', 'sql-2', '--client', 'cursor', '--dry-run', '--quiet'], { home });
  assert.equal(d.code, 0, d.stderr);
  assert.doesNotMatch(d.stdout, /^(---|\+\+\+|@@)/m, 'remove --dry-run --quiet: no diff either');
});
