import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { parseOptions } from '../../../src/workflows/parse-options.js';
import { WriterOptions } from '../../../src/workflows/writer-options.js';
import { parseManifest } from '../../../src/manifest/index.js';
import { UsageError } from '../../../src/errors.js';

function usage(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    return e;
  }
  assert.fail('no usage error');
}

const ZOD_WORDING = /String must contain|Expected \w+, received|Invalid enum value|Required|Invalid input|Number must be|Unrecognized key/;

test('flag errors: our words, the flag or <argument> named once, the real command in the hint', () => {
  const e = usage(() => parseOptions(WriterOptions, { scope: 'team', callbackPort: 80, meta: ['a=1', 'novalue'] }, 'add sql'));
  assert.equal(e.message, '--scope: must be one of "user", "project", not "team"; --callback-port: must be at least 1024; --meta "novalue": expected key=value, e.g. --meta warehouse_id=abcdef1234567890');
  assert.equal(e.hint, "Run 'dbx-mcp add sql --help' for its arguments and options.");
  const arg = usage(() => parseOptions(z.object({ name: z.string().min(1) }), { name: '' }, 'remove', ['name']));
  assert.equal(arg.message, '<name>: must not be empty');
  const nan = usage(() => parseOptions(z.object({ timeout: z.number() }), { timeout: Number('abc') }, 'doctor'));
  assert.equal(nan.message, '--timeout: must be a number');
  for (const m of [e.message, arg.message, nan.message]) assert.doesNotMatch(m, ZOD_WORDING);
});

test('manifest errors: our words for every field', () => {
  const e = usage(() => parseManifest(JSON.stringify({ version: 2, workspace: {}, scope: 'team', servers: [{ type: 'sql', extra: 1 }] }), '/repo/dbx-mcp.json'));
  assert.doesNotMatch(e.message, ZOD_WORDING, e.message);
  assert.match(e.message, /version: must be 1/);
  assert.match(e.message, /workspace\.host: is required/);
  assert.match(e.message, /scope: must be one of "user", "project", not "team"/);
});
