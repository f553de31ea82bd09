/**
 * Change plans: every write is computed first as before/after text, shown as a diff, then
 * applied. Applying refuses files that changed since planning, writes atomically (temp file in
 * the same directory, fsync, rename), keeps or tightens modes, and keeps a few dated backups.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DbxMcpError } from '../errors.js';
import { redact } from '../ui/redact.js';
import { colorizeDiff, unifiedDiff } from './diff.js';
import { backupName, pruneBackups } from './backups.js';

export interface FileChange {
  path: string;
  /**
   * null = the file does not exist. Otherwise the exact text read with readFileText (UTF-8, BOM
   * kept): applyPlan compares it with the file on disk to detect concurrent edits.
   */
  before: string | null;
  after: string;
  /** The new content holds a token or secret: written 0600, never group/world readable. */
  holdsSecret: boolean;
  /** Human lines like "+ mcpServers.databricks-genie-sales (cursor)". */
  summary: string[];
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

export interface ApplyOptions {
  /** Clock for backup names; default Date.now. */
  now?: () => number;
  /** Backups kept per file (newest first); default 5. 0 disables backups. */
  maxBackups?: number;
  /** Seam for tests (failure injection); default fs.promises.rename. */
  rename?: (from: string, to: string) => Promise<void>;
}

/** The file's text exactly as applyPlan will compare it (UTF-8, BOM kept), or null if it does not exist. */
export async function readFileText(path: string): Promise<string | null> {
  try {
    return (await fs.readFile(path)).toString('utf8');
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    throw e;
  }
}

/**
 * A FileChange, or null when `after` equals `before` (so re-running a command that has nothing
 * to do plans nothing: idempotency).
 */
export function planFileEdit(
  path: string,
  before: string | null,
  after: string,
  opts: { holdsSecret?: boolean; summary?: string[] } = {},
): FileChange | null {
  if (before === after) return null;
  return { path, before, after, holdsSecret: opts.holdsSecret ?? false, summary: opts.summary ?? [] };
}

/**
 * The plan as text, blocks separated by a blank line: the summary lines, the unified diff of
 * every file, then the notes; '' for an empty plan. Everything passes through redact(): a
 * literal token in a config file must not reach the terminal or a log.
 */
export function renderPlan(plan: Plan, opts: { color: boolean }): string {
  const parts: string[] = [];
  const summary = plan.changes.flatMap((c) => c.summary);
  if (summary.length > 0) parts.push(summary.join('\n'));
  for (const c of plan.changes) {
    const diff = unifiedDiff(c.path, c.before, c.after);
    if (diff !== '') parts.push(colorizeDiff(redact(diff), opts.color).replace(/\n$/, ''));
  }
  if (plan.notes.length > 0) parts.push(plan.notes.join('\n'));
  return parts.length === 0 ? '' : `${redact(parts.join('\n\n'))}\n`;
}

/**
 * Applies the plan file by file. First every file is checked against `change.before`; one that
 * changed (or appeared, or vanished) since planning aborts the whole apply with CONFIG_CHANGED
 * before anything is written. Each file is re-checked just before its own write. A write is
 * atomic; an existing file keeps its mode (tightened to 0600 if it holds a secret and is
 * group/world readable); a new file gets 0600 if it holds a secret, else 0644, and missing parent
 * directories are created (0700 if the file holds a secret, else 0755). The previous content is
 * backed up as `<file>.dbx-mcp-<YYYYMMDD-HHMMSS>.bak` and only the newest `maxBackups` are kept.
 * A symlinked config file is written through the link, so dotfile managers keep working.
 */
export async function applyPlan(plan: Plan, opts: ApplyOptions = {}): Promise<AppliedChange[]> {
  const now = opts.now ?? Date.now;
  const maxBackups = opts.maxBackups ?? 5;
  const rename = opts.rename ?? fs.rename;
  for (const change of plan.changes) await readVerified(change);
  const applied: AppliedChange[] = [];
  for (const change of plan.changes) {
    applied.push(await applyChange(change, now, maxBackups, rename).catch((e: unknown) => Promise.reject(writeError(change.path, e))));
  }
  return applied;
}

/** Current bytes of the file, after checking they still match what the plan was made from. */
async function readVerified(change: FileChange): Promise<Buffer | null> {
  let current: Buffer | null;
  try {
    current = await fs.readFile(change.path);
  } catch (e) {
    if (errno(e) !== 'ENOENT') throw writeError(change.path, e);
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

type Rename = (from: string, to: string) => Promise<void>;

async function applyChange(change: FileChange, now: () => number, maxBackups: number, rename: Rename): Promise<AppliedChange> {
  const current = await readVerified(change);
  if (current === null) {
    await makeParents(dirname(change.path), change.holdsSecret ? 0o700 : 0o755);
    await writeAtomic(change.path, change.after, change.holdsSecret ? 0o600 : 0o644, rename);
    return { path: change.path, created: true };
  }
  const target = await fs.realpath(change.path).catch(() => change.path);
  const mode = (await fs.stat(target)).mode & 0o777;
  const tighten = change.holdsSecret && (mode & 0o077) !== 0;
  const newMode = tighten ? 0o600 : mode;
  const result: AppliedChange = { path: change.path, created: false };
  if (maxBackups > 0) {
    const backup = await backupName(target, now());
    const backupMode = change.holdsSecret ? 0o600 : mode;
    // 'wx' never clobbers; the mode is set at open so a secret is never briefly readable.
    await fs.writeFile(backup, current, { flag: 'wx', mode: backupMode });
    await fs.chmod(backup, backupMode);
    await pruneBackups(target, maxBackups);
    result.backup = backup;
  }
  await writeAtomic(target, change.after, newMode, rename);
  if (tighten) result.modeTightened = true;
  return result;
}

/** mkdir -p, then chmod the directories it created, because the umask trims the mode given to mkdir. */
async function makeParents(dir: string, mode: number): Promise<void> {
  const first = await fs.mkdir(dir, { recursive: true, mode });
  if (first === undefined) return;
  for (let d = dir; ; d = dirname(d)) {
    await fs.chmod(d, mode);
    if (d === first || dirname(d) === d) break;
  }
}

/** Temp file beside the target (same filesystem, so rename is atomic), fsync, rename over it. */
async function writeAtomic(target: string, content: string, mode: number, rename: Rename): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(tmp, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.chmod(tmp, mode);
    await renameWithRetry(tmp, target, rename);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(target, e);
  }
  await syncDir(dirname(target));
}

/**
 * On Windows a rename over a file that another process (an editor, an antivirus scanner, the
 * client app) holds open fails with EPERM/EBUSY/EACCES for a moment: retry with a short, bounded
 * back-off (about 1.5 s in all) before giving up.
 */
export async function renameWithRetry(from: string, to: string, rename: Rename = fs.rename): Promise<void> {
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
