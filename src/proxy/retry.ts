/**
 * When to retry a forwarded message, and how long to wait. Two rules:
 * - 429/503 (and failures to connect at all) are retried with jittered exponential backoff,
 *   never sooner than the server's Retry-After, and only while the total stays inside a budget:
 *   a client gives up on a request after about a minute, so waiting longer helps nobody;
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
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { budgetMs: 30_000, baseMs: 250, capMs: 8_000, maxAttempts: 8 };

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
 * Network error codes that prove the request never left this machine (no connection was
 * made), so retrying cannot duplicate anything. Everything else may have been processed.
 */
const NOT_SENT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|CONNECT_TIMEOUT/;

export function wasNeverSent(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; e && i < 5; i++) {
    const o = e as { code?: unknown; name?: unknown; cause?: unknown };
    if ((typeof o.code === 'string' && NOT_SENT.test(o.code)) || (typeof o.name === 'string' && NOT_SENT.test(o.name))) return true;
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
