/**
 * Issue 22's SDK methods: azure-client-secret, azure-msi and metadata-service, through
 * resolveConfig + the token source, against the fake Azure endpoints (src/emulator/azure.ts)
 * of a fake workspace. Where each secret is sent is asserted request by request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { azureCloud, imdsPrefix } from '../../../src/databricks/auth-methods/azure.js';
import { createTokenSource } from '../../../src/databricks/auth.js';
import { createHttpClient } from '../../../src/databricks/http.js';
import { resolveConfig } from '../../../src/databricks/profiles.js';
import { diagnoseError } from '../../../src/doctor/diagnose.js';
import { isDbxMcpError } from '../../../src/errors.js';
import type { Exec } from '../../../src/context.js';
import {
  AZURE_DATABRICKS_APP_ID, AZURE_MSI_SYSTEM_ID, AZURE_MSI_USER_ID, AZURE_SP_CLIENT_ID, AZURE_SP_CLIENT_SECRET, AZURE_TENANT_ID, startFakeAzure,
} from '../../../src/emulator/azure.js';
import { DEMO_USER, startFakeWorkspace } from '../../../src/emulator/index.js';
import { tempDir } from '../../helpers/temp.js';

const AZ_HOST = 'https://adb-1234567890123456.7.azuredatabricks.net';
const http = createHttpClient({ env: {}, version: 't' });
const noExec: Exec = async () => {
  throw new Error('no command expected');
};

function source(home: string, env: Record<string, string>, profile?: string) {
  const c = resolveConfig({ home, env }, profile);
  return { c, ts: createTokenSource({ exec: noExec, env, now: () => Date.now(), http }, c) };
}

async function fixture(t: import('node:test').TestContext) {
  const ws = await startFakeWorkspace();
  const az = await startFakeAzure(ws);
  t.after(async () => {
    await az.close();
    await ws.close();
  });
  return { ws, az };
}

test('Azure cloud of a host: the SDK\'s DNS zones and application ids; a loopback host only under a test-only override', () => {
  assert.deepEqual(azureCloud(AZ_HOST, {}, {}), { name: 'PUBLIC', loginEndpoint: 'https://login.microsoftonline.com/', applicationId: AZURE_DATABRICKS_APP_ID });
  assert.equal(azureCloud('https://adb-1.2.databricks.azure.us', {}, {})?.loginEndpoint, 'https://login.microsoftonline.us/');
  assert.equal(azureCloud('https://adb-1.2.databricks.azure.cn', {}, {})?.loginEndpoint, 'https://login.chinacloudapi.cn/');
  assert.equal(azureCloud('https://adb-1.2.staging.azuredatabricks.net', {}, {})?.applicationId, '4a67d088-db5c-48f1-9ff2-0aace800ae68');
  assert.equal(azureCloud('https://dbc-1.cloud.databricks.com', {}, {}), undefined);
  assert.equal(azureCloud('http://127.0.0.1:9', {}, {}), undefined);
  assert.equal(azureCloud('http://127.0.0.1:9', {}, { DBX_MCP_TEST_AZURE_LOGIN_URL: 'http://127.0.0.1:10/' })?.loginEndpoint, 'http://127.0.0.1:10/');
  // The override can never send a secret off the machine: a non-loopback value is ignored.
  assert.equal(azureCloud(AZ_HOST, {}, { DBX_MCP_TEST_AZURE_LOGIN_URL: 'https://evil.example.com/' })?.loginEndpoint, 'https://login.microsoftonline.com/');
  assert.equal(imdsPrefix({ DBX_MCP_TEST_AZURE_IMDS_URL: 'http://10.0.0.5/metadata' }), 'http://169.254.169.254/metadata');
  assert.equal(imdsPrefix({}), 'http://169.254.169.254/metadata');
  // azure_workspace_resource_id marks a host as Azure (SDK IsAzure), cloud from azure_environment.
  assert.equal(azureCloud('https://adb.custom.example', { azure_workspace_resource_id: '/subscriptions/s/x', azure_environment: 'usgovernment' }, {})?.loginEndpoint, 'https://login.microsoftonline.us/');
});

test('azure-client-secret: client credentials at <login>/<tenant>/oauth2/token for the Azure Databricks resource; the secret goes there only, and the workspace accepts the token', async (t) => {
  const { ws, az } = await fixture(t);
  const env = { DATABRICKS_HOST: ws.url, ARM_CLIENT_ID: AZURE_SP_CLIENT_ID, ARM_CLIENT_SECRET: AZURE_SP_CLIENT_SECRET, ARM_TENANT_ID: AZURE_TENANT_ID, DBX_MCP_TEST_AZURE_LOGIN_URL: az.loginUrl };
  const { c, ts } = source(tempDir(t), env);
  assert.equal(c.authType, 'azure-client-secret');
  assert.equal(c.sources.azure_client_secret?.name, 'ARM_CLIENT_SECRET');
  const tok = await ts.getToken();
  assert.equal(ws.state.tokens[tok.token]?.principal, AZURE_SP_CLIENT_ID, 'the workspace accepts the Entra ID token');
  assert.ok(tok.expiresAt! > Date.now() + 3000_000);
  assert.equal(az.requests.length, 1);
  const r = az.requests[0]!;
  assert.equal(`${r.method} ${r.path}`, `POST /${AZURE_TENANT_ID}/oauth2/token`);
  assert.deepEqual(r.body, { grant_type: 'client_credentials', client_id: AZURE_SP_CLIENT_ID, client_secret: '***', resource: AZURE_DATABRICKS_APP_ID });
  assert.deepEqual(az.secretsReceived, [AZURE_SP_CLIENT_SECRET]);
  assert.equal(ws.requests.length, 0, 'nothing of the sign-in reached the workspace');
  // Cached until shortly before expires_on; a forced refresh asks again.
  assert.equal((await ts.getToken()).token, tok.token);
  assert.notEqual((await ts.getToken({ forceRefresh: true })).token, tok.token);
  assert.equal(az.requests.length, 2);
});

test('azure-client-secret: a wrong secret is one error with Entra ID\'s reason (no trace id) and the fix naming the ARM_ variables', async (t) => {
  const { ws, az } = await fixture(t);
  const env = { DATABRICKS_HOST: ws.url, ARM_CLIENT_ID: AZURE_SP_CLIENT_ID, ARM_CLIENT_SECRET: 'wrong-secret-value-123', ARM_TENANT_ID: AZURE_TENANT_ID, DBX_MCP_TEST_AZURE_LOGIN_URL: az.loginUrl };
  const { ts } = source(tempDir(t), env);
  const e = await ts.getToken().then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(e));
  assert.match(e.message, /Entra ID refused the Azure service principal .*401 invalid_client: AADSTS7000215: Invalid client secret provided/);
  assert.doesNotMatch(e.message, /Trace ID|wrong-secret/);
  assert.match(e.hint ?? '', /ARM_CLIENT_ID\/ARM_CLIENT_SECRET\/ARM_TENANT_ID/);
  assert.equal(diagnoseError(e, {}).data?.kind, 'invalid-token');
});

test('azure-client-secret: a host outside Azure is not picked unasked, and asked for it says so before sending the secret', async (t) => {
  const home = tempDir(t);
  const env = { DATABRICKS_HOST: 'https://dbc-1.cloud.databricks.com', ARM_CLIENT_ID: 'c', ARM_CLIENT_SECRET: 'azure-secret-never-sent', ARM_TENANT_ID: 't' };
  assert.equal(resolveConfig({ home, env }).authType, 'databricks-cli');
  const sent: string[] = [];
  const spy = { request: async () => assert.fail('no request'), raw: async (r: { url: string }) => (sent.push(r.url), assert.fail('no request')) };
  const c = resolveConfig({ home, env: { ...env, DATABRICKS_AUTH_TYPE: 'azure-client-secret' } });
  const e = await createTokenSource({ exec: noExec, env, now: () => Date.now(), http: spy as never }, c).getToken().then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(e));
  assert.match(e.message, /not an Azure Databricks host/);
  assert.deepEqual(sent, []);
  assert.throws(() => resolveConfig({ home, env: { DATABRICKS_HOST: AZ_HOST, DATABRICKS_AUTH_TYPE: 'azure-client-secret', ARM_CLIENT_ID: 'c' } }), /azure_client_secret, azure_tenant_id are missing/);
});

test('azure-msi: the system-assigned identity by default, a user-assigned one by ARM_CLIENT_ID; Metadata: true, api-version 2018-02-01', async (t) => {
  const { ws, az } = await fixture(t);
  const base = { DATABRICKS_HOST: ws.url, ARM_USE_MSI: 'true', DBX_MCP_TEST_AZURE_IMDS_URL: az.imdsUrl };
  const sys = source(tempDir(t), base);
  assert.equal(sys.c.authType, 'azure-msi');
  const t1 = await sys.ts.getToken();
  assert.equal(ws.state.tokens[t1.token]?.principal, AZURE_MSI_SYSTEM_ID);
  assert.deepEqual(az.requests[0]!.query, { 'api-version': '2018-02-01', resource: AZURE_DATABRICKS_APP_ID });
  assert.equal(az.requests[0]!.headers.metadata, 'true');
  const user = source(tempDir(t), { ...base, ARM_CLIENT_ID: AZURE_MSI_USER_ID });
  assert.equal(ws.state.tokens[(await user.ts.getToken()).token]?.principal, AZURE_MSI_USER_ID);
  assert.equal(az.requests[1]!.query.client_id, AZURE_MSI_USER_ID);
  const unknown = await source(tempDir(t), { ...base, ARM_CLIENT_ID: 'not-assigned' }).ts.getToken().then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(unknown));
  assert.match(unknown.message, /gave no token for the managed identity not-assigned: 400 invalid_request: Identity not found/);
});

test('azure-msi off Azure (nothing answers the metadata endpoint): one error that says where it must run, no stack', async (t) => {
  const { ws, az } = await fixture(t);
  const closed = az.imdsUrl;
  await az.close();
  const { ts } = source(tempDir(t), { DATABRICKS_HOST: ws.url, ARM_USE_MSI: 'true', DBX_MCP_TEST_AZURE_IMDS_URL: closed });
  const e = await ts.getToken().then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(e));
  assert.match(e.message, /managed-identity endpoint did not answer/);
  assert.match(e.hint ?? '', /Azure VM.*managed identity/);
  assert.equal(diagnoseError(e, {}).data?.kind, 'no-credentials');
  assert.throws(() => resolveConfig({ home: tempDir(t), env: { DATABRICKS_HOST: AZ_HOST, DATABRICKS_AUTH_TYPE: 'azure-msi' } }), /azure_use_msi is not true/);
});

test('metadata-service: GET with X-Databricks-Metadata-Version 1 and X-Databricks-Host; the URL is a secret; only localhost/127.0.0.1 URLs', async (t) => {
  const { ws, az } = await fixture(t);
  const { c, ts } = source(tempDir(t), { DATABRICKS_HOST: ws.url, DATABRICKS_METADATA_SERVICE_URL: az.metadataServiceUrl });
  assert.equal(c.authType, 'metadata-service');
  const tok = await ts.getToken();
  assert.equal(ws.state.tokens[tok.token]?.principal, DEMO_USER);
  assert.equal(az.requests[0]!.headers['x-databricks-metadata-version'], '1');
  assert.equal(az.requests[0]!.headers['x-databricks-host'], ws.url);
  const { redact } = await import('../../../src/secrets.js');
  assert.doesNotMatch(redact(`url ${az.metadataServiceUrl}`), /metadata-service\//, 'registered for redaction');
  for (const bad of ['http://10.1.2.3:8080/x', 'http://[::1]:1/x', 'http://localhost.evil.com/x', 'not a url']) {
    assert.throws(() => resolveConfig({ home: tempDir(t), env: { DATABRICKS_HOST: ws.url, DATABRICKS_AUTH_TYPE: 'metadata-service', DATABRICKS_METADATA_SERVICE_URL: bad } }), /not on localhost|is not a URL/, bad);
  }
  // A server that has no session for this host (another workspace): one error, without the secret URL.
  const other = source(tempDir(t), { DATABRICKS_HOST: 'http://127.0.0.1:9', DATABRICKS_METADATA_SERVICE_URL: az.metadataServiceUrl });
  const e = await other.ts.getToken().then(() => undefined, (x: unknown) => x);
  assert.ok(isDbxMcpError(e));
  assert.match(e.message, /^The local metadata service gave no token for http:\/\/127\.0\.0\.1:9: 404$/);
  assert.match(e.hint ?? '', /DATABRICKS_METADATA_SERVICE_URL .*running and signed in/);
  assert.doesNotMatch(`${e.message} ${e.hint}`, /metadata-service\//);
  // Picked unasked, a non-loopback URL is refused at token time, before any request.
  const off = source(tempDir(t), { DATABRICKS_HOST: ws.url, DATABRICKS_METADATA_SERVICE_URL: 'http://10.1.2.3:8080/x' });
  assert.equal(off.c.authType, 'metadata-service');
  await assert.rejects(off.ts.getToken(), /only localhost URLs are allowed/);
});

test('from a profile: the azure_* and metadata_service_url keys of ~/.databrickscfg, each value\'s source recorded', async (t) => {
  const { ws, az } = await fixture(t);
  const home = tempDir(t);
  writeFileSync(join(home, '.databrickscfg'), [
    '[sp]', `host = ${ws.url}`, `azure_client_id = ${AZURE_SP_CLIENT_ID}`, `azure_client_secret = ${AZURE_SP_CLIENT_SECRET}`, `azure_tenant_id = ${AZURE_TENANT_ID}`,
    '[vm]', `host = ${ws.url}`, 'azure_use_msi = true',
    '[ide]', `host = ${ws.url}`, `metadata_service_url = ${az.metadataServiceUrl}`, '',
  ].join('\n'));
  const env = { DBX_MCP_TEST_AZURE_LOGIN_URL: az.loginUrl, DBX_MCP_TEST_AZURE_IMDS_URL: az.imdsUrl };
  for (const [p, type] of [['sp', 'azure-client-secret'], ['vm', 'azure-msi'], ['ide', 'metadata-service']] as const) {
    const { c, ts } = source(home, env, p);
    assert.equal(c.authType, type);
    assert.ok(ws.state.tokens[(await ts.getToken()).token], `${p}: accepted by the workspace`);
    for (const k of Object.keys(c.sources).filter((k) => k.startsWith('azure_') || k === 'metadata_service_url')) assert.match(c.sources[k]!.name, /\.databrickscfg \[/);
  }
});

test('an ARM_ variable alone makes environment-only auth, as in the SDKs; the missing host names it and the way back to the profile', (t) => {
  const home = tempDir(t);
  writeFileSync(join(home, '.databrickscfg'), '[DEFAULT]\nhost = https://dbc-1.cloud.databricks.com\ntoken = dapi0123456789abcdef0123456789abcdef\n');
  assert.equal(resolveConfig({ home, env: {} }).authType, 'pat');
  assert.throws(() => resolveConfig({ home, env: { ARM_CLIENT_ID: 'left-from-terraform' } }), (e: unknown) => {
    assert.ok(isDbxMcpError(e));
    assert.match(e.message, /^DATABRICKS_HOST is not set, and ARM_CLIENT_ID is \(environment-only auth: .*\.databrickscfg is not read\)$/);
    assert.match(e.hint ?? '', /--profile <name> \(or unset ARM_CLIENT_ID\)/);
    return true;
  });
  assert.equal(resolveConfig({ home, env: { ARM_CLIENT_ID: 'left-from-terraform' } }, 'DEFAULT').authType, 'pat', 'a named profile reads the file');
});

test('azure-client-secret on real Azure hosts: the secret is sent only to the Entra ID endpoint of the host\'s cloud, whatever a non-loopback override says', async (t) => {
  const home = tempDir(t);
  const sent: Array<{ url: string; form?: Record<string, string> }> = [];
  const spy = {
    request: async () => assert.fail('no API request'),
    raw: async (r: { url: string; form?: Record<string, string> }) => {
      sent.push(r);
      return { status: 200, headers: {}, text: '', json: { access_token: 'eyJfixture.entra.token', expires_on: String(Math.floor(Date.now() / 1000) + 3600) } };
    },
  };
  const sp = { ARM_CLIENT_ID: 'app-id', ARM_CLIENT_SECRET: 'real-host-secret-canary', ARM_TENANT_ID: 'contoso.onmicrosoft.com' };
  for (const [host, login, extra] of [
    [AZ_HOST, 'https://login.microsoftonline.com/', {}],
    ['https://adb-1.2.databricks.azure.us', 'https://login.microsoftonline.us/', {}],
    ['https://adb-1.2.databricks.azure.cn', 'https://login.chinacloudapi.cn/', {}],
    [AZ_HOST, 'https://login.microsoftonline.com/', { DBX_MCP_TEST_AZURE_LOGIN_URL: 'https://evil.example.com/' }],
  ] as const) {
    const env = { DATABRICKS_HOST: host, ...sp, ...extra };
    const c = resolveConfig({ home, env });
    assert.equal(c.authType, 'azure-client-secret');
    await createTokenSource({ exec: noExec, env, now: () => Date.now(), http: spy as never }, c).getToken();
    const r = sent.pop()!;
    assert.equal(r.url, `${login}contoso.onmicrosoft.com/oauth2/token`);
    assert.equal(r.form?.client_secret, sp.ARM_CLIENT_SECRET);
    assert.equal(r.form?.resource, AZURE_DATABRICKS_APP_ID);
    assert.deepEqual(sent, []);
  }
  // A tenant that is not one path segment is refused before anything is sent.
  const env = { DATABRICKS_HOST: AZ_HOST, ...sp, ARM_TENANT_ID: 'evil.example.com/x?' };
  await assert.rejects(createTokenSource({ exec: noExec, env, now: () => Date.now(), http: spy as never }, resolveConfig({ home, env })).getToken(), /is not a tenant id/);
  assert.deepEqual(sent, []);
});
