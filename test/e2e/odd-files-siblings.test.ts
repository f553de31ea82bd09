/**
 * Issue 20 item 5's siblings: every other place dbx-mcp reads a file by a path it did not create
 * this run — the Databricks CLI's token cache, an OIDC token file, a fleet install plan, a
 * backup `remove` inspects for secrets, a write lock, a file an interrupted write's intent record
 * names — refuses (or skips) a FIFO instead of waiting for a writer forever. Before, each of these
 * hung the command (the runs below would hit their timeout).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lockPathFor } from '../../src/config/write-lock.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { workspaceWithHome } from '../helpers/workspace.js';

const skip = process.platform === 'win32';
const NODE_ONLY_PATH = dirname(process.execPath);

function mkfifo(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  execFileSync('mkfifo', [path]);
}

function assertClean(stderr: string): void {
  assert.doesNotMatch(stderr, /Unexpected error|This is a bug|\n\s+at /, stderr);
}

test('a FIFO at the Databricks CLI token cache is refused, not waited on', { skip }, async (t) => {
  const { home, ws } = await workspaceWithHome(t, { cfg: '' });
  writeFileSync(join(home, '.databrickscfg'), `[__settings__]\nauth_storage = plaintext\n\n[dev]\nhost = ${ws.url}\nauth_type = databricks-cli\n`, { mode: 0o600 });
  mkfifo(join(home, '.databricks', 'token-cache.json'));
  const r = await runCli(['token', '--profile', 'dev'], { home, env: { PATH: NODE_ONLY_PATH }, timeoutMs: 15_000 });
  assert.equal(r.code, 2, r.stderr);
  assertClean(r.stderr);
  assert.match(r.stderr, /token-cache\.json is a FIFO \(named pipe\)/);
});

test('a FIFO as the OIDC token file (file-oidc) is refused, not waited on', { skip }, async (t) => {
  const { home, ws } = await workspaceWithHome(t, { cfg: '' });
  const fifo = join(home, 'id-token');
  mkfifo(fifo);
  const env = { DATABRICKS_HOST: ws.url, DATABRICKS_CLIENT_ID: 'ci-sp', DATABRICKS_AUTH_TYPE: 'file-oidc', DATABRICKS_OIDC_TOKEN_FILEPATH: fifo };
  const r = await runCli(['token'], { home, env, timeoutMs: 15_000 });
  assert.notEqual(r.code, 0, r.stderr);
  assertClean(r.stderr);
  assert.match(r.stderr, /id-token is a FIFO \(named pipe\)/);
});

test('a FIFO as a fleet install plan is refused, not waited on', { skip }, async (t) => {
  const home = tempDir(t);
  const dir = join(home, 'dbx-mcp-fleet', 'linux');
  mkfifo(join(dir, 'fleet-plan.json'));
  const r = await runCli(['fleet', 'install', dir, '--root', join(home, 'root')], { home, timeoutMs: 15_000 });
  assert.equal(r.code, 2, r.stderr);
  assertClean(r.stderr);
  assert.match(r.stderr, /fleet-plan\.json is a FIFO \(named pipe\)/);
});

test('a FIFO named like a backup does not hang remove (it is not a backup)', { skip }, async (t) => {
  const { home } = await workspaceWithHome(t);
  mkdirSync(join(home, '.cursor'));
  writeFileSync(join(home, '.cursor', 'mcp.json'), '{ "mcpServers": { "mine": { "command": "x" } } }\n');
  assert.equal((await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home })).code, 0);
  mkfifo(join(home, '.cursor', 'mcp.json.dbx-mcp-20260101-000000.bak'));
  const r = await runCli(['remove', 'databricks-sql', '--client', 'cursor', '--yes'], { home, timeoutMs: 15_000 });
  assert.equal(r.code, 0, r.stderr);
  assertClean(r.stderr);
});

test('a FIFO at a write lock is refused with the lock path, not waited on', { skip }, async (t) => {
  const { home } = await workspaceWithHome(t);
  const tmp = tempDir(t);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  let lock: string;
  try {
    lock = lockPathFor(join(home, '.cursor', 'mcp.json'));
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  mkfifo(lock);
  const r = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home, env: { TMPDIR: tmp }, timeoutMs: 15_000 });
  assert.equal(r.code, 2, r.stderr);
  assertClean(r.stderr);
  assert.ok(r.stderr.includes(lock), r.stderr);
  assert.match(r.stderr, /is a FIFO \(named pipe\)/);
});

test('a FIFO at a file an interrupted write recorded is left alone, not waited on', { skip }, async (t) => {
  const { home } = await workspaceWithHome(t);
  const fifo = join(home, 'elsewhere', 'mcp.json');
  mkfifo(fifo);
  const intent = { version: 1, pid: 999_999_999, files: [{ path: fifo, temp: null, backup: null, before: null, after: 'f'.repeat(64) }] };
  mkdirSync(join(home, '.config', 'dbx-mcp'), { recursive: true });
  writeFileSync(join(home, '.config', 'dbx-mcp', 'intent.json'), JSON.stringify(intent), { mode: 0o600 });
  const l = await runCli(['list', '--json'], { home, timeoutMs: 15_000 });
  assert.equal(l.code, 0, l.stderr);
  const a = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home, timeoutMs: 15_000 });
  assert.equal(a.code, 0, a.stderr);
  assertClean(a.stderr);
});
