/**
 * When to retry a forwarded message, and how long to wait. Three rules:
 * - 429/503 are retried with jittered exponential backoff, never sooner than the server's
 *   Retry-After, and only while the total stays inside a budget: a client gives up on a request
 *   after about a minute, so waiting longer helps nobody;
 * - failures to connect at all (refused, DNS, unreachable network, connect timeout) prove that
 *   nothing was sent, but they are not throttling: the workspace (or the network to it) is
 *   down. They are retried briefly, within a short budget of wall time from the first attempt
 *   (a server restart takes seconds), so the client hears what is wrong in seconds;
 * - anything that may have reached the server (a reset or timeout after the request was
 *   written) is never retried: a duplicate `tools/call` can run a query or send a message twice.
 */
import { parseRetryAfter } from '../databricks/api-errors.js';
import type { Abort } from '../util/abort.js';

export { parseRetryAfter };

export interface RetryPolicy {
  /** Total time spent waiting across attempts of one message (ms). */
  budgetMs: number;
  /** First backoff step (ms); doubles per attempt. */
  baseMs: number;
  /** Largest single backoff step (ms), before honouring Retry-After. */
  capMs: number;
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /**
   * Failures to connect: retried (baseMs/capMs backoff) while the wall time since the first
   * attempt, plus the next wait, stays within this (ms). Default UNREACHABLE_BUDGET_MS.
   */
  unreachableBudgetMs?: number;
}

/** Budget for failures to connect: 250 + 500 + 1000 + 2000 ms of backoff fit (±25 % jitter). */
export const UNREACHABLE_BUDGET_MS = 4_000;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { budgetMs: 30_000, baseMs: 250, capMs: 8_000, maxAttempts: 8, unreachableBudgetMs: UNREACHABLE_BUDGET_MS };

/** Time as the retry logic sees it; tests inject one that does not wait. */
export interface Clock {
  now(): number;
  /** Waits `ms`, resolving early on abort. */
  sleep(ms: number, abort?: Abort): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now(), sleep: (ms, abort) => sleep(ms, abort) };

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): exponential with ±25 % jitter
 * (so many proxies hit by one 429 storm don't come back in lockstep), but never less than the
 * server's Retry-After.
 */
export function backoffDelay(attempt: number, retryAfterMs: number | undefined, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = step * (0.75 + random() * 0.5);
  return Math.round(Math.max(retryAfterMs ?? 0, jittered));
}

/** Tracks one message's attempts against the policy. */
export class RetryBudget {
  private attempts = 0;
  private waited = 0;
  constructor(
    private readonly policy: RetryPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** Counts an attempt. */
  attempt(): number {
    return ++this.attempts;
  }

  get attemptsMade(): number {
    return this.attempts;
  }

  /**
   * The delay before the next attempt, or undefined when the budget or the attempt count is
   * spent (including when the server's Retry-After alone would overrun the budget).
   */
  next(retryAfterMs?: number): number | undefined {
    if (this.attempts >= this.policy.maxAttempts) return undefined;
    const wait = backoffDelay(this.attempts, retryAfterMs, this.policy, this.random);
    if (this.waited + wait > this.policy.budgetMs) return undefined;
    this.waited += wait;
    return wait;
  }
}

/**
 * Retries of one message's failures to connect, bounded by wall time since the first attempt
 * (a connect timeout or a slow DNS answer spends the budget as surely as a wait does).
 */
export class UnreachableBudget {
  private retries = 0;
  /** `started`: when the first attempt began (clock.now()). */
  constructor(
    private readonly policy: RetryPolicy,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly started: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Attempts that failed to connect so far. */
  get failures(): number {
    return this.retries + 1;
  }

  /** Wall time since the first attempt (ms). */
  get elapsedMs(): number {
    return this.clock.now() - this.started;
  }

  /** The budget (ms). */
  get budgetMs(): number {
    return this.policy.unreachableBudgetMs ?? UNREACHABLE_BUDGET_MS;
  }

  /** The delay before the next attempt, or undefined when the budget is spent. */
  next(): number | undefined {
    const wait = backoffDelay(this.retries + 1, undefined, this.policy, this.random);
    if (this.elapsedMs + wait > this.budgetMs) return undefined;
    this.retries++;
    return wait;
  }
}

/**
 * Network error codes that prove the request never left this machine (no connection was
 * made), so retrying cannot duplicate anything. Everything else may have been processed.
 */
const NOT_SENT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|CONNECT_TIMEOUT/;

export function wasNeverSent(err: unknown): boolean {
  return hasCode(err, NOT_SENT);
}

/**
 * Failures before anything was sent that retrying cannot fix: the TLS handshake failed (an
 * untrusted or invalid certificate, not TLS at all) or the HTTPS proxy refused the tunnel. The
 * request is answered at once, and it is known not to have been processed.
 */
const REFUSED_BEFORE_SENDING = /CERT|SSL|TLS|UNABLE_TO_VERIFY|PROXY_TUNNEL_FAILED/;

export function wasRefusedBeforeSending(err: unknown): boolean {
  return hasCode(err, REFUSED_BEFORE_SENDING);
}

function hasCode(err: unknown, re: RegExp): boolean {
  let e: unknown = err;
  for (let i = 0; e && i < 5; i++) {
    const o = e as { code?: unknown; name?: unknown; cause?: unknown };
    if ((typeof o.code === 'string' && re.test(o.code)) || (typeof o.name === 'string' && re.test(o.name))) return true;
    e = o.cause;
  }
  return false;
}

/** Sleeps, waking early (resolving) on abort. */
export function sleep(ms: number, abort?: Abort): Promise<void> {
  return new Promise((resolve) => {
    if (abort?.aborted) return resolve();
    const t = setTimeout(done, ms);
    const off = abort?.onAbort(done);
    function done() {
      clearTimeout(t);
      off?.();
      resolve();
    }
  });
}
