/**
 * Planning "put server X into client Y" (and "take it out") as a FileChange. Nothing is
 * written here: the caller shows the plan, applies it, then records ownership. An entry
 * dbx-mcp did not write is never changed without --force.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Ctx } from '../context.js';
import { realpath } from 'node:fs/promises';
import { ConfigParseError, UsageError } from '../errors.js';
import type { ConfigCodec } from '../config/codecs/index.js';
import { planFileEdit, type FileChange } from '../config/file-plan.js';
import { applySplices, SplicedText, type Splice } from '../config/splice.js';
import { backupsToDrop, entrySecrets, restorableBackup } from './backup-secrets.js';
import { entryPrint, isOwned, loadOwnership, sameFile, type CreatedRecord, type OwnershipRecord, type OwnershipState } from './ownership.js';
import { readerFor } from './read-entry.js';
import { isPortableProxyEntry } from './render.js';
import { codecOf, readConfigText, readServers, resolveTarget } from './target.js';
import type { ClientId, Rendered, Scope, ServerSpec } from './types.js';
import { displayPath } from '../util/paths.js';

/** Input of planUpsert. */
export interface UpsertRequest {
  client: ClientId;
  scope: Scope;
  spec: ServerSpec;
  /** Take over an entry of that name that dbx-mcp did not write. */
  force?: boolean;
  /** Preloaded registry (saves re-reading it per client). */
  ownership?: OwnershipState;
  /** Project root for `project` scope; default: the repository around ctx.cwd. */
  projectRoot?: string;
  /**
   * The text the file will have after changes already planned for it in this run (several
   * servers into one file chain into one change); null: the file will not exist; undefined:
   * read the file from disk.
   */
  baseText?: string | null;
}

/** Result of planUpsert. */
export interface UpsertResult {
  /** null when nothing changes (unchanged or conflict). */
  change: FileChange | null;
  status: 'added' | 'updated' | 'unchanged' | 'conflict';
  message: string;
  /** What to pass to recordWritten after the change is applied; null on conflict. */
  record: OwnershipRecord | null;
  /** The servers object (or the file) this change creates, so remove can take it out again. */
  created?: CreatedRecord;
  file: string;
  rendered: Rendered;
}

/** Input of planRemove. */
export interface RemoveRequest {
  client: ClientId;
  scope: Scope;
  name: string;
  force?: boolean;
  ownership?: OwnershipState;
  projectRoot?: string;
  /**
   * The text the file will have after changes already planned for it in this run (several
   * servers into one file chain into one change); null: the file will not exist; undefined:
   * read the file from disk.
   */
  baseText?: string | null;
  /** When given, an entry equal to its rendering counts as ours even if unrecorded. */
  spec?: ServerSpec;
}

/** Result of planRemove. */
export interface RemoveResult {
  change: FileChange | null;
  status: 'removed' | 'absent' | 'conflict';
  message: string;
  /** What to pass to forgetRemoved after the change is applied; null unless removed. */
  record: Pick<OwnershipRecord, 'file' | 'client' | 'name'> | null;
  /** The file whose CreatedRecord is used up: the servers object dbx-mcp created was removed. */
  uncreated?: string;
  file: string;
}

function secretInProjectError(spec: ServerSpec, clientName: string, file: string): UsageError {
  return new UsageError(
    `Refusing to write a token into ${file}: project-scoped files are shared through version control, and the ${clientName} entry for "${spec.name}" would hold a literal secret`,
    {
      code: 'SECRET_IN_PROJECT',
      hint: 'Use --auth proxy (no secret in the file), or --auth header without --literal-token (an environment reference), or --scope user.',
    },
  );
}

/**
 * Plans adding or updating `spec.name` in a client's file.
 * Throws ConfigParseError (exit 2, file untouched) when the file does not parse, and
 * UsageError when a secret would land in a project-scoped file or the scope is unsupported.
 */
export async function planUpsert(ctx: Ctx, req: UpsertRequest): Promise<UpsertResult> {
  const { adapter, file } = resolveTarget(ctx, req.client, req.scope, req.projectRoot);
  const rendered = adapter.render(req.spec, ctx.platform);
  if (req.scope === 'project' && rendered.holdsSecret) throw secretInProjectError(req.spec, adapter.displayName, file);

  const name = req.spec.name;
  const where = `${adapter.displayName} (${displayPath(ctx, file)})`;
  const before = req.baseText !== undefined ? req.baseText : await readConfigText(file);
  const codec = await codecOf(adapter);
  const servers = await serversIn(codec, before, file, adapter.serversPath);
  const existing = Object.prototype.hasOwnProperty.call(servers, name) ? servers[name] : undefined;
  const record: OwnershipRecord = {
    file,
    client: adapter.id,
    name,
    url: req.spec.url,
    auth: rendered.effectiveAuth,
    writtenAt: new Date(ctx.now()).toISOString(),
    print: entryPrint(adapter.id, rendered.entry),
  };
  const base = { file, rendered };

  if (existing !== undefined && isDeepStrictEqual(existing, rendered.entry)) {
    return { ...base, change: null, status: 'unchanged', message: `"${name}" is already up to date in ${where}`, record };
  }
  let status: 'added' | 'updated' = 'added';
  if (existing !== undefined) {
    const ownership = req.ownership ?? (await loadOwnership(ctx));
    const owned = isOwned(ownership, { file, name, current: existing, expected: rendered.entry, reader: readerFor(adapter.id) }, ctx.platform);
    if (!owned && !req.force) {
      return {
        ...base,
        change: null,
        status: 'conflict',
        message: `an entry named "${name}" that dbx-mcp did not write exists in ${displayPath(ctx, file)}; use --name to pick another name or --force to take it over`,
        record: null,
      };
    }
    status = 'updated';
  }

  const entryPath = [...adapter.serversPath, name];
  const fileKeys = Object.entries(rendered.fileKeys ?? {});
  // As splices when the codec can (a big ~/.claude.json's new text is then never copied whole).
  let after: string | Splice[] = codec.setSplices && fileKeys.length === 0 ? codec.setSplices(before ?? '', entryPath, rendered.entry, file) : codec.set(before ?? '', entryPath, rendered.entry, file);
  // File-wide keys the entry needs (Codex's OAuth callback port): a value the user set stays theirs.
  for (const [key, value] of fileKeys) {
    const text = after as string;
    if (codec.parseAt(text, [key], file).value === undefined) after = codec.set(text, [key], value, file);
  }
  // Notes stay out of the summary: the caller collects rendered.notes into Plan.notes once.
  const change = planFileEdit(file, before, after, {
    holdsSecret: rendered.holdsSecret,
    summary: [`${status === 'added' ? '+' : '~'} ${[...adapter.serversPath, name].join('.')} (${adapter.id}, ${rendered.effectiveAuth})`],
  });
  const message = status === 'added' ? `Added "${name}" to ${where}` : `Updated "${name}" in ${where}`;
  // planFileEdit returns null only when the text is identical (e.g. key order differs but values match).
  if (change === null) return { ...base, change: null, status: 'unchanged', message: `"${name}" is already up to date in ${where}`, record };
  const created = createdBy(codec, before, file, adapter.serversPath);
  return { ...base, change, status, message, record, ...(created && { created }) };
}

/**
 * Plans removing `name` from a client's file; only entries dbx-mcp wrote unless `force`.
 * A missing file or entry is `absent`. Throws ConfigParseError when the file does not parse.
 */
export async function planRemove(ctx: Ctx, req: RemoveRequest): Promise<RemoveResult> {
  const { adapter, file } = resolveTarget(ctx, req.client, req.scope, req.projectRoot);
  const where = `${adapter.displayName} (${displayPath(ctx, file)})`;
  const before = req.baseText !== undefined ? req.baseText : await readConfigText(file);
  const codec = await codecOf(adapter);
  const servers = await serversIn(codec, before, file, adapter.serversPath);
  const name = req.name;
  if (before === null || !Object.prototype.hasOwnProperty.call(servers, name)) {
    return { change: null, status: 'absent', message: `"${name}" is not in ${where}`, record: null, file };
  }
  const ownership = req.ownership ?? (await loadOwnership(ctx));
  const expected = req.spec !== undefined ? adapter.render(req.spec, ctx.platform).entry : undefined;
  // A committed project file is shared: a teammate's dbx-mcp may have written the entry.
  const teammates = req.scope === 'project' && isPortableProxyEntry(servers[name], readerFor(req.client));
  if (!teammates && !isOwned(ownership, { file, name, current: servers[name], expected, reader: readerFor(req.client) }, ctx.platform) && !req.force) {
    return {
      change: null,
      status: 'conflict',
      message: `an entry named "${name}" that dbx-mcp did not write exists in ${displayPath(ctx, file)}; it was left alone (use --force to remove it anyway)`,
      record: null,
      file,
    };
  }
  const entryPath = [...adapter.serversPath, name];
  // As splices when the codec can, as for add: a big file's new text is read in place.
  const splices = codec.removeSplices?.(before, entryPath, file);
  let after: string | null = splices ? applySplices(before, splices) : codec.remove(before, entryPath, file);
  const created = Object.keys(servers).length === 1 ? (ownership.created ?? []).find((c) => sameFile(c.file, file, ctx.platform)) : undefined;
  const undo = created && undoCreated(codec, after, file, adapter.serversPath, created);
  if (undo !== undefined) after = undo;
  const left = undo === undefined && splices ? new SplicedText(before, splices) : after;
  // Secrets left behind (backup-secrets.ts): no backup of what held the removed entry's secret,
  // and the older backups that hold it go once the change is written.
  const target = await realpath(file).catch(() => file);
  const dropBackups = await backupsToDrop(codec, target, adapter.serversPath, name, servers[name], left);
  const takesSecretOut = left === null || entrySecrets(servers[name]).some((s) => !left.includes(s));
  const change = planFileEdit(file, before, undo === undefined && splices ? splices : after, {
    holdsSecret: false,
    summary: [`- ${[...adapter.serversPath, name].join('.')} (${adapter.id})`],
    ...(takesSecretOut && { backup: false }),
  });
  if (change && dropBackups.length) change.dropBackups = dropBackups;
  return {
    change,
    status: 'removed',
    message: `Removed "${name}" from ${where}`,
    record: { file, client: adapter.id, name },
    ...(undo !== undefined && { uncreated: file }),
    file,
  };
}

/**
 * readServers, and when the file does not parse, the error offers dbx-mcp's newest backup of it
 * that is worth restoring (non-empty, parses), if there is one (a symlinked file's backups sit
 * beside its target).
 */
async function serversIn(codec: ConfigCodec, text: string | null, file: string, serversPath: string[]): Promise<Record<string, unknown>> {
  try {
    return readServers(codec, text, file, serversPath);
  } catch (e) {
    if (!(e instanceof ConfigParseError) || e.backup) throw e;
    const target = await realpath(file).catch(() => file);
    const backup = await restorableBackup(codec, target, serversPath);
    throw backup ? new ConfigParseError(e.file, e.line, e.column, e.detail, backup) : e;
  }
}

/**
 * What adding into `before` creates on the way to the servers object: the whole file, or the
 * outermost missing key of `serversPath`; undefined when the servers object exists already.
 */
function createdBy(codec: ConfigCodec, before: string | null, file: string, serversPath: string[]): CreatedRecord | undefined {
  if (before === null) return { file, path: serversPath.slice(0, 1), fileCreated: true };
  if (!codec.hasDocument(before)) return { file, path: serversPath.slice(0, 1), original: before };
  for (let i = 1; i <= serversPath.length; i++) {
    if (codec.parseAt(before, serversPath.slice(0, i), file).value === undefined) return { file, path: serversPath.slice(0, i) };
  }
  return undefined;
}

/**
 * `after` (the last entry already taken out) without what dbx-mcp created for it, if that holds
 * nothing else: the text the user had before the first `add`. null: delete the file (dbx-mcp
 * created it and nothing else is in it). undefined: keep `after` as it is.
 */
function undoCreated(codec: ConfigCodec, after: string, file: string, serversPath: string[], created: CreatedRecord): string | null | undefined {
  const path = created.path;
  if (path.length === 0 || path.some((k, i) => serversPath[i] !== k)) return undefined;
  const node = codec.parseAt(after, path, file).value;
  const emptyChain = serversPath.slice(path.length).reduceRight<unknown>((v, k) => ({ [k]: v }), {});
  if (!isDeepStrictEqual(node, emptyChain)) return undefined;
  const text = codec.remove(after, path, file);
  // Only the bare empty document dbx-mcp wrote goes: a comment or key the user added since stays.
  const bare = codec.trailingEmptyDocument(text);
  if (bare !== undefined && created.fileCreated && bare === 0) return null;
  // A file that held only comments or whitespace got the document appended after them.
  if (bare !== undefined && created.original !== undefined && text.slice(0, bare).trimEnd() === created.original.trimEnd()) return created.original;
  return text;
}
