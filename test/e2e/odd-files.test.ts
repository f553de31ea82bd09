/**
 * Issue 20, items 5–7: files where the user did not expect dbx-mcp to look. A FIFO, socket or
 * folder at a path dbx-mcp reads is refused (exit 2, the path and the fix) without being opened,
 * a corrupt state.json is kept and reported, and onboarding-script --out never replaces a file
 * unasked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp.js';

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

function repoWithManifest(t: Parameters<typeof tempDir>[0]): string {
  const repo = tempDir(t);
  writeFileSync(join(repo, 'dbx-mcp.json'), JSON.stringify({ version: 1, workspace: { host: 'https://dbc-1234abcd-5678.cloud.databricks.com' }, servers: [{ type: 'sql' }] }));
  return repo;
}

test('onboarding-script --out never replaces an unrelated file unasked; --force keeps a backup', async (t) => {
  const home = tempDir(t);
  const repo = repoWithManifest(t);
  const mine = join(repo, 'setup.sh');
  writeFileSync(mine, 'echo my own setup\n', { mode: 0o644 });
  for (const extra of [[], ['--dry-run'], ['--yes']]) {
    const r = await runCli(['onboarding-script', '--shell', 'bash', '--out', 'setup.sh', ...extra], { home, cwd: repo });
    assert.equal(r.code, 2, r.stderr);
    assertCleanError(r.stderr);
    assert.match(r.stderr, /setup\.sh already exists and is not an onboarding script dbx-mcp generated; nothing was written/);
    assert.match(r.stderr, /--force/);
    assert.equal(readFileSync(mine, 'utf8'), 'echo my own setup\n');
    assert.equal(statSync(mine).mode & 0o777, 0o644, 'not made executable');
  }
  // A script it generated is its own: regenerating over it needs no flag (the script's header says so).
  const ours = await runCli(['onboarding-script', '--shell', 'bash', '--out', 'onboard.sh'], { home, cwd: repo });
  assert.equal(ours.code, 0, ours.stderr);
  writeFileSync(join(repo, 'onboard.sh'), readFileSync(join(repo, 'onboard.sh'), 'utf8').replace('Safe to run again', 'Safe to run twice'));
  const again = await runCli(['onboarding-script', '--shell', 'bash', '--out', 'onboard.sh'], { home, cwd: repo });
  assert.equal(again.code, 0, again.stderr);
  assert.match(readFileSync(join(repo, 'onboard.sh'), 'utf8'), /Safe to run again/);

  const forced = await runCli(['onboarding-script', '--shell', 'bash', '--out', 'setup.sh', '--force'], { home, cwd: repo });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(mine, 'utf8'), /generated by dbx-mcp/);
  const backups = readdirSync(repo).filter((f) => /^setup\.sh\.dbx-mcp-.*\.bak$/.test(f));
  assert.equal(backups.length, 1, readdirSync(repo).join(' '));
  assert.equal(readFileSync(join(repo, backups[0] as string), 'utf8'), 'echo my own setup\n');
  assert.match(forced.stderr, /previous content is in \S+setup\.sh\.dbx-mcp-/);
});

test('onboarding-script --out refuses a symlink and names a folder as a folder; --manifest a folder too', { skip: process.platform === 'win32' }, async (t) => {
  const home = tempDir(t);
  const repo = repoWithManifest(t);
  const elsewhere = join(tempDir(t), 'notes.txt');
  writeFileSync(elsewhere, 'unrelated\n');
  symlinkSync(elsewhere, join(repo, 'onboard.sh'));
  for (const force of [[], ['--force']]) {
    const r = await runCli(['onboarding-script', '--shell', 'bash', '--out', 'onboard.sh', ...force], { home, cwd: repo });
    assert.equal(r.code, 2, r.stderr);
    assertCleanError(r.stderr);
    assert.match(r.stderr, /onboard\.sh is a symbolic link \(to \S+notes\.txt\); dbx-mcp does not write through it/);
    assert.equal(readFileSync(elsewhere, 'utf8'), 'unrelated\n');
    assert.ok(lstatSync(join(repo, 'onboard.sh')).isSymbolicLink());
  }

  mkdirSync(join(repo, 'scripts'));
  const dir = await runCli(['onboarding-script', '--shell', 'bash', '--out', 'scripts'], { home, cwd: repo });
  assert.equal(dir.code, 2, dir.stderr);
  assertCleanError(dir.stderr);
  assert.match(dir.stderr, /--out \S+scripts is a folder; --out takes the path of the script file to write/);
  assert.match(dir.stderr, /--out \S+scripts\/onboard\.sh/);

  const m = await runCli(['onboarding-script', '--shell', 'bash', '--manifest', 'scripts'], { home, cwd: repo });
  assert.equal(m.code, 2, m.stderr);
  assertCleanError(m.stderr);
  assert.match(m.stderr, /scripts is a folder, not a manifest file/);
});

test('a corrupt state.json is reported once, kept as state.json.corrupt-<time>, and dbx-mcp still knows its entries by their shape', async (t) => {
  const { home } = await workspaceWithHome(t);
  const file = join(home, '.cursor', 'mcp.json');
  for (const args of [['add', 'sql', '--client', 'cursor', '--yes'], ['add', 'sql', '--client', 'cursor', '--auth', 'mcp-remote', '--name', 'sql-remote', '--yes']]) {
    const r = await runCli(args, { home });
    assert.equal(r.code, 0, r.stderr);
  }
  // The user's own entry beside ours: a stdio server that is not dbx-mcp stays theirs.
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: Record<string, unknown> };
  doc.mcpServers.mine = { command: 'npx', args: ['-y', 'other-mcp', 'proxy', '--url', 'https://example.com/mcp'] };
  writeFileSync(file, JSON.stringify(doc, null, 2));
  const stateDir = join(home, '.config', 'dbx-mcp');
  const state = join(stateDir, 'state.json');
  writeFileSync(state, '{oops');

  const l = await runCli(['list', '--json', '--client', 'cursor'], { home });
  assert.equal(l.code, 0, l.stderr);
  assertCleanError(l.stderr);
  assert.equal(l.stderr.match(/state\.json \(dbx-mcp's record of the entries it wrote\) is corrupt/g)?.length, 1, l.stderr);
  const owned = Object.fromEntries((JSON.parse(l.stdout) as { servers: { name: string; owned: boolean }[] }).servers.map((s) => [s.name, s.owned]));
  assert.deepEqual(owned, { 'databricks-sql': true, 'sql-remote': true, mine: false }, l.stdout);
  assert.equal(readFileSync(state, 'utf8'), '{oops', 'a read-only command changes nothing');

  const d = await runCli(['doctor', '--json', '--only', 'client.cursor.config'], { home });
  assertCleanError(d.stderr);
  assert.match(d.stderr, /is corrupt/);
  JSON.parse(d.stdout);

  const mine = await runCli(['remove', 'mine', '--client', 'cursor', '--yes'], { home });
  assert.match(mine.stdout + mine.stderr, /that dbx-mcp did not write exists/);

  const r = await runCli(['remove', 'databricks-sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  assertCleanError(r.stderr);
  assert.deepEqual(Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: object }).mcpServers), ['sql-remote', 'mine']);
  const kept = readdirSync(stateDir).filter((f) => /^state\.json\.corrupt-\d{8}-\d{6}$/.test(f));
  assert.equal(kept.length, 1, readdirSync(stateDir).join(' '));
  assert.equal(readFileSync(join(stateDir, kept[0] as string), 'utf8'), '{oops');
  assert.match(r.stderr, new RegExp(`Kept the corrupt \\S+state\\.json as \\S+${kept[0]}`));
  const fresh = JSON.parse(readFileSync(state, 'utf8')) as { recoveredFrom?: string };
  assert.equal(fresh.recoveredFrom, kept[0]);

  // The registry is whole again: no warning, and the entry written before the corruption is still ours.
  const r2 = await runCli(['remove', 'sql-remote', '--client', 'cursor', '--yes'], { home });
  assert.equal(r2.code, 0, r2.stderr);
  assert.doesNotMatch(r2.stderr, /corrupt/);
  assert.deepEqual(Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: object }).mcpServers), ['mine']);
});

test('fleet --out a folder whose README.md is the user\'s (e.g. the repository) refuses unless --force, which keeps a backup', async (t) => {
  const home = tempDir(t);
  const repo = repoWithManifest(t);
  writeFileSync(join(repo, 'README.md'), '# My project\n');
  for (const extra of [[], ['--dry-run']]) {
    const r = await runCli(['fleet', '--out', '.', '--os', 'linux', ...extra], { home, cwd: repo });
    assert.equal(r.code, 2, r.stderr);
    assertCleanError(r.stderr);
    assert.match(r.stderr, /holds a README\.md that dbx-mcp fleet did not generate; .*nothing was written/);
    assert.equal(readFileSync(join(repo, 'README.md'), 'utf8'), '# My project\n');
    assert.equal(existsSync(join(repo, 'linux')), false);
  }
  const f = await runCli(['fleet', '--out', '.', '--os', 'linux', '--force'], { home, cwd: repo });
  assert.equal(f.code, 0, f.stderr);
  assert.match(readFileSync(join(repo, 'README.md'), 'utf8'), /Generated by `dbx-mcp fleet`/);
  const backups = readdirSync(repo).filter((x) => /^README\.md\.dbx-mcp-.*\.bak$/.test(x));
  assert.equal(backups.length, 1, readdirSync(repo).join(' '));
  assert.equal(readFileSync(join(repo, backups[0] as string), 'utf8'), '# My project\n');
  // Its own folder again: regenerating needs no flag.
  const again = await runCli(['fleet', '--out', '.', '--os', 'linux', '--mode', 'catalog'], { home, cwd: repo });
  assert.equal(again.code, 0, again.stderr);
});

test('a FIFO at intent.json (beside state.json) is refused, not waited on', { skip: process.platform === 'win32' }, async (t) => {
  const { home } = await workspaceWithHome(t);
  mkdirSync(join(home, '.config', 'dbx-mcp'), { recursive: true });
  mkfifo(join(home, '.config', 'dbx-mcp', 'intent.json'));
  const r = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home, timeoutMs: 15_000 });
  assert.equal(r.code, 2, r.stderr);
  assertCleanError(r.stderr);
  assert.match(r.stderr, /intent\.json is a FIFO/);
  assert.equal(existsSync(join(home, '.cursor', 'mcp.json')), false, 'nothing was written');
});
