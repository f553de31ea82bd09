/**
 * A write a kill interrupted and no command has recovered yet (config/intent.ts), as `list` and
 * `doctor` tell it: which files, and what to do. Neither recovers it (both only read); the next
 * writing command does, under the state lock, before its own write.
 */
import { intentFile } from './ownership.js';
import { pendingIntent } from '../config/intent.js';
import type { Ctx } from '../context.js';
import { displayPath } from '../util/paths.js';

export interface PendingWrite {
  /** One line: what was found. */
  message: string;
  /** The exact next step. */
  fix: string;
  files: string[];
  /** What the next writing command will do: finish it (forward) or undo it. */
  direction: 'finished' | 'undone';
}

export async function pendingWrite(ctx: Pick<Ctx, 'env' | 'home' | 'platform'>): Promise<PendingWrite | null> {
  const p = await pendingIntent(intentFile(ctx)).catch(() => null);
  if (p === null) return null;
  const files = p.files.map((f) => displayPath(ctx, f));
  const what = p.direction === 'finished'
    ? 'it finishes the interrupted write (part of it is already on disk), so the files and dbx-mcp\'s records agree again'
    : 'it undoes the interrupted write (nothing had been changed yet) and removes its extra backups';
  return {
    message: `A dbx-mcp write was interrupted and not yet recovered${files.length ? `: ${files.join(', ')}` : ''}`,
    fix: `Run the dbx-mcp command that was interrupted (add, remove, sync or init) again: before its own write, ${what}.`,
    files: p.files,
    direction: p.direction,
  };
}
