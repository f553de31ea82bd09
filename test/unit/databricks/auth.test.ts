import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTokenSource } from '../../../src/databricks/auth.js';
import type { ResolvedConfig } from '../../../src/databricks/profiles.js';
import type { Exec } from '../../../src/context.js';
import { createHttpClient } from '../../../src/databricks/http.js';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PATH with a `databricks` on it (never run: exec is faked), so the token source goes through the CLI. */
const cliDir = mkdtempSync(join(tmpdir(), 'dbx-cli-'));
writeFileSync(join(cliDir, 'databricks'), '#!/bin/sh\nexit 1\n');
chmodSync(join(cliDir, 'databricks'), 0o755);
process.on('exit', () => rmSync(cliDir, { recursive: true, force: true }));
const withCli = { PATH: cliDir };

const base: ResolvedConfig = { profile: 'dev', host: 'https://dev.cloud.databricks.com', authType: 'databricks-cli', isAccount: false, configFile: '/x', sources: {} };

test('databricks-cli: runs `databricks auth token --profile`, caches until near expiry', async () => {
  let now = Date.parse('2026-11-22T10:00:00Z');
  const calls: string[][] = [];
  const exec: Exec = async (file, args) => {
    calls.push([file, ...args]);
    return { exitCode: 0, stderr: '', stdout: JSON.stringify({ access_token: `eyJtoken${calls.length}`, token_type: 'Bearer', expiry: new Date(now + 10 * 60_000).toISOString() }) };
  };
  const src = createTokenSource({ exec, env: withCli, now: () => now, http: createHttpClient({ env: {}, version: 't' }) }, base);
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
  const deps = { env: withCli, now: Date.now, http: createHttpClient({ env: {}, version: 't' }) };
  // A databricks_cli_path that does not exist: the CLI the profile names is missing.
  await assert.rejects(
    createTokenSource({ ...deps, exec: missing }, { ...base, cliPath: '/nowhere/databricks' }).getToken(),
    (e: Error & { hint?: string }) => /not installed/.test(e.message) && /(?:databricks auth|dbx-mcp) login --host https:\/\/dev.cloud.databricks.com --profile dev/.test(e.hint ?? ''),
  );
  const notLogged: Exec = async () => ({ exitCode: 1, stdout: '', stderr: 'Error: cache: databricks OAuth is not configured for this host. no cached credentials; run `databricks auth login` to sign in' });
  await assert.rejects(createTokenSource({ ...deps, exec: notLogged }, base).getToken(), (e: Error & { hint?: string; code?: string }) => e.code === 'CLI_NOT_LOGGED_IN' && /--profile dev/.test(e.hint ?? ''));
});

test('databricks-cli without the CLI on PATH: the shared token store, and its fix names dbx-mcp login', async () => {
  const home = mkdtempSync(join(tmpdir(), 'dbx-home-'));
  try {
    const neverRun: Exec = async () => assert.fail('the CLI is not run when it is not on PATH');
    const deps = { env: { PATH: home, DATABRICKS_AUTH_STORAGE: 'plaintext' }, now: Date.now, http: createHttpClient({ env: {}, version: 't' }), home };
    await assert.rejects(createTokenSource({ ...deps, exec: neverRun }, base).getToken(), (e: Error & { hint?: string; code?: string }) => e.code === 'U2M_NOT_SIGNED_IN' && e.hint === 'Sign in: dbx-mcp login --profile dev');
    // The CLI went missing between the PATH check and the run: the store answers too.
    await assert.rejects(createTokenSource({ ...deps, env: { ...deps.env, PATH: cliDir }, exec: missing() }, base).getToken(), (e: Error & { code?: string }) => e.code === 'U2M_NOT_SIGNED_IN');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

function missing(): Exec {
  return async () => {
    throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  };
}
