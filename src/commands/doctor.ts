/**
 * `dbx-mcp doctor`: gathers facts, runs every check (concurrently where independent, each
 * with a timeout, within --timeout), prints the report in the chosen format and exits 1 when
 * a check failed (or warned, with --strict). It never changes anything.
 */
import { z } from 'zod';
import { isClientId } from '../clients/registry.js';
import type { ClientId } from '../clients/types.js';
import type { Ctx } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';
import { buildChecks, checkFamilies } from '../doctor/checks/index.js';
import { gatherFacts } from '../doctor/facts.js';
import { renderGithub } from '../ui/doctor-github.js';
import { renderHuman } from '../ui/doctor-human.js';
import { renderJson } from '../ui/doctor-json.js';
import { runChecks, unknownPatterns } from '../doctor/runner.js';
import type { Check } from '../doctor/types.js';
import type { Report } from '../doctor/types.js';
import { parseOptions } from '../workflows/parse-options.js';

const Options = z.object({
  client: z.array(z.string()).optional(),
  strict: z.boolean().optional(),
  timeout: z.number().optional(),
  only: z.array(z.string()).optional(),
  skip: z.array(z.string()).optional(),
  format: z.enum(['human', 'json', 'github']).optional(),
});

/** Exit code for a report (contract: Exit codes). */
export function doctorExitCode(report: Report, strict: boolean): ExitCode {
  if (report.summary.fail > 0) return ExitCode.Failed;
  if (strict && report.summary.warn > 0) return ExitCode.Failed;
  return ExitCode.Ok;
}

/** A typo in --only/--skip would select nothing and pass: a usage error instead (exit 2). */
function rejectUnknownIds(checks: Check[], only: string[] = [], skip: string[] = []): void {
  for (const [flag, patterns] of [['--only', only], ['--skip', skip]] as const) {
    const { unknown, valid } = unknownPatterns(checks, patterns, checkFamilies());
    if (unknown.length === 0) continue;
    throw new UsageError(`${flag} ${unknown.map((u) => `"${u}"`).join(', ')} matches no check of this run`, {
      hint: `Use check ids or prefixes (run \`dbx-mcp doctor --json\` to see them): ${valid.join(', ')}`,
    });
  }
}

export async function runDoctor(ctx: Ctx, raw: object): Promise<ExitCode> {
  const o = parseOptions(Options, raw, 'doctor');
  const timeout = o.timeout ?? 60;
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a positive number of seconds (got ${String(o.timeout)})`, { hint: 'For example: --timeout 30' });
  const bad = (o.client ?? []).filter((c) => !isClientId(c));
  if (bad.length) throw new UsageError(`Unknown client ${bad.map((b) => `"${b}"`).join(', ')}`, { hint: 'Use one of: claude-desktop, cursor, claude-code, windsurf, vscode.' });
  const format = ctx.globals.json ? 'json' : (o.format ?? 'human');

  const spinner = format === 'human' ? ctx.log.spinner('Running checks…') : undefined;
  const facts = await gatherFacts(ctx, { ...(ctx.globals.profile ? { profile: ctx.globals.profile } : {}), ...(o.client?.length ? { clients: o.client as ClientId[] } : {}) });
  const checks = buildChecks(facts);
  try {
    rejectUnknownIds(checks, o.only, o.skip);
  } catch (e) {
    spinner?.stop();
    throw e;
  }
  const report = await runChecks(ctx, facts, checks, { deadlineMs: timeout * 1000, ...(o.only ? { only: o.only } : {}), ...(o.skip ? { skip: o.skip } : {}) });
  spinner?.stop();

  if (format === 'json') ctx.log.out(renderJson(report));
  else if (format === 'github') ctx.log.out(renderGithub(report));
  else ctx.log.out(renderHuman(report, { color: ctx.log.color, verbose: ctx.globals.verbose === true }));
  return doctorExitCode(report, o.strict === true);
}
