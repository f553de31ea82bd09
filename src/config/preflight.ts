/**
 * The checks of a change before anything is written: the file still holds what the plan was made
 * from, it is a writable regular file (a symlink is followed to its target) in a writable folder,
 * and every missing parent folder can be created.
 */
import { constants as fsConstants, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { DbxMcpError } from '../errors.js';
import { createHash } from 'node:crypto';
import { readRegularFile, sha256OfRegularFile } from '../util/regular-file.js';
import { sha256OfText } from '../util/text-chunks.js';
import type { FileChange } from './file-plan.js';
import { notAFile, readOnlyMount, writeError } from './write-errors.js';
import { errno } from './write-fs.js';

/** Where a change lands and what must be created for it, all checked before anything is written. */
export interface Target {
  change: FileChange;
  /** The file written: the link target for a symlinked config file. */
  path: string;
  /** What the file holds (checked equal to change.before) and its mode; null when it does not exist yet. */
  current: { content: Verified; mode: number } | null;
  /** Missing parent directories, outermost first. */
  missingDirs: string[];
}


/** Checks one change against the disk; throws (nothing written yet) when it cannot be applied. */
export async function preflight(change: FileChange): Promise<Target> {
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
    const denied = await unwritable(path, st.mode);
    if (denied === 'EROFS') throw readOnlyMount(change.path, dirname(path));
    if (denied) {
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
    const denied = await unwritable(dir, st.mode);
    if (denied === 'EROFS') throw readOnlyMount(change.path, dir);
    if (denied) {
      throw new DbxMcpError(`${dir} is read-only, so ${change.path} cannot be written; nothing was written`, {
        code: 'CONFIG_READONLY',
        hint: `Make the folder writable (chmod u+w ${dir}), then run the command again.`,
      });
    }
    break;
  }
  return { change, path, current: current === null ? null : { content: current, mode: (await fs.stat(path)).mode & 0o777 }, missingDirs };
}

/**
 * Why this process may not write `path`: 'mode' (no write bits, or access(2) says EACCES/EPERM),
 * 'EROFS' (a read-only mount, where chmod cannot help), or null when it may. The write bits are
 * checked as well as access(2), because root passes access() for a 0444 file and could rename
 * over it: the user marked it read-only for a reason.
 */
async function unwritable(path: string, mode: number): Promise<'mode' | 'EROFS' | null> {
  const access = await fs.access(path, fsConstants.W_OK).then(() => null, (e: unknown) => (errno(e) === 'EROFS' ? 'EROFS' : 'mode'));
  if (access === 'EROFS') return access;
  return (mode & 0o222) === 0 ? 'mode' : access;
}

/**
 * A file's content, checked equal to its change's `before`, held as little as possible: its
 * sha256, and its bytes only when they are not the UTF-8 encoding of `before` (a file with
 * invalid UTF-8, which reads as U+FFFD); otherwise contentOf() gives `before` itself, to write when
 * the bytes are needed (backup, rollback), so a 28 MB config is not kept in memory once more per check.
 */
export interface Verified {
  sha256: string;
  bytes: Buffer | null;
}

/** What a verified file holds, to write back: its bytes, or `before` when they are its UTF-8. */
export function contentOf(change: FileChange, v: Verified): Buffer | string {
  return v.bytes ?? change.before ?? '';
}

const beforePrints = new WeakMap<FileChange, string>();

/** sha256 of the UTF-8 encoding of change.before, computed once per change. */
function beforePrint(change: FileChange, before: string): string {
  let print = beforePrints.get(change);
  if (print === undefined) {
    print = sha256OfText(before);
    beforePrints.set(change, print);
  }
  return print;
}

/**
 * The file's content, after checking it still matches what the plan was made from. The file is
 * hashed in chunks, not held: equal to the sha256 of `before`'s UTF-8 means equal bytes, so equal
 * text. Only when the hash differs is the file read whole and compared as text, exactly as
 * readFileText read it (so a file with invalid UTF-8 still verifies against its own text).
 */
export async function readVerified(change: FileChange): Promise<Verified | null> {
  const read = async <T>(how: (path: string) => Promise<T | null>): Promise<T | null> => {
    try {
      return await how(change.path);
    } catch (e) {
      if (e instanceof DbxMcpError) throw e;
      if (errno(e) !== 'ENOENT' && errno(e) !== 'ENOTDIR') throw writeError(change.path, e);
      return null;
    }
  };
  const print = await read(sha256OfRegularFile);
  if (print === null && change.before === null) return null;
  if (print !== null && change.before !== null && print === beforePrint(change, change.before)) return { sha256: print, bytes: null };
  const bytes = print === null ? null : await read(readRegularFile);
  if (bytes === null || change.before === null || bytes.toString('utf8') !== change.before) {
    throw new DbxMcpError(`${change.path} changed since this command read it; nothing was written to it`, {
      code: 'CONFIG_CHANGED',
      hint: 'Another program (perhaps the client app itself) edited the file meanwhile: run the command again.',
    });
  }
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
}
