/**
 * Unified hosts: profile attributes and their precedence as the SDKs resolve them (Go SDK v0.175
 * config/config.go: environment before file, an explicit attribute before the host's query;
 * `?w=` in any form, numeric `?o=`/`?workspace_id=`, `?a=`/`?account_id=`), host metadata
 * discovery (once per host per run, no token, never fatal) and the routing decision.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { parseHostInput } from '../../../src/databricks/host.js';
import { getHostMetadata } from '../../../src/databricks/host-metadata.js';
import { createHttpClient } from '../../../src/databricks/http.js';
import { resolveConfig } from '../../../src/databricks/profiles.js';
import { workspaceRouting } from '../../../src/databricks/routing.js';
import { tempDir } from '../../helpers/temp.js';

describe('pasted host promotion (fixHostIfNeeded)', () => {
  const cases: [string, { workspaceId?: string; accountId?: string }][] = [
    ['https://h.cloud.databricks.com/?o=1234567890', { workspaceId: '1234567890' }],
    ['https://h.cloud.databricks.com/?w=ws-abc_1', { workspaceId: 'ws-abc_1' }], // ?w= takes any form
    ['https://h.cloud.databricks.com/?o=notanumber', {}], // ?o= must be numeric
    ['https://h.cloud.databricks.com/?workspace_id=42&a=acct-1', { workspaceId: '42', accountId: 'acct-1' }],
    ['https://h.cloud.databricks.com/?w=7&o=8', { workspaceId: '7' }], // ?w= supersedes ?o=
    ['https://h.cloud.databricks.com/?account_id=acct-2#frag', { accountId: 'acct-2' }],
    ['h.cloud.databricks.com/sql/editor?o=99', { workspaceId: '99' }],
    ['https://h.cloud.databricks.com', {}],
  ];
  for (const [input, want] of cases) {
    it(input, () => {
      const got = parseHostInput(input);
      assert.equal(got.host, 'https://h.cloud.databricks.com');
      assert.deepEqual({ workspaceId: got.workspaceId, accountId: got.accountId }, { workspaceId: want.workspaceId, accountId: want.accountId });
    });
  }
});

function home(t: TestContext, cfg: string): string {
  const h = tempDir(t);
  writeFileSync(join(h, '.databrickscfg'), cfg);
  return h;
}

describe('profile attributes for unified hosts (SDK precedence)', () => {
  const TOKEN = 'dapi00000000000000000000000000000000';
  it('reads workspace_id, account_id and scopes as CLI 1.13 writes them', (t) => {
    const h = home(t, `[u]\nhost = https://u.cloud.databricks.com\nauth_type = pat\ntoken = ${TOKEN}\naccount_id = acct-9\nworkspace_id = 111\nscopes = all-apis, offline_access\n`);
    const c = resolveConfig({ env: {}, home: h }, 'u');
    assert.equal(c.workspaceId, '111');
    assert.equal(c.accountId, 'acct-9');
    assert.deepEqual(c.scopes, ['all-apis', 'offline_access']);
    assert.equal(c.sources.workspace_id?.kind, 'file');
  });
  it('DATABRICKS_WORKSPACE_ID beats the file; the file beats the host query', (t) => {
    const h = home(t, `[u]\nhost = https://u.cloud.databricks.com/?o=333\ntoken = ${TOKEN}\nworkspace_id = 222\n`);
    assert.equal(resolveConfig({ env: {}, home: h }, 'u').workspaceId, '222');
    const fromEnv = resolveConfig({ env: { DATABRICKS_WORKSPACE_ID: '444' }, home: h }, 'u');
    assert.equal(fromEnv.workspaceId, '444');
    assert.deepEqual(fromEnv.sources.workspace_id, { kind: 'env', name: 'DATABRICKS_WORKSPACE_ID' });
  });
  it('a host with ?o= fills workspace_id and is stored without its query', (t) => {
    const h = home(t, `[u]\nhost = https://u.cloud.databricks.com/?o=333&a=acct-1\ntoken = ${TOKEN}\n`);
    const c = resolveConfig({ env: {}, home: h }, 'u');
    assert.equal(c.host, 'https://u.cloud.databricks.com');
    assert.equal(c.workspaceId, '333');
    assert.equal(c.accountId, 'acct-1');
    assert.equal(c.sources.workspace_id?.kind, 'host-query');
  });
  it('environment-only auth: DATABRICKS_HOST with ?w= and DATABRICKS_ACCOUNT_ID', (t) => {
    const c = resolveConfig({ env: { DATABRICKS_HOST: 'https://u.cloud.databricks.com?w=555', DATABRICKS_TOKEN: TOKEN, DATABRICKS_ACCOUNT_ID: 'acct-3' }, home: tempDir(t) });
    assert.equal(c.profile, undefined);
    assert.equal(c.workspaceId, '555');
    assert.equal(c.accountId, 'acct-3');
  });
});

/** A loopback host metadata server that records what it received. */
async function metadataServer(t: TestContext, body: unknown, status = 200): Promise<{ url: string; seen: { path: string; authorization?: string }[] }> {
  const seen: { path: string; authorization?: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('host metadata discovery and routing', () => {
  const http = () => createHttpClient({ env: {}, version: 'test' });
  it('asks once per host per run, with no token, and routes a unified host by the profile workspace', async (t) => {
    const m = await metadataServer(t, { host_type: 'UNIFIED_HOST', account_id: 'acct-u', oidc_endpoint: 'x/{account_id}' });
    const client = http();
    const config = resolveConfig({ env: { DATABRICKS_HOST: m.url, DATABRICKS_TOKEN: 'dapi1', DATABRICKS_WORKSPACE_ID: '77' }, home: tempDir(t) });
    const r = await workspaceRouting(client, config);
    await workspaceRouting(client, config);
    await getHostMetadata(client, m.url);
    assert.deepEqual(m.seen, [{ path: '/.well-known/databricks-config' }]);
    assert.equal(r.hostType, 'UNIFIED_HOST');
    assert.equal(r.hostTypeFrom, 'discovery');
    assert.deepEqual(r.headers, { 'X-Databricks-Workspace-Id': '77' });
    assert.equal(r.accountId, 'acct-u');
    assert.equal(r.unrouted, false);
  });
  it('a unified host without a workspace id is unrouted and sends no routing header', async (t) => {
    const m = await metadataServer(t, { host_type: 'unified', account_id: 'acct-u' });
    const config = resolveConfig({ env: { DATABRICKS_HOST: m.url, DATABRICKS_TOKEN: 'dapi1' }, home: tempDir(t) });
    const r = await workspaceRouting(http(), config);
    assert.equal(r.unrouted, true);
    assert.deepEqual(r.headers, {});
  });
  it('a workspace host back-fills its workspace id from discovery', async (t) => {
    const m = await metadataServer(t, { host_type: 'WORKSPACE_HOST', workspace_id: '123', account_id: 'a' });
    const config = resolveConfig({ env: { DATABRICKS_HOST: m.url, DATABRICKS_TOKEN: 'dapi1' }, home: tempDir(t) });
    const r = await workspaceRouting(http(), config);
    assert.equal(r.workspaceId, '123');
    assert.equal(r.workspaceIdFrom?.kind, 'discovery');
    assert.deepEqual(r.headers, { 'X-Databricks-Workspace-Id': '123' });
  });
  it('no metadata (404) is not fatal: the host type comes from its name', async (t) => {
    const m = await metadataServer(t, { error_code: 'NOT_FOUND' }, 404);
    const config = resolveConfig({ env: { DATABRICKS_HOST: m.url, DATABRICKS_TOKEN: 'dapi1' }, home: tempDir(t) });
    const r = await workspaceRouting(http(), config);
    assert.equal(r.hostType, 'WORKSPACE_HOST');
    assert.equal(r.hostTypeFrom, 'host name');
    assert.deepEqual(r.headers, {});
  });
  it('an unreachable host is not fatal either', async (t) => {
    const m = await metadataServer(t, {});
    const dead = m.url.replace(/:\d+$/, ':1');
    const config = resolveConfig({ env: { DATABRICKS_HOST: dead, DATABRICKS_TOKEN: 'dapi1' }, home: tempDir(t) });
    const r = await workspaceRouting(http(), config);
    assert.equal(r.hostTypeFrom, 'host name');
  });
});
