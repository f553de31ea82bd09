/**
 * The disk side of a write transaction: every call applyPlan makes that changes the disk goes
 * through a WriteFs (tests and the DBX_MCP_TEST_* seams replace it to fail or pause one step),
 * plus the rename and fsync helpers every write uses.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

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

/** Characters encoded per write: a big config's text is never held a second time as one Buffer. */
const CHUNK = 1 << 20;

/** Writes `content` whole; a string is UTF-8 encoded a chunk at a time, never split inside a surrogate pair. */
async function writeAll(handle: FileHandle, content: string | Buffer): Promise<void> {
  if (typeof content !== 'string' || content.length <= CHUNK) {
    await handle.writeFile(content);
    return;
  }
  for (let at = 0; at < content.length; ) {
    let end = Math.min(at + CHUNK, content.length);
    const last = content.charCodeAt(end - 1);
    if (end < content.length && last >= 0xd800 && last <= 0xdbff) end--;
    const bytes = Buffer.from(content.slice(at, end), 'utf8');
    for (let off = 0; off < bytes.length; ) off += (await handle.write(bytes, off)).bytesWritten;
    at = end;
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

