import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCtx } from '../../../src/context.js';
import { DbxMcpError, ExitCode } from '../../../src/errors.js';
import { createScriptedPrompter } from '../../helpers/scripted-prompter.js';
import { chooseProfileForHost, profilesForHost, suggestProfileName } from '../../../src/databricks/profile-match.js';
import { tempDir, writeTree } from '../../helpers/temp.js';

const HOST = 'https://dbc-1234abcd-5678.cloud.databricks.com';

test('profilesForHost matches canonical hosts: scheme, case, trailing slash, path; never account profiles', () => {
  const profiles = [
    { name: 'a', host: 'https://DBC-1234abcd-5678.cloud.databricks.com/', isDefault: false },
    { name: 'b', host: 'dbc-1234abcd-5678.cloud.databricks.com', isDefault: false },
    { name: 'c', host: `${HOST}/?o=1`, isDefault: false },
    { name: 'other', host: 'https://dbc-9.cloud.databricks.com', isDefault: false },
    { name: 'nohost', isDefault: false },
    { name: 'acct', host: HOST, accountId: 'x', isDefault: false },
  ];
  assert.deepEqual(profilesForHost(profiles, `${HOST}/`).map((p) => p.name), ['a', 'b', 'c']);
});

test('suggestProfileName: first host label, IPs kept readable, no collision', () => {
  assert.equal(suggestProfileName(HOST), 'dbc-1234abcd-5678');
  assert.equal(suggestProfileName('https://adb-1234567890123456.7.azuredatabricks.net'), 'adb-1234567890123456');
  assert.equal(suggestProfileName('http://127.0.0.1:8080'), '127-0-0-1');
  assert.equal(suggestProfileName(HOST, ['dbc-1234abcd-5678', 'dbc-1234abcd-5678-2']), 'dbc-1234abcd-5678-3');
});

async function ctxWith(t: Parameters<typeof tempDir>[0], cfg: string, o: { env?: Record<string, string>; answers?: Record<string, unknown> } = {}) {
  const home = tempDir(t);
  writeTree(home, { '.databrickscfg': cfg });
  const prompt = o.answers ? createScriptedPrompter(o.answers) : undefined;
  return createCtx({}, { env: { HOME: home, ...o.env }, cwd: home, interactive: Boolean(prompt), prompt });
}

async function rejects(p: Promise<unknown>): Promise<DbxMcpError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DbxMcpError, String(e));
    return e;
  }
  assert.fail('expected an error');
}

const TWO = `[__settings__]\ndefault_profile = second\n[first]\nhost = ${HOST}\ntoken = x\n[second]\nhost = ${HOST}/\nauth_type = databricks-cli\n[elsewhere]\nhost = https://dbc-9.cloud.databricks.com\ntoken = y\n`;

test('one match is used; several prefer --profile, then the default profile', async (t) => {
  const one = await ctxWith(t, `[work]\nhost = ${HOST}/\ntoken = x\n[other]\nhost = https://x.cloud.databricks.com\ntoken = y\n`);
  assert.deepEqual(await chooseProfileForHost(one, HOST), { profile: 'work', reason: 'only-match', authType: 'pat' });
  const two = await ctxWith(t, TWO);
  assert.equal((await chooseProfileForHost(two, HOST)).profile, 'second');
  assert.equal((await chooseProfileForHost(two, HOST, 'first')).profile, 'first');
  const envNamed = await ctxWith(t, TWO, { env: { DATABRICKS_CONFIG_PROFILE: 'first' } });
  assert.deepEqual(await chooseProfileForHost(envNamed, HOST), { profile: 'first', reason: 'env', authType: 'pat' });
});

test('several matches and no default: asked on a terminal, exit 2 listing them otherwise', async (t) => {
  const cfg = TWO.replace(/\[__settings__\]\ndefault_profile = second\n/, '');
  const e = await rejects(chooseProfileForHost(await ctxWith(t, cfg), HOST));
  assert.equal(e.exitCode, ExitCode.Usage);
  assert.match(e.message, /first, second/);
  assert.match(String(e.hint), /--profile/);
  const asked = await ctxWith(t, cfg, { answers: { profile: 'second' } });
  assert.deepEqual(await chooseProfileForHost(asked, HOST), { profile: 'second', reason: 'asked', authType: 'databricks-cli' });
});

test('no match: exit 1 with the exact login command; a --profile for another host: exit 2', async (t) => {
  const ctx = await ctxWith(t, '[dbc-1234abcd-5678]\nhost = https://other.cloud.databricks.com\ntoken = y\n');
  const e = await rejects(chooseProfileForHost(ctx, HOST));
  assert.equal(e.exitCode, ExitCode.Failed);
  assert.equal(e.code, 'NO_PROFILE');
  assert.ok(String(e.hint).includes(`databricks auth login --host ${HOST} --profile dbc-1234abcd-5678-2`), e.hint);
  const mismatch = await rejects(chooseProfileForHost(ctx, HOST, 'dbc-1234abcd-5678'));
  assert.equal(mismatch.exitCode, ExitCode.Usage);
  assert.match(mismatch.message, /is for https:\/\/other\.cloud\.databricks\.com/);
  assert.equal((await rejects(chooseProfileForHost(ctx, HOST, 'missing'))).exitCode, ExitCode.Usage);
});

test('environment-only auth (CI with a service principal) when DATABRICKS_HOST is the manifest host', async (t) => {
  const ctx = await ctxWith(t, '', { env: { DATABRICKS_HOST: `${HOST.toUpperCase()}/` } });
  assert.deepEqual(await chooseProfileForHost(ctx, HOST), { profile: undefined, reason: 'environment' });
});
