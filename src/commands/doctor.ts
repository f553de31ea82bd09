/**
 * `dbx-mcp doctor`: gathers facts, runs every check (concurrently where independent, each
 * with a timeout, within --timeout), prints the report in the chosen format and exits 1 when
 * a check failed (or warned, with --strict). It never changes anything.
 */
import { CLIENT_IDS } from '../clients/catalog/index.js';
import { isClientId } from '../clients/registry.js';
import type { ClientId } from '../clients/types.js';
import type { Ctx } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';
import type { Report } from '../doctor/types.js';
import { renderReport, runDoctorPipeline } from '../workflows/doctor.js';
import { optionsSchema, parseOptions } from '../workflows/parse-options.js';
import { DOCTOR_FLAGS } from '../workflows/flags.js';
import { doctorProgress } from '../ui/doctor-progress.js';

/** Validated from the flags' one declaration (workflows/flags.ts). */
const Options = optionsSchema(DOCTOR_FLAGS);

/** Exit code for a report (contract: Exit codes). */
export function doctorExitCode(report: Report, strict: boolean): ExitCode {
  if (report.summary.fail > 0) return ExitCode.Failed;
  if (strict && report.summary.warn > 0) return ExitCode.Failed;
  return ExitCode.Ok;
}

export async function runDoctor(ctx: Ctx, raw: object): Promise<ExitCode> {
  const o = parseOptions(Options, raw, 'doctor');
  const timeout = o.timeout ?? 60;
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a positive number of seconds (got ${String(o.timeout)})`, { hint: 'For example: --timeout 30' });
  const bad = (o.client ?? []).filter((c) => !isClientId(c));
  if (bad.length) throw new UsageError(`Unknown client ${bad.map((b) => `"${b}"`).join(', ')}`, { hint: `Use one of: ${CLIENT_IDS.join(', ')}.` });
  const format = ctx.globals.json ? 'json' : (o.format ?? 'human');

  // Progress only where a spinner is drawn (a TTY, human format, not --json/--quiet/CI).
  const progress = format === 'human' && ctx.log.fancy ? doctorProgress() : undefined;
  const spinner = format === 'human' ? ctx.log.spinner(progress ? () => progress.text() : 'Running checks…') : undefined;
  let report: Report;
  try {
    report = await runDoctorPipeline(ctx, {
      ...(ctx.globals.profile ? { profile: ctx.globals.profile } : {}),
      ...(o.client?.length ? { clients: o.client as ClientId[] } : {}),
      deadlineMs: timeout * 1000,
      ...(o.only ? { only: o.only } : {}),
      ...(o.skip ? { skip: o.skip } : {}),
      ...(o.trustProject ? { trustProject: true } : {}),
      ...(progress ? { progress } : {}),
    });
  } finally {
    spinner?.stop();
  }
  ctx.log.out(renderReport(report, format, { color: ctx.log.color, verbose: ctx.globals.verbose === true }));
  return doctorExitCode(report, o.strict === true);
}
