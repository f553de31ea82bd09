import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { resolveConfig, listProfiles } from '../../../src/databricks/profiles.js';
import { parseIni } from '../../../src/databricks/ini-file.js';
import { tempDir } from '../../helpers/temp.js';

const CFG = `; comment
[DEFAULT]
host  = https://default.cloud.databricks.com/
token = dapi00000000000000000000000000000000

[__settings__]
default_profile = dev

[dev]
host      = https://dev.cloud.databricks.com
auth_type = databricks-cli

[prod]
host  = prod.cloud.databricks.com
token = dapiabc#notacomment   # a real comment

[both]
host = https://both.cloud.databricks.com
token = dapi11111111111111111111111111111111
client_id = abc
client_secret = s3cr3t-value

[m2m]
host = https://m2m.cloud.databricks.com
client_id = sp-id
client_secret = sp-secret-value

[nohost]
token = dapi22222222222222222222222222222222
`;

function setup(t: Parameters<typeof tempDir>[0], cfg = CFG) {
  const home = tempDir(t);
  writeFileSync(join(home, '.databrickscfg'), cfg);
  return home;
}

test('ini parser: inline comments need whitespace before # and sections do not inherit DEFAULT', () => {
  const s = parseIni(CFG);
  assert.equal(s.get('prod')?.values.token, 'dapiabc#notacomment');
  assert.equal(s.get('dev')?.values.token, undefined);
});

test('resolution order: --profile, DATABRICKS_CONFIG_PROFILE, default_profile, DEFAULT', (t) => {
  const home = setup(t);
  assert.equal(resolveConfig({ env: {}, home }, 'prod').profile, 'prod');
  assert.equal(resolveConfig({ env: { DATABRICKS_CONFIG_PROFILE: 'prod' }, home }).profile, 'prod');
  assert.equal(resolveConfig({ env: { DATABRICKS_CONFIG_PROFILE: 'prod' }, home }, 'm2m').profile, 'm2m');
  const dev = resolveConfig({ env: {}, home });
  assert.equal(dev.profile, 'dev');
  assert.equal(dev.authType, 'databricks-cli');
  assert.match(dev.sources.profile!.name, /default_profile/);
  const noSettings = setup(t, CFG.replace('default_profile = dev', ''));
  const d = resolveConfig({ env: {}, home: noSettings });
  assert.equal(d.profile, 'DEFAULT');
  assert.equal(d.authType, 'pat');
  assert.equal(d.host, 'https://default.cloud.databricks.com');
});

test('every value says where it came from; env fills before the file', (t) => {
  const home = setup(t);
  const c = resolveConfig({ env: { DATABRICKS_TOKEN: 'dapi99999999999999999999999999999999' }, home }, 'prod');
  assert.equal(c.host, 'https://prod.cloud.databricks.com');
  assert.deepEqual(c.sources.host, { kind: 'file', name: `${join(home, '.databrickscfg')} [prod]` });
  assert.deepEqual(c.sources.token, { kind: 'env', name: 'DATABRICKS_TOKEN' });
  assert.deepEqual(c.sources.profile, { kind: 'flag', name: '--profile' });
});

test('environment-only auth when DATABRICKS_HOST is set and no profile is named', (t) => {
  const home = setup(t);
  const c = resolveConfig({ env: { DATABRICKS_HOST: 'https://env.cloud.databricks.com', DATABRICKS_TOKEN: 'dapi12121212121212121212121212121212' }, home });
  assert.equal(c.profile, undefined);
  assert.equal(c.host, 'https://env.cloud.databricks.com');
  assert.equal(c.authType, 'pat');
  assert.equal(c.sources.host?.kind, 'env');
});

test('DATABRICKS_CONFIG_FILE picks another file', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'other.cfg');
  writeFileSync(file, '[DEFAULT]\nhost = https://other.cloud.databricks.com\ntoken = dapi33333333333333333333333333333333\n');
  const c = resolveConfig({ env: { DATABRICKS_CONFIG_FILE: file }, home: tempDir(t) });
  assert.equal(c.host, 'https://other.cloud.databricks.com');
  assert.equal(c.configFile, file);
});

test('more than one auth method is an error like the SDK\'s', (t) => {
  const home = setup(t);
  assert.throws(() => resolveConfig({ env: {}, home }, 'both'), (e: Error & { exitCode?: number; hint?: string }) => {
    assert.match(e.message, /more than one authorization method configured: pat and oauth/);
    assert.match(e.hint ?? '', /auth_type/);
    return e.exitCode === 2;
  });
  assert.equal(resolveConfig({ env: {}, home }, 'm2m').authType, 'oauth-m2m');
});

test('missing profile, missing host and no config give the exact next step', (t) => {
  const home = setup(t);
  assert.throws(() => resolveConfig({ env: {}, home }, 'nope'), (e: Error & { hint?: string }) => /not found/.test(e.message) && /dev, prod/.test(e.hint ?? '') && /databricks auth login/.test(e.hint ?? ''));
  assert.throws(() => resolveConfig({ env: {}, home }, 'nohost'), /has no host/);
  const empty = tempDir(t);
  assert.throws(() => resolveConfig({ env: {}, home: empty }), (e: Error & { hint?: string }) => /No Databricks configuration/.test(e.message) && /databricks auth login/.test(e.hint ?? ''));
});

test('listProfiles shows host, auth type and the default', (t) => {
  const home = setup(t);
  const ps = listProfiles({ env: {}, home });
  const dev = ps.find((p) => p.name === 'dev');
  assert.deepEqual(dev, { name: 'dev', host: 'https://dev.cloud.databricks.com', authType: 'databricks-cli', accountId: undefined, isDefault: true });
  assert.equal(ps.find((p) => p.name === 'm2m')?.authType, 'oauth-m2m');
  assert.ok(!ps.some((p) => p.name === '__settings__'));
});
