/**
 * Which client entries dbx-mcp wrote. dbx-mcp updates and removes only its own entries, so it
 * keeps a small registry (`<config dir>/dbx-mcp/state.json`, mode 0600, written atomically).
 * An entry also counts as ours when it is exactly what dbx-mcp would render now: that keeps
 * re-runs idempotent after the registry was lost. Nothing here prints.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Ctx } from '../context.js';
import { dbxMcpConfigDir, pathFor } from './paths.js';
import type { AuthMode, ClientId } from './types.js';

type OwnCtx = Pick<Ctx, 'env' | 'home' | 'platform' | 'now'>;

/** One entry dbx-mcp wrote. */
export interface OwnershipRecord {
  /** Absolute path of the client's config file. */
  file: string;
  client: ClientId;
  /** Server name (key under mcpServers / servers). */
  name: string;
  url: string;
  auth: AuthMode;
  /** ISO timestamp. */
  writtenAt: string;
  /**
   * Written by `dbx-mcp sync` (absent: `add`/`init`). Lets a later sync remove entries its
   * manifest no longer lists without touching anything else. Optional: older registries lack it.
   */
  source?: 'sync';
  /** With `source: 'sync'`: absolute path of the manifest that listed the entry. */
  manifest?: string;
}

/** Contents of state.json. */
export interface OwnershipState {
  version: 1;
  entries: OwnershipRecord[];
}

/** Absolute path of state.json for this context. */
export function ownershipFile(ctx: Pick<Ctx, 'env' | 'home' | 'platform'>): string {
  const dir = dbxMcpConfigDir({ platform: ctx.platform, env: ctx.env, home: ctx.home });
  return pathFor(ctx.platform).join(dir, 'state.json');
}

function isRecord(v: unknown): v is OwnershipRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.file === 'string' && typeof r.name === 'string' && typeof r.client === 'string';
}

/**
 * Reads state.json. A missing or unreadable registry is an empty one: ownership then falls
 * back to "deep-equals what we would render", which is safe (it never claims a user's entry).
 */
export async function loadOwnership(ctx: OwnCtx): Promise<OwnershipState> {
  let text: string;
  try {
    text = await readFile(ownershipFile(ctx), 'utf8');
  } catch {
    return { version: 1, entries: [] };
  }
  try {
    const parsed = JSON.parse(text) as { entries?: unknown };
    const entries = Array.isArray(parsed.entries) ? parsed.entries.filter(isRecord) : [];
    return { version: 1, entries };
  } catch {
    return { version: 1, entries: [] };
  }
}

/** Same config file? Case-insensitive on Windows, where the file system is. */
export function sameFile(a: string, b: string, platform: NodeJS.Platform): boolean {
  const P = pathFor(platform);
  const na = P.normalize(a);
  const nb = P.normalize(b);
  return platform === 'win32' ? na.toLowerCase() === nb.toLowerCase() : na === nb;
}

/** What isOwned needs to know about an entry. */
export interface OwnershipQuery {
  file: string;
  name: string;
  /** The entry as it is in the file now. */
  current?: unknown;
  /** What dbx-mcp would render for it now, when known. */
  expected?: unknown;
}

/** True when the registry records file+name, or the current entry deep-equals the expected one. */
export function isOwned(state: OwnershipState, q: OwnershipQuery, platform: NodeJS.Platform): boolean {
  if (state.entries.some((r) => r.name === q.name && sameFile(r.file, q.file, platform))) return true;
  return q.current !== undefined && q.expected !== undefined && isDeepStrictEqual(q.current, q.expected);
}

async function saveOwnership(ctx: OwnCtx, state: OwnershipState): Promise<void> {
  const file = ownershipFile(ctx);
  const P = pathFor(ctx.platform);
  await mkdir(P.dirname(file), { recursive: true, mode: 0o700 });
  // Write-then-rename in the same directory: a crash never leaves a half-written registry.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
    if (ctx.platform !== 'win32') await chmod(tmp, 0o600);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

function withoutKeys(state: OwnershipState, records: Pick<OwnershipRecord, 'file' | 'name'>[], platform: NodeJS.Platform) {
  return state.entries.filter((e) => !records.some((r) => r.name === e.name && sameFile(r.file, e.file, platform)));
}

/** Records entries just written (replacing older records of the same file+name). */
export async function recordWritten(ctx: OwnCtx, records: OwnershipRecord[]): Promise<void> {
  if (records.length === 0) return;
  const state = await loadOwnership(ctx);
  await saveOwnership(ctx, { version: 1, entries: [...withoutKeys(state, records, ctx.platform), ...records] });
}

/** Forgets entries just removed from their files. */
export async function forgetRemoved(ctx: OwnCtx, records: Pick<OwnershipRecord, 'file' | 'name'>[]): Promise<void> {
  if (records.length === 0) return;
  const state = await loadOwnership(ctx);
  const entries = withoutKeys(state, records, ctx.platform);
  if (entries.length === state.entries.length) return;
  await saveOwnership(ctx, { version: 1, entries });
}
