/**
 * `dbx-mcp fleet [--mode fixed|catalog] [--out dir] [--os …] [--client …] [--check]`: the
 * managed files an IT admin deploys with device management, generated from the team manifest
 * (its `fleet` key gives the defaults, flags win). `--check` writes nothing and exits 1 with a
 * diff when the folder does not match. `fleet install <os-folder>` is what the generated
 * install scripts run on each laptop.
 */
import { chmod } from 'node:fs/promises';
import { applyPlan, planFileEdit, readFileText, type FileChange } from '../config/file-plan.js';
import { unifiedDiff } from '../config/diff.js';
import type { Ctx } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';
import { FLEET_CLIENT_IDS, FLEET_OSES, managedFacts, OS_PLATFORM } from '../fleet/catalog.js';
import { buildFleet } from '../fleet/generate.js';
import { planInstall, readInstallPlan } from '../fleet/install.js';
import { resolveFleetOptions } from '../fleet/options.js';
import { redact } from '../secrets.js';
import { renderPlan } from '../ui/plan.js';
import { pathFor } from '../util/paths.js';
import { FLEET_FLAGS, FLEET_INSTALL_FLAGS } from '../workflows/flags.js';
import { optionsSchema, parseOptions } from '../workflows/parse-options.js';
import { requireManifest } from './sync.js';

const Options = optionsSchema(FLEET_FLAGS);
const InstallOptions = optionsSchema(FLEET_INSTALL_FLAGS);

export async function runFleet(ctx: Ctx, raw: object): Promise<ExitCode> {
  const o = parseOptions(Options, raw, 'fleet');
  const { path, manifest } = requireManifest(ctx, o.manifest);
  const P = pathFor(ctx.platform);
  const { mode, oses, clients } = resolveFleetOptions(manifest, o);
  const out = o.out ? P.resolve(ctx.cwd, o.out) : P.resolve(P.dirname(path), manifest.fleet?.out ?? 'dbx-mcp-fleet');
  const bundle = await buildFleet(manifest, { mode, oses, clients, version: ctx.version });

  const changes: FileChange[] = [];
  for (const file of bundle.files) {
    const target = P.join(out, ...file.path.split('/'));
    const change = planFileEdit(target, await readFileText(target), file.text, { summary: [`${file.path} (fleet, ${mode})`], backup: false });
    if (change) changes.push(change);
  }
  // Files an earlier run generated that this one does not (another mode, OS or client): stale, so removed (and drift for --check).
  const generated = new Set(bundle.files.map((f) => f.path));
  for (const rel of staleCandidates()) {
    if (generated.has(rel)) continue;
    const target = P.join(out, ...rel.split('/'));
    const before = await readFileText(target);
    const change = before === null ? null : planFileEdit(target, before, null, { summary: [`${rel} (stale fleet file)`], backup: false });
    if (change) changes.push(change);
  }
  const info = { manifest: path, out, mode, oses, clients, servers: bundle.specs.map((s) => s.name), skipped: bundle.skipped };

  if (o.check) {
    const ok = changes.length === 0;
    if (ctx.globals.json) {
      ctx.log.out(JSON.stringify({ ok, ...info, files: changes.map((c) => ({ path: c.path, created: c.before === null, diff: redact(unifiedDiff(c.path, c.before, c.after)) })) }));
      return ok ? ExitCode.Ok : ExitCode.Failed;
    }
    if (ok) {
      ctx.log.success(`In sync: ${out} matches ${path} (${bundle.files.length} files).`);
      return ExitCode.Ok;
    }
    if (ctx.log.level !== 'quiet') for (const c of changes) ctx.log.out(redact(unifiedDiff(c.path, c.before, c.after)).replace(/\n$/, ''));
    ctx.log.warn(`${out} does not match ${path} (${changes.length} file${changes.length === 1 ? '' : 's'} differ).`);
    ctx.log.info(`  Fix: dbx-mcp fleet${o.out ? ` --out ${o.out}` : ''}, then hand the folder to device management again.`);
    return ExitCode.Failed;
  }

  if (ctx.globals.dryRun) {
    const text = renderPlan({ changes, notes: [] }, { color: ctx.log.color, diffs: ctx.log.level !== 'quiet' });
    if (ctx.globals.json) ctx.log.out(JSON.stringify({ ok: true, dryRun: true, ...info, files: changes.map((c) => c.path) }));
    else if (text) ctx.log.out(text.replace(/\n$/, ''));
    return ExitCode.Ok;
  }
  // Generated files: no backups (the folder is regenerated, and usually sits in a repository).
  if (changes.length) await applyPlan({ changes, notes: [] }, { now: ctx.now, fs: ctx.writeFs, maxBackups: 0 });
  // The shell scripts are run directly by device management: executable, like any script.
  if (ctx.platform !== 'win32') for (const c of changes) if (c.path.endsWith('install.sh')) await chmod(c.path, 0o755);
  if (ctx.globals.json) {
    ctx.log.out(JSON.stringify({ ok: true, ...info, written: changes.map((c) => c.path) }));
    return ExitCode.Ok;
  }
  ctx.log.success(changes.length ? `Wrote ${changes.length} file${changes.length === 1 ? '' : 's'} in ${out}` : `${out} is up to date`);
  for (const s of bundle.skipped) ctx.log.info(`Skipped ${s.client} on ${s.os}: ${s.reason}.`);
  ctx.log.info(`Next: read ${P.join(out, 'README.md')}, then deploy <os>/install.sh (macOS, Linux) or windows/install.ps1 with your device management.`);
  return ExitCode.Ok;
}

/** Every path a fleet run can generate below the OS folders, whatever its options. */
function staleCandidates(): string[] {
  return FLEET_OSES.flatMap((os) => [
    `${os}/fleet-plan.json`,
    `${os}/install.sh`,
    `${os}/install.ps1`,
    ...FLEET_CLIENT_IDS.flatMap((c) => managedFacts(c).files.map((f) => `${os}/${c}/${f.name}`)),
  ]);
}

/** `fleet install <dir>`: merges the OS folder's managed files into this machine (or under --root). */
export async function runFleetInstall(ctx: Ctx, dir: string, raw: object): Promise<ExitCode> {
  const o = parseOptions(InstallOptions, raw, 'fleet install');
  const P = pathFor(ctx.platform);
  const plan = readInstallPlan(P.resolve(ctx.cwd, dir));
  if (!o.root && OS_PLATFORM[plan.os] !== ctx.platform) {
    throw new UsageError(`${dir} is the ${plan.os} folder, and this machine is not ${plan.os}`, { code: 'FLEET_OS', hint: `Run the ${plan.os} folder's install script on ${plan.os} laptops (or pass --root <dir> to install into an image).` });
  }
  const root = o.root ? P.resolve(ctx.cwd, o.root) : undefined;
  const changes = await planInstall(plan, root);
  if (ctx.globals.dryRun || changes.length === 0) {
    if (ctx.globals.json) ctx.log.out(JSON.stringify({ ok: true, dryRun: ctx.globals.dryRun, changed: changes.map((c) => c.path) }));
    else if (changes.length === 0) ctx.log.success('Managed MCP files are up to date; nothing changed.');
    else ctx.log.out(renderPlan({ changes, notes: [] }, { color: ctx.log.color, diffs: ctx.log.level !== 'quiet' }).replace(/\n$/, ''));
    return ExitCode.Ok;
  }
  const applied = await applyPlan({ changes, notes: [] }, { now: ctx.now, fs: ctx.writeFs });
  if (ctx.globals.json) ctx.log.out(JSON.stringify({ ok: true, changed: applied.map((a) => ({ path: a.path, created: a.created, backup: a.backup ?? null })) }));
  else for (const a of applied) ctx.log.success(`${a.created ? 'Created' : 'Updated'} ${a.path}${a.backup ? ` (backup: ${a.backup})` : ''}`);
  return ExitCode.Ok;
}
