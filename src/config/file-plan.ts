/**
 * Change plans: every write is computed first as before/after text, shown as a diff, then
 * applied as one unit. Applying refuses files that changed since planning (preflight.ts), writes
 * atomically in two phases with an intent record and rolls back on failure (staging.ts), keeps or
 * tightens modes, and keeps a few dated backups. The disk calls go through a WriteFs (write-fs.ts).
 */
import { DbxMcpError } from '../errors.js';
import { readRegularFile } from '../util/regular-file.js';
import { pruneBackups } from './backups.js';
import { preflight, type Target } from './preflight.js';
import { nameChange, rollback, stage, swap, writeIntent, type Done, type Staged } from './staging.js';
import { writeError } from './write-errors.js';
import { realWriteFs, type WriteFs } from './write-fs.js';
import { applySplices, splicesAreNoop, type Splice } from './splice.js';

export interface FileChange {
  path: string;
  /**
   * null = the file does not exist. Otherwise the exact text read with readFileText (UTF-8, BOM
   * kept): applyPlan compares it with the file on disk to detect concurrent edits.
   */
  before: string | null;
  after: string;
  /**
   * How `after` is made from `before` (splice.ts), when the codec said: the diff, the intent
   * record and the temp-file write read the new text through them (newContent), so a big
   * file's new text is never a second flat copy. Absent: `after` is read as it is.
   */
  splices?: readonly Splice[];
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
 * to do plans nothing: idempotency). `after` may be given as splices of `before`.
 */
export function planFileEdit(
  path: string,
  before: string | null,
  after: string | null | readonly Splice[],
  opts: { holdsSecret?: boolean; summary?: string[]; backup?: boolean } = {},
): FileChange | null {
  let splices: readonly Splice[] | undefined;
  if (typeof after === 'object' && after !== null) {
    // Compared by splice, not as strings: comparing equal-length texts would make the new one whole.
    if (splicesAreNoop(before ?? '', after)) return null;
    splices = before === null ? undefined : after;
    after = applySplices(before ?? '', after);
  } else if (before === after) return null;
  const change: FileChange = { path, before, after: after ?? '', holdsSecret: opts.holdsSecret ?? false, summary: opts.summary ?? [] };
  if (splices) change.splices = splices;
  if (after === null) change.deletes = true;
  if (opts.backup === false) change.backup = false;
  return change;
}

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
  for (const t of targets) staged.push(await nameChange(t, now, maxBackups));
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
    // Backups holding a secret a change took out go before the record does, so a kill in
    // between is finished by the next run (intent.ts) rather than leaving them behind.
    for (const t of targets) for (const b of t.change.dropBackups ?? []) await wfs.remove(b).catch(() => undefined);
    if (opts.intent && staged.length > 0) {
      at = opts.intent;
      await wfs.remove(opts.intent);
    }
  } catch (e) {
    // Files already renamed into place when the step failed: the message says they were put back.
    const written = done.filter((d) => (d.kind === 'replaced' || d.kind === 'file') && d.path !== opts.intent).map((d) => d.path);
    const leftover = await rollback(done, wfs);
    const failure = writeError(at, e, written.filter((p) => !leftover.includes(p)));
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
