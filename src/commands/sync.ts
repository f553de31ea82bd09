/**
 * `dbx-mcp sync [--check]`: make this machine match the team manifest (contract: Team
 * manifest) with the user's own profile for the manifest's workspace, through the same
 * plan → diff → apply flow as `add`. `--check` changes nothing and exits 1 on drift, so
 * onboarding scripts and CI can gate on it without a terminal.
 */
import type { Scope } from '../clients/types.js';
import { renderPlan } from '../ui/plan.js';
import { redactedDiff } from '../config/diff.js';
import { newContent } from '../config/splice.js';
import type { Ctx } from '../context.js';
import { ExitCode, isDbxMcpError, UsageError } from '../errors.js';
import { createApi } from '../databricks/api.js';
import { normalizeHost } from '../databricks/host.js';
import { resolveConfig } from '../databricks/profiles.js';
import { kindDef } from '../databricks/server-kinds/index.js';
import { findManifest, loadManifest, MANIFEST_FILE, type Manifest } from '../manifest/index.js';
import { chooseProfileForHost, type ProfileChoice } from '../databricks/profile-match.js';
import { driftOf, planSync, type SyncPlan } from '../team/sync-plan.js';
import { showConfirmApply } from '../workflows/write-flow.js';
import { optionsSchema, parseOptions } from '../workflows/parse-options.js';
import { SYNC_FLAGS } from '../workflows/flags.js';
import { pathFor } from '../util/paths.js';

/** Validated from the flags' one declaration (workflows/flags.ts). */
const SyncOptions = optionsSchema(SYNC_FLAGS);

/** The manifest for this run, or exit 2 saying where it looked. */
export function requireManifest(ctx: Ctx, explicit?: string): { path: string; manifest: Manifest } {
  const path = findManifest(ctx, explicit);
  if (!path) {
    throw new UsageError(`No ${MANIFEST_FILE} in ${ctx.cwd} or its parent directories`, {
      code: 'MANIFEST_NOT_FOUND',
      hint: `Run this from the repository that holds ${MANIFEST_FILE}, pass --manifest <path>, or create one with \`dbx-mcp init --save-manifest\`.`,
    });
  }
  return { path, manifest: loadManifest(ctx, path) };
}

export async function runSync(ctx: Ctx, raw: object): Promise<ExitCode> {
  const o = parseOptions(SyncOptions, raw, 'sync');
  const { path, manifest } = requireManifest(ctx, o.manifest);
  const host = normalizeHost(manifest.workspace.host);
  const scope: Scope = o.scope ?? manifest.scope ?? 'user';
  ctx.log.debug(`manifest ${path}: ${manifest.servers.length} server(s) for ${host}, scope ${scope}`);

  // Project files are shared: no personal profile goes into them, so none is needed, and
  // their servers are not checked against this user's grants (teammates have their own).
  // …except to learn the URL of a kind the workspace must tell (an app's host is its own).
  const needsUrls = manifest.servers.some((s) => kindDef(s.type).resolvesUrl);
  let choice: ProfileChoice | undefined;
  if (scope === 'user' || needsUrls) {
    choice = await chooseProfileForHost(ctx, host, ctx.globals.profile);
    ctx.log.debug(`profile: ${choice.profile ?? '(environment)'} (${choice.reason})`);
  }
  const api = choice ? createApi(ctx, resolveConfig(ctx, choice.profile)) : undefined;
  const spin = api ? ctx.log.spinner(`Checking ${manifest.servers.length} server${manifest.servers.length === 1 ? '' : 's'} in ${host}`) : undefined;
  let sync: SyncPlan;
  try {
    sync = await planSync(ctx, {
      manifestPath: path,
      manifest,
      scope,
      clients: o.client,
      profile: choice?.profile,
      proxyCommand: o.proxyCommand,
      force: o.force,
      api,
      checkTargets: scope === 'user',
    });
    spin?.stop();
  } catch (e) {
    spin?.stop(undefined, false);
    // The onboarding scripts read the chosen profile from `sync --check --json` to decide
    // whether to sign in again: keep it in the error when the workspace check fails.
    if (isDbxMcpError(e) && choice) e.details = { ...e.details, profile: choice.profile ?? null, profileReason: choice.reason, authType: choice.authType ?? null };
    throw e;
  }
  if (!ctx.globals.json) {
    for (const s of sync.skipped) ctx.log.info(`Skipping ${s.client}: ${s.reason}.`);
    for (const s of sync.skippedTargets) ctx.log.warn(`Skipping server "${s.name}" (${s.type}${s.target ? ` ${s.target}` : ''}): ${s.reason}${s.fix ? `\n  Fix: ${s.fix}` : ''}`);
  }

  const info = {
    manifest: path,
    host,
    scope,
    profile: choice?.profile ?? null,
    profileReason: choice?.reason ?? null,
    authType: choice?.authType ?? null,
    clients: sync.clients,
    skipped: sync.skipped,
    skippedTargets: sync.skippedTargets,
    servers: sync.specs.map((s) => ({ name: s.name, url: s.url, kind: s.kind })),
  };
  if (o.check) return reportCheck(ctx, sync, info);

  const code = await showConfirmApply(ctx, sync.planned, {
    yes: ctx.globals.yes,
    dryRun: ctx.globals.dryRun,
    json: ctx.globals.json,
    jsonExtra: { ...info, commit: commitList(ctx, sync) },
  });
  if (code === ExitCode.Ok && sync.skippedTargets.length) {
    // The rest is applied, but this machine does not have every server the manifest lists.
    if (!ctx.globals.json) ctx.log.warn(skippedSummary(sync));
    return ExitCode.Failed;
  }
  if (code === ExitCode.Ok && scope === 'project' && !ctx.globals.json) {
    const files = commitList(ctx, sync);
    ctx.log.info(`Commit these project files so teammates get the same servers (they hold no secret): git add ${files.join(' ')}`);
    if (sync.specs.some((s) => s.auth === 'proxy')) {
      ctx.log.info(`Proxy entries run \`npx -y dbx-mcp@${ctx.version}\` with each developer's default Databricks profile (or DATABRICKS_CONFIG_PROFILE).`);
    }
  }
  return code;
}

/** Project files relative to the project root, for `git add`. */
function commitList(ctx: Ctx, sync: SyncPlan): string[] {
  if (!sync.projectRoot) return [];
  const P = pathFor(ctx.platform);
  return sync.projectFiles.map((f) => P.relative(sync.projectRoot!, f).split(P.sep).join('/'));
}

function skippedSummary(sync: SyncPlan): string {
  const n = sync.skippedTargets.length;
  return `${n} server${n === 1 ? '' : 's'} of the manifest ${n === 1 ? 'was' : 'were'} skipped (${sync.skippedTargets.map((s) => s.name).join(', ')}): get access, then run dbx-mcp sync again.`;
}

/**
 * `--check`: nothing is written; exit 0 in sync, 1 with the diff on drift. A server the
 * workspace refuses (skippedTargets) is not drift sync could fix, but this machine still lacks
 * it: it is listed and the exit code is 1, as for `sync` itself.
 */
function reportCheck(ctx: Ctx, sync: SyncPlan, info: Record<string, unknown>): ExitCode {
  const drift = driftOf(ctx, sync.planned.outcomes);
  const inSync = drift.length === 0;
  const ok = inSync && sync.skippedTargets.length === 0;
  if (ctx.globals.json) {
    ctx.log.out(
      JSON.stringify({
        ok,
        inSync,
        ...info,
        drift,
        files: sync.planned.plan.changes.map((c) => ({ path: c.path, created: c.before === null, diff: redactedDiff(c.path, c.before, newContent(c)) })),
      }),
    );
    return ok ? ExitCode.Ok : ExitCode.Failed;
  }
  if (inSync) {
    const n = sync.specs.length;
    ctx.log.success(`In sync: ${n} server${n === 1 ? '' : 's'} in ${sync.clients.join(', ')} match ${info.manifest as string}.`);
    if (ok) return ExitCode.Ok;
    ctx.log.warn(skippedSummary(sync));
    return ExitCode.Failed;
  }
  const text = renderPlan(sync.planned.plan, { color: ctx.log.color, diffs: ctx.log.level !== 'quiet' });
  if (text) ctx.log.out(text.replace(/\n$/, ''));
  ctx.log.warn(`This machine does not match the manifest (${drift.length} difference${drift.length === 1 ? '' : 's'}):`);
  for (const d of drift) ctx.log.info(`  ${d.kind}: ${d.message}`);
  ctx.log.info(`  Fix: dbx-mcp sync${info.scope === 'project' ? ' --scope project' : ''}${drift.some((d) => d.kind === 'conflict') ? ' (rename the conflicting entries, or pass --force to take them over)' : ''}`);
  return ExitCode.Failed;
}
