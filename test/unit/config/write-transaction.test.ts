/**
 * The write transaction's guarantees that need a failure injected into one step (issue 19):
 * a backup that does not hold what was read is caught, a failed write leaves no backup, the
 * intent record is 0600, and a full disk or read-only mount is reported with the fix that fits.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { applyPlan, planFileEdit, type FileChange, type Plan } from '../../../src/config/file-plan.js';
import { realWriteFs, type WriteFs } from '../../../src/config/write-fs.js';
import { faultingWriteFs } from '../../../src/config/write-fault.js';
import { DbxMcpError } from '../../../src/errors.js';

const posix = process.platform !== 'win32';
const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tmpDir(): string {
  const d = fs.mkdtempSync(join(os.tmpdir(), 'dbx-mcp-txn-'));
  dirs.push(d);
  return d;
}

function plan(...changes: (FileChange | null)[]): Plan {
  return { changes: changes.filter((c): c is FileChange => c !== null), notes: [] };
}

const failWith = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

test('a backup that does not hold the bytes read is detected: nothing is written and it is not left behind', async () => {
  const dir = tmpDir();
  const path = join(dir, 'mcp.json');
  fs.writeFileSync(path, '{"mine": true}\n');
  // A disk that silently loses the end of the backup (the short 0-byte kind a full disk leaves).
  const lossy: WriteFs = { ...realWriteFs, createFile: (p, c, m) => realWriteFs.createFile(p, p.endsWith('.bak') ? String(c).slice(0, 3) : c, m) };
  await assert.rejects(applyPlan(plan(planFileEdit(path, '{"mine": true}\n', '{"mine": false}\n')), { fs: lossy }), (e: unknown) => {
    assert.ok(e instanceof DbxMcpError);
    assert.equal(e.code, 'CONFIG_WRITE');
    assert.match(e.message, /does not hold what was read from .*mcp\.json; nothing was written/);
    assert.match(e.hint ?? '', /free space/);
    return true;
  });
  assert.deepEqual(fs.readdirSync(dir), ['mcp.json'], 'no backup and no temp file are left');
  assert.equal(fs.readFileSync(path, 'utf8'), '{"mine": true}\n');
});

test('a write that fails after its backup was made leaves no backup behind (temp file, rename)', async () => {
  for (const step of ['temp', 'rename'] as const) {
    const dir = tmpDir();
    const path = join(dir, 'mcp.json');
    fs.writeFileSync(path, 'old\n');
    const wfs: WriteFs = step === 'temp'
      ? { ...realWriteFs, createFile: (p, c, m) => (p.endsWith('.tmp') ? Promise.reject(failWith('EIO')) : realWriteFs.createFile(p, c, m)) }
      : { ...realWriteFs, rename: () => Promise.reject(failWith('EIO')) };
    await assert.rejects(applyPlan(plan(planFileEdit(path, 'old\n', 'new\n')), { fs: wfs }), { code: 'CONFIG_WRITE' });
    assert.deepEqual(fs.readdirSync(dir), ['mcp.json'], `failed at ${step}: no backup left`);
    assert.equal(fs.readFileSync(path, 'utf8'), 'old\n');
  }
});

test('the intent record is 0600 while the renames run, and gone afterwards', { skip: !posix }, async () => {
  const dir = tmpDir();
  const path = join(dir, 'mcp.json');
  const intent = join(dir, 'state', 'intent.json');
  fs.writeFileSync(path, '{}\n', { mode: 0o644 });
  const seen: number[] = [];
  const rename: WriteFs['rename'] = async (from, to) => {
    if (to === path) seen.push(fs.statSync(intent).mode & 0o777);
    await fs.promises.rename(from, to);
  };
  const old = process.umask(0o000);
  try {
    await applyPlan(plan(planFileEdit(path, '{}\n', '{"a":1}\n')), { intent, fs: { ...realWriteFs, rename } });
  } finally {
    process.umask(old);
  }
  assert.deepEqual(seen, [0o600], 'even with umask 000');
  assert.equal(fs.statSync(join(dir, 'state')).mode & 0o777, 0o700, 'its folder is 0700');
  assert.equal(fs.existsSync(intent), false);
});

test('a full disk names the path, says what was put back, and suggests freeing space', async () => {
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Failing while the temp files are written (before any rename), then at the rename of the
  // second file (after the first was renamed into place).
  for (const when of ['temp', 'rename'] as const) {
    const dir = tmpDir();
    const config = join(dir, 'mcp.json');
    const state = join(dir, 'state.json');
    fs.writeFileSync(config, '{"a":1}\n');
    const intent = join(dir, 'intent.json');
    const wfs: WriteFs = when === 'temp'
      ? faultingWriteFs('ENOSPC:state.json')
      : { ...realWriteFs, rename: (a, b) => (b === state ? Promise.reject(failWith('ENOSPC')) : realWriteFs.rename(a, b)) };
    await assert.rejects(
      applyPlan(plan(planFileEdit(config, '{"a":1}\n', '{"a":2}\n'), planFileEdit(state, null, '{}\n', { backup: false })), { intent, fs: wfs }),
      (e: unknown) => {
        assert.ok(e instanceof DbxMcpError);
        assert.equal(e.code, 'CONFIG_WRITE');
        assert.equal(e.exitCode, 1);
        const back = when === 'rename' ? `; ${config} was already written and has been put back as it was` : '';
        assert.equal(e.message, `Could not write ${state}: no space left on the disk (ENOSPC); nothing was changed${back}`);
        assert.match(e.hint ?? '', new RegExp(`^Free some space on the disk that holds ${esc(dir)}`));
        return true;
      },
    );
    assert.equal(fs.readFileSync(config, 'utf8'), '{"a":1}\n', when);
    assert.deepEqual(fs.readdirSync(dir), ['mcp.json'], `${when}: no state.json, backup, temp file or intent record`);
  }
});

test('a read-only mount is told apart from a read-only file: the fix is not chmod', async () => {
  const dir = tmpDir();
  const config = join(dir, 'mcp.json');
  fs.writeFileSync(config, '{}\n');
  await assert.rejects(applyPlan(plan(planFileEdit(config, '{}\n', '{"a":1}\n')), { fs: faultingWriteFs('EROFS:mcp.json') }), (e: unknown) => {
    assert.ok(e instanceof DbxMcpError);
    assert.equal(e.code, 'CONFIG_READONLY');
    assert.match(e.message, /mcp\.json is on a read-only file system \(EROFS\); nothing was written/);
    assert.match(e.hint ?? '', /mounted read-only, so chmod cannot help: remount it read-write/);
    return true;
  });
  assert.deepEqual(fs.readdirSync(dir), ['mcp.json']);
  assert.equal(fs.readFileSync(config, 'utf8'), '{}\n');
});

test('a folder that refuses the write (EACCES) is named in the fix', async () => {
  const dir = tmpDir();
  const config = join(dir, 'mcp.json');
  await assert.rejects(applyPlan(plan(planFileEdit(config, null, '{}\n')), { fs: faultingWriteFs('EACCES:mcp.json') }), (e: unknown) => {
    assert.ok(e instanceof DbxMcpError);
    assert.match(e.message, /Could not write .*mcp\.json \(EACCES\); it was left unchanged/);
    assert.ok(e.hint?.includes(`its folder ${dir}`), e.hint);
    return true;
  });
  assert.deepEqual(fs.readdirSync(dir), []);
});
