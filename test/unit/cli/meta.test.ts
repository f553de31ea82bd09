import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../src/errors.js';
import { parseMeta } from '../../../src/util/meta.js';

test('parseMeta: key=value pairs, values may hold "=", none gives undefined', () => {
  assert.equal(parseMeta(undefined, 'add'), undefined);
  assert.equal(parseMeta([], 'add'), undefined);
  assert.deepEqual(parseMeta(['warehouse_id=abc', 'q=a=b', 'empty='], 'add'), { warehouse_id: 'abc', q: 'a=b', empty: '' });
});

test('parseMeta: a pair without a key is a usage error that names the command\'s help', () => {
  for (const bad of ['novalue', '=x']) {
    assert.throws(() => parseMeta([bad], 'proxy'), (e: unknown) => e instanceof UsageError && e.message.includes(`--meta "${bad}"`) && String(e.hint).includes("dbx-mcp proxy --help"));
  }
});
