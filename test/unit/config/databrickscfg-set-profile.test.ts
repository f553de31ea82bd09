/**
 * planSetProfile: `dbx-mcp login` saves a profile as `databricks auth login` does (keys set,
 * other methods' credentials removed), changing only the lines it must.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { planSetProfile } from '../../../src/init/databrickscfg.js';

function file(t: TestContext, text?: string): string {
  const d = mkdtempSync(join(tmpdir(), 'dbx-cfg-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  const f = join(d, '.databrickscfg');
  if (text !== undefined) writeFileSync(f, text);
  return f;
}

const SET = { host: 'https://dev.cloud.databricks.com', auth_type: 'databricks-cli' };

test('a new file, a new section at the end, an existing section updated in place', async (t) => {
  assert.equal((await planSetProfile(file(t), 'dev', SET, [], '')).after, '[dev]\nhost = https://dev.cloud.databricks.com\nauth_type = databricks-cli\n');
  const f = file(t, '; top\n[a]\nhost = https://a ; comment\n');
  assert.equal((await planSetProfile(f, 'dev', SET, [], '')).after, '; top\n[a]\nhost = https://a ; comment\n\n[dev]\nhost = https://dev.cloud.databricks.com\nauth_type = databricks-cli\n');
  const g = file(t, '[dev]\n# mine\nHost = https://old\ntoken = dapi-old-secret\ncluster_id = 0123\n\n\n[b]\nhost = https://b\n');
  const c = await planSetProfile(g, 'dev', SET, ['token', 'client_secret'], '(x)');
  assert.equal(c.after, '[dev]\n# mine\nhost = https://dev.cloud.databricks.com\ncluster_id = 0123\nauth_type = databricks-cli\n\n\n[b]\nhost = https://b\n');
  assert.equal(c.holdsSecret, true, 'the file may hold other secrets: kept 0600');
  assert.deepEqual(c.summary, ['~ [dev] (x)']);
});

test('CRLF files keep CRLF; a last line without a newline gets one before new keys', async (t) => {
  const f = file(t, '[dev]\r\nhost = https://old\r\n');
  assert.equal((await planSetProfile(f, 'dev', SET, [], '')).after, '[dev]\r\nhost = https://dev.cloud.databricks.com\r\nauth_type = databricks-cli\r\n');
  const g = file(t, '[dev]\nhost = https://old');
  assert.equal((await planSetProfile(g, 'dev', { ...SET, account_id: 'abc' }, [], '')).after, '[dev]\nhost = https://dev.cloud.databricks.com\nauth_type = databricks-cli\naccount_id = abc\n');
  const h = file(t, '[__settings__]');
  assert.equal((await planSetProfile(h, '__settings__', { auth_storage: 'plaintext' }, [], '')).after, '[__settings__]\nauth_storage = plaintext\n');
});

test('a file the CLI would not read is refused before any edit', async (t) => {
  await assert.rejects(planSetProfile(file(t, '[dev\nhost = x\n'), 'dev', SET, [], ''), /has no closing "\]"/);
});
