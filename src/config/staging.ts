/**
 * The steps of applyPlan once every change passed its checks: the names each change will use,
 * the intent record, phase 1 (folders, backup, temp file), phase 2 (the rename), and the
 * rollback of whatever was done when a step fails.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { DbxMcpError } from '../errors.js';
import { backupName } from './backups.js';
import type { AppliedChange } from './file-plan.js';
import { newContent } from './splice.js';
import { fingerprint, tempNameFor, type IntentRecord } from './intent.js';
import { sha256OfRegularFile } from '../util/regular-file.js';
import { contentOf, readVerified, type Target } from './preflight.js';
import { writeError } from './write-errors.js';
import { renameWithRetry, syncDir, type WriteFs } from './write-fs.js';

/** One step already done, and how to undo it. */
export type Done =
  | { kind: 'dir'; path: string }
  | { kind: 'file'; path: string }
  | { kind: 'backup'; path: string }
  | { kind: 'temp'; path: string }
  /** `restore` gives the previous bytes only when they are needed (contentOf). */
  | { kind: 'replaced'; path: string; restore: () => Buffer | string; mode: number };


/** One change on its way: the names it will use, decided before anything is written. */
export interface Staged {
  t: Target;
  /** The temp file holding the new content; null for a delete or a no-op. */
  tmp: string | null;
  backup: string | null;
  /** The mode the written file gets. */
  mode: number;
  /** Nothing to do: a delete of a file that is already gone. */
  noop: boolean;
  applied: AppliedChange;
}

/** The temp file, backup and mode a change will use. */
export async function nameChange(t: Target, now: () => number, maxBackups: number): Promise<Staged> {
  const { change } = t;
  const exists = t.current !== null;
  const noop = !exists && Boolean(change.deletes);
  const tighten = exists && change.holdsSecret && ((t.current as { mode: number }).mode & 0o077) !== 0;
  const mode = exists ? (tighten ? 0o600 : (t.current as { mode: number }).mode) : change.holdsSecret ? 0o600 : 0o644;
  const backup = exists && maxBackups > 0 && change.backup !== false ? await backupName(t.path, now()) : null;
  const tmp = noop || change.deletes ? null : tempNameFor(t.path, process.pid, randomBytes(6).toString('hex'));
  const applied: AppliedChange = { path: change.path, created: !exists && !noop };
  if (backup) applied.backup = backup;
  if (tighten) applied.modeTightened = true;
  return { t, tmp, backup, mode, noop, applied };
}

export async function writeIntent(path: string, staged: Staged[], wfs: WriteFs, done: Done[]): Promise<void> {
  await makeDirs(await missingDirsOf(dirname(path)), 0o700, wfs, done);
  const record: IntentRecord = {
    version: 1,
    pid: process.pid,
    files: staged.filter((st) => !st.noop).map((st) => ({
      path: st.t.path,
      temp: st.tmp,
      backup: st.backup,
      before: st.t.current?.content.sha256 ?? null,
      after: st.t.change.deletes ? null : fingerprint(newContent(st.t.change)),
      ...(st.t.change.dropBackups?.length ? { drop: st.t.change.dropBackups } : {}),
    })),
  };
  await writeAtomic(path, JSON.stringify(record) + '\n', 0o600, wfs, () => done.push({ kind: 'file', path }));
}

/** Phase 1: folders, the backup, and the temp file with the complete new content. */
export async function stage(st: Staged, wfs: WriteFs, done: Done[]): Promise<void> {
  const { t } = st;
  if (st.noop) return;
  if (t.current === null) await makeDirs(t.missingDirs, t.change.holdsSecret ? 0o700 : 0o755, wfs, done);
  if (st.backup) {
    const current = await readVerified(t.change);
    const backupMode = t.change.holdsSecret ? 0o600 : st.mode;
    // The text itself when the bytes are its UTF-8 (createFile encodes it a chunk at a time).
    await wfs.createFile(st.backup, current === null ? '' : contentOf(t.change, current), backupMode);
    done.push({ kind: 'backup', path: st.backup });
    await wfs.chmod(st.backup, backupMode);
    // Verified before any message names it: the same bytes (sha256, read back in chunks) as what was read.
    const copy = await sha256OfRegularFile(st.backup);
    if (current === null || copy !== current.sha256) {
      throw new DbxMcpError(`The backup ${st.backup} does not hold what was read from ${t.change.path}; nothing was written`, {
        code: 'CONFIG_WRITE',
        hint: `Check the free space and health of the disk that holds ${dirname(st.backup)}, then run the command again.`,
      });
    }
  }
  if (st.tmp) {
    done.push({ kind: 'temp', path: st.tmp });
    await wfs.createFile(st.tmp, newContent(t.change), st.mode);
    await wfs.chmod(st.tmp, st.mode);
  }
}

/** Phase 2: the rename (or delete) that makes the change, after a last check of the file. */
export async function swap(st: Staged, wfs: WriteFs, done: Done[]): Promise<void> {
  const { t } = st;
  if (st.noop) return;
  // Re-check just before writing: the client app may have saved the file since the checks.
  const current = await readVerified(t.change);
  const undo: Done = current === null || t.current === null ? { kind: 'file', path: t.path } : { kind: 'replaced', path: t.path, restore: () => contentOf(t.change, current), mode: t.current.mode };
  if (st.tmp) await renameWithRetry(st.tmp, t.path, wfs.rename);
  else await wfs.remove(t.path);
  done.push(undo);
  await syncDir(dirname(t.path));
}

async function missingDirsOf(dir: string): Promise<string[]> {
  const missing: string[] = [];
  while (!(await fs.stat(dir).then(() => true, () => false))) {
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  return missing;
}

async function makeDirs(dirs: string[], mode: number, wfs: WriteFs, done: Done[]): Promise<void> {
  for (const d of dirs) {
    // An earlier change of this plan may have created it (two files under one new folder).
    if (await fs.stat(d).then((st) => st.isDirectory(), () => false)) continue;
    await wfs.mkdir(d, mode);
    done.push({ kind: 'dir', path: d });
    // mkdir's mode is trimmed by the umask.
    await wfs.chmod(d, mode);
  }
}

/** Undoes `done` newest first; returns the paths it could not restore. */
export async function rollback(done: Done[], wfs: WriteFs): Promise<string[]> {
  const failed: string[] = [];
  for (const step of done.reverse()) {
    try {
      if (step.kind === 'replaced') await writeAtomic(step.path, step.restore(), step.mode, wfs, () => undefined);
      // A temp file is gone once renamed; it is removed directly, so no injected failure keeps it.
      else if (step.kind === 'temp') await fs.rm(step.path, { force: true });
      else await wfs.remove(step.path);
    } catch {
      failed.push(step.path);
    }
  }
  return failed;
}

/**
 * Temp file beside the target (same filesystem, so rename is atomic), fsync, rename over it.
 * `renamed` runs right after the rename, so a later failure knows to undo it.
 */
async function writeAtomic(target: string, content: string | Buffer, mode: number, wfs: WriteFs, renamed: () => void): Promise<void> {
  const tmp = tempNameFor(target, process.pid, randomBytes(6).toString('hex'));
  try {
    await wfs.createFile(tmp, content, mode);
    await wfs.chmod(tmp, mode);
    await renameWithRetry(tmp, target, wfs.rename);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(target, e);
  }
  renamed();
  await syncDir(dirname(target));
}
