/**
 * The doctor pipeline, used by `dbx-mcp doctor` and by `init --demo`'s doctor run: gather
 * facts, build the checks, refuse --only/--skip patterns that match none of them, run the
 * checks within a deadline, and render the report in one of the formats.
 */
import type { ClientId } from '../clients/types.js';
import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import { buildChecks, checkFamilies } from '../doctor/checks/index.js';
import { gatherFacts } from '../doctor/facts.js';
import { runChecks, unknownPatterns, type RunProgress } from '../doctor/runner.js';
import type { Check, Report } from '../doctor/types.js';
import { renderGithub } from '../ui/doctor-github.js';
import { renderHuman } from '../ui/doctor-human.js';
import { renderJson } from '../ui/doctor-json.js';

export interface DoctorRun {
  /** The profile to check; the default profile resolution when absent. */
  profile?: string;
  /** Only these clients; every detected client when absent. */
  clients?: ClientId[];
  deadlineMs: number;
  only?: string[];
  skip?: string[];
  /** --trust-project: start project-scope stdio entries that are not dbx-mcp's own proxy form. */
  trustProject?: boolean;
  progress?: RunProgress;
}

export type DoctorFormat = 'human' | 'json' | 'github';

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

/** Runs every selected check and returns the report; never prints. */
export async function runDoctorPipeline(ctx: Ctx, o: DoctorRun): Promise<Report> {
  const facts = await gatherFacts(ctx, { ...(o.profile ? { profile: o.profile } : {}), ...(o.clients?.length ? { clients: o.clients } : {}), ...(o.trustProject ? { trustProject: true } : {}) });
  const checks = buildChecks(facts);
  rejectUnknownIds(checks, o.only, o.skip);
  return runChecks(ctx, facts, checks, { deadlineMs: o.deadlineMs, ...(o.only ? { only: o.only } : {}), ...(o.skip ? { skip: o.skip } : {}), ...(o.progress ? { progress: o.progress } : {}) });
}

/** The report as text in the given format. */
export function renderReport(report: Report, format: DoctorFormat, o: { color: boolean; verbose: boolean }): string {
  if (format === 'json') return renderJson(report);
  if (format === 'github') return renderGithub(report);
  return renderHuman(report, o);
}
