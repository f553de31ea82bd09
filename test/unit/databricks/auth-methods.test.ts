import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUTH_METHODS, AUTH_TYPES, deadTokenFix, type AuthType } from '../../../src/databricks/auth-methods/index.js';
import type { AuthMethod } from '../../../src/databricks/auth-methods/types.js';
import { AUTH_ENV_VARS, resolveConfig } from '../../../src/databricks/profiles.js';
import { diagnoseApi } from '../../../src/doctor/diagnose.js';
import { httpFailure } from '../../../src/proxy/errors.js';
import { classifyApiError } from '../../../src/databricks/api-errors.js';
import { tempDir } from '../../helpers/temp.js';

const HOST = 'https://env.cloud.databricks.com';
const EXPIRED = JSON.stringify({ error_code: '403', message: 'Invalid access token.' });

test('auth-method table: each entry is keyed by its id, and its secret keys are among its config keys', () => {
  assert.deepEqual(Object.keys(AUTH_METHODS).sort(), [...AUTH_TYPES].sort());
  for (const t of AUTH_TYPES) {
    const m: AuthMethod = AUTH_METHODS[t];
    assert.equal(m.id, t);
    for (const s of m.secretAttrs) assert.ok(s in m.attrs, `${t}: secret ${s} is one of its attrs`);
    // A credential set in the environment alone is environment-only auth (the SDKs' rule).
    for (const v of Object.values(m.attrs)) assert.ok(AUTH_ENV_VARS.includes(v), `${t}: ${v} selects environment-only auth`);
    for (const v of Object.values(m.settings)) assert.ok(!AUTH_ENV_VARS.includes(v), `${t}: setting ${v} does not`);
  }
});

test('auth-method table: without auth_type the SDKs\' default order picks pat, then oauth-m2m, then databricks-cli', (t) => {
  const home = tempDir(t);
  const pick = (env: Record<string, string>) => resolveConfig({ home, env: { DATABRICKS_HOST: HOST, ...env } }).authType;
  assert.equal(pick({ DATABRICKS_TOKEN: 'dapi-order-test' }), 'pat');
  assert.equal(pick({ DATABRICKS_CLIENT_ID: 'cid', DATABRICKS_CLIENT_SECRET: 'order-secret' }), 'oauth-m2m');
  assert.equal(pick({}), 'databricks-cli');
  assert.equal(pick({ DATABRICKS_CLIENT_ID: 'cid' }), 'databricks-cli', 'a client id alone is no M2M credential');
});

test('auth-method table: every method names its own dead-token fix; only the CLI method sends to `databricks auth login` alone', () => {
  const a = { profile: 'p1', host: HOST };
  for (const t of AUTH_TYPES) {
    const fix = deadTokenFix(t, a);
    assert.ok(fix.length > 0);
    if (t === 'pat') assert.match(fix, /personal access token/);
    if (t === 'oauth-m2m') assert.match(fix, /client_id\/client_secret of profile p1/);
    if (t === 'databricks-cli') assert.match(fix, /^Sign in again: databricks auth login --host https:\/\/env\.cloud\.databricks\.com --profile p1$/);
  }
});

// Defect: with environment-only auth (no profile), the fix for a dead PAT sent the user to
// "profile DEFAULT of ~/.databrickscfg" (proxy) / "profile DEFAULT" (doctor), and a dead M2M
// secret to "profile (env)"; the credential is in DATABRICKS_TOKEN / DATABRICKS_CLIENT_*.
const ENV_ONLY: Array<[AuthType, RegExp]> = [
  ['pat', /DATABRICKS_TOKEN/],
  ['oauth-m2m', /DATABRICKS_CLIENT_ID\/DATABRICKS_CLIENT_SECRET/],
];

test('proxy: a rejected token with environment-only auth names the environment variable, not a profile', () => {
  for (const [authType, names] of ENV_ONLY) {
    const f = httpFailure(403, EXPIRED, {}, { url: `${HOST}/api/2.0/mcp/functions/a/b`, host: HOST, profile: undefined, authType });
    assert.match(f.message, /^Databricks rejected the token/);
    assert.match(f.message, names, `${authType}: ${f.message}`);
    assert.doesNotMatch(f.message, /profile DEFAULT|profile \(env\)|~\/\.databrickscfg/, `${authType}: ${f.message}`);
  }
});

test('doctor: an invalid token with environment-only auth names the environment variable, not a profile', () => {
  const info = classifyApiError(403, JSON.parse(EXPIRED), {});
  for (const [authType, names] of ENV_ONLY) {
    const r = diagnoseApi(info, { host: HOST, profile: undefined, authType });
    assert.equal(r.data?.kind, 'invalid-token');
    assert.match(r.fix!, names, `${authType}: ${r.fix}`);
    assert.doesNotMatch(r.fix!, /profile DEFAULT|profile \(env\)/, `${authType}: ${r.fix}`);
  }
});

test('doctor and the proxy give the same fix for a dead token (one function)', () => {
  const info = classifyApiError(403, JSON.parse(EXPIRED), {});
  for (const t of AUTH_TYPES) {
    const r = diagnoseApi(info, { host: HOST, profile: 'p1', authType: t });
    const f = httpFailure(403, EXPIRED, {}, { url: `${HOST}/api/2.0/mcp/sql`, host: HOST, profile: 'p1', authType: t });
    assert.ok(f.message.endsWith(r.fix!), `${t}: proxy "${f.message}" vs doctor "${r.fix}"`);
  }
});
