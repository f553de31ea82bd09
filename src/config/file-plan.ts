/**
 * Change plans: every write is computed first as before/after text, shown as a diff, then
 * applied. Applying refuses files that changed since planning, writes atomically (temp file in
 * the same directory, fsync, rename), keeps or tightens modes, and keeps a few dated backups.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { DbxMcpError } from '../errors.js';
import { backupName, pruneBackups } from './backups.js';
import { fingerprint, tempNameFor, type IntentRecord } from './intent.js';
import { readRegularFile } from '../util/regular-file.js';

export interface FileChange {
  path: string;
  /**
   * null = the file does not exist. Otherwise the exact text read with readFileText (UTF-8, BOM
   * kept): applyPlan compares it with the file on disk to detect concurrent edits.
   */
  before: string | null;
  after: string;
  /** Delete the file instead of writing `after` (''): a file dbx-mcp created, now empty again. */
  deletes?: boolean;
  /** The new content holds a token or secret: written 0600, never group/world readable. */
  holdsSecret: boolean;
  /** Human lines like "+ mcpServers.databricks-genie-sales (cursor)". */
  summary: string[];
  /** false: no dated backup (dbx-mcp's own state file, which it rewrites on every change). */
  backup?: boolean;
  /** Backups of this file to delete once it is written: they hold a secret it takes out (clients/backup-secrets.ts). */
  dropBackups?: string[];
}

export interface Plan {
  changes: FileChange[];
  notes: string[];
}

export interface AppliedChange {
  path: string;
  created: boolean;
  /** The backup of the previous content, if the file existed. */
  backup?: string;
  /** An existing file holding a secret was group/world readable and is now 0600. */
  modeTightened?: boolean;
}

/**
 * Every call applyPlan makes that changes the disk. Tests replace it to fail any single step
 * (temp file, backup, rename, chmod, mkdir, delete) and check that nothing is left changed.
 */
export interface WriteFs {
  /** Creates `path`, which must not exist, with `content` and `mode`, flushed to disk. */
  createFile(path: string, content: string | Buffer, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  /** Creates one directory (its parent exists). */
  mkdir(dir: string, mode: number): Promise<void>;
  /** Deletes a file or an empty directory. */
  remove(path: string): Promise<void>;
}

export const realWriteFs: WriteFs = {
  async createFile(path, content, mode) {
    // 'wx' never clobbers; the mode is set at open so a secret is never briefly readable.
    const handle = await fs.open(path, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } catch (e) {
      // A full disk leaves a short file: it was created here, so it goes (never a 0-byte backup).
      await handle.close().catch(() => undefined);
      await fs.rm(path, { force: true }).catch(() => undefined);
      throw e;
    }
    await handle.close();
  },
  rename: (from, to) => fs.rename(from, to),
  chmod: (path, mode) => fs.chmod(path, mode),
  mkdir: async (dir, mode) => {
    await fs.mkdir(dir, { mode });
  },
  remove: (path) => fs.rm(path, { force: true, recursive: false }).catch(async (e: unknown) => {
    if (errno(e) === 'ERR_FS_EISDIR' || errno(e) === 'EISDIR') await fs.rmdir(path);
    else throw e;
  }),
};

export interface ApplyOptions {
  /** Clock for backup names; default Date.now. */
  now?: () => number;
  /** Backups kept per file (newest first); default 5. 0 disables backups. */
  maxBackups?: number;
  /** Seam for tests (failure injection): every change to the disk goes through it. */
  fs?: WriteFs;
  /** Where the intent record goes (intent.ts); none: a kill mid-way is not recovered. */
  intent?: string;
  /** Seam for tests (failure injection); default: fs.rename. */
  rename?: (from: string, to: string) => Promise<void>;
}

/** The file's text exactly as applyPlan will compare it (UTF-8, BOM kept), or null if it does not exist. */
export async function readFileText(path: string): Promise<string | null> {
  // ENOTDIR (a parent is a file) reads as null: applyPlan's checks name the parent. A FIFO,
  // socket, device or folder is refused without being opened (exit 2).
  return (await readRegularFile(path))?.toString('utf8') ?? null;
}

/**
 * A FileChange, or null when `after` equals `before` (so re-running a command that has nothing
 * to do plans nothing: idempotency).
 */
export function planFileEdit(
  path: string,
  before: string | null,
  after: string | null,
  opts: { holdsSecret?: boolean; summary?: string[]; backup?: boolean } = {},
): FileChange | null {
  if (before === after) return null;
  const change: FileChange = { path, before, after: after ?? '', holdsSecret: opts.holdsSecret ?? false, summary: opts.summary ?? [] };
  if (after === null) change.deletes = true;
  if (opts.backup === false) change.backup = false;
  return change;
}

/** Where a change lands and what must be created for it, all checked before anything is written. */
interface Target {
  change: FileChange;
  /** The file written: the link target for a symlinked config file. */
  path: string;
  /** Current bytes and mode; null when the file does not exist yet. */
  current: { bytes: Buffer; mode: number } | null;
  /** Missing parent directories, outermost first. */
  missingDirs: string[];
}

/** One step already done, and how to undo it. */
type Done =
  | { kind: 'dir'; path: string }
  | { kind: 'file'; path: string }
  | { kind: 'backup'; path: string }
  | { kind: 'temp'; path: string }
  | { kind: 'replaced'; path: string; bytes: Buffer; mode: number };

/**
 * Applies the plan as one unit. First every file is checked: its text must still be
 * `change.before` (else CONFIG_CHANGED), it must be a writable regular file (a read-only file is
 * refused, even for root, who could rename over it) in a writable folder, and every missing
 * parent must be creatable. Only then is anything written, in two phases: every new content goes
 * to a temp file beside its target (and the previous content to a dated backup), then the temp
 * files are renamed over their targets. With `intent`, the intent record (intent.ts) naming all
 * of them is written before the first of these steps and deleted after the last, so a kill in
 * between can be finished or undone by the next run. An existing file keeps its mode (tightened
 * to 0600 if it holds a secret and is group/world readable); a new file gets 0600 if it holds a
 * secret, else 0644, and missing parent directories are created (0700 if the file holds a
 * secret, else 0755). The backup is `<file>.dbx-mcp-<YYYYMMDD-HHMMSS>.bak` (unless
 * `backup: false`) and only the newest `maxBackups` are kept. A symlinked config file is written
 * through the link, so dotfile managers keep working. If any step fails, every step already done
 * is undone (files get their bytes and mode back; created files, temp files, folders and backups
 * are deleted) before the error is thrown.
 */
export async function applyPlan(plan: Plan, opts: ApplyOptions = {}): Promise<AppliedChange[]> {
  const now = opts.now ?? Date.now;
  const maxBackups = opts.maxBackups ?? 5;
  const base = opts.fs ?? realWriteFs;
  const wfs: WriteFs = opts.rename ? { ...base, rename: opts.rename } : base;
  const targets: Target[] = [];
  for (const change of plan.changes) targets.push(await preflight(change));
  const staged: Staged[] = [];
  for (const t of targets) staged.push(await name(t, now, maxBackups));
  const done: Done[] = [];
  let at: string = opts.intent ?? targets[0]?.change.path ?? '';
  try {
    if (opts.intent && staged.length > 0) await writeIntent(opts.intent, staged, wfs, done);
    for (const st of staged) {
      at = st.t.change.path;
      await stage(st, wfs, done);
    }
    for (const st of staged) {
      at = st.t.change.path;
      await swap(st, wfs, done);
    }
    if (opts.intent && staged.length > 0) {
      at = opts.intent;
      await wfs.remove(opts.intent);
    }
  } catch (e) {
    const failure = writeError(at, e);
    const leftover = await rollback(done, wfs);
    if (leftover.length === 0) throw failure;
    throw new DbxMcpError(`${failure.message}; undoing the files written before it also failed: ${leftover.join(', ')}`, {
      code: 'CONFIG_WRITE',
      cause: e,
      hint: `Restore those files from the .dbx-mcp-*.bak backups beside them, then run the command again.`,
    });
  }
  // Old backups go only once everything is written: a rolled-back run leaves them all.
  for (const t of targets) {
    if (maxBackups > 0 && t.current !== null && t.change.backup !== false) await pruneBackups(t.path, maxBackups).catch(() => undefined);
    for (const b of t.change.dropBackups ?? []) await fs.rm(b, { force: true }).catch(() => undefined);
  }
  return staged.map((st) => st.applied);
}

/**
 * applyPlan's checks without writing: for a write that can only be planned later (a secret the
 * server generates) but must be known to succeed before the irreversible step that produces it.
 */
export async function checkPlan(plan: Plan): Promise<void> {
  for (const change of plan.changes) await preflight(change);
}

/** Checks one change against the disk; throws (nothing written yet) when it cannot be applied. */
async function preflight(change: FileChange): Promise<Target> {
  const current = await readVerified(change);
  const link = await fs.lstat(change.path).catch(() => null);
  let path = change.path;
  if (link?.isSymbolicLink()) {
    path = await fs.realpath(change.path).catch((e: unknown) => {
      throw new DbxMcpError(`${change.path} is a symbolic link to a file that does not exist; nothing was written`, {
        code: 'CONFIG_WRITE',
        cause: e,
        hint: `Create the file the link points to, or delete the link ${change.path}, then run the command again.`,
      });
    });
  }
  if (current !== null) {
    const st = await fs.stat(path);
    if (!st.isFile()) throw notAFile(change.path, st.isDirectory());
    if (!(await writable(path, st.mode))) {
      throw new DbxMcpError(`${change.path} is read-only; nothing was written`, {
        code: 'CONFIG_READONLY',
        hint: `Make it writable (chmod u+w ${path}) if dbx-mcp may change it, then run the command again.`,
      });
    }
  }
  const missingDirs: string[] = [];
  let dir = dirname(path);
  for (;;) {
    const st = await fs.stat(dir).catch((e: unknown) => (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR' ? null : Promise.reject(writeError(change.path, e))));
    if (st === null) {
      missingDirs.unshift(dir);
      if (dirname(dir) === dir) break;
      dir = dirname(dir);
      continue;
    }
    if (!st.isDirectory()) {
      throw new DbxMcpError(`${dir} is a file, but dbx-mcp needs it to be a folder to write ${change.path}; nothing was written`, {
        code: 'CONFIG_WRITE',
        hint: `Move ${dir} aside (for example: mv ${dir} ${dir}.old), then run the command again.`,
      });
    }
    if (!(await writable(dir, st.mode))) {
      throw new DbxMcpError(`${dir} is read-only, so ${change.path} cannot be written; nothing was written`, {
        code: 'CONFIG_READONLY',
        hint: `Make the folder writable (chmod u+w ${dir}), then run the command again.`,
      });
    }
    break;
  }
  return { change, path, current: current === null ? null : { bytes: current, mode: (await fs.stat(path)).mode & 0o777 }, missingDirs };
}

/**
 * Writable by this process. The write bits are checked as well as access(2), because root passes
 * access() for a 0444 file and could rename over it: the user marked it read-only for a reason.
 */
async function writable(path: string, mode: number): Promise<boolean> {
  if ((mode & 0o222) === 0) return false;
  return fs.access(path, fsConstants.W_OK).then(() => true, () => false);
}

function notAFile(path: string, isDir: boolean): DbxMcpError {
  return new DbxMcpError(`${path} is ${isDir ? 'a folder' : 'not a regular file'}, not a config file; nothing was written`, {
    code: 'CONFIG_WRITE',
    hint: `Move ${path} aside, then run the command again.`,
  });
}

/** Current bytes of the file, after checking they still match what the plan was made from. */
async function readVerified(change: FileChange): Promise<Buffer | null> {
  let current: Buffer | null;
  try {
    current = await readRegularFile(change.path);
  } catch (e) {
    if (e instanceof DbxMcpError) throw e;
    if (errno(e) !== 'ENOENT' && errno(e) !== 'ENOTDIR') throw writeError(change.path, e);
    current = null;
  }
  if ((current === null ? null : current.toString('utf8')) !== change.before) {
    throw new DbxMcpError(`${change.path} changed since this command read it; nothing was written to it`, {
      code: 'CONFIG_CHANGED',
      hint: 'Another program (perhaps the client app itself) edited the file meanwhile: run the command again.',
    });
  }
  return current;
}

/** One change on its way: the names it will use, decided before anything is written. */
interface Staged {
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

async function name(t: Target, now: () => number, maxBackups: number): Promise<Staged> {
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

async function writeIntent(path: string, staged: Staged[], wfs: WriteFs, done: Done[]): Promise<void> {
  await makeDirs(await missingDirsOf(dirname(path)), 0o700, wfs, done);
  const record: IntentRecord = {
    version: 1,
    pid: process.pid,
    files: staged.filter((st) => !st.noop).map((st) => ({
      path: st.t.path,
      temp: st.tmp,
      backup: st.backup,
      before: fingerprint(st.t.current?.bytes ?? null),
      after: st.t.change.deletes ? null : fingerprint(st.t.change.after),
    })),
  };
  await writeAtomic(path, JSON.stringify(record) + '\n', 0o600, wfs, () => done.push({ kind: 'file', path }));
}

/** Phase 1: folders, the backup, and the temp file with the complete new content. */
async function stage(st: Staged, wfs: WriteFs, done: Done[]): Promise<void> {
  const { t } = st;
  if (st.noop) return;
  if (t.current === null) await makeDirs(t.missingDirs, t.change.holdsSecret ? 0o700 : 0o755, wfs, done);
  if (st.backup) {
    const current = await readVerified(t.change);
    const backupMode = t.change.holdsSecret ? 0o600 : st.mode;
    await wfs.createFile(st.backup, current ?? '', backupMode);
    done.push({ kind: 'backup', path: st.backup });
    await wfs.chmod(st.backup, backupMode);
    // Verified before any message names it: same size and bytes as what was read.
    const copy = await fs.readFile(st.backup);
    if (current === null || !copy.equals(current)) {
      throw new DbxMcpError(`The backup ${st.backup} does not hold what was read from ${t.change.path}; nothing was written`, {
        code: 'CONFIG_WRITE',
        hint: `Check the free space and health of the disk that holds ${dirname(st.backup)}, then run the command again.`,
      });
    }
  }
  if (st.tmp) {
    done.push({ kind: 'temp', path: st.tmp });
    await wfs.createFile(st.tmp, t.change.after, st.mode);
    await wfs.chmod(st.tmp, st.mode);
  }
}

/** Phase 2: the rename (or delete) that makes the change, after a last check of the file. */
async function swap(st: Staged, wfs: WriteFs, done: Done[]): Promise<void> {
  const { t } = st;
  if (st.noop) return;
  // Re-check just before writing: the client app may have saved the file since the checks.
  const current = await readVerified(t.change);
  const undo: Done = current === null || t.current === null ? { kind: 'file', path: t.path } : { kind: 'replaced', path: t.path, bytes: current, mode: t.current.mode };
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
async function rollback(done: Done[], wfs: WriteFs): Promise<string[]> {
  const failed: string[] = [];
  for (const step of done.reverse()) {
    try {
      if (step.kind === 'replaced') await writeAtomic(step.path, step.bytes, step.mode, wfs, () => undefined);
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
/**
 * On Windows a rename over a file that another process (an editor, an antivirus scanner, the
 * client app) holds open fails with EPERM/EBUSY/EACCES for a moment: retry with a short, bounded
 * back-off (about 1.5 s in all) before giving up.
 */
export async function renameWithRetry(from: string, to: string, rename: (from: string, to: string) => Promise<void> = fs.rename): Promise<void> {
  const delays = [20, 50, 100, 200, 400, 700];
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (e) {
      const delay = delays[attempt];
      if (delay === undefined || !['EPERM', 'EBUSY', 'EACCES'].includes(errno(e) ?? '')) throw e;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Makes the rename durable on POSIX; directories cannot be opened for fsync on Windows. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

function errno(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function writeError(path: string, e: unknown): DbxMcpError {
  if (e instanceof DbxMcpError) return e;
  const code = errno(e);
  return new DbxMcpError(`Could not write ${path}${code ? ` (${code})` : ''}; it was left unchanged`, {
    code: 'CONFIG_WRITE',
    cause: e,
    hint: code === 'EACCES' || code === 'EPERM'
      ? `Check that you own ${path} and its folder and can write to them, then run the command again.`
      : 'Run the command again; if it keeps failing, run it with --verbose and report the output.',
  });
}
