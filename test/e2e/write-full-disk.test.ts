/**
 * Full disks and read-only targets (issue 19, item 7): the command fails with exit 1, a message
 * that names the path and a fix that fits the cause, the config file keeps its bytes and nothing
 * is left beside it (no 0-byte backup, no temp file, no intent record). Where the suite may mount
 * (unshare -rm), the disk is a real 4 KiB tmpfs; elsewhere the failure is injected
 * (DBX_MCP_TEST_WRITE_FAULT) at the same step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, isolatedEnv, runCli, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { workspaceWithHome } from '../helpers/workspace.js';

/** A user's Cursor file big enough that a backup of it does not fit beside it on a 4 KiB tmpfs. */
const SEED = JSON.stringify({ mcpServers: { mine: { command: 'my-server', args: ['--note', 'x'.repeat(2500)] } } }, null, 2) + '\n';

const canMount = (() => {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=4k tmpfs "$1"', 'sh', '/tmp'], { stdio: 'ignore' });
  return probe.status === 0;
})();

interface MountRun extends CliResult {
  /** What the mounted folder holds after the command, and the config's bytes. */
  listing: string[];
  after: string;
}

/**
 * Runs dbx-mcp with ~/.cursor a fresh 4 KiB tmpfs holding SEED as mcp.json (remounted read-only
 * when `readOnly`), in a mount namespace of its own; reports what the mount holds afterwards.
 */
function runOnTmpfs(home: string, args: string[], readOnly: boolean, scratch: string): Promise<MountRun> {
  const dir = join(home, '.cursor');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(scratch, 'seed'), SEED);
  const script = [
    'set -e',
    'D=$1; S=$2; shift 2',
    'mount -t tmpfs -o size=4k,mode=755 tmpfs "$D"',
    'cp "$S/seed" "$D/mcp.json"',
    'if [ "$RO" = 1 ]; then mount -o remount,ro "$D"; fi',
    'set +e',
    '"$@"; code=$?',
    'ls -A "$D" > "$S/listing"; cp "$D/mcp.json" "$S/after"',
    'exit $code',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-rm', 'sh', '-c', script, 'sh', dir, scratch, process.execPath, BIN, ...args], {
      cwd: home,
      env: isolatedEnv(home, { RO: readOnly ? '1' : '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const read = (f: string) => (existsSync(join(scratch, f)) ? readFileSync(join(scratch, f), 'utf8') : '');
      resolve({ code, stdout, stderr, listing: read('listing').split('\n').filter(Boolean), after: read('after') });
    });
  });
}

/** The same failure injected at the same step, for machines where the suite cannot mount. */
async function runInjected(home: string, args: string[], fault: string): Promise<MountRun> {
  const dir = join(home, '.cursor');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'mcp.json'), SEED);
  const r = await runCli(args, { home, env: { DBX_MCP_TEST_WRITE_FAULT: fault } });
  return { ...r, listing: readdirSync(dir), after: readFileSync(join(dir, 'mcp.json'), 'utf8') };
}

/** dbx-mcp's own folder holds no record of the failed write: no state.json, no intent, no temp file. */
function assertNoRecord(home: string): void {
  const own = join(home, '.config', 'dbx-mcp');
  assert.deepEqual(existsSync(own) ? readdirSync(own).filter((f) => f !== 'oauth-clients.json') : [], [], 'nothing recorded');
}

const ADD = ['add', 'sql', '--client', 'cursor', '--yes'];

test(`a full disk (${canMount ? 'a real 4 KiB tmpfs' : 'injected ENOSPC'}): exit 1, the path and "free some space", the config untouched, no 0-byte backup`, async (t) => {
  const { home } = await workspaceWithHome(t);
  const r = canMount ? await runOnTmpfs(home, ADD, false, tempDir(t)) : await runInjected(home, ADD, 'ENOSPC:.cursor');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Could not write .*\.cursor\/mcp\.json: no space left on the disk \(ENOSPC\); nothing was changed/);
  assert.match(r.stderr, /Free some space on the disk that holds .*\.cursor \(df -h /);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(r.after, SEED, 'the config keeps its bytes');
  assert.deepEqual(r.listing, ['mcp.json'], 'no backup, no temp file');
  assertNoRecord(home);
});

test(`a read-only mount (${canMount ? 'a real read-only tmpfs' : 'injected EROFS'}): told apart from a read-only file, the fix is not chmod`, async (t) => {
  const { home } = await workspaceWithHome(t);
  const r = canMount ? await runOnTmpfs(home, ADD, true, tempDir(t)) : await runInjected(home, ADD, 'EROFS:.cursor');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /\.cursor\/mcp\.json is on a read-only file system \(EROFS\); nothing was written/);
  assert.match(r.stderr, /mounted read-only, so chmod cannot help: remount it read-write/);
  assert.doesNotMatch(r.stderr, /chmod u\+w/);
  assert.equal(r.after, SEED);
  assert.deepEqual(r.listing, ['mcp.json']);
  assertNoRecord(home);
});

test('a full disk at state.json (injected): the config is not written, the message names state.json and the fix', async (t) => {
  const { home } = await workspaceWithHome(t);
  const r = await runInjected(home, ADD, 'ENOSPC:state.json');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Could not write .*dbx-mcp\/state\.json: no space left on the disk \(ENOSPC\); nothing was changed/);
  assert.match(r.stderr, /Free some space/);
  assert.equal(r.after, SEED);
  assert.deepEqual(r.listing, ['mcp.json'], 'the backup made before the failure is gone');
  assertNoRecord(home);
});

test('a read-only folder: refused before writing, the folder is named (real 0555 folder, and an injected EACCES)', async (t) => {
  const { home } = await workspaceWithHome(t);
  const dir = join(home, '.cursor');
  mkdirSync(dir);
  writeFileSync(join(dir, 'mcp.json'), SEED);
  chmodSync(dir, 0o555);
  t.after(() => existsSync(dir) && chmodSync(dir, 0o755));
  const r = await runCli(ADD, { home });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /\.cursor is read-only, so .*\.cursor\/mcp\.json cannot be written; nothing was written/);
  assert.match(r.stderr, /Make the folder writable \(chmod u\+w .*\.cursor\)/);
  assert.equal(readFileSync(join(dir, 'mcp.json'), 'utf8'), SEED);
  assert.deepEqual(readdirSync(dir), ['mcp.json']);
  chmodSync(dir, 0o755);

  const injected = await runInjected(home, ADD, 'EACCES:.cursor');
  assert.equal(injected.code, 1, injected.stderr);
  assert.match(injected.stderr, /Could not write .*\.cursor\/mcp\.json \(EACCES\); it was left unchanged/);
  assert.match(injected.stderr, /its folder .*\.cursor and can write to them/);
  assert.deepEqual(injected.listing, ['mcp.json']);
  assertNoRecord(home);
});
