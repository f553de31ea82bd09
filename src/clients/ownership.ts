/**
 * Which client entries dbx-mcp wrote. dbx-mcp updates and removes only its own entries, so it
 * keeps a small registry (`<config dir>/dbx-mcp/state.json`, mode 0600). It is written only as
 * one more change of the command's plan (ownershipChange), so it is checked with the client
 * files before anything is written and rolled back with them.
 * An entry also counts as ours when it is exactly what dbx-mcp would render now: that keeps
 * re-runs idempotent after the registry was lost. A corrupt registry is not read as an empty one
 * (that made `remove` refuse and `list` disown every entry dbx-mcp wrote): it is reported once,
 * kept as `state.json.corrupt-<time>` by the next write, and until the registry is whole again
 * (the new one carries `recoveredFrom`) an entry in dbx-mcp's own shape counts as ours
 * (hasDbxMcpShape). Only that one warning prints.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { lstat } from 'node:fs/promises';
import type { Ctx } from '../context.js';
import { DbxMcpError } from '../errors.js';
import { applyPlan, planFileEdit, readFileText, type FileChange } from '../config/file-plan.js';
import type { WriteFs } from '../config/write-fs.js';
import { dbxMcpConfigDir } from './paths.js';
import { readerFor, type EntryReader } from './read-entry.js';
import type { AuthMode, ClientId } from './types.js';
import { pathFor } from '../util/paths.js';
import { stamp } from '../config/backups.js';
import { hasDbxMcpShape } from './render.js';

/** `log`: where the corrupt-registry warning goes (omitted: nowhere). */
type OwnCtx = Pick<Ctx, 'env' | 'home' | 'platform' | 'now'> & { log?: Pick<Ctx['log'], 'warn' | 'info'> };

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
  /**
   * entryPrint() of the entry as dbx-mcp wrote it: an entry of the same name with other content
   * (written by hand after a kill left this record behind) is not dbx-mcp's. Optional: older
   * registries lack it, and their records are trusted by name until the entry is written again.
   */
  print?: string;
}

/**
 * A servers object dbx-mcp created in a file that did not have one (`path`, e.g. ["mcpServers"]),
 * or the whole file (`fileCreated`). When `remove` takes the last entry out, it takes these out
 * too, so the user gets back the bytes they had.
 */
export interface CreatedRecord {
  file: string;
  /** The outermost key dbx-mcp added on the way to the servers object. */
  path: string[];
  /** The file did not exist before dbx-mcp wrote it. */
  fileCreated?: boolean;
  /** The file held no JSON value at all (empty, blank or only comments): its exact text. */
  original?: string;
}

/** Contents of state.json. */
export interface OwnershipState {
  version: 1;
  entries: OwnershipRecord[];
  /** Optional: older registries lack it. */
  created?: CreatedRecord[];
  /**
   * The corrupt registry this one replaced (its kept copy's file name): entries written before
   * it are not recorded here, so entries in dbx-mcp's shape still count as ours.
   */
  recoveredFrom?: string;
  /** In memory only: state.json did not parse (why). Its entries are recognised by shape. */
  corrupt?: string;
}

/** What a command changes in the registry once its files are written. */
export interface OwnershipUpdate {
  written: OwnershipRecord[];
  forgotten: Pick<OwnershipRecord, 'file' | 'name'>[];
  created: CreatedRecord[];
  /** Files whose CreatedRecord goes (the servers object was removed again). */
  uncreated: string[];
}

export function emptyUpdate(): OwnershipUpdate {
  return { written: [], forgotten: [], created: [], uncreated: [] };
}

export function mergeUpdates(...updates: OwnershipUpdate[]): OwnershipUpdate {
  return {
    written: updates.flatMap((u) => u.written),
    forgotten: updates.flatMap((u) => u.forgotten),
    created: updates.flatMap((u) => u.created),
    uncreated: updates.flatMap((u) => u.uncreated),
  };
}

/** Absolute path of state.json for this context. */
export function ownershipFile(ctx: Pick<Ctx, 'env' | 'home' | 'platform'>): string {
  const dir = dbxMcpConfigDir({ platform: ctx.platform, env: ctx.env, home: ctx.home });
  return pathFor(ctx.platform).join(dir, 'state.json');
}

/** Where the intent record of a write transaction lives (config/intent.ts): next to state.json. */
export function intentFile(ctx: Pick<Ctx, 'env' | 'home' | 'platform'>): string {
  const P = pathFor(ctx.platform);
  return P.join(P.dirname(ownershipFile(ctx)), 'intent.json');
}

function isRecord(v: unknown): v is OwnershipRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.file === 'string' && typeof r.name === 'string' && typeof r.client === 'string' && (r.print === undefined || typeof r.print === 'string');
}

function isCreated(v: unknown): v is CreatedRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.file === 'string' && Array.isArray(r.path) && r.path.every((k) => typeof k === 'string') && (r.original === undefined || typeof r.original === 'string');
}

/** The registry in a state.json text; a missing one is empty, a corrupt one says why. */
export function parseOwnership(text: string | null): OwnershipState {
  if (text === null) return { version: 1, entries: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { version: 1, entries: [], corrupt: (e as Error).message };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { version: 1, entries: [], corrupt: 'not a JSON object' };
  const p = parsed as { entries?: unknown; created?: unknown; recoveredFrom?: unknown };
  if (p.entries !== undefined && !Array.isArray(p.entries)) return { version: 1, entries: [], corrupt: '"entries" is not a list' };
  const entries = Array.isArray(p.entries) ? p.entries.filter(isRecord) : [];
  const created = Array.isArray(p.created) ? p.created.filter(isCreated) : [];
  return {
    version: 1,
    entries,
    ...(created.length && { created }),
    ...(typeof p.recoveredFrom === 'string' && { recoveredFrom: p.recoveredFrom }),
  };
}

/** Logs already told about a corrupt registry: one warning per command, not one per client. */
const warned = new WeakSet<object>();

/**
 * Reads state.json. A missing or unreadable registry is an empty one: ownership then falls
 * back to "deep-equals what we would render", which is safe (it never claims a user's entry).
 * A corrupt one is reported (once per command) and recognised by shape (see the file comment).
 */
export async function loadOwnership(ctx: OwnCtx): Promise<OwnershipState> {
  const state = parseOwnership(await readOwnershipText(ctx));
  if (state.corrupt !== undefined && ctx.log !== undefined && !warned.has(ctx.log)) {
    warned.add(ctx.log);
    ctx.log.warn(
      `${ownershipFile(ctx)} (dbx-mcp's record of the entries it wrote) is corrupt: ${state.corrupt}. ` +
        `Until it is rebuilt, entries in dbx-mcp's own form (its proxy, or mcp-remote with ${'$'}DBX_MCP_AUTH_HEADER) count as written by dbx-mcp; ` +
        `the next command that writes keeps the corrupt file as state.json.corrupt-<time> and starts a new one.`,
    );
  }
  return state;
}

/** state.json's text; unreadable is missing, but a FIFO or folder there is refused (exit 2), not waited on. */
async function readOwnershipText(ctx: OwnCtx): Promise<string | null> {
  return readFileText(ownershipFile(ctx)).catch((e: unknown) => {
    if (e instanceof DbxMcpError) throw e;
    return null;
  });
}

/** Same config file? Case-insensitive on Windows, where the file system is. */
export function sameFile(a: string, b: string, platform: NodeJS.Platform): boolean {
  const P = pathFor(platform);
  const na = P.normalize(a);
  const nb = P.normalize(b);
  return platform === 'win32' ? na.toLowerCase() === nb.toLowerCase() : na === nb;
}

/** JSON with object keys sorted, so that key order (which codecs do not keep) does not count. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  // A TOML integer may parse as a bigint, which JSON.stringify refuses.
  return typeof v === 'bigint' ? v.toString() : (JSON.stringify(v) ?? 'null');
}

/**
 * The fingerprint of an entry's content: sha256 of what it runs or calls (the client's reader:
 * command, args, env, URL, headers, OAuth), so a toggle the client app adds itself (disabled)
 * does not disown it, while a hand-written entry that points elsewhere is not dbx-mcp's.
 */
export function entryPrint(client: ClientId, entry: unknown): string {
  let read: unknown;
  try {
    read = readerFor(client)(entry);
  } catch {
    read = undefined;
  }
  let view: unknown = entry;
  if (read !== undefined) {
    const { disabled: _d, ...rest } = read as Record<string, unknown>;
    view = rest;
  }
  return createHash('sha256').update(canonical(view)).digest('hex');
}

/** What isOwned needs to know about an entry. */
export interface OwnershipQuery {
  file: string;
  name: string;
  /** The entry as it is in the file now. */
  current?: unknown;
  /** What dbx-mcp would render for it now, when known. */
  expected?: unknown;
  /** The client's entry reader, for the shape fallback of a corrupt registry (default: JSON shapes). */
  reader?: EntryReader;
}

/**
 * True when the registry records file+name with this content (its fingerprint, when the record
 * has one and the current entry is given), or the current entry deep-equals the expected one,
 * or (the registry was corrupt) the current entry has dbx-mcp's own shape.
 */
export function isOwned(state: OwnershipState, q: OwnershipQuery, platform: NodeJS.Platform): boolean {
  const record = state.entries.find((r) => r.name === q.name && sameFile(r.file, q.file, platform));
  if (record && (record.print === undefined || q.current === undefined || entryPrint(record.client, q.current) === record.print)) return true;
  if (q.current !== undefined && (state.corrupt !== undefined || state.recoveredFrom !== undefined) && hasDbxMcpShape(q.current, q.reader)) return true;
  return q.current !== undefined && q.expected !== undefined && isDeepStrictEqual(q.current, q.expected);
}

function withoutKeys(state: OwnershipState, records: Pick<OwnershipRecord, 'file' | 'name'>[], platform: NodeJS.Platform) {
  return state.entries.filter((e) => !records.some((r) => r.name === e.name && sameFile(r.file, e.file, platform)));
}

/** Same record apart from when it was written: re-recording it would only churn the file. */
function sameRecord(a: OwnershipRecord, b: OwnershipRecord): boolean {
  const { writtenAt: _a, ...ra } = a;
  const { writtenAt: _b, ...rb } = b;
  return isDeepStrictEqual(ra, rb);
}

/** The registry after `update`. Records that only differ in writtenAt keep their old one. */
export function updatedOwnership(state: OwnershipState, update: OwnershipUpdate, platform: NodeJS.Platform): OwnershipState {
  let entries = withoutKeys(state, update.forgotten, platform);
  for (const r of update.written) {
    const i = entries.findIndex((e) => e.name === r.name && sameFile(e.file, r.file, platform));
    if (i === -1) entries = [...entries, r];
    else if (!sameRecord(entries[i] as OwnershipRecord, r)) entries = [...entries.slice(0, i), r, ...entries.slice(i + 1)];
  }
  const gone = [...update.uncreated, ...update.created.map((c) => c.file)];
  const created = [...(state.created ?? []).filter((c) => !gone.some((f) => sameFile(f, c.file, platform))), ...update.created];
  return { version: 1, entries, ...(created.length && { created }), ...(state.recoveredFrom !== undefined && { recoveredFrom: state.recoveredFrom }) };
}

/** The changes to state.json for `update`, planned with the client files; `kept`: where a corrupt one goes. */
export interface OwnershipChange {
  changes: FileChange[];
  kept?: string;
}

/**
 * The change to state.json for `update`, planned with the client files so that it is checked
 * and written (or rolled back) with them; no changes when the registry would not change. A
 * corrupt registry is first kept as `state.json.corrupt-<time>` (a new file in the same plan),
 * and the new one names it in `recoveredFrom`.
 */
export async function ownershipChange(ctx: OwnCtx, update: OwnershipUpdate): Promise<OwnershipChange> {
  const file = ownershipFile(ctx);
  const before = await readOwnershipText(ctx);
  const state = parseOwnership(before);
  const { corrupt: _corrupt, ...whole } = state;
  const next = updatedOwnership(whole, update, ctx.platform);
  if (state.corrupt === undefined) {
    if (before !== null && isDeepStrictEqual(next, state)) return { changes: [] };
    const change = planFileEdit(file, before, JSON.stringify(next, null, 2) + '\n', { holdsSecret: true, backup: false });
    return { changes: change ? [change] : [] };
  }
  const kept = await keptName(file, ctx.now());
  const keep = planFileEdit(kept, null, before ?? '', { holdsSecret: true, backup: false });
  const P = pathFor(ctx.platform);
  const fresh = planFileEdit(file, before, JSON.stringify({ ...next, recoveredFrom: P.basename(kept) }, null, 2) + '\n', { holdsSecret: true, backup: false });
  return { changes: [keep, fresh].filter((c): c is FileChange => c !== null), kept };
}

/** `state.json.corrupt-<YYYYMMDD-HHMMSS>` (`-N` added if taken) beside the registry. */
async function keptName(file: string, nowMs: number): Promise<string> {
  const base = `${file}.corrupt-${stamp(nowMs)}`;
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? base : `${base}-${n}`;
    if ((await lstat(candidate).catch(() => null)) === null) return candidate;
  }
}

/** Writes `update` to the registry on its own (the write flow plans it with the files instead). */
export async function saveOwnershipUpdate(ctx: OwnCtx, update: OwnershipUpdate, fs?: WriteFs): Promise<void> {
  const { changes } = await ownershipChange(ctx, update);
  if (changes.length) await applyPlan({ changes, notes: [] }, { now: ctx.now, fs });
}

/** Records entries just written (replacing older records of the same file+name). */
export async function recordWritten(ctx: OwnCtx, records: OwnershipRecord[]): Promise<void> {
  if (records.length === 0) return;
  await saveOwnershipUpdate(ctx, { ...emptyUpdate(), written: records });
}

/** Forgets entries just removed from their files. */
export async function forgetRemoved(ctx: OwnCtx, records: Pick<OwnershipRecord, 'file' | 'name'>[]): Promise<void> {
  if (records.length === 0) return;
  await saveOwnershipUpdate(ctx, { ...emptyUpdate(), forgotten: records });
}
