/**
 * Issue 20, items 5–7: files where the user did not expect dbx-mcp to look. A FIFO, socket or
 * folder at a path dbx-mcp reads is refused (exit 2, the path and the fix) without being opened,
 * a corrupt state.json is kept and reported, and onboarding-script --out never replaces a file
 * unasked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

function assertCleanError(stderr: string): void {
  assert.doesNotMatch(stderr, /Unexpected error|This is a bug|\n\s+at /, stderr);
}

test('a FIFO at a client config path is refused, not waited on (add, remove, list, doctor)', { skip: process.platform === 'win32' }, async (t) => {
  const { home } = await workspaceWithHome(t);
  mkdirSync(join(home, '.cursor'));
  const file = join(home, '.cursor', 'mcp.json');
  mkfifo(file);
  for (const args of [['add', 'sql', '--client', 'cursor', '--yes'], ['remove', 'databricks-sql', '--client', 'cursor', '--yes']]) {
    const r = await runCli(args, { home, timeoutMs: 15_000 });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assertCleanError(r.stderr);
    assert.match(r.stderr, /mcp\.json is a FIFO \(named pipe\), not a/);
    assert.match(r.stderr, /mv .*mcp\.json .*mcp\.json\.aside/);
  }
  const l = await runCli(['list', '--client', 'cursor'], { home, timeoutMs: 15_000 });
  assert.notEqual(l.code, null, 'list finished');
  assertCleanError(l.stderr);
});

test('a FIFO at ~/.databrickscfg, state.json or a manifest is refused, not waited on', { skip: process.platform === 'win32' }, async (t) => {
  const { home } = await workspaceWithHome(t);
  const cfg = join(home, 'fifo.cfg');
  mkfifo(cfg);
  let r = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home, env: { DATABRICKS_CONFIG_FILE: cfg }, timeoutMs: 15_000 });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /fifo\.cfg is a FIFO/);

  const manifest = join(home, 'team.json');
  mkfifo(manifest);
  r = await runCli(['sync', '--manifest', manifest, '--yes'], { home, timeoutMs: 15_000 });
  assert.equal(r.code, 2, r.stderr);
  assertCleanError(r.stderr);
  assert.match(r.stderr, /team\.json is a FIFO/);

  mkdirSync(join(home, '.config', 'dbx-mcp'), { recursive: true });
  mkfifo(join(home, '.config', 'dbx-mcp', 'state.json'));
  r = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home, timeoutMs: 15_000 });
  assert.equal(r.code, 2, r.stderr);
  assertCleanError(r.stderr);
  assert.match(r.stderr, /state\.json is a FIFO/);
  assert.equal(existsSync(join(home, '.cursor', 'mcp.json')), false, 'nothing was written');
});
