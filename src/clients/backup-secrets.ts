/**
 * Backups and secrets (contract: Security model → Backups). Every write keeps a dated backup of
 * the previous content (config/backups.ts), so a literal token an entry held would outlive the
 * `remove` that took it out, in a 0600 file nobody looks at. The design, the simplest one that
 * leaves no secret behind and keeps every backup that is still useful:
 * - a `remove` that takes a secret out (or deletes the file) writes no backup of its own: the
 *   only thing that backup would add to the file left on disk is the removed entry, secret and
 *   all, and `add` writes that entry again. (A backup with the secret masked would restore a
 *   broken entry, and a backup written then deleted would survive a kill in between.)
 * - it deletes, once the change is written, every older backup that holds a secret of the
 *   removed entry (its value now, or in that backup, if it is in the file no more);
 * - a file `remove` deletes (dbx-mcp created it, nothing else is in it) takes all its backups along.
 * Other backups stay (the newest five, as always): they hold no secret the removal took out.
 */
import { promises as fs } from 'node:fs';
import { listBackups } from '../config/backups.js';
import type { ConfigCodec } from '../config/codecs/index.js';
import { looksLikeToken } from '../secrets.js';
import { isSecretFlag, masksValue, secretInArgument, secretScope, visiblePrefix } from '../secret-keys.js';
import { readRegularFile } from '../util/regular-file.js';
import { readServers } from './target.js';

/** The secret values an entry holds, by the redaction rule (secret-keys.ts) and by shape (secrets.ts). */
export function entrySecrets(entry: unknown): string[] {
  const out = new Set<string>();
  const add = (v: string) => {
    const s = v.slice(visiblePrefix(v)).trim();
    if (s !== '') out.add(s);
  };
  const walk = (v: unknown, secret: boolean, key: string | null): void => {
    if (typeof v === 'string') {
      if (masksValue(secret, key, v) || looksLikeToken(v)) add(v);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => {
        const prev = v[i - 1];
        if (typeof x === 'string') {
          if (typeof prev === 'string' && isSecretFlag(prev) && masksValue(true, null, x)) add(x);
          const at = secretInArgument(x);
          if (at >= 0) add(x.slice(at));
        }
        walk(x, secret, key);
      });
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) walk(x, secretScope(secret, k), k);
    }
  };
  walk(entry, false, null);
  return [...out];
}

/** The entry `name` of a config text, or undefined (no such entry, or the text does not parse). */
function entryIn(codec: ConfigCodec, text: string, file: string, serversPath: string[], name: string): unknown {
  try {
    const servers = readServers(codec, text, file, serversPath);
    return Object.prototype.hasOwnProperty.call(servers, name) ? servers[name] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A backup's bytes; null for anything that is not a regular file (a FIFO named like a backup is
 * not one of ours and would block a read forever) or cannot be read.
 */
async function readBackupBytes(path: string): Promise<Buffer | null> {
  const st = await fs.lstat(path).catch(() => null);
  if (!st?.isFile()) return null;
  return readRegularFile(path).catch(() => null);
}

/**
 * The backups of `target` (the file's real path: backups sit beside a symlink's target) that a
 * removal of `name` must delete: all of them when the file goes (`after` null), else those that
 * hold a secret of the removed entry (`removed`, or the entry of that name in the backup) that
 * `after` no longer holds.
 */
export async function backupsToDrop(codec: ConfigCodec, target: string, serversPath: string[], name: string, removed: unknown, after: { includes(s: string): boolean } | null): Promise<string[]> {
  const backups = await listBackups(target);
  if (after === null) return backups;
  const now = entrySecrets(removed);
  const drop: string[] = [];
  for (const b of backups) {
    const bytes = await readBackupBytes(b);
    if (bytes === null) continue;
    // Only a backup that names the entry can hold an older version of it (dbx-mcp's names are
    // never written escaped): the others are searched as bytes, never decoded and parsed, so a
    // 28 MB file's backup is not held twice beside the file itself.
    const then = bytes.includes(name) ? entrySecrets(entryIn(codec, bytes.toString('utf8'), b, serversPath, name)) : [];
    if ([...now, ...then].some((s) => bytes.includes(s) && !after.includes(s))) drop.push(b);
  }
  return drop;
}

/**
 * dbx-mcp's newest backup of `target` that is worth restoring: a non-empty regular file that
 * parses with the file's codec and holds a servers table there (or none). undefined when no
 * backup passes, so no message ever suggests restoring a broken or empty one.
 */
export async function restorableBackup(codec: ConfigCodec, target: string, serversPath: string[]): Promise<string | undefined> {
  for (const b of await listBackups(target)) {
    const text = (await readBackupBytes(b))?.toString('utf8') ?? null;
    if (text === null || text.trim() === '') continue;
    try {
      readServers(codec, text, b, serversPath);
      return b;
    } catch {
      // not parseable: try the next older one
    }
  }
  return undefined;
}
