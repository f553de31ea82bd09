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

// Issue 22: the SDKs' order around the new methods (Go SDK v0.175 config/auth_default.go):
// pat, basic, oauth-m2m, databricks-cli, metadata-service, github-oidc, azure-devops-oidc, env-oidc,
// file-oidc, azure-github-oidc, azure-msi, azure-client-secret, azure-cli, google-*.
test('auth-method table: the SDKs\' order places metadata-service after databricks-cli, and azure-msi before azure-client-secret after the OIDC methods', (t) => {
  const home = tempDir(t);
  const AZ = 'https://adb-1234567890123456.7.azuredatabricks.net';
  const pick = (env: Record<string, string>, host = AZ) => resolveConfig({ home, env: { DATABRICKS_HOST: host, ...env } }).authType;
  const sp = { ARM_CLIENT_ID: 'app', ARM_CLIENT_SECRET: 'order-azure-secret', ARM_TENANT_ID: 'tenant' };
  const gh = { DATABRICKS_CLIENT_ID: 'cid', ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/x?a=1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt' };
  const md = { DATABRICKS_METADATA_SERVICE_URL: 'http://localhost:1234/token' };
  assert.deepEqual(AUTH_TYPES.filter((a) => ['databricks-cli', 'metadata-service', 'github-oidc', 'file-oidc', 'azure-msi', 'azure-client-secret', 'azure-cli'].includes(a)),
    ['databricks-cli', 'metadata-service', 'github-oidc', 'file-oidc', 'azure-msi', 'azure-client-secret', 'azure-cli']);
  assert.equal(pick(sp), 'azure-client-secret');
  assert.equal(pick({ ARM_USE_MSI: 'true' }), 'azure-msi');
  assert.equal(pick({ ARM_USE_MSI: 'true', ARM_CLIENT_ID: 'user-assigned' }), 'azure-msi');
  assert.equal(pick({ ...sp, ARM_USE_MSI: 'true' }), 'azure-msi', 'both are the SDK\'s one "azure" credential: msi first, no ambiguity');
  assert.equal(pick({ ...sp, ...gh }), 'github-oidc');
  assert.equal(pick({ ...md, ...gh }), 'metadata-service');
  assert.throws(() => pick({ ...md, ARM_USE_MSI: 'true' }), /more than one authorization method configured: metadata-service and azure/);
  assert.equal(pick(md, HOST), 'metadata-service', 'not Azure-only');
  assert.equal(pick({ ARM_USE_MSI: 'false' }), 'databricks-cli');
  assert.equal(pick({ ARM_CLIENT_ID: 'app', ARM_CLIENT_SECRET: 's' }), 'databricks-cli', 'no tenant: the SDK skips azure-client-secret');
  assert.equal(pick(sp, HOST), 'databricks-cli', 'not an Azure host: the SDK skips the Azure methods');
  assert.equal(pick({ ARM_USE_MSI: 'true' }, HOST), 'databricks-cli');
  // Two credentials and no auth_type: the SDK's error, with its credential names.
  assert.throws(() => pick({ ...sp, DATABRICKS_TOKEN: 'dapi-order' }), /more than one authorization method configured: pat and azure/);
  assert.throws(() => pick({ ...md, DATABRICKS_CLIENT_ID: 'c', DATABRICKS_CLIENT_SECRET: 's' }), /more than one authorization method configured: oauth and metadata-service/);
  assert.equal(pick({ ...sp, DATABRICKS_TOKEN: 'dapi-order', DATABRICKS_AUTH_TYPE: 'azure-client-secret' }), 'azure-client-secret');
});

test('auth-method table: every method names its own dead-token fix; only the CLI method sends to `databricks auth login` alone', () => {
  const a = { profile: 'p1', host: HOST };
  for (const t of AUTH_TYPES) {
    const fix = deadTokenFix(t, a);
    assert.ok(fix.length > 0);
    if (t === 'pat') assert.match(fix, /personal access token/);
    if (t === 'oauth-m2m') assert.match(fix, /client_id\/client_secret of profile p1/);
    if (t === 'databricks-cli') assert.match(fix, /^Sign in again: databricks auth login --host https:\/\/env\.cloud\.databricks\.com --profile p1$/);
    if (t === 'azure-client-secret') assert.match(fix, /azure_client_id\/azure_client_secret\/azure_tenant_id of profile p1/);
    if (t === 'metadata-service') assert.match(fix, /metadata_service_url of profile p1/);
  }
});

// Defect: with environment-only auth (no profile), the fix for a dead PAT sent the user to
// "profile DEFAULT of ~/.databrickscfg" (proxy) / "profile DEFAULT" (doctor), and a dead M2M
// secret to "profile (env)"; the credential is in DATABRICKS_TOKEN / DATABRICKS_CLIENT_*.
const ENV_ONLY: Array<[AuthType, RegExp]> = [
  ['pat', /DATABRICKS_TOKEN/],
  ['oauth-m2m', /DATABRICKS_CLIENT_ID\/DATABRICKS_CLIENT_SECRET/],
  ['azure-client-secret', /ARM_CLIENT_ID\/ARM_CLIENT_SECRET\/ARM_TENANT_ID/],
  ['metadata-service', /DATABRICKS_METADATA_SERVICE_URL/],
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
