import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryWithFreshToken } from '../../../src/databricks/api.js';

type Outcome = { value: string } | { error: unknown };
const fromValue = (o: Outcome) => ('value' in o && o.value.startsWith('refused:') ? o.value.slice(8) : undefined);
const fromError = (o: Outcome) => ('error' in o ? (o.error as { kind?: string }).kind : undefined);

function attempts(first: () => string) {
  const calls: boolean[] = [];
  const attempt = async (force: boolean) => {
    calls.push(force);
    return force ? 'fresh' : first();
  };
  return { calls, attempt };
}

test('a refused OAuth token (returned or thrown) is retried once with a forced refresh', async () => {
  for (const kind of ['invalid-token', 'no-credentials']) {
    const a = attempts(() => `refused:${kind}`);
    assert.equal(await retryWithFreshToken({ kind: 'databricks-cli' }, a.attempt, fromValue), 'fresh');
    assert.deepEqual(a.calls, [false, true]);
    const b = attempts(() => { throw Object.assign(new Error('401'), { kind }); });
    assert.equal(await retryWithFreshToken({ kind: 'databricks-cli' }, b.attempt, fromError), 'fresh');
    assert.deepEqual(b.calls, [false, true]);
  }
});

test('a PAT, another failure or a success is not retried', async () => {
  const pat = attempts(() => 'refused:invalid-token');
  assert.equal(await retryWithFreshToken({ kind: 'pat' }, pat.attempt, fromValue), 'refused:invalid-token');
  assert.deepEqual(pat.calls, [false]);
  const other = attempts(() => { throw Object.assign(new Error('403'), { kind: 'no-access' }); });
  await assert.rejects(retryWithFreshToken({ kind: 'databricks-cli' }, other.attempt, fromError), /403/);
  assert.deepEqual(other.calls, [false]);
  const ok = attempts(() => 'ok');
  assert.equal(await retryWithFreshToken({ kind: 'databricks-cli' }, ok.attempt, fromValue), 'ok');
  assert.deepEqual(ok.calls, [false]);
});
