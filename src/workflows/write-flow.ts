/**
 * The write flow shared by `add`, `remove`, `init` and `sync`: plan every entry for every
 * client → show one plan (diff) → confirm → apply atomically → record ownership → tell the
 * user how each client picks the change up. `--dry-run` stops after the plan; a second run
 * with nothing to do says so and writes nothing.
 */
import { applyPlan, type FileChange, type Plan } from '../config/file-plan.js';
import { readVerified } from '../config/preflight.js';
import { withLocks } from '../config/write-lock.js';
import { recoverIntent, sweepTemps } from '../config/intent.js';
import { commitWindow } from '../util/interrupts.js';
import { renderPlan } from '../ui/plan.js';
import { getClient, planRemove, planUpsert } from '../clients/index.js';
import { emptyUpdate, intentFile, loadOwnership, ownershipChange, ownershipFile, type OwnershipUpdate } from '../clients/ownership.js';
import { configFileFor } from '../clients/target.js';
import type { ClientId, Scope, ServerSpec } from '../clients/types.js';
import type { Ctx } from '../context.js';
import { ExitCode } from '../errors.js';
import { displayPath } from '../util/paths.js';

export interface EntryOutcome {
  client: ClientId;
  file: string;
  name: string;
  status: 'added' | 'updated' | 'unchanged' | 'conflict' | 'removed' | 'absent';
  auth?: string;
  message: string;
  notes: string[];
}

export interface WriteRequest {
  clients: ClientId[];
  scope: Scope;
  upserts?: ServerSpec[];
  removals?: { client: ClientId; name: string }[];
  force?: boolean;
  projectRoot?: string;
}

export interface PlannedWrite {
  plan: Plan;
  outcomes: EntryOutcome[];
  /** The registry change that goes with the files (written by the same applyWrites). */
  ownership: OwnershipUpdate;
  apply(): Promise<void>;
}

/** What a transaction writes: the file changes and the registry update that goes with them. */
export interface WriteSet {
  changes: FileChange[];
  update: OwnershipUpdate;
}

/**
 * Writes the files and the registry (state.json) as one transaction: every file's lock (and the
 * registry's) is held from the re-read to the record, everything is checked before the first
 * byte is written, and a failure at any step leaves every file as it was. When another writer
 * changed a file between this command's plan and its lock, `replan` (if given) plans again from
 * the fresh files under the lock, so a writer that waited gets the other's result, not a
 * conflict; without it the write is refused (CONFIG_CHANGED) and nothing is lost either.
 * Returns the write set actually applied.
 */
export async function applyWrites(ctx: Ctx, changes: FileChange[], update: OwnershipUpdate, replan?: () => Promise<WriteSet>): Promise<WriteSet> {
  const targets = [...changes.map((c) => c.path), ownershipFile(ctx)];
  const onWait = (target: string) => ctx.log.info(`Waiting for another dbx-mcp to finish writing ${displayPath(ctx, target)}…`);
  return withLocks(targets, async () => {
    await recover(ctx, changes);
    let set: WriteSet = { changes, update };
    if (replan && (await stale(changes))) {
      set = await replan();
      // The fresh plan may touch files the first did not; their locks are taken (nested) too.
      return withLocks(set.changes.map((c) => c.path), () => commit(ctx, set), onWait);
    }
    return commit(ctx, set);
  }, onWait);
}

/** The commit window: a signal from here on waits until every file and the record are written. */
async function commit(ctx: Ctx, set: WriteSet): Promise<WriteSet> {
  const state = await ownershipChange(ctx, set.update);
  const all = [...set.changes, ...state.changes];
  if (all.length > 0) await commitWindow(() => applyPlan({ changes: all, notes: [] }, { now: ctx.now, fs: ctx.writeFs, intent: intentFile(ctx) }), (applied) => applied.map((a) => displayPath(ctx, a.path)));
  if (state.kept !== undefined) ctx.log.info(`Kept the corrupt ${displayPath(ctx, ownershipFile(ctx))} as ${displayPath(ctx, state.kept)}; a new one records what this command wrote.`);
  return set;
}

/**
 * Under the state lock (held by every transaction): finishes or undoes a transaction a kill
 * interrupted (intent.ts), and removes dead processes' temp files beside the files this one
 * writes. Says what it did, since it changes files the user did not name.
 */
async function recover(ctx: Ctx, changes: FileChange[]): Promise<void> {
  const r = await recoverIntent(intentFile(ctx));
  if (r && (r.files.length > 0 || r.skipped.length > 0)) {
    const names = (l: string[]) => l.map((f) => displayPath(ctx, f)).join(', ');
    if (r.files.length) ctx.log.warn(r.direction === 'finished' ? `Finished a dbx-mcp write that was interrupted: ${names(r.files)}` : `Undid a dbx-mcp write that was interrupted before it changed anything (removed its backups of ${names(r.files)})`);
    if (r.skipped.length) ctx.log.warn(`Left alone, edited since a dbx-mcp write was interrupted: ${names(r.skipped)}`);
  }
  for (const c of [...changes.map((x) => x.path), ownershipFile(ctx), intentFile(ctx)]) {
    const gone = await sweepTemps(c);
    if (gone.length) ctx.log.debug(`Removed ${gone.length} temp file(s) left by an interrupted dbx-mcp beside ${displayPath(ctx, c)}`);
  }
}

/** True when a file is no longer the text the plan was made from (or cannot be read). */
async function stale(changes: FileChange[]): Promise<boolean> {
  // readVerified hashes the file in chunks rather than holding a second copy of a big config.
  for (const c of changes) if (await readVerified(c).then(() => false, () => true)) return true;
  return false;
}

/** Plans all entries; several entries for one file are chained so the file gets one change. */
export async function planWrites(ctx: Ctx, req: WriteRequest): Promise<PlannedWrite> {
  const ownership = await loadOwnership(ctx);
  const byFile = new Map<string, FileChange>();
  const outcomes: EntryOutcome[] = [];
  const update = emptyUpdate();
  const notes: string[] = [];

  const merge = (change: FileChange | null) => {
    if (!change) return;
    const prev = byFile.get(change.path);
    if (!prev) {
      byFile.set(change.path, change);
      return;
    }
    // The last change decides whether the file ends up deleted. Its splices are of the first
    // change's new text, not of `before`: the merged change has none.
    const { deletes: _old, splices: _theirs, ...rest } = prev;
    const dropBackups = [...new Set([...(prev.dropBackups ?? []), ...(change.dropBackups ?? [])])];
    byFile.set(change.path, {
      ...rest,
      after: change.after,
      ...(change.deletes && { deletes: true }),
      holdsSecret: prev.holdsSecret || change.holdsSecret,
      summary: [...prev.summary, ...change.summary],
      // A removal that took a secret out makes no backup, whatever else the file gets.
      ...((prev.backup === false || change.backup === false) && { backup: false }),
      ...(dropBackups.length > 0 && { dropBackups }),
    });
  };

  for (const client of req.clients) {
    for (const spec of req.upserts ?? []) {
      const r = await planUpsert(ctx, { client, scope: req.scope, spec, force: req.force, ownership, projectRoot: req.projectRoot, baseText: pendingText(byFile, client, ctx, req) });
      merge(r.change);
      // Unchanged entries are recorded too: keeps `remove` working after the registry was lost.
      if (r.record) update.written.push(r.record);
      if (r.created) update.created.push(r.created);
      outcomes.push({ client, file: r.file, name: spec.name, status: r.status, auth: r.rendered.effectiveAuth, message: r.message, notes: r.rendered.notes });
      for (const n of r.rendered.notes) if (!notes.includes(n)) notes.push(n);
    }
    for (const rm of (req.removals ?? []).filter((x) => x.client === client)) {
      const r = await planRemove(ctx, { client, scope: req.scope, name: rm.name, force: req.force, ownership, projectRoot: req.projectRoot, baseText: pendingText(byFile, client, ctx, req) });
      merge(r.change);
      if (r.record) update.forgotten.push(r.record);
      if (r.uncreated) update.uncreated.push(r.uncreated);
      outcomes.push({ client, file: r.file, name: rm.name, status: r.status, message: r.message, notes: [] });
    }
  }

  const plan: Plan = { changes: [...byFile.values()], notes };
  const planned: PlannedWrite = {
    plan,
    outcomes,
    ownership: update,
    apply: async () => {
      await applyWrites(ctx, plan.changes, update, async () => {
        const again = await planWrites(ctx, req);
        // What is reported (--json, "Wrote …") is what was written: the fresh plan.
        planned.plan = again.plan;
        planned.outcomes = again.outcomes;
        planned.ownership = again.ownership;
        return { changes: again.plan.changes, update: again.ownership };
      });
    },
  };
  return planned;
}

/** The text a file will have after the changes already planned for it (undefined: read from disk). */
function pendingText(byFile: Map<string, FileChange>, client: ClientId, ctx: Ctx, req: WriteRequest): string | null | undefined {
  const file = configFileFor(ctx, client, req.scope, req.projectRoot);
  const change = file ? byFile.get(file) : undefined;
  // null: the file is going to be deleted, so later changes start from no file.
  return change === undefined ? undefined : change.deletes ? null : change.after;
}

/** What became of a plan shown to the user. */
export type ApplyStatus = 'applied' | 'unchanged' | 'dry-run' | 'declined';

/** A plan ready to be confirmed: planWrites' result, or init's plan (client files plus its own). */
export interface ConfirmablePlan {
  plan: Plan;
  outcomes: EntryOutcome[];
  apply(): Promise<void>;
}

export interface ConfirmApplyOptions {
  yes?: boolean;
  dryRun?: boolean;
  /** --json: the caller prints the result, so no plan, progress or success lines here. */
  json?: boolean;
  /** Question shown before applying. */
  confirmMessage?: string;
  /** After writing, tell how to restart each client touched (init says it in its outro instead). */
  restartHints?: boolean;
  /** Runs after the confirmation and before the first write (init's global install). */
  beforeApply?: () => Promise<void>;
}

/**
 * The one plan → confirm → apply flow of add, remove, sync and init: shows the plan and the
 * conflicts, asks (unless --yes), applies, and says what was written. Conflicting entries are
 * left out of the plan; the rest is still applied.
 */
export async function confirmAndApply(ctx: Ctx, planned: ConfirmablePlan, o: ConfirmApplyOptions): Promise<ApplyStatus> {
  const { plan, outcomes } = planned;
  const conflicts = outcomes.filter((x) => x.status === 'conflict');
  const changed = plan.changes.length > 0;

  // --quiet: the summary lines and notes, no diff (a diff of a big file is what --quiet is for).
  if (!o.json && changed) ctx.log.out(renderPlan(plan, { color: ctx.log.color, diffs: ctx.log.level !== 'quiet' }).replace(/\n$/, ''));
  for (const c of conflicts) ctx.log.warn(c.message);

  if (!changed) {
    // Unchanged entries still get recorded as ours (cheap, keeps remove working after a registry loss).
    if (!o.dryRun && outcomes.some((x) => x.status === 'unchanged')) await planned.apply();
    if (!o.json) ctx.log.success(conflicts.length ? 'Nothing else to change.' : 'No changes: everything is already up to date.');
    return 'unchanged';
  }
  if (o.dryRun) {
    if (!o.json) ctx.log.info('Dry run: nothing was written.');
    return 'dry-run';
  }
  if (!o.yes) {
    const ok = await ctx.prompt.confirm({ id: 'apply', message: o.confirmMessage ?? `Write ${plan.changes.length} file${plan.changes.length === 1 ? '' : 's'}?`, flag: '--yes', initial: true });
    if (!ok) {
      ctx.log.info('Nothing was written.');
      return 'declined';
    }
  }
  await o.beforeApply?.();
  await planned.apply();
  if (!o.json) {
    // planned.plan, not `plan`: a writer that waited for another one applied a fresh plan.
    for (const c of planned.plan.changes) {
      ctx.log.success(c.deletes ? `Deleted ${displayPath(ctx, c.path)} (dbx-mcp created it and nothing else is in it)` : `Wrote ${displayPath(ctx, c.path)}${c.holdsSecret ? ' (mode 0600)' : ''}`);
    }
    if (o.restartHints) {
      const clients = [...new Set(planned.outcomes.filter((x) => x.status !== 'unchanged' && x.status !== 'conflict' && x.status !== 'absent').map((x) => x.client))];
      for (const id of clients) ctx.log.step(`${getClient(id).displayName}: ${getClient(id).restartHint}`);
    }
  }
  return 'applied';
}

export interface RunWriteOptions {
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  /** Extra fields for the --json result. */
  jsonExtra?: Record<string, unknown>;
  /** Question shown before applying. */
  confirmMessage?: string;
}

/**
 * add, remove and sync: confirmAndApply, then their --json result. Returns the exit code: 1
 * when any entry was a conflict (the others are still applied), 0 otherwise.
 */
export async function showConfirmApply(ctx: Ctx, planned: PlannedWrite, o: RunWriteOptions): Promise<ExitCode> {
  const status = await confirmAndApply(ctx, planned, { ...o, restartHints: true });
  if (status === 'declined') return ExitCode.Cancelled;
  // Read after applying: a writer that waited for another one applied (and reports) a fresh plan.
  const { plan, outcomes } = planned;
  const conflicts = outcomes.filter((x) => x.status === 'conflict');
  if (o.json) {
    ctx.log.out(
      JSON.stringify({
        ok: conflicts.length === 0,
        dryRun: Boolean(o.dryRun),
        changed: plan.changes.length > 0,
        applied: status === 'applied',
        ...o.jsonExtra,
        entries: outcomes.map((x) => ({ client: x.client, file: x.file, name: x.name, status: x.status, auth: x.auth, message: x.message, notes: x.notes })),
        files: plan.changes.map((c) => ({ path: c.path, created: c.before === null, ...(c.deletes && { deleted: true }), summary: c.summary })),
      }),
    );
  }
  return conflicts.length ? ExitCode.Failed : ExitCode.Ok;
}
