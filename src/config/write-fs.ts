/**
 * The disk side of a write transaction: every call applyPlan makes that changes the disk goes
 * through a WriteFs (tests and the DBX_MCP_TEST_* seams replace it to fail or pause one step),
 * plus the rename and fsync helpers every write uses.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { TEXT_CHUNK, textChunks } from '../util/text-chunks.js';
import type { SplicedText } from './splice.js';

/**
 * Every call applyPlan makes that changes the disk. Tests replace it to fail any single step
 * (temp file, backup, rename, chmod, mkdir, delete) and check that nothing is left changed.
 */
export interface WriteFs {
  /** Creates `path`, which must not exist, with `content` and `mode`, flushed to disk. */
  createFile(path: string, content: string | Buffer | SplicedText, mode: number): Promise<void>;
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
      await writeAll(handle, content);
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

/**
 * Writes `content` whole; a long string is UTF-8 encoded a piece at a time into one reused
 * buffer, so a big config's text is never held a second time as bytes (nor left as a trail of
 * garbage buffers).
 */
async function writeAll(handle: FileHandle, content: string | Buffer | SplicedText): Promise<void> {
  if (Buffer.isBuffer(content) || (typeof content === 'string' && content.length <= TEXT_CHUNK)) {
    await handle.writeFile(content);
    return;
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2).
  const bytes = Buffer.allocUnsafe(3 * Math.min(TEXT_CHUNK, content.length));
  for (const piece of textChunks(content)) {
    const length = bytes.write(piece, 'utf8');
    for (let off = 0; off < length; ) off += (await handle.write(bytes, off, length - off)).bytesWritten;
  }
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
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

export function errno(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

