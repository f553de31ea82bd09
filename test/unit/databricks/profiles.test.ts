import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { resolveConfig, listProfiles } from '../../../src/databricks/profiles.js';
import { IniSyntaxError, parseIni } from '../../../src/databricks/ini-file.js';
import { DbxMcpError } from '../../../src/errors.js';
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

/** The syntax error parseIni throws for `text`, or fails the test. */
function syntaxError(text: string): IniSyntaxError {
  try {
    parseIni(text, '/home/u/.databrickscfg');
  } catch (e) {
    assert.ok(e instanceof IniSyntaxError, String(e));
    return e;
  }
  assert.fail(`parsed without an error:\n${text}`);
}

test('ini parser: a syntax error names the file, the line and what is wrong (exit 2), never the line\'s value', () => {
  const unclosed = syntaxError('# mine\n[DEFAULT\nhost = https://a.cloud.databricks.com\n');
  assert.equal(unclosed.line, 2);
  assert.equal(unclosed.exitCode, 2);
  assert.equal(unclosed.code, 'CONFIG_PARSE');
  assert.match(unclosed.message, /^\/home\/u\/\.databrickscfg:2: the section header \[DEFAULT has no closing "\]"$/);
  assert.match(unclosed.hint!, /line 2/);

  const noEquals = syntaxError('[DEFAULT]\nhost = https://a.cloud.databricks.com\ntoken dapi0123456789abcdef\n');
  assert.equal(noEquals.line, 3);
  assert.match(noEquals.message, /:3: expected "key = value", but the line has no "="/);
  assert.doesNotMatch(noEquals.message + noEquals.hint, /dapi/, 'the bad line may hold a secret');

  // `host https://…`: the ":" of the URL is not the delimiter of a key named "host https".
  assert.equal(syntaxError('[DEFAULT]\nhost https://a.cloud.databricks.com\n').line, 2);
  assert.equal(syntaxError('[]\nhost = x\n').line, 1);
  assert.equal(syntaxError('[a] host = x\n').line, 1);
});

test('ini parser: a section that appears twice is reported with both lines', () => {
  const e = syntaxError('[DEFAULT]\nhost = https://a.cloud.databricks.com\n\n[prod]\ntoken = x\n[DEFAULT]\ntoken = y\n');
  assert.equal(e.line, 6);
  assert.match(e.message, /\[DEFAULT\] appears twice \(first at line 1\)/);
});

test('ini parser: accepts what the Databricks CLI accepts', () => {
  const s = parseIni(
    [
      '\uFEFFhost = https://top.cloud.databricks.com', // above every header: [DEFAULT], as go-ini reads it
      '; a comment',
      '   # an indented comment',
      '[DEFAULT]',
      'token = dapi-top',
      '[colon]   ; trailing comment',
      'host: https://colon.cloud.databricks.com',
      '  token =   "dapi:with=delims"  ',
      'Note: not a comment, an unknown key',
      '',
    ].join('\r\n'),
  );
  assert.deepEqual(s.get('DEFAULT')?.values, { host: 'https://top.cloud.databricks.com', token: 'dapi-top' });
  assert.deepEqual(s.get('colon')?.values, { host: 'https://colon.cloud.databricks.com', token: 'dapi:with=delims', note: 'not a comment, an unknown key' });
});

test('a broken config file is reported by resolveConfig and listProfiles, not as "no profiles"', (t) => {
  const home = setup(t, '[DEFAULT\nhost = https://a.cloud.databricks.com\ntoken = dapi123\n');
  assert.throws(() => resolveConfig({ env: {}, home }), (e: unknown) => e instanceof IniSyntaxError && e.message === `${join(home, '.databrickscfg')}:1: the section header [DEFAULT has no closing "]"`);
  assert.throws(() => resolveConfig({ env: {}, home }, 'DEFAULT'), IniSyntaxError);
  assert.throws(() => listProfiles({ env: {}, home }), IniSyntaxError);
});

test('[__settings__] default_profile naming a missing section: the error names that section', (t) => {
  const home = setup(t, '[__settings__]\ndefault_profile = prod\n\n[dev]\nhost = https://dev.cloud.databricks.com\ntoken = dapi1\n');
  assert.throws(
    () => resolveConfig({ env: {}, home }),
    (e: unknown) => e instanceof DbxMcpError && /default_profile .* names the profile "prod", which is not in the file/.test(e.message) && /one of dev/.test(e.hint ?? ''),
  );
});
