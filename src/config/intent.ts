/**
 * The intent record of a write transaction (issue 19, items 2 and 3). applyPlan writes every
 * new content to a temp file first, then this record (`intent.json` next to state.json, 0600),
 * then renames the temp files over their targets one by one, then deletes the record. A kill
 * anywhere leaves either no record (nothing was renamed: only temp files and backups of a dead
 * process, which the next run sweeps) or a record the next writing command resolves under the
 * state lock, before it plans anything:
 *
 * - some target already has its new content: the transaction was inside its renames, so the
 *   rest are finished from their temp files (forward: config and state.json agree again), and
 *   the older backups holding a secret a change took out are deleted, as the write would have;
 * - no target has it: nothing was renamed, so the backups it made are deleted (back).
 *
 * A target that matches neither fingerprint was edited by someone else since: it is left alone.
 * Every temp file the record names is removed either way; then the record. Nothing here prints.
 */
import { createHash } from 'node:crypto';
import { sha256OfText } from '../util/text-chunks.js';
import { SplicedText } from './splice.js';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DbxMcpError } from '../errors.js';
import { readRegularFile } from '../util/regular-file.js';

export interface IntentFile {
  /** The file renamed over (the link target for a symlinked config). */
  path: string;
  /** The new content, complete, or null when the change deletes the file. */
  temp: string | null;
  backup: string | null;
  /** Fingerprints (fingerprint()) of the content before and after; null: no file. */
  before: string | null;
  after: string | null;
  /** Older backups that hold a secret this change takes out: deleted once it is written (clients/backup-secrets.ts). */
  drop?: string[];
}

export interface IntentRecord {
  version: 1;
  pid: number;
  files: IntentFile[];
}

/** sha256 of the bytes, hex; null for a file that does not exist. */
export function fingerprint(bytes: Buffer | string | SplicedText | null): string | null {
  if (typeof bytes === 'string' || bytes instanceof SplicedText) return sha256OfText(bytes);
  return bytes === null ? null : createHash('sha256').update(bytes).digest('hex');
}

/** A FIFO or folder where a recorded file was is 'unreadable' (left alone), never read: a FIFO would block. */
async function currentPrint(path: string): Promise<string | null | 'unreadable'> {
  try {
    return fingerprint(await readRegularFile(path));
  } catch {
    return 'unreadable';
  }
}

export interface Recovery {
  direction: 'finished' | 'undone';
  /** Targets whose content this run completed (finished) or whose extra backup went (undone). */
  files: string[];
  /** Targets edited by someone else since: left as they are. */
  skipped: string[];
}

/** Reads the record at `intentPath`; null when there is none (or it is not one of ours). */
export async function readIntent(intentPath: string): Promise<IntentRecord | null> {
  // A FIFO, socket or folder there is refused (exit 2), not waited on; unreadable is none.
  const bytes = await readRegularFile(intentPath, 'dbx-mcp intent record').catch((e: unknown) => {
    if (e instanceof DbxMcpError) throw e;
    return null;
  });
  if (bytes === null) return null;
  const text = bytes.toString('utf8');
  try {
    const r = JSON.parse(text) as IntentRecord;
    return r && r.version === 1 && Array.isArray(r.files) ? r : { version: 1, pid: 0, files: [] };
  } catch {
    // Half-written (killed while writing it): nothing was renamed yet.
    return { version: 1, pid: 0, files: [] };
  }
}

/** An intent record whose writer is gone: a write a kill interrupted, not yet recovered. */
export interface PendingIntent {
  /** What the next writing command will do with it (recoverIntent's direction). */
  direction: Recovery['direction'];
  /** The files it names (the targets renamed over). */
  files: string[];
}

/**
 * The interrupted write `intentPath` records, if any, without touching anything (for list and
 * doctor). null: no record, or its writer is still running (a write in progress, not pending).
 */
export async function pendingIntent(intentPath: string): Promise<PendingIntent | null> {
  const record = await readIntent(intentPath);
  if (record === null || (record.pid > 0 && record.pid !== process.pid && alive(record.pid))) return null;
  const prints = await Promise.all(record.files.map((f) => currentPrint(f.path)));
  return { direction: goesForward(record, prints) ? 'finished' : 'undone', files: record.files.map((f) => f.path) };
}

/** Some target already has its new content: the transaction was inside its renames. */
function goesForward(record: IntentRecord, prints: (string | null | 'unreadable')[]): boolean {
  return record.files.some((f, i) => prints[i] === f.after);
}

/**
 * Resolves an interrupted transaction (see the top of this file). Call it holding the state
 * lock: every transaction holds that lock, so the record's writer is gone.
 */
export async function recoverIntent(intentPath: string): Promise<Recovery | null> {
  const record = await readIntent(intentPath);
  if (record === null) return null;
  const prints = await Promise.all(record.files.map((f) => currentPrint(f.path)));
  const forward = goesForward(record, prints);
  const done: Recovery = { direction: forward ? 'finished' : 'undone', files: [], skipped: [] };
  for (const [i, f] of record.files.entries()) {
    const now = prints[i];
    if (forward && now === f.before) {
      if (f.after === null) await fs.rm(f.path, { force: true });
      else if (f.temp && (await currentPrint(f.temp)) === f.after) await fs.rename(f.temp, f.path);
      else {
        done.skipped.push(f.path);
        continue;
      }
      done.files.push(f.path);
      await dropBackups(f);
    } else if (forward && now === f.after) {
      // Renamed before the kill; what may be left is deleting the backups that hold its secret.
      await dropBackups(f);
    } else if (!forward && f.backup && now === f.before) {
      await fs.rm(f.backup, { force: true });
      done.files.push(f.path);
    } else if (now !== f.after && now !== f.before) done.skipped.push(f.path);
  }
  for (const f of record.files) if (f.temp) await fs.rm(f.temp, { force: true });
  await fs.rm(intentPath, { force: true });
  return done;
}

async function dropBackups(f: IntentFile): Promise<void> {
  for (const b of f.drop ?? []) await fs.rm(b, { force: true }).catch(() => undefined);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The temp file name writeAtomic uses for `target`. */
export function tempNameFor(target: string, pid: number, hex: string): string {
  return join(dirname(target), `.${basename(target)}.${pid}.${hex}.tmp`);
}

/**
 * Removes temp files `.<file>.<pid>.<hex>.tmp` beside `target` whose process is gone (a killed
 * write's leftover, which may hold a token). Returns what it removed.
 */
export async function sweepTemps(target: string): Promise<string[]> {
  const name = basename(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\.${name}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  const removed: string[] = [];
  for (const e of await fs.readdir(dirname(target)).catch(() => [] as string[])) {
    const m = re.exec(e);
    const pid = Number(m?.[1]);
    if (!m || pid === process.pid || alive(pid)) continue;
    await fs.rm(join(dirname(target), e), { force: true }).then(() => removed.push(join(dirname(target), e)), () => undefined);
  }
  return removed;
}
