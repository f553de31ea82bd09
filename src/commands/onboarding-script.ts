/**
 * `dbx-mcp onboarding-script --shell bash|powershell [--manifest f] [--out f]`: the one
 * command a new teammate runs (check Node, Databricks CLI and sign-in, `sync --yes`,
 * `doctor`), rendered for the team manifest and pinned to this dbx-mcp version.
 */
import { chmod } from 'node:fs/promises';
import { applyPlan, planFileEdit, readFileText } from '../config/file-plan.js';
import type { Ctx } from '../context.js';
import { ExitCode } from '../errors.js';
import { listProfiles } from '../databricks/profiles.js';
import { renderOnboardingScript } from '../team/onboarding.js';
import { requireManifest } from './sync.js';
import { optionsSchema, parseOptions } from '../workflows/parse-options.js';
import { ONBOARDING_SCRIPT_FLAGS } from '../workflows/flags.js';
import { pathFor } from '../util/paths.js';

/** Validated from the flags' one declaration (workflows/flags.ts). */
const Options = optionsSchema(ONBOARDING_SCRIPT_FLAGS);

export async function runOnboardingScript(ctx: Ctx, raw: object): Promise<ExitCode> {
  const o = parseOptions(Options, raw, 'onboarding-script');
  const { path, manifest } = requireManifest(ctx, o.manifest);
  const P = pathFor(ctx.platform);
  const out = o.out ? P.resolve(ctx.cwd, o.out) : undefined;
  // The script finds the manifest next to itself; printed to stdout, it is assumed saved here.
  const scriptDir = out ? P.dirname(out) : ctx.cwd;
  const manifestRel = P.relative(scriptDir, path).split(P.sep).join('/');
  let taken: string[] = [];
  try {
    taken = listProfiles(ctx).map((p) => p.name);
  } catch {
    // an unreadable ~/.databrickscfg only costs a less careful profile suggestion
  }
  const script = renderOnboardingScript(manifest, {
    shell: o.shell,
    version: ctx.version,
    manifestRel,
    manifestLabel: P.basename(path),
    takenProfiles: taken,
  });

  if (!out) {
    if (ctx.globals.json) ctx.log.out(JSON.stringify({ ok: true, shell: o.shell, manifest: path, script }));
    else ctx.log.out(script);
    return ExitCode.Ok;
  }
  if (ctx.globals.dryRun) {
    if (ctx.globals.json) ctx.log.out(JSON.stringify({ ok: true, dryRun: true, shell: o.shell, manifest: path, path: out }));
    else ctx.log.info(`Dry run: would write ${out} (${script.length} bytes); nothing was written.`);
    return ExitCode.Ok;
  }
  // Through applyPlan: a read-only file or a file where a folder should be is refused cleanly,
  // and the write is atomic. No backup: the script is generated, and it sits in a repository.
  const change = planFileEdit(out, await readFileText(out), script);
  if (change) await applyPlan({ changes: [change], notes: [] }, { now: ctx.now, fs: ctx.writeFs, maxBackups: 0 });
  if (o.shell === 'bash' && ctx.platform !== 'win32') await chmod(out, 0o755);
  if (ctx.globals.json) {
    ctx.log.out(JSON.stringify({ ok: true, shell: o.shell, manifest: path, path: out }));
  } else {
    const rel = P.relative(ctx.cwd, out) || out;
    ctx.log.success(`Wrote ${rel}`);
    ctx.log.info(o.shell === 'bash' ? `A new teammate runs: ./${rel.split(P.sep).join('/')}` : `A new teammate runs: powershell -ExecutionPolicy Bypass -File ${rel}`);
  }
  return ExitCode.Ok;
}
