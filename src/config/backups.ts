/**
 * Dated backups beside a config file: `<file>.dbx-mcp-<YYYYMMDD-HHMMSS>.bak`, with `-N` appended
 * when two writes land in the same second. Stamps are UTC so that names sort in time order
 * across daylight-saving and time-zone changes, which is what pruning relies on.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** `YYYYMMDD-HHMMSS` in UTC. */
export function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** A backup path for `file` at time `nowMs` that does not exist yet. */
export async function backupName(file: string, nowMs: number): Promise<string> {
  const base = `${file}.dbx-mcp-${stamp(nowMs)}`;
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? `${base}.bak` : `${base}-${n}.bak`;
    try {
      await fs.lstat(candidate);
    } catch {
      return candidate;
    }
  }
}

/** This tool's backups of `file`, newest first. Other files in the folder are never matched. */
export async function listBackups(file: string): Promise<string[]> {
  const name = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${name}\\.dbx-mcp-(\\d{8}-\\d{6})(?:-(\\d+))?\\.bak$`);
  const entries = await fs.readdir(dirname(file)).catch(() => [] as string[]);
  return entries
    .map((e) => ({ e, m: re.exec(e) }))
    .filter((x): x is { e: string; m: RegExpExecArray } => x.m !== null)
    .sort((x, y) => {
      const byStamp = (y.m[1] as string).localeCompare(x.m[1] as string);
      return byStamp !== 0 ? byStamp : Number(y.m[2] ?? 0) - Number(x.m[2] ?? 0);
    })
    .map((x) => join(dirname(file), x.e));
}

/** Deletes all but the newest `keep` backups of `file`. */
export async function pruneBackups(file: string, keep: number): Promise<void> {
  const stale = (await listBackups(file)).slice(Math.max(0, keep));
  for (const f of stale) await fs.rm(f, { force: true });
}
