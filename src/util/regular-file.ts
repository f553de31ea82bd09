/**
 * Reading a file the user owns without ever hanging on it. A FIFO, socket or device at a config
 * path blocks a plain readFile forever (a FIFO waits for a writer), so every read of a user file
 * stats it first and refuses anything that is not a regular file (or a symlink to one). The
 * open that follows is non-blocking and re-checked with fstat, so a FIFO swapped in between the
 * stat and the open is still refused rather than waited on.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { DbxMcpError, ExitCode } from '../errors.js';

/** What kind of thing is at a path, in words ("a FIFO (named pipe)"). */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The exit-2 refusal for something at `path` that is not a regular file. */
export function notARegularFile(path: string, st: Stats, what = 'file'): DbxMcpError {
  const kind = kindOf(st);
  return new DbxMcpError(`${path} is ${kind}, not a ${what}; nothing was read or written`, {
    code: 'NOT_A_FILE',
    exitCode: ExitCode.Usage,
    hint: st.isDirectory()
      ? `Pass the path of a file, or move the folder aside (mv ${path} ${path}.aside), then run the command again.`
      : `Move it aside (mv ${path} ${path}.aside) or remove it, then run the command again.`,
  });
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

// O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The file's bytes, or null when nothing is there (ENOENT, or ENOTDIR: a parent is a file).
 * Throws NOT_A_FILE (exit 2) for a folder, FIFO, socket or device; other errors propagate.
 */
export async function readRegularFile(path: string, what?: string): Promise<Buffer | null> {
  return withRegularFile(path, what, (handle) => handle.readFile());
}

/**
 * The sha256 (hex) of the file's bytes, read in chunks so a big file is never held whole; null
 * when nothing is there. Same refusals as readRegularFile.
 */
export async function sha256OfRegularFile(path: string, what?: string): Promise<string | null> {
  return withRegularFile(path, what, async (handle) => {
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  });
}

async function withRegularFile<T>(path: string, what: string | undefined, use: (handle: FileHandle) => Promise<T>): Promise<T | null> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return null;
    throw e;
  }
  if (!st.isFile()) throw notARegularFile(path, st, what);
  const handle = await open(path, READ_FLAGS);
  try {
    const fst = await handle.stat();
    if (!fst.isFile()) throw notARegularFile(path, fst, what);
    return await use(handle);
  } finally {
    await handle.close();
  }
}

/** readRegularFile for the synchronous readers (profiles, manifest, CA bundle). */
export function readRegularFileSync(path: string, what?: string): Buffer | null {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return null;
    throw e;
  }
  if (!st.isFile()) throw notARegularFile(path, st, what);
  const fd = openSync(path, READ_FLAGS);
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile()) throw notARegularFile(path, fst, what);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Turns a read failure (permissions, a symlink loop, an I/O error) into the caller's refusal naming the file. */
type Unreadable = (e: NodeJS.ErrnoException) => DbxMcpError;

function refuse(e: unknown, unreadable: Unreadable): never {
  // Its own refusals (a FIFO, a folder) stand; anything else is the caller's, never "a bug".
  if (e instanceof DbxMcpError) throw e;
  throw unreadable(e as NodeJS.ErrnoException);
}

/** readRegularFile for a file the user (or another tool) owns: a failure to read it is `unreadable`'s error. */
export async function readUserFile(path: string, what: string, unreadable: Unreadable): Promise<Buffer | null> {
  try {
    return await readRegularFile(path, what);
  } catch (e) {
    return refuse(e, unreadable);
  }
}

/** readRegularFileSync, likewise. */
export function readUserFileSync(path: string, what: string, unreadable: Unreadable): Buffer | null {
  try {
    return readRegularFileSync(path, what);
  } catch (e) {
    return refuse(e, unreadable);
  }
}
