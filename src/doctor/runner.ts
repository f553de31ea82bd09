/**
 * Runs checks as a dependency graph: every check starts as soon as its dependencies have
 * finished, so independent checks run concurrently and wall time grows with the depth of the
 * graph, not with the number of servers. Each check has a timeout; an overall deadline ends
 * the run; a dependency that did not pass makes its dependants `skip` with the reason; a check
 * that throws becomes `fail` and the others go on. Nothing here changes anything.
 */
import { setMaxListeners } from 'node:events';
import type { Ctx } from '../context.js';
import { redact } from '../secrets.js';
import { countProblems } from './causes.js';
import type { Facts } from './facts.js';
import type { Check, CheckOutcome, CheckResult, CheckStatus, Report } from './types.js';

export const DEFAULT_CHECK_TIMEOUT_MS = 20_000;

export interface RunOptions {
  /** Overall deadline in milliseconds (`--timeout` × 1000). */
  deadlineMs: number;
  /** `--only`: ids or prefixes; dependencies of selected checks run too. */
  only?: string[];
  /** `--skip`: ids or prefixes; reported as `skip`. */
  skip?: string[];
  defaultTimeoutMs?: number;
  /** Told how many checks run, when each starts and when each ends (doctor's TTY progress line). */
  progress?: RunProgress;
}

/** What a progress display learns of a run; every call is synchronous and must not throw. */
export interface RunProgress {
  begin(total: number): void;
  started(c: Pick<Check, 'id' | 'title'>): void;
  finished(o: Pick<CheckOutcome, 'id'>): void;
}

/**
 * True when `pattern` selects `id`: the id itself, a dotted prefix (`server`, `server.genie-x`,
 * `auth.`), or a trailing-`*` glob (`server.*.grants` is not supported; keep it simple).
 */
export function matchesId(id: string, pattern: string): boolean {
  const p = pattern.trim();
  if (p === '') return false;
  if (p.endsWith('*')) return id.startsWith(p.slice(0, -1));
  if (id === p) return true;
  return id.startsWith(p.endsWith('.') ? p : `${p}.`);
}

/** The checks to run for --only/--skip, in the original order (dependencies pulled in). */
export function selectChecks(all: Check[], only: string[] = [], skip: string[] = []): { run: Check[]; skipped: Set<string> } {
  const byId = new Map(all.map((c) => [c.id, c]));
  let chosen = all;
  if (only.length > 0) {
    const want = new Set<string>();
    const add = (c: Check): void => {
      if (want.has(c.id)) return;
      want.add(c.id);
      for (const d of [...(c.dependsOn ?? []), ...(c.after ?? [])]) {
        const dep = byId.get(d);
        if (dep) add(dep);
      }
    };
    for (const c of all) if (only.some((p) => matchesId(c.id, p))) add(c);
    chosen = all.filter((c) => want.has(c.id));
  }
  const skipped = new Set(chosen.filter((c) => skip.some((p) => matchesId(c.id, p))).map((c) => c.id));
  return { run: chosen, skipped };
}

/**
 * The --only/--skip patterns that select no check of this run (a typo in a CI gate would
 * otherwise pass with nothing checked), and what would have been accepted: every id, every
 * dotted prefix of one (`server`, `server.genie-x`), and `known` (families that may be empty in
 * this run, such as `client` on a machine without clients).
 */
export function unknownPatterns(all: Check[], patterns: readonly string[], known: readonly string[] = []): { unknown: string[]; valid: string[] } {
  const ids = [...all.map((c) => c.id), ...known];
  const unknown = patterns.filter((p) => p.trim() !== '' && !ids.some((id) => id === p.trim() || matchesId(id, p)));
  const prefixes = new Set<string>(known);
  for (const c of all) {
    const parts = c.id.split('.');
    for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join('.'));
  }
  return { unknown, valid: [...prefixes, ...all.map((c) => c.id)].sort() };
}

const BUG_FIX = 'This is a bug in dbx-mcp: run `dbx-mcp doctor --verbose` and report it with the output (tokens are redacted).';

const VALID: readonly CheckStatus[] = ['pass', 'warn', 'fail', 'skip'];

function passed(r: CheckResult): boolean {
  return r.status === 'pass' || (r.status === 'warn' && !r.blocking);
}

function normalize(r: unknown, id: string): CheckResult {
  const o = (r ?? {}) as Partial<CheckResult>;
  if (!VALID.includes(o.status as CheckStatus) || typeof o.summary !== 'string') {
    return { status: 'fail', summary: `unexpected error in ${id}: the check returned no result`, fix: BUG_FIX, data: { kind: 'internal-error' } };
  }
  return o as CheckResult;
}

/** Runs the checks and returns every outcome in the checks' order. Never throws. */
export async function runChecks(ctx: Ctx, facts: Facts, checks: Check[], opts: RunOptions): Promise<Report> {
  const started = Date.now();
  const { run, skipped } = selectChecks(checks, opts.only, opts.skip);
  const results = new Map<string, Promise<CheckOutcome>>();
  const deadlineAt = started + opts.deadlineMs;
  const deadline = new AbortController();
  // Every running check listens for the deadline; dozens of servers are normal.
  setMaxListeners(0, deadline.signal);
  let deadlineTimer: NodeJS.Timeout | undefined;
  const deadlineHit = new Promise<'deadline'>((resolve) => {
    deadlineTimer = setTimeout(() => {
      deadline.abort();
      resolve('deadline');
    }, Math.max(0, opts.deadlineMs));
  });

  const outcome = (c: Check, r: CheckResult, t0: number): CheckOutcome => ({
    id: c.id,
    title: c.title,
    group: c.group,
    ...(c.subject !== undefined ? { subject: c.subject } : {}),
    ...r,
    durationMs: Date.now() - t0,
  });

  const execute = async (c: Check): Promise<CheckOutcome> => {
    const o = await executeOne(c);
    opts.progress?.finished(o);
    return o;
  };

  const executeOne = async (c: Check): Promise<CheckOutcome> => {
    const t0 = Date.now();
    if (skipped.has(c.id)) return outcome(c, { status: 'skip', summary: 'skipped (--skip)' }, t0);
    for (const d of c.dependsOn ?? []) {
      const dep = results.get(d);
      if (!dep) continue; // a dependency that does not exist in this run (e.g. not applicable)
      const r = await dep;
      if (!passed(r)) {
        const why = r.status === 'skip' ? 'was skipped' : r.status === 'warn' ? 'could not conclude' : 'failed';
        return outcome(c, { status: 'skip', summary: `skipped: ${d} ${why}`, data: { skippedBecause: d } }, t0);
      }
    }
    const left = deadlineAt - Date.now();
    if (left <= 0) return outcome(c, timeoutResult(c, opts.deadlineMs, true), t0);
    const own = c.timeoutMs ?? opts.defaultTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
    const timeout = Math.min(own, left);
    // When the overall deadline cut this check's budget, its timer and the deadline's fire together:
    // either way the deadline is what stopped it, so say so.
    const clampedByDeadline = left < own;
    const ac = new AbortController();
    const onDeadline = (): void => ac.abort();
    deadline.signal.addEventListener('abort', onDeadline, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        ac.abort();
        resolve('timeout');
      }, timeout);
    });
    const endAt = Date.now() + timeout;
    opts.progress?.started(c);
    try {
      const r = await Promise.race([
        Promise.resolve().then(() => c.run(ctx, facts, { signal: ac.signal, timeLeftMs: () => Math.max(0, endAt - Date.now()), outcome: (id) => results.get(id) ?? Promise.resolve(undefined) })),
        timedOut,
        deadlineHit,
      ]);
      if (r === 'timeout') return outcome(c, clampedByDeadline ? timeoutResult(c, opts.deadlineMs, true) : timeoutResult(c, timeout, false), t0);
      if (r === 'deadline') return outcome(c, timeoutResult(c, opts.deadlineMs, true), t0);
      return outcome(c, normalize(r, c.id), t0);
    } catch (e) {
      const err = e as Error;
      return outcome(
        c,
        {
          status: 'fail',
          summary: `unexpected error in ${c.id}: ${redact(err?.message ?? String(e))}`,
          fix: BUG_FIX,
          data: { kind: 'internal-error' },
          details: err?.stack ? redact(err.stack).split('\n').slice(0, 8) : [],
        },
        t0,
      );
    } finally {
      clearTimeout(timer);
      deadline.signal.removeEventListener('abort', onDeadline);
    }
  };

  opts.progress?.begin(run.length);
  // Register every promise before awaiting any, so dependants find their dependencies.
  for (const c of run) {
    let resolveFn!: (o: CheckOutcome) => void;
    results.set(c.id, new Promise<CheckOutcome>((r) => (resolveFn = r)));
    queueMicrotask(() => void execute(c).then(resolveFn));
  }
  const all = await Promise.all(run.map((c) => results.get(c.id)!));
  clearTimeout(deadlineTimer);
  return buildReport(all, Date.now() - started);
}

function timeoutResult(c: Check, ms: number, overall: boolean): CheckResult {
  const secs = Math.round(ms / 100) / 10;
  return {
    status: 'fail',
    summary: overall ? `not finished before the overall deadline (--timeout ${secs} s)` : `no result within ${secs} s`,
    fix: overall
      ? 'Run again with a longer --timeout, or run the slow checks alone with --only.'
      : `Something did not answer in time; run \`dbx-mcp doctor --only ${c.id} --verbose\` and check your network, VPN or proxy.`,
    data: { kind: 'timeout', timeoutMs: ms },
  };
}

/** Counts, the causes of the failures (causes.ts) and the overall verdict (ok: no failures). */
export function buildReport(checks: CheckOutcome[], durationMs: number): Report {
  const summary: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) summary[c.status]++;
  return { checks, summary, problems: countProblems(checks), ok: summary.fail === 0, durationMs };
}
