import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, RetryBudget, UNREACHABLE_BUDGET_MS, wasNeverSent, wasRefusedBeforeSending } from '../../../src/proxy/retry.js';
import { isTokenRejection } from '../../../src/proxy/token.js';

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('parses delta-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter('1.5', now), 1500);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0); // in the past
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});

describe('backoff', () => {
  const policy = { budgetMs: 10_000, baseMs: 100, capMs: 1_000, maxAttempts: 6 };
  it('grows exponentially within ±25 % jitter and is capped', () => {
    for (const r of [0, 0.5, 0.999]) {
      for (let attempt = 1; attempt <= 8; attempt++) {
        const step = Math.min(1000, 100 * 2 ** (attempt - 1));
        const d = backoffDelay(attempt, undefined, policy, () => r);
        assert.ok(d >= Math.floor(step * 0.75) && d <= Math.ceil(step * 1.25), `attempt ${attempt}: ${d}`);
      }
    }
  });
  it('never waits less than Retry-After', () => {
    assert.equal(backoffDelay(1, 5_000, policy, () => 0.5), 5_000);
  });
  it('stops when the attempts or the budget are spent, Retry-After included', () => {
    const b = new RetryBudget(policy, () => 0.5);
    let total = 0;
    let n = 0;
    for (;;) {
      b.attempt();
      const w = b.next();
      if (w === undefined) break;
      total += w;
      n++;
    }
    assert.ok(n <= policy.maxAttempts - 1);
    assert.ok(total <= policy.budgetMs);
    const c = new RetryBudget(policy);
    c.attempt();
    assert.equal(c.next(60_000), undefined, 'a Retry-After beyond the budget ends retrying at once');
  });
  it('has a default budget shorter than a client request timeout (60 s)', () => {
    assert.ok(DEFAULT_RETRY_POLICY.budgetMs < 60_000);
  });
});

describe('retry safety', () => {
  it('retries only failures that prove the request was never sent', () => {
    assert.equal(wasNeverSent(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })), true);
    assert.equal(wasNeverSent(Object.assign(new Error('x'), { cause: { code: 'ENOTFOUND' } })), true);
    assert.equal(wasNeverSent({ message: 'connecting to h timed out after 10 s', code: 'CONNECT_TIMEOUT' }), true);
    assert.equal(wasNeverSent(Object.assign(new Error('reset'), { code: 'ECONNRESET' })), false);
    assert.equal(wasNeverSent({ code: 'ECONNRESET', message: 'socket hang up' }), false);
    assert.equal(wasNeverSent({ code: 'ETIMEDOUT' }), false);
  });
  it('knows the failures before sending that a retry cannot fix (TLS, a refused tunnel)', () => {
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'PROXY_TUNNEL_FAILED']) {
      assert.equal(wasRefusedBeforeSending({ code }), true, code);
    }
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE']) assert.equal(wasRefusedBeforeSending({ code }), false, code);
  });
  it('gives failures to connect a budget a client does not give up in (5 s)', () => {
    assert.ok(UNREACHABLE_BUDGET_MS < 5_000);
    assert.equal(DEFAULT_RETRY_POLICY.unreachableBudgetMs, UNREACHABLE_BUDGET_MS);
  });
  it('refreshes the token on 401 and on 403 "Invalid access token" only', () => {
    assert.equal(isTokenRejection(401, {}), true);
    assert.equal(isTokenRejection(403, { error_code: '403', message: 'Invalid access token.' }), true);
    assert.equal(isTokenRejection(403, { error_code: 'PERMISSION_DENIED', message: 'User does not have USE CATALOG on Catalog \'main\'.' }), false);
    assert.equal(isTokenRejection(404, {}), false);
  });
});
