/**
 * Exclusive locks for a write transaction (issue 19): held from the re-read of each file to the
 * record in state.json, so two dbx-mcp processes never interleave their read-modify-write of one
 * file (the lost update a compare-then-rename alone allows).
 *
 * A lock is a file created with O_EXCL (`wx`) holding the owner's pid and start time, in a
 * per-user folder of the temp dir (0700), named by a hash of the target's absolute path: the
 * same lock whether or not the target's folder exists yet, and nothing written beside the
 * user's files. No library: proper-lockfile (the usual choice) locks with mkdir beside the file
 * and detects staleness by mtime only; a dead owner's pid is the faster, surer sign here, and
 * O_EXCL is the file system's own exclusive create on every platform Node supports.
 *
 * A lock whose owner is dead (same host, pid gone) or that is older than STALE_MS is taken
 * over; a live one is waited for, at most WAIT_MS. Locks are released on every exit path:
 * `finally`, and a synchronous 'exit' hook for process.exit (signals, EPIPE).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, promises as fs, lstatSync, unlinkSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { DbxMcpError, isDbxMcpError } from '../errors.js';
import { readRegularFile } from '../util/regular-file.js';

/** A lock this old is stale even if its pid is alive (pid reuse, a hung process). */
const STALE_MS = 120_000;
/** How long a writer waits for another one before giving up. */
const WAIT_MS = 30_000;

interface LockOwner {
  pid: number;
  host: string;
  at: number;
}

const held = new Set<string>();
let exitHook = false;

function lockDir(): string {
  let uid = 'user';
  try {
    uid = String(userInfo().uid >= 0 ? userInfo().uid : userInfo().username);
  } catch {
    // No passwd entry (some containers): one folder for all is still correct, only shared.
  }
  const dir = join(tmpdir(), `dbx-mcp-locks-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Another user's folder of that name would let them block or read our locks: refuse it.
  const st = lstatSync(dir);
  if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) {
    throw new DbxMcpError(`${dir} is not a folder owned by you, so dbx-mcp cannot lock the files it writes; nothing was written`, {
      code: 'CONFIG_WRITE',
      hint: `Remove ${dir} (or set TMPDIR to a folder of your own), then run the command again.`,
    });
  }
  return dir;
}

/** Where the lock for `target` lives (exported for tests). */
export function lockPathFor(target: string): string {
  const key = createHash('sha256').update(process.platform === 'win32' ? resolve(target).toLowerCase() : resolve(target)).digest('hex').slice(0, 32);
  return join(lockDir(), `${key}.lock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock file's text ('' when it is gone or unreadable). Something that is not a regular file
 * at a lock's path (a FIFO would block the read forever) is refused with NOT_A_FILE (exit 2).
 */
async function lockText(path: string): Promise<string> {
  try {
    return (await readRegularFile(path, 'dbx-mcp lock file'))?.toString('utf8') ?? '';
  } catch (e) {
    if (isDbxMcpError(e)) throw e;
    return '';
  }
}

async function readOwner(path: string): Promise<{ owner: LockOwner | null; mtimeMs: number } | null> {
  const text = await lockText(path);
  try {
    const st = await fs.stat(path);
    try {
      const o = JSON.parse(text) as LockOwner;
      return { owner: typeof o.pid === 'number' ? o : null, mtimeMs: st.mtimeMs };
    } catch {
      // Half-written by an owner that was killed between create and write: stale once old.
      return { owner: null, mtimeMs: st.mtimeMs };
    }
  } catch {
    return null;
  }
}

function isStale(info: { owner: LockOwner | null; mtimeMs: number }, now: number): boolean {
  if (now - info.mtimeMs > STALE_MS) return true;
  const o = info.owner;
  if (!o) return now - info.mtimeMs > 5_000;
  return o.host === hostname() && !alive(o.pid);
}

/** Takes a stale lock away, unless another process took it over first. */
async function breakStale(path: string, seen: string): Promise<void> {
  const aside = `${path}.${process.pid}.stale`;
  try {
    await fs.rename(path, aside);
  } catch {
    return;
  }
  // Whatever was renamed aside is read as a lock file (a FIFO swapped in meanwhile is not waited on).
  const text = await lockText(aside).catch(() => '');
  if (text !== seen) {
    // A fresh lock was renamed away: give it back (link fails if yet another one exists).
    await fs.link(aside, path).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
}

async function acquire(path: string, target: string, deadline: number, onWait?: (target: string) => void): Promise<void> {
  const me: LockOwner = { pid: process.pid, host: hostname(), at: Date.now() };
  for (let attempt = 0; ; attempt++) {
    try {
      const h = await fs.open(path, 'wx', 0o600);
      try {
        await h.writeFile(JSON.stringify(me));
      } finally {
        await h.close();
      }
      held.add(path);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const info = await readOwner(path);
    if (info && isStale(info, Date.now())) {
      await breakStale(path, await lockText(path));
      continue;
    }
    if (attempt === 0) onWait?.(target);
    if (Date.now() > deadline) {
      const who = info?.owner ? ` (process ${info.owner.pid})` : '';
      throw new DbxMcpError(`Another dbx-mcp${who} has been writing ${target} for ${Math.round(WAIT_MS / 1000)} s; nothing was written`, {
        code: 'CONFIG_LOCKED',
        hint: `Wait for it to finish (or end it), then run the command again. Its lock is ${path}.`,
      });
    }
    // Bounded back-off with jitter, so 20 waiters do not retry in lockstep.
    await new Promise((r) => setTimeout(r, Math.min(100, 5 + attempt * 5) + Math.random() * 10));
  }
}

function releaseSync(path: string): void {
  held.delete(path);
  try {
    unlinkSync(path);
  } catch {
    // Already gone (taken over as stale): nothing to release.
  }
}

/**
 * Runs `fn` holding the locks of every path in `targets` (taken in sorted order, so two
 * transactions over the same files never deadlock), and releases them however `fn` ends.
 */
export async function withLocks<T>(targets: string[], fn: () => Promise<T>, onWait?: (target: string) => void): Promise<T> {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const p of [...held]) releaseSync(p);
    });
  }
  const paths = [...new Map(targets.map((t) => [lockPathFor(t), t])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const taken: string[] = [];
  const deadline = Date.now() + WAIT_MS;
  try {
    for (const [path, target] of paths) {
      if (held.has(path)) continue;
      await acquire(path, target, deadline, onWait);
      taken.push(path);
    }
    return await fn();
  } finally {
    for (const p of taken.reverse()) releaseSync(p);
  }
}
