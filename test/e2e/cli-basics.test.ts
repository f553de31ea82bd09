import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

test('--version prints the package version', async (t) => {
  const r = await runCli(['--version'], { home: tempDir(t) });
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), pkg.version);
});

test('--help lists every command and needs no network', async (t) => {
  const r = await runCli(['--help'], { home: tempDir(t), env: { HTTPS_PROXY: 'http://127.0.0.1:1' } });
  assert.equal(r.code, 0);
  for (const c of ['add', 'remove', 'list', 'token', 'proxy']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
});

test('an unknown flag or command is a usage error: exit 2', async (t) => {
  const home = tempDir(t);
  const a = await runCli(['list', '--bogus'], { home });
  assert.equal(a.code, 2);
  assert.match(a.stderr, /unknown option/);
  const b = await runCli(['frobnicate'], { home });
  assert.equal(b.code, 2);
});

test('a malformed Genie id is exit 2 with the fix, before any network', async (t) => {
  const r = await runCli(['add', 'genie', 'not-an-id', '--client', 'cursor'], { home: tempDir(t) });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a Genie space id/);
  assert.match(r.stderr, /Fix: .*32 hexadecimal/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('no Databricks configuration: exit 1 and the login command, no stack trace', async (t) => {
  const r = await runCli(['token'], { home: tempDir(t) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /No Databricks configuration found/);
  assert.match(r.stderr, /(?:databricks auth|dbx-mcp) login --host/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
