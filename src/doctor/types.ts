/**
 * The shape of a doctor check and its result. Check ids are stable strings (used by --json,
 * --only, --skip and CI scripts), never derived from code names.
 */
import type { Ctx } from '../context.js';
import type { Facts } from './facts.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** How bad a status is, to pick the worst of several (higher is worse). */
export const STATUS_RANK: Record<CheckStatus, number> = { fail: 3, warn: 2, pass: 1, skip: 0 };

/** How the human renderer groups checks. */
export type CheckGroup = 'environment' | 'workspace' | 'server' | 'client' | 'oauth';

/**
 * A check's result. A failure or a warning must say what to do: the type requires `fix` there,
 * so a new diagnosis without one does not compile.
 */
export type CheckResult =
  | (CheckResultBody & { status: 'pass' | 'skip'; fix?: string })
  | (CheckResultBody & {
      status: 'warn' | 'fail';
      /** The exact next step (a command, a grant to request, a URL to allow-list). */
      fix: string;
    });

interface CheckResultBody {
  /** One line: what was found. */
  summary: string;
  /** Machine-readable details; `kind` names the diagnosis (contract vocabulary). Never a token. */
  data?: Record<string, unknown>;
  /** Extra lines shown with --verbose. */
  details?: string[];
  /**
   * A `warn` normally lets dependants run; set this when the warning means nothing after it can
   * be trusted (e.g. rate-limited before the identity was known). Not rendered.
   */
  blocking?: boolean;
}

export interface RunContext {
  /** Aborted when the check's own timeout or the overall deadline passes. */
  signal: AbortSignal;
  /** Milliseconds left for this check (the smaller of its timeout and the deadline). */
  timeLeftMs(): number;
  /** The outcome of another check of this run (one named in `after`), or undefined if it does not run. */
  outcome(id: string): Promise<CheckOutcome | undefined>;
}

export interface Check {
  /** Stable; e.g. `auth.current-user`, `server.<name>.handshake`. */
  id: string;
  title: string;
  group: CheckGroup;
  /** Checks that must pass (or warn without `blocking`) first; otherwise this one is skipped. */
  dependsOn?: string[];
  /**
   * Checks whose outcome this one reads through `rc.outcome` without depending on them (it
   * decides itself what their result means). --only pulls them in like dependencies.
   */
  after?: string[];
  /** Per-check timeout (default: runner's). */
  timeoutMs?: number;
  /** For grouping server/client checks in the human output (server name, client id). */
  subject?: string;
  run(ctx: Ctx, facts: Facts, rc: RunContext): Promise<CheckResult>;
}

/** A finished check as the renderers see it. */
export type CheckOutcome = CheckResult & {
  id: string;
  title: string;
  group: CheckGroup;
  subject?: string;
  durationMs: number;
};

export interface Report {
  checks: CheckOutcome[];
  summary: Record<CheckStatus, number>;
  /** Distinct causes of the failed checks (causes.ts): one IP ACL block failing five checks is one. */
  problems: number;
  ok: boolean;
  durationMs: number;
}
