/**
 * The write path as a user meets it (issue 10, items 1, 5, 7, 12): a command that fails writes
 * nothing, read-only and odd files are refused before any byte is written, `remove` gives back
 * the bytes the user had, and a no-op `add` touches no file at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { workspaceWithHome } from '../helpers/workspace.js';

/** Every file and folder under `dir`: bytes, mode and mtime, keyed by relative path. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      const key = relative(dir, p);
      if (st.isSymbolicLink()) out[key] = `link→${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[key] = `dir ${(st.mode & 0o777).toString(8)}`;
        walk(p);
      } else out[key] = `${(st.mode & 0o777).toString(8)} ${st.mtimeMs} ${readFileSync(p).toString('base64')}`;
    }
  };
  walk(dir);
  return out;
}

/** Makes a folder a test made read-only removable again (its temp HOME may be gone already). */
function restoreMode(dir: string): void {
  if (existsSync(dir)) chmodSync(dir, 0o755);
}

function ageAll(dir: string): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (lstatSync(p).isDirectory()) ageAll(p);
    else utimesSync(p, 1_000_000, 1_000_000);
  }
}

/** One error line and its Fix line, never a stack trace or the "this is a bug" fallback. */
function assertCleanError(stderr: string): void {
  assert.doesNotMatch(stderr, /Unexpected error|This is a bug|\n\s+at /, stderr);
}

const CLAUDE = '{\n  "numStartups": 3,\n  // the user\'s own note\n  "theme": "dark"\n}\n';

test('a failed add writes nothing: ~/.config/dbx-mcp is a plain file (state cannot be saved)', async (t) => {
  const { home } = await workspaceWithHome(t);
  writeFileSync(join(home, '.claude.json'), CLAUDE);
  mkdirSync(join(home, '.config'));
  writeFileSync(join(home, '.config', 'dbx-mcp'), 'not a folder\n');
  const before = snapshot(home);
  const r = await runCli(['add', 'sql', '--client', 'claude-code', '--yes'], { home });
  assert.equal(r.code, 1, r.stderr);
  assertCleanError(r.stderr);
  assert.match(r.stderr, /\.config\/dbx-mcp is a file, but dbx-mcp needs it to be a folder/);
  assert.match(r.stderr, /Move .*\.config\/dbx-mcp aside/);
  assert.deepEqual(snapshot(home), before, 'every file as it was, no backup left behind');
});

test('a failed remove and a failed sync write nothing either', async (t) => {
  const { home } = await workspaceWithHome(t);
  writeFileSync(join(home, '.claude.json'), CLAUDE);
  assert.equal((await runCli(['add', 'sql', '--client', 'claude-code', '--yes'], { home })).code, 0);
  const state = join(home, '.config', 'dbx-mcp');
  // The state folder turns read-only: the registry cannot be updated, so the entry must stay.
  chmodSync(state, 0o555);
  t.after(() => restoreMode(state));
  const before = snapshot(home);
  const r = await runCli(['remove', 'databricks-sql', '--client', 'claude-code', '--yes'], { home });
  assert.equal(r.code, 1, r.stderr);
  assertCleanError(r.stderr);
  assert.match(r.stderr, /dbx-mcp is read-only/);
  assert.deepEqual(snapshot(home), before);

  const repo = join(home, 'repo');
  mkdirSync(repo);
  writeFileSync(join(repo, 'dbx-mcp.json'), JSON.stringify({ version: 1, workspace: { host: readFileSync(join(home, '.databrickscfg'), 'utf8').match(/host\s*=\s*(\S+)/)![1] }, servers: [{ type: 'functions', target: 'main.tools' }], clients: ['claude-code'] }));
  const snap = snapshot(home);
  const s = await runCli(['sync', '--yes'], { home, cwd: repo });
  assert.equal(s.code, 1, s.stderr);
  assertCleanError(s.stderr);
  assert.deepEqual(snapshot(home), snap);
  restoreMode(state);
});

test('a read-only client file is refused, even for root; so are a read-only folder, a folder and a dangling link', async (t) => {
  const { home } = await workspaceWithHome(t);
  const cursor = join(home, '.cursor', 'mcp.json');
  mkdirSync(join(home, '.cursor'));
  writeFileSync(cursor, '{ "mcpServers": {} }\n');
  chmodSync(cursor, 0o444);
  let before = snapshot(home);
  let r = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 1, r.stderr);
  assertCleanError(r.stderr);
  assert.match(r.stderr, /\.cursor\/mcp\.json is read-only/);
  assert.match(r.stderr, /chmod u\+w/);
  assert.deepEqual(snapshot(home), before);

  // The folder is read-only and the file does not exist yet.
  chmodSync(cursor, 0o644);
  const windsurfDir = join(home, '.codeium', 'windsurf');
  mkdirSync(windsurfDir, { recursive: true });
  chmodSync(windsurfDir, 0o555);
  t.after(() => restoreMode(windsurfDir));
  before = snapshot(home);
  r = await runCli(['add', 'sql', '--client', 'cursor,windsurf', '--yes'], { home });
  assert.equal(r.code, 1, r.stderr);
  assertCleanError(r.stderr);
  assert.match(r.stderr, /windsurf is read-only/);
  assert.deepEqual(snapshot(home), before, 'cursor, whose file was writable, was not written either');
  chmodSync(windsurfDir, 0o755);

  // The config path is a folder.
  mkdirSync(join(windsurfDir, 'mcp_config.json'));
  before = snapshot(home);
  r = await runCli(['add', 'sql', '--client', 'windsurf', '--yes'], { home });
  assert.notEqual(r.code, 0);
  assertCleanError(r.stderr);
  assert.match(r.stderr, /mcp_config\.json is a folder/);
  assert.deepEqual(snapshot(home), before);
});

test('a symlinked config file is written through the link; a dangling link is refused', async (t) => {
  const { home } = await workspaceWithHome(t);
  const dotfiles = join(home, 'dotfiles');
  mkdirSync(dotfiles);
  writeFileSync(join(dotfiles, 'claude.json'), CLAUDE);
  symlinkSync(join(dotfiles, 'claude.json'), join(home, '.claude.json'));
  const r = await runCli(['add', 'sql', '--client', 'claude-code', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(join(home, '.claude.json')).isSymbolicLink(), 'the link is kept');
  assert.match(readFileSync(join(dotfiles, 'claude.json'), 'utf8'), /databricks-sql/);
  assert.ok(readdirSync(dotfiles).some((f) => /^claude\.json\.dbx-mcp-\d{8}-\d{6}\.bak$/.test(f)), 'the backup sits beside the target');

  const cursor = join(home, '.cursor');
  mkdirSync(cursor);
  symlinkSync(join(dotfiles, 'missing.json'), join(cursor, 'mcp.json'));
  const before = snapshot(home);
  const d = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(d.code, 1, d.stderr);
  assertCleanError(d.stderr);
  assert.match(d.stderr, /symbolic link to a file that does not exist/);
  assert.deepEqual(snapshot(home), before);
});

test('remove gives back the bytes the user had: no servers key, no file at all', async (t) => {
  const { home } = await workspaceWithHome(t);
  writeFileSync(join(home, '.claude.json'), CLAUDE);
  const vscodeDir = join(home, '.config', 'Code', 'User');
  mkdirSync(vscodeDir, { recursive: true });
  const settingsLike = '\uFEFF{\r\n\t"inputs": [],\r\n}\r\n';
  writeFileSync(join(vscodeDir, 'mcp.json'), settingsLike);
  const add = await runCli(['add', 'sql', '--client', 'claude-code,vscode,cursor', '--yes'], { home });
  assert.equal(add.code, 0, add.stderr);
  assert.ok(existsSync(join(home, '.cursor', 'mcp.json')));
  const rm = await runCli(['remove', 'databricks-sql', '--client', 'claude-code,vscode,cursor', '--yes'], { home });
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(readFileSync(join(home, '.claude.json'), 'utf8'), CLAUDE);
  assert.equal(readFileSync(join(vscodeDir, 'mcp.json'), 'utf8'), settingsLike);
  assert.equal(existsSync(join(home, '.cursor', 'mcp.json')), false, 'the file add created is deleted again');
  assert.match(rm.stderr, /Deleted ~\/\.cursor\/mcp\.json \(dbx-mcp created it/);
});

test('a second identical add writes nothing at all (state.json included)', async (t) => {
  const { home } = await workspaceWithHome(t);
  writeFileSync(join(home, '.claude.json'), CLAUDE);
  assert.equal((await runCli(['add', 'sql', '--client', 'claude-code,cursor', '--yes'], { home })).code, 0);
  // Every file's mtime set to long ago: any rewrite, even of identical bytes, shows.
  ageAll(home);
  const before = snapshot(home);
  const r = await runCli(['add', 'sql', '--client', 'claude-code,cursor', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /No changes/);
  assert.deepEqual(snapshot(home), before);
});

test('a parse error suggests a backup only when one exists, and names it', async (t) => {
  const { home } = await workspaceWithHome(t);
  const repo = tempDir(t);
  writeFileSync(join(repo, 'dbx-mcp.json'), '{ "servers": [ }');
  const m = await runCli(['sync', '--yes'], { home, cwd: repo });
  assert.equal(m.code, 2, m.stderr);
  assert.match(m.stderr, /dbx-mcp\.json:1:/);
  assert.doesNotMatch(m.stderr, /\.bak/, 'no backup of a manifest exists');

  writeFileSync(join(home, '.claude.json'), CLAUDE);
  assert.equal((await runCli(['add', 'sql', '--client', 'claude-code', '--yes'], { home })).code, 0);
  const backup = readdirSync(home).find((f) => f.startsWith('.claude.json.dbx-mcp-'));
  assert.ok(backup);
  writeFileSync(join(home, '.claude.json'), '{ "mcpServers": ');
  const c = await runCli(['add', 'sql', '--client', 'claude-code', '--yes'], { home });
  assert.equal(c.code, 2);
  assert.ok(c.stderr.includes(backup), c.stderr);
  mkdirSync(join(home, '.cursor'));
  writeFileSync(join(home, '.cursor', 'mcp.json'), '{ oops');
  const n = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(n.code, 2);
  assert.doesNotMatch(n.stderr, /\.bak/, 'cursor has no backup');
  assert.ok(statSync(join(home, '.cursor', 'mcp.json')).isFile());
});

test('onboarding-script --out: a read-only file or a file where a folder should be is refused cleanly', async (t) => {
  const home = tempDir(t);
  const repo = tempDir(t);
  writeFileSync(join(repo, 'dbx-mcp.json'), JSON.stringify({ version: 1, workspace: { host: 'https://dbc-1234abcd-5678.cloud.databricks.com' }, servers: [{ type: 'sql' }] }));
  writeFileSync(join(repo, 'scripts'), 'a file, not a folder\n');
  const before = snapshot(repo);
  const r = await runCli(['onboarding-script', '--shell', 'bash', '--out', 'scripts/onboard.sh'], { home, cwd: repo });
  assert.equal(r.code, 1, r.stderr);
  assertCleanError(r.stderr);
  assert.match(r.stderr, /scripts is a file, but dbx-mcp needs it to be a folder/);
  assert.deepEqual(snapshot(repo), before);

  writeFileSync(join(repo, 'onboard.sh'), '#!/bin/sh\necho mine\n');
  chmodSync(join(repo, 'onboard.sh'), 0o444);
  const snap = snapshot(repo);
  // --force: past the refusal of a file dbx-mcp did not generate, down to the write itself.
  const ro = await runCli(['onboarding-script', '--shell', 'bash', '--out', 'onboard.sh', '--force'], { home, cwd: repo });
  assert.equal(ro.code, 1, ro.stderr);
  assertCleanError(ro.stderr);
  assert.match(ro.stderr, /onboard\.sh is read-only/);
  assert.deepEqual(snapshot(repo), snap);
});
