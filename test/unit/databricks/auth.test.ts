import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTokenSource } from '../../../src/databricks/auth.js';
import type { ResolvedConfig } from '../../../src/databricks/profiles.js';
import type { Exec } from '../../../src/context.js';
import { createHttpClient } from '../../../src/databricks/http.js';

const base: ResolvedConfig = { profile: 'dev', host: 'https://dev.cloud.databricks.com', authType: 'databricks-cli', isAccount: false, configFile: '/x', sources: {} };

test('databricks-cli: runs `databricks auth token --profile`, caches until near expiry', async () => {
  let now = Date.parse('2026-11-22T10:00:00Z');
  const calls: string[][] = [];
  const exec: Exec = async (file, args) => {
    calls.push([file, ...args]);
    return { exitCode: 0, stderr: '', stdout: JSON.stringify({ access_token: `eyJtoken${calls.length}`, token_type: 'Bearer', expiry: new Date(now + 10 * 60_000).toISOString() }) };
  };
  const src = createTokenSource({ exec, env: {}, now: () => now, http: createHttpClient({ env: {}, version: 't' }) }, base);
  const [a, b] = await Promise.all([src.getToken(), src.getToken()]);
  assert.equal(a.token, 'eyJtoken1');
  assert.equal(b.token, 'eyJtoken1', 'concurrent callers share one fetch');
  assert.deepEqual(calls[0], ['databricks', 'auth', 'token', '--output', 'json', '--profile', 'dev']);
  now += 5 * 60_000;
  assert.equal((await src.getToken()).token, 'eyJtoken1');
  now += 4.5 * 60_000; // within the refresh margin
  assert.equal((await src.getToken()).token, 'eyJtoken2');
  assert.equal((await src.getToken({ forceRefresh: true })).token, 'eyJtoken3');
  assert.ok(calls[2]!.includes('--force-refresh'));
});

test('databricks-cli: missing CLI or not logged in names the exact login command', async () => {
  const missing: Exec = async () => {
    throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  };
  const deps = { env: {}, now: Date.now, http: createHttpClient({ env: {}, version: 't' }) };
  await assert.rejects(createTokenSource({ ...deps, exec: missing }, base).getToken(), (e: Error & { hint?: string }) => /not installed/.test(e.message) && /databricks auth login --host https:\/\/dev.cloud.databricks.com --profile dev/.test(e.hint ?? ''));
  const notLogged: Exec = async () => ({ exitCode: 1, stdout: '', stderr: 'Error: cache: databricks OAuth is not configured for this host. no cached credentials; run `databricks auth login` to sign in' });
  await assert.rejects(createTokenSource({ ...deps, exec: notLogged }, base).getToken(), (e: Error & { hint?: string; code?: string }) => e.code === 'CLI_NOT_LOGGED_IN' && /--profile dev/.test(e.hint ?? ''));
});
