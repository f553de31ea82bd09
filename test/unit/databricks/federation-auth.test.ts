/**
 * Issue 14's auth methods: github-oidc, env-oidc, file-oidc (workload identity federation) and
 * azure-cli, through resolveConfig + the token source, against the fake workspace's token
 * exchange and GitHub ID-token endpoint, and a scripted `az`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenSource } from '../../../src/databricks/auth.js';
import { createHttpClient, type HttpClient } from '../../../src/databricks/http.js';
import { resolveConfig } from '../../../src/databricks/profiles.js';
import { diagnoseError } from '../../../src/doctor/diagnose.js';
import { isDbxMcpError } from '../../../src/errors.js';
import type { Exec } from '../../../src/context.js';
import {
  DEMO_ACCOUNT_ID, DEMO_SP_CLIENT_ID, FIXTURE_ISSUER, GITHUB_ID_TOKEN_PATH, GITHUB_REQUEST_TOKEN, fakeIdToken, startFakeWorkspace,
} from '../../../src/emulator/index.js';
import { tempDir } from '../../helpers/temp.js';

const HOST = 'https://env.cloud.databricks.com';
const http = createHttpClient({ env: {}, version: 't' });
const noExec: Exec = async () => {
  throw new Error('no command expected');
};

function source(home: string, env: Record<string, string>, exec: Exec = noExec, client: HttpClient = http) {
  const c = resolveConfig({ home, env });
  return { c, ts: createTokenSource({ exec, env, now: () => Date.now(), http: client }, c) };
}

test('default order: a client id with a CI/ID token picks the federation method; a host alone is still the Databricks CLI; M2M comes first', (t) => {
  const home = tempDir(t);
  const pick = (env: Record<string, string>) => resolveConfig({ home, env: { DATABRICKS_HOST: HOST, ...env } }).authType;
  const gh = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/x?a=1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt' };
  assert.equal(pick({ DATABRICKS_CLIENT_ID: 'cid', ...gh }), 'github-oidc');
  assert.equal(pick({ DATABRICKS_CLIENT_ID: 'cid', DATABRICKS_OIDC_TOKEN: 'jwt' }), 'env-oidc');
  assert.equal(pick({ DATABRICKS_CLIENT_ID: 'cid', DATABRICKS_OIDC_TOKEN_ENV: 'MY_JWT', MY_JWT: 'jwt' }), 'env-oidc');
  assert.equal(pick({ DATABRICKS_CLIENT_ID: 'cid', DATABRICKS_OIDC_TOKEN_FILEPATH: '/tmp/jwt' }), 'file-oidc');
  // github-oidc comes before env-oidc in the SDKs' order.
  assert.equal(pick({ DATABRICKS_CLIENT_ID: 'cid', DATABRICKS_OIDC_TOKEN: 'jwt', ...gh }), 'github-oidc');
  assert.equal(pick({ DATABRICKS_CLIENT_ID: 'cid', DATABRICKS_CLIENT_SECRET: 's', ...gh }), 'oauth-m2m');
  assert.equal(pick(gh), 'databricks-cli', 'no client id: no federation');
  assert.equal(pick({}), 'databricks-cli');
  // azure-cli only when asked: an Azure host alone keeps the Databricks CLI (unchanged behaviour).
  assert.equal(resolveConfig({ home, env: { DATABRICKS_HOST: 'https://adb-1.2.azuredatabricks.net' } }).authType, 'databricks-cli');
  assert.equal(pick({ DATABRICKS_AUTH_TYPE: 'azure-cli' }), 'azure-cli');
});

test('auth_type = github-oidc without a client id is a usage error naming DATABRICKS_CLIENT_ID', (t) => {
  const home = tempDir(t);
  assert.throws(() => resolveConfig({ home, env: { DATABRICKS_HOST: HOST, DATABRICKS_AUTH_TYPE: 'github-oidc' } }), (e: unknown) => isDbxMcpError(e) && /client_id/.test(e.message) && /DATABRICKS_CLIENT_ID/.test(e.hint ?? ''));
});

test('github-oidc: asks GitHub for an ID token with the token endpoint as audience, exchanges it, and the workspace accepts the token', async (t) => {
  const ws = await startFakeWorkspace();
  t.after(() => ws.close());
  const env = { DATABRICKS_HOST: ws.url, DATABRICKS_CLIENT_ID: DEMO_SP_CLIENT_ID, ACTIONS_ID_TOKEN_REQUEST_URL: `${ws.url}${GITHUB_ID_TOKEN_PATH}`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: GITHUB_REQUEST_TOKEN };
  const { c, ts } = source(tempDir(t), env);
  assert.equal(c.authType, 'github-oidc');
  const tok = await ts.getToken();
  assert.equal(ws.state.tokens[tok.token]?.principal, DEMO_SP_CLIENT_ID);
  const idReq = ws.requests.find((r) => r.path.startsWith('/_github/idtoken'));
  assert.ok(idReq, 'asked GitHub');
  assert.deepEqual(idReq.query, { 'api-version': '2.0', audience: `${ws.url}/oidc/v1/token` });
  // Cached: a second call makes no new exchange; a forced refresh does.
  const before = ws.requests.filter((r) => r.path === '/oidc/v1/token').length;
  assert.equal((await ts.getToken()).token, tok.token);
  assert.equal(ws.requests.filter((r) => r.path === '/oidc/v1/token').length, before);
  assert.notEqual((await ts.getToken({ forceRefresh: true })).token, tok.token);
});

test('github-oidc: a federation policy that does not list the audience is its own diagnosis (policy, audience, id-token: write), nothing secret in it', async (t) => {
  const ws = await startFakeWorkspace();
  t.after(() => ws.close());
  const env = {
    DATABRICKS_HOST: ws.url, DATABRICKS_CLIENT_ID: DEMO_SP_CLIENT_ID, DATABRICKS_TOKEN_AUDIENCE: 'https://not-the-policy-audience',
    ACTIONS_ID_TOKEN_REQUEST_URL: `${ws.url}${GITHUB_ID_TOKEN_PATH}`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: GITHUB_REQUEST_TOKEN,
  };
  const { c, ts } = source(tempDir(t), env);
  const e = await ts.getToken().then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(e) && e.code === 'FEDERATION_FAILED', String(e));
  const r = diagnoseError(e, { profile: c.profile, host: c.host, authType: c.authType });
  assert.equal(r.data?.kind, 'federation-rejected');
  assert.match(r.fix ?? '', /federation policy/);
  assert.match(r.fix ?? '', /https:\/\/not-the-policy-audience/);
  assert.match(r.fix ?? '', /id-token: write/);
  assert.doesNotMatch(JSON.stringify(r), new RegExp(GITHUB_REQUEST_TOKEN));
});

test('github-oidc: a job without the id-token permission (GitHub refuses the request token) names the permission', async (t) => {
  const ws = await startFakeWorkspace();
  t.after(() => ws.close());
  const env = { DATABRICKS_HOST: ws.url, DATABRICKS_CLIENT_ID: DEMO_SP_CLIENT_ID, ACTIONS_ID_TOKEN_REQUEST_URL: `${ws.url}${GITHUB_ID_TOKEN_PATH}`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'ghs_wrong' };
  const e = await source(tempDir(t), env).ts.getToken().then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(e) && e.code === 'OIDC_SUBJECT_FAILED', String(e));
  assert.match(e.hint ?? '', /permissions: id-token: write/);
});

test('env-oidc and file-oidc: the fixture ID token is exchanged; a token from an untrusted issuer is refused', async (t) => {
  const ws = await startFakeWorkspace();
  t.after(() => ws.close());
  const home = tempDir(t);
  const good = fakeIdToken({ iss: FIXTURE_ISSUER, sub: 'ci-job', aud: `${ws.url}/oidc/v1/token` });
  const base = { DATABRICKS_HOST: ws.url, DATABRICKS_CLIENT_ID: DEMO_SP_CLIENT_ID };

  const viaEnv = source(home, { ...base, DATABRICKS_OIDC_TOKEN_ENV: 'MY_JWT', MY_JWT: good });
  assert.equal(viaEnv.c.authType, 'env-oidc');
  assert.equal(ws.state.tokens[(await viaEnv.ts.getToken()).token]?.principal, DEMO_SP_CLIENT_ID);

  const file = join(home, 'id-token');
  writeFileSync(file, good + '\n');
  const viaFile = source(home, { ...base, DATABRICKS_OIDC_TOKEN_FILEPATH: file });
  assert.equal(viaFile.c.authType, 'file-oidc');
  assert.equal(ws.state.tokens[(await viaFile.ts.getToken()).token]?.principal, DEMO_SP_CLIENT_ID);

  const bad = fakeIdToken({ iss: 'https://evil.example.com', sub: 'x', aud: `${ws.url}/oidc/v1/token` });
  const e = await source(home, { ...base, DATABRICKS_OIDC_TOKEN: bad }).ts.getToken().then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(e) && e.code === 'FEDERATION_FAILED', String(e));
  assert.doesNotMatch(`${e.message} ${e.hint}`, new RegExp(bad.split('.')[1]!));

  const missing = await source(home, { ...base, DATABRICKS_AUTH_TYPE: 'file-oidc', DATABRICKS_OIDC_TOKEN_FILEPATH: join(home, 'nope') }).ts.getToken().then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(missing) && missing.code === 'OIDC_SUBJECT_FAILED' && /DATABRICKS_OIDC_TOKEN_FILEPATH/.test(missing.hint ?? ''), String(missing));
});

test('federation on an account host: /oidc/accounts/{id}/v1/token with the account id as audience (and the emulator\'s account route accepts it)', async (t) => {
  const seen: Array<{ url: string; form?: Record<string, string> }> = [];
  const stub: HttpClient = {
    ...http,
    raw: async (req) => {
      seen.push({ url: req.url, ...(req.form ? { form: req.form } : {}) });
      return { status: 200, headers: {}, text: '', json: { access_token: 'acct-token', token_type: 'Bearer', expires_in: 3600 } };
    },
  };
  const home = tempDir(t);
  const env = { DATABRICKS_HOST: 'https://accounts.cloud.databricks.com', DATABRICKS_ACCOUNT_ID: DEMO_ACCOUNT_ID, DATABRICKS_CLIENT_ID: DEMO_SP_CLIENT_ID, DATABRICKS_OIDC_TOKEN: 'subject-jwt' };
  await source(home, env, noExec, stub).ts.getToken();
  assert.equal(seen[0]?.url, `https://accounts.cloud.databricks.com/oidc/accounts/${DEMO_ACCOUNT_ID}/v1/token`);
  assert.equal(seen[0]?.form?.grant_type, 'urn:ietf:params:oauth:grant-type:token-exchange');
  assert.equal(seen[0]?.form?.subject_token_type, 'urn:ietf:params:oauth:token-type:jwt');
  assert.equal(seen[0]?.form?.scope, 'all-apis');
  assert.equal(seen[0]?.form?.client_id, DEMO_SP_CLIENT_ID);

  const ws = await startFakeWorkspace();
  t.after(() => ws.close());
  const form = (aud: string) => new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: fakeIdToken({ iss: FIXTURE_ISSUER, sub: 's', aud }),
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt', client_id: DEMO_SP_CLIENT_ID, scope: 'all-apis',
  });
  const post = (aud: string) => fetch(`${ws.url}/oidc/accounts/${ws.accountId}/v1/token`, { method: 'POST', body: form(aud) });
  assert.equal((await post(ws.accountId)).status, 200);
  assert.equal((await post(`${ws.url}/oidc/v1/token`)).status, 400, 'the workspace audience is not the account\'s');
});

test('azure-cli: runs az with the Azure Databricks resource (+ --tenant), caches until shortly before expires_on, and names az login when signed out', async (t) => {
  const home = tempDir(t);
  const calls: string[][] = [];
  let now = 1_000_000_000_000;
  let signedIn = true;
  const exec: Exec = async (file, args) => {
    calls.push([file, ...args]);
    if (!signedIn) return { exitCode: 1, stdout: '', stderr: "ERROR: AADSTS70043: The refresh token has expired. Please run 'az login' to setup account.\n" };
    return { exitCode: 0, stderr: '', stdout: JSON.stringify({ accessToken: `eyJaz${calls.length}`, expires_on: Math.floor(now / 1000) + 600, tokenType: 'Bearer', tenant: 't1' }) };
  };
  const env = { DATABRICKS_HOST: HOST, DATABRICKS_AUTH_TYPE: 'azure-cli', ARM_TENANT_ID: 'tenant-123' };
  const c = resolveConfig({ home, env });
  const ts = createTokenSource({ exec, env, now: () => now, http }, c);
  assert.equal((await ts.getToken()).token, 'eyJaz1');
  assert.deepEqual(calls[0], ['az', 'account', 'get-access-token', '--resource', '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d', '--output', 'json', '--tenant', 'tenant-123']);
  now += 8 * 60_000; // 2 minutes before expiry: still cached
  assert.equal((await ts.getToken()).token, 'eyJaz1');
  now += 90_000; // within the refresh margin
  assert.equal((await ts.getToken()).token, 'eyJaz2');
  signedIn = false;
  const e = await ts.getToken({ forceRefresh: true }).then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(e) && e.code === 'AZ_NOT_LOGGED_IN', String(e));
  assert.equal(e.hint, 'Run: az login --tenant tenant-123');

  const missing: Exec = async () => {
    throw Object.assign(new Error('az: command not found'), { code: 'ENOENT' });
  };
  const m = await createTokenSource({ exec: missing, env, now: () => now, http }, resolveConfig({ home, env: { DATABRICKS_HOST: HOST, DATABRICKS_AUTH_TYPE: 'azure-cli' } })).getToken().then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(m) && m.code === 'AZ_MISSING' && /then run: az login$/.test(m.hint ?? ''), String(m));
});

test('file-oidc from a profile: client_id and oidc_token_filepath in ~/.databrickscfg, each value\'s source recorded', async (t) => {
  const ws = await startFakeWorkspace();
  t.after(() => ws.close());
  const home = tempDir(t);
  const jwt = join(home, 'k8s-token');
  writeFileSync(jwt, fakeIdToken({ iss: FIXTURE_ISSUER, sub: 'system:serviceaccount:ci:runner', aud: `${ws.url}/oidc/v1/token` }));
  writeFileSync(join(home, '.databrickscfg'), `[ci]\nhost = ${ws.url}\nauth_type = file-oidc\nclient_id = ${DEMO_SP_CLIENT_ID}\noidc_token_filepath = ${jwt}\n`);
  const env = { DATABRICKS_CONFIG_PROFILE: 'ci' };
  const c = resolveConfig({ home, env });
  assert.equal(c.authType, 'file-oidc');
  assert.equal(c.sources.oidc_token_filepath?.name, `${home}/.databrickscfg [ci]`);
  const ts = createTokenSource({ exec: noExec, env, now: () => Date.now(), http }, c);
  assert.equal(ws.state.tokens[(await ts.getToken()).token]?.principal, DEMO_SP_CLIENT_ID);
});

test('a malformed subject source is one error naming the variable, before any request: a non-URL ACTIONS_ID_TOKEN_REQUEST_URL, a blank DATABRICKS_OIDC_TOKEN', async (t) => {
  const noHttp: HttpClient = {
    request: async () => assert.fail('no request expected'),
    raw: async () => assert.fail('no request expected'),
  };
  const gh = { DATABRICKS_HOST: HOST, DATABRICKS_CLIENT_ID: 'cid', ACTIONS_ID_TOKEN_REQUEST_URL: 'not a url', ACTIONS_ID_TOKEN_REQUEST_TOKEN: GITHUB_REQUEST_TOKEN };
  const e1 = await source(tempDir(t), gh, noExec, noHttp).ts.getToken().then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(e1) && e1.code === 'OIDC_SUBJECT_FAILED', String(e1));
  assert.match(e1.message, /ACTIONS_ID_TOKEN_REQUEST_URL/);
  assert.ok(!e1.message.includes(GITHUB_REQUEST_TOKEN) && !(e1.hint ?? '').includes(GITHUB_REQUEST_TOKEN));
  for (const env of [{ DATABRICKS_OIDC_TOKEN: '  \n' }, { DATABRICKS_OIDC_TOKEN_ENV: 'MY_JWT', MY_JWT: ' ' }] as Record<string, string>[]) {
    const e2 = await source(tempDir(t), { DATABRICKS_HOST: HOST, DATABRICKS_CLIENT_ID: 'cid', ...env }, noExec, noHttp).ts.getToken().then(() => undefined, (x: unknown) => x);
    assert.ok(isDbxMcpError(e2) && e2.code === 'OIDC_SUBJECT_FAILED', String(e2));
    assert.match(e2.message, env.DATABRICKS_OIDC_TOKEN_ENV ? /MY_JWT/ : /DATABRICKS_OIDC_TOKEN/);
  }
});
