import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { applyPlan, planFileEdit, readFileText } from '../../../src/config/file-plan.js';
import { realWriteFs, renameWithRetry } from '../../../src/config/write-fs.js';
import { renderPlan } from '../../../src/ui/plan.js';
import type { FileChange, Plan } from '../../../src/config/file-plan.js';
import { setJsonValue } from '../../../src/config/jsonc-edit.js';
import { DbxMcpError } from '../../../src/errors.js';
import { registerSecret } from '../../../src/secrets.js';

const posix = process.platform !== 'win32';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tmpDir(): string {
  const d = fs.mkdtempSync(join(os.tmpdir(), 'dbx-mcp-config-'));
  dirs.push(d);
  return d;
}

function mode(path: string): number {
  return fs.statSync(path).mode & 0o777;
}

function plan(...changes: (FileChange | null)[]): Plan {
  return { changes: changes.filter((c): c is FileChange => c !== null), notes: [] };
}

function leftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
}

const entry = { type: 'http', url: 'https://h/api/2.0/mcp/genie/x', headers: { Authorization: 'Bearer dapi0123456789abcdef0123' } };

test('planFileEdit returns null for identical text and a change otherwise', () => {
  assert.equal(planFileEdit('/x', 'a', 'a'), null);
  assert.deepEqual(planFileEdit('/x', null, '{}\n', { holdsSecret: true, summary: ['+ x'] }), {
    path: '/x', before: null, after: '{}\n', holdsSecret: true, summary: ['+ x'],
  });
});

test('renderPlan shows summaries, notes and the diff, with secrets redacted', () => {
  // Registered for the rest of this file's process; no other test here uses the value.
  registerSecret('s3cr3t-client-value');
  const before = '{\n  "mcpServers": {}\n}\n';
  const after = setJsonValue(before, ['mcpServers', 'db'], { ...entry, env: { X: 's3cr3t-client-value' } });
  const p: Plan = {
    changes: [planFileEdit('/home/u/.cursor/mcp.json', before, after, { holdsSecret: true, summary: ['+ mcpServers.db (cursor)'] })!],
    notes: ['Restart Cursor to load the server.'],
  };
  const text = renderPlan(p, { color: false });
  assert.ok(text.startsWith('+ mcpServers.db (cursor)\n\n--- a/home/u/.cursor/mcp.json\n+++ b/home/u/.cursor/mcp.json\n@@ -1,3 +1,14 @@\n'), text);
  assert.ok(text.endsWith(' }\n\nRestart Cursor to load the server.\n'), text);
  assert.ok(text.includes('"Authorization": "Bearer ***"'), text);
  assert.ok(!text.includes('dapi0123456789abcdef0123'));
  assert.ok(!text.includes('s3cr3t-client-value'));
  const colored = renderPlan(p, { color: true });
  assert.ok(colored.includes('\x1b[32m'));
  assert.ok(!colored.includes('s3cr3t-client-value'));
  assert.equal(renderPlan({ changes: [], notes: [] }, { color: false }), '');
});

test('a new file holding a secret is 0600 in a new 0700 folder; without a secret 0644', async () => {
  const dir = tmpDir();
  const secretPath = join(dir, 'a', 'b', 'mcp.json');
  const plainPath = join(dir, 'plain', 'settings.json');
  const after = setJsonValue('', ['mcpServers', 'db'], entry);
  const old = process.umask(0o002); // a lax umask must not make the secret readable
  try {
    const res = await applyPlan(plan(
      planFileEdit(secretPath, null, after, { holdsSecret: true }),
      planFileEdit(plainPath, null, '{}\n'),
    ));
    assert.deepEqual(res, [{ path: secretPath, created: true }, { path: plainPath, created: true }]);
  } finally {
    process.umask(old);
  }
  assert.equal(fs.readFileSync(secretPath, 'utf8'), after);
  if (posix) {
    assert.equal(mode(secretPath), 0o600);
    assert.equal(mode(join(dir, 'a')), 0o700);
    assert.equal(mode(join(dir, 'a', 'b')), 0o700);
    assert.equal(mode(plainPath), 0o644);
    assert.equal(mode(join(dir, 'plain')), 0o755);
  }
  assert.deepEqual(fs.readdirSync(join(dir, 'a', 'b')), ['mcp.json'], 'no backup of a file that did not exist, no temp file');
});

test('an existing file keeps its mode, gets a backup, and a second apply is a no-op', async () => {
  const dir = tmpDir();
  const path = join(dir, 'settings.json');
  const before = '{\n  // mine\n  "a": 1\n}\n';
  fs.writeFileSync(path, before);
  fs.chmodSync(path, 0o640);
  const after = setJsonValue(before, ['mcpServers', 'db'], { url: 'u' });
  const t = Date.UTC(2025, 0, 2, 3, 4, 5);
  const [res] = await applyPlan(plan(planFileEdit(path, before, after)), { now: () => t });
  assert.equal(res?.created, false);
  assert.equal(res?.backup, `${path}.dbx-mcp-20250102-030405.bak`);
  assert.equal(res?.modeTightened, undefined);
  assert.equal(fs.readFileSync(path, 'utf8'), after);
  assert.equal(fs.readFileSync(res!.backup!, 'utf8'), before);
  if (posix) {
    assert.equal(mode(path), 0o640);
    assert.equal(mode(res!.backup!), 0o640);
  }
  assert.equal(planFileEdit(path, fs.readFileSync(path, 'utf8'), after), null, 'idempotent');
  assert.deepEqual(leftovers(dir), []);
});

test('an existing group/world-readable file that will hold a secret is tightened to 0600', { skip: !posix }, async () => {
  const dir = tmpDir();
  const path = join(dir, '.claude.json');
  fs.writeFileSync(path, '{}\n');
  fs.chmodSync(path, 0o644);
  const after = setJsonValue('{}\n', ['mcpServers', 'db'], entry);
  const [res] = await applyPlan(plan(planFileEdit(path, '{}\n', after, { holdsSecret: true })));
  assert.equal(res?.modeTightened, true);
  assert.equal(mode(path), 0o600);
  assert.equal(mode(res!.backup!), 0o600);
});

test('backups are pruned to the newest maxBackups, including same-second ones', async () => {
  const dir = tmpDir();
  const path = join(dir, 'mcp.json');
  fs.writeFileSync(path, 'v0\n');
  fs.writeFileSync(join(dir, 'mcp.json.bak'), 'not ours'); // a user's own backup is left alone
  let clock = Date.UTC(2025, 5, 1, 12, 0, 0);
  const backups: string[] = [];
  for (let i = 1; i <= 7; i++) {
    const [res] = await applyPlan(plan(planFileEdit(path, `v${i - 1}\n`, `v${i}\n`)), { now: () => clock, maxBackups: 3 });
    backups.push(res!.backup!);
    if (i !== 4) clock += 1000; // writes 4 and 5 land in the same second (12:00:03)
  }
  assert.equal(backups[3], `${path}.dbx-mcp-20250601-120003.bak`);
  assert.equal(backups[4], `${path}.dbx-mcp-20250601-120003-1.bak`);
  const kept = fs.readdirSync(dir).filter((f) => f.includes('.dbx-mcp-')).sort();
  assert.deepEqual(kept, ['mcp.json.dbx-mcp-20250601-120003-1.bak', 'mcp.json.dbx-mcp-20250601-120004.bak', 'mcp.json.dbx-mcp-20250601-120005.bak']);
  assert.equal(fs.readFileSync(join(dir, kept[2]!), 'utf8'), 'v6\n');
  assert.ok(fs.existsSync(join(dir, 'mcp.json.bak')));
  assert.equal(fs.readFileSync(path, 'utf8'), 'v7\n');
  assert.deepEqual(leftovers(dir), []);
});

test('maxBackups 0 writes no backup', async () => {
  const dir = tmpDir();
  const path = join(dir, 'mcp.json');
  fs.writeFileSync(path, 'a\n');
  const [res] = await applyPlan(plan(planFileEdit(path, 'a\n', 'b\n')), { maxBackups: 0 });
  assert.equal(res?.backup, undefined);
  assert.deepEqual(fs.readdirSync(dir), ['mcp.json']);
});

test('a file edited after planning is refused with CONFIG_CHANGED and nothing is written', async () => {
  const dir = tmpDir();
  const first = join(dir, 'first.json');
  const second = join(dir, 'second.json');
  fs.writeFileSync(first, '{}\n');
  fs.writeFileSync(second, '{"a": 1}\n');
  const p = plan(planFileEdit(first, '{}\n', '{"x": 1}\n'), planFileEdit(second, '{"a": 1}\n', '{"a": 2}\n'));
  fs.writeFileSync(second, '{"a": 1, "someone": "else"}\n');
  await assert.rejects(applyPlan(p), (e: unknown) => {
    assert.ok(e instanceof DbxMcpError);
    assert.equal(e.code, 'CONFIG_CHANGED');
    assert.equal(e.exitCode, 1);
    assert.ok(e.message.includes(second));
    assert.match(e.hint ?? '', /run the command again/);
    return true;
  });
  assert.equal(fs.readFileSync(first, 'utf8'), '{}\n', 'checked up front: the earlier file is not written either');
  assert.equal(fs.readFileSync(second, 'utf8'), '{"a": 1, "someone": "else"}\n');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['first.json', 'second.json']);

  const appeared = join(dir, 'new.json');
  const p2 = plan(planFileEdit(appeared, null, '{}\n'));
  fs.writeFileSync(appeared, '{"made": "by the app"}\n');
  await assert.rejects(applyPlan(p2), { code: 'CONFIG_CHANGED' });
  assert.equal(fs.readFileSync(appeared, 'utf8'), '{"made": "by the app"}\n');
});

test('BOM and CRLF bytes survive the round trip through apply', async () => {
  const dir = tmpDir();
  const path = join(dir, 'mcp.json');
  const before = '\uFEFF{\r\n  "a": 1\r\n}\r\n';
  fs.writeFileSync(path, before);
  const after = setJsonValue(before, ['b'], 2);
  const read = await readFileText(path);
  assert.equal(read, before, 'readFileText keeps the BOM');
  await applyPlan(plan(planFileEdit(path, read, after)));
  assert.equal(await readFileText(join(dir, 'missing.json')), null);
  const bytes = fs.readFileSync(path);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(bytes.toString('utf8'), after);
});

test('a symlinked config file is written through the link', { skip: !posix }, async () => {
  const dir = tmpDir();
  const real = join(dir, 'dotfiles-mcp.json');
  const link = join(dir, 'mcp.json');
  fs.writeFileSync(real, '{}\n');
  fs.symlinkSync(real, link);
  await applyPlan(plan(planFileEdit(link, '{}\n', '{"a": 1}\n')));
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readFileSync(real, 'utf8'), '{"a": 1}\n');
});

test('a failed write removes its temp file and reports CONFIG_WRITE', async () => {
  const dir = tmpDir();
  // The parent "directory" is a file, so creating the folder fails before any temp file exists,
  // and the error still names the config file.
  fs.writeFileSync(join(dir, 'blocker'), '');
  const path = join(dir, 'blocker', 'mcp.json');
  await assert.rejects(applyPlan(plan(planFileEdit(path, null, '{}\n'))), (e: unknown) => {
    assert.ok(e instanceof DbxMcpError);
    assert.ok(['CONFIG_WRITE'].includes(e.code), e.code);
    assert.ok(e.message.includes(path));
    return true;
  });
  assert.deepEqual(fs.readdirSync(dir), ['blocker']);
});

test('a failed rename removes the temp file and the backup it made; the original stays intact', async () => {
  const dir = tmpDir();
  const path = join(dir, 'mcp.json');
  fs.writeFileSync(path, 'old\n');
  const rename = async () => {
    assert.equal(leftovers(dir).length, 1, 'the temp file exists while renaming');
    throw Object.assign(new Error('disk on fire'), { code: 'EIO' });
  };
  await assert.rejects(applyPlan(plan(planFileEdit(path, 'old\n', 'new\n')), { rename }), { code: 'CONFIG_WRITE' });
  assert.deepEqual(leftovers(dir), []);
  assert.deepEqual(fs.readdirSync(dir), ['mcp.json']);
  assert.equal(fs.readFileSync(path, 'utf8'), 'old\n');
});

test('renameWithRetry retries EBUSY/EPERM a bounded number of times', async () => {
  let calls = 0;
  const busyTwice = async () => {
    calls++;
    if (calls <= 2) throw Object.assign(new Error('busy'), { code: 'EBUSY' });
  };
  await renameWithRetry('a', 'b', busyTwice);
  assert.equal(calls, 3);

  calls = 0;
  const missing = async () => {
    calls++;
    throw Object.assign(new Error('gone'), { code: 'ENOENT' });
  };
  await assert.rejects(renameWithRetry('a', 'b', missing), { code: 'ENOENT' });
  assert.equal(calls, 1, 'other errors are not retried');

  calls = 0;
  const alwaysLocked = async () => {
    calls++;
    throw Object.assign(new Error('locked'), { code: 'EPERM' });
  };
  await assert.rejects(renameWithRetry('a', 'b', alwaysLocked), { code: 'EPERM' });
  assert.equal(calls, 7);
});

test('a failure on the second file undoes the first: bytes, mode, backup and created folders', async () => {
  const dir = tmpDir();
  const first = join(dir, 'first.json');
  fs.writeFileSync(first, '{"a":1}\n', { mode: 0o640 });
  fs.chmodSync(first, 0o640);
  const second = join(dir, 'new', 'deeper', 'second.json');
  let renames = 0;
  const rename = async (from: string, to: string) => {
    if (++renames === 2) throw Object.assign(new Error('disk on fire'), { code: 'EIO' });
    await fs.promises.rename(from, to);
  };
  await assert.rejects(
    applyPlan(plan(planFileEdit(first, '{"a":1}\n', '{"a":2}\n'), planFileEdit(second, null, '{}\n')), { rename }),
    (e: unknown) => e instanceof DbxMcpError && e.code === 'CONFIG_WRITE' && e.message.includes(second),
  );
  assert.deepEqual(fs.readdirSync(dir), ['first.json'], 'no backup, temp file or created folder is left');
  assert.equal(fs.readFileSync(first, 'utf8'), '{"a":1}\n');
  if (posix) assert.equal(mode(first), 0o640);
});

test('read-only files and folders are refused before anything is written, even for root', { skip: !posix }, async () => {
  const dir = tmpDir();
  const ok = join(dir, 'ok.json');
  const ro = join(dir, 'ro.json');
  fs.writeFileSync(ok, '{}\n');
  fs.writeFileSync(ro, '{}\n');
  fs.chmodSync(ro, 0o444);
  await assert.rejects(applyPlan(plan(planFileEdit(ok, '{}\n', '{"a":1}\n'), planFileEdit(ro, '{}\n', '{"b":1}\n'))), (e: unknown) => e instanceof DbxMcpError && e.code === 'CONFIG_READONLY' && e.message === `${ro} is read-only; nothing was written`);
  assert.equal(fs.readFileSync(ok, 'utf8'), '{}\n', 'the writable file was not written either');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['ok.json', 'ro.json']);

  const roDir = join(dir, 'locked');
  fs.mkdirSync(roDir, { mode: 0o555 });
  fs.chmodSync(roDir, 0o555);
  try {
    await assert.rejects(applyPlan(plan(planFileEdit(join(roDir, 'x.json'), null, '{}\n'))), { code: 'CONFIG_READONLY' });
  } finally {
    fs.chmodSync(roDir, 0o755);
  }
  assert.deepEqual(fs.readdirSync(roDir), []);
});

test('a same-size edit made between the checks and the rename is still refused (the check compares hashes, not sizes)', async () => {
  const dir = tmpDir();
  const path = join(dir, 'mcp.json');
  fs.writeFileSync(path, '{"a": 1}\n');
  const st = fs.statSync(path);
  const p = plan(planFileEdit(path, '{"a": 1}\n', '{"a": 2}\n'));
  // The app saves one byte differently (same size, same mtime) while the temp file is being written.
  const wfs = { ...realWriteFs, createFile: async (f: string, c: string | Buffer, m: number) => {
    await realWriteFs.createFile(f, c, m);
    if (!f.endsWith('.bak')) {
      fs.writeFileSync(path, '{"a": 3}\n');
      fs.utimesSync(path, st.atime, st.mtime);
    }
  } };
  await assert.rejects(applyPlan(p, { fs: wfs, maxBackups: 0 }), { code: 'CONFIG_CHANGED' });
  assert.equal(fs.readFileSync(path, 'utf8'), '{"a": 3}\n');
  assert.deepEqual(fs.readdirSync(dir), ['mcp.json']);
});

test('a file whose bytes are not valid UTF-8 is still written, and its backup holds its exact bytes', async () => {
  const dir = tmpDir();
  const path = join(dir, 'mcp.json');
  const bytes = Buffer.concat([Buffer.from('{"a": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
  fs.writeFileSync(path, bytes);
  const before = await readFileText(path);
  const [res] = await applyPlan(plan(planFileEdit(path, before, '{"a": 2}\n')));
  assert.equal(fs.readFileSync(path, 'utf8'), '{"a": 2}\n');
  assert.ok(fs.readFileSync(res!.backup!).equals(bytes));
});

test('a big text is written exactly, a chunk at a time, with no character split at a chunk boundary', async () => {
  const dir = tmpDir();
  const path = join(dir, 'mcp.json');
  fs.writeFileSync(path, '{}\n');
  // Surrogate pairs (emoji) and 2-byte characters straddle the 1 Mi-character chunk boundaries.
  const text = `{"x": "${'é😀'.repeat(700_000)}"}\n`;
  await applyPlan(plan(planFileEdit(path, '{}\n', text)));
  assert.ok(fs.readFileSync(path).equals(Buffer.from(text, 'utf8')));
  assert.equal(await readFileText(path), text);
});
