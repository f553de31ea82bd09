/**
 * Kills inside a write transaction (issue 19, items 2 and 3): an `add` or `remove` killed
 * (SIGKILL) before each of its steps, in every file format; the next writing command finishes
 * or undoes it. Afterwards the config file and state.json agree (an entry is in both or in
 * neither), no temp file and no intent record is left, and no extra backup of a write that
 * never happened. Before the intent record, a kill between the config rename and the state
 * write left the entry unrecorded (add) or recorded though gone (remove).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { start } from '../helpers/pause.js';
import { workspaceWithHome } from '../helpers/workspace.js';

const FORMATS = [
  { client: 'cursor', format: 'JSON' },
  { client: 'vscode', format: 'JSONC' },
  { client: 'codex', format: 'TOML' },
  { client: 'goose', format: 'YAML' },
];

function recorded(home: string): string[] {
  const p = join(home, '.config', 'dbx-mcp', 'state.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { entries: { name: string }[] }).entries.map((e) => e.name) : [];
}

function hasEntry(text: string, name: string): boolean {
  return new RegExp(`["'\\[.\\s]${name}["'\\]:\\s]`).test(text);
}

function temps(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.tmp')) : [];
}

for (const { client, format } of FORMATS) {
  test(`${format} (${client}): add and remove killed at each step; the next run repairs, nothing left behind`, async (t) => {
    const { home } = await workspaceWithHome(t);
    const first = await runCli(['add', 'sql', '--name', 'base', '--client', client, '--yes', '--json'], { home });
    assert.equal(first.code, 0, first.stderr);
    const file = (JSON.parse(first.stdout) as { entries: { file: string }[] }).entries[0]!.file;
    const stateDir = join(home, '.config', 'dbx-mcp');
    const backups = () => readdirSync(dirname(file)).filter((n) => n.startsWith(`${basename(file)}.dbx-mcp-`)).length;
    let killed = 0;
    for (const verb of ['add', 'remove'] as const) {
      for (let step = 1; step <= 40; step++) {
        const name = `k-${step}`;
        if (verb === 'remove') assert.equal((await runCli(['add', 'sql', '--name', name, '--client', client, '--yes'], { home })).code, 0);
        const args = verb === 'add' ? ['add', 'sql', '--name', name, '--client', client, '--yes'] : ['remove', name, '--client', client, '--yes'];
        const nBackups = backups();
        const run = start(args, home, { DBX_MCP_TEST_PAUSE_AT_WRITE: String(step) }, /paused before write step/);
        const paused = await run.marker;
        if (paused) run.child.kill('SIGKILL');
        await run.done;
        if (!paused) break;
        killed++;
        // The next writing command repairs first.
        const next = await runCli(['add', 'sql', '--name', `after-${verb}-${step}`, '--client', client, '--yes'], { home });
        assert.equal(next.code, 0, next.stderr);
        const text = readFileSync(file, 'utf8');
        const rec = recorded(home);
        assert.equal(hasEntry(text, name), rec.includes(name), `${verb} killed at step ${step}: ${name} in the file ${hasEntry(text, name)}, recorded ${rec.includes(name)}\n${text}`);
        assert.ok(hasEntry(text, `after-${verb}-${step}`) && rec.includes(`after-${verb}-${step}`));
        assert.ok(hasEntry(text, 'base') && rec.includes('base'), 'other entries kept');
        assert.deepEqual(temps(dirname(file)), [], `${verb} killed at step ${step}: temp files beside ${file}`);
        assert.deepEqual(temps(stateDir), [], `${verb} killed at step ${step}: temp files beside state.json`);
        assert.equal(existsSync(join(stateDir, 'intent.json')), false, 'no intent record left');
        // At most the backups of the writes that happened (the killed one, if it went through, and the repair's).
        const wrote = hasEntry(text, name) !== (verb === 'remove');
        assert.ok(backups() <= Math.min(5, nBackups + 1 + (wrote ? 1 : 0)), `${verb} killed at step ${step}: extra backup`);
      }
    }
    assert.ok(killed >= 10, `killed at ${killed} steps`);
  });
}
