/**
 * Racing writers across processes (issue 19, item 1): 20 `add`s of different servers into one
 * file at once, and adds mixed with removes, in every file format (JSON, JSONC, TOML, YAML).
 * Every command that exits 0 must be in the final file (an add) or gone from it (a remove), and
 * recorded (or forgotten) in state.json: no lost update. Before the write lock, about a quarter
 * of the racing adds exited 0 and were missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { lockPathFor } from '../../src/config/write-lock.js';

/** One client per format dbx-mcp edits. */
const FORMATS = [
  { client: 'cursor', format: 'JSON' },
  { client: 'vscode', format: 'JSONC' },
  { client: 'codex', format: 'TOML' },
  { client: 'goose', format: 'YAML' },
];

const N = 20;

function state(home: string): { entries: { name: string; file: string }[] } {
  return JSON.parse(readFileSync(join(home, '.config', 'dbx-mcp', 'state.json'), 'utf8'));
}

function leftovers(file: string): string[] {
  return readdirSync(dirname(file)).filter((n) => n.startsWith(`.${basename(file)}.`) && n.endsWith('.tmp'));
}

/** The server names in a config file's text (every format spells the name as a key). */
function hasEntry(text: string, name: string): boolean {
  return new RegExp(`["'\\[.\\s]${name}["'\\]:\\s]`).test(text);
}

for (const { client, format } of FORMATS) {
  test(`${format} (${client}): ${N} parallel adds, then adds racing removes; every exit 0 is in the file and the registry`, async (t) => {
    const { home } = await workspaceWithHome(t);
    const add = (name: string) => runCli(['add', 'sql', '--name', name, '--client', client, '--yes', '--json'], { home, timeoutMs: 90_000 });
    const adds = await Promise.all(Array.from({ length: N }, (_, i) => add(`race-${i}`)));
    const ok = adds.filter((r) => r.code === 0);
    for (const r of adds) assert.equal(r.code, 0, `a writer that waits gets the fresh file, not a conflict: ${r.stderr}`);
    const file = (JSON.parse((ok[0] as { stdout: string }).stdout) as { entries: { file: string }[] }).entries[0]!.file;
    const text = readFileSync(file, 'utf8');
    const recorded = state(home).entries.map((e) => e.name);
    for (let i = 0; i < N; i++) {
      assert.ok(hasEntry(text, `race-${i}`), `race-${i} exited 0 but is not in ${file}:\n${text}`);
      assert.ok(recorded.includes(`race-${i}`), `race-${i} is not recorded in state.json`);
    }
    // Half of them go while as many new ones come.
    const mix = await Promise.all([
      ...Array.from({ length: N / 2 }, (_, i) => runCli(['remove', `race-${i}`, '--client', client, '--yes'], { home, timeoutMs: 90_000 })),
      ...Array.from({ length: N / 2 }, (_, i) => add(`more-${i}`)),
    ]);
    for (const r of mix) assert.equal(r.code, 0, r.stderr);
    const after = readFileSync(file, 'utf8');
    const rec = state(home).entries.map((e) => e.name);
    for (let i = 0; i < N / 2; i++) {
      assert.ok(!hasEntry(after, `race-${i}`), `race-${i} was removed (exit 0) but is back in ${file}`);
      assert.ok(!rec.includes(`race-${i}`), `race-${i} is still recorded`);
      assert.ok(hasEntry(after, `race-${N / 2 + i}`), `race-${N / 2 + i} was lost`);
      assert.ok(hasEntry(after, `more-${i}`), `more-${i} exited 0 but is not in the file`);
      assert.ok(rec.includes(`more-${i}`));
    }
    assert.deepEqual(leftovers(file), [], 'no temp file left');
  });
}

test('a lock left by a killed dbx-mcp (dead pid) is taken over; a half-written one too once old', async (t) => {
  const { home } = await workspaceWithHome(t);
  const file = join(home, '.cursor', 'mcp.json');
  // A pid that is certainly dead: a child that has exited.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  writeFileSync(lockPathFor(file), JSON.stringify({ pid: dead, host: hostname(), at: Date.now() }));
  const statePath = join(home, '.config', 'dbx-mcp', 'state.json');
  writeFileSync(lockPathFor(statePath), '');
  utimesSync(lockPathFor(statePath), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  const r = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(hasEntry(readFileSync(file, 'utf8'), 'databricks-sql'));
  assert.ok(!existsSync(lockPathFor(file)) && !existsSync(lockPathFor(statePath)), 'locks released');
});
