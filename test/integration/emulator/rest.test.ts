import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_ADMIN_PAT, DEMO_GENIE_SPACES, DEMO_GROUP, DEMO_PAT, DEMO_PAT_NO_GROUPS, DEMO_USER, DEMO_WORKSPACE_ID,
  startFakeWorkspace, type FakeWorkspace,
} from '../../../src/emulator/index.js';

let ws: FakeWorkspace;
before(async () => {
  ws = await startFakeWorkspace();
});
after(async () => {
  await ws.close();
});
afterEach(() => ws.reset());

async function get(path: string, token: string | null = DEMO_PAT, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return fetch(`${ws.url}${path}`, { ...init, headers });
}

const ME = '/api/2.0/preview/scim/v2/Me';

describe('SCIM Me and auth failures (source: Go SDK service/iam (SCIM Me))', () => {
  test('happy path with org id header and groups', async () => {
    const res = await get(ME);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-databricks-org-id'), DEMO_WORKSPACE_ID);
    const body = (await res.json()) as { userName: string; groups: Array<{ display: string }> };
    assert.equal(body.userName, DEMO_USER);
    assert.deepEqual(body.groups.map((g) => g.display), [DEMO_GROUP]);
  });

  test('a user in no groups has no groups key', async () => {
    const body = (await (await get(ME, DEMO_PAT_NO_GROUPS)).json()) as Record<string, unknown>;
    assert.equal(body.userName, 'bob@example.com');
    assert.equal('groups' in body, false);
  });

  test('no credential: 401, integer error_code, exact body, realm header', async () => {
    const res = await get(ME, null);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="DatabricksRealm"');
    const text = await res.text();
    assert.equal(text, '{"error_code":401,"message":"Credential was not sent or was of an unsupported type for this API."}');
    assert.equal(text.length, 98); // matches the observed Content-Length (source: responses observed on real workspaces)
  });

  test('Basic credential is "unsupported type": 401', async () => {
    const res = await get(ME, null, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    assert.equal(res.status, 401);
  });

  test('unknown token: 403 Invalid access token. with reason phrase', async () => {
    const res = await get(ME, 'dapi00000000000000000000000000000000');
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('x-databricks-reason-phrase'), 'Invalid access token.');
    assert.equal(await res.text(), '{"error_code":403,"message":"Invalid access token."}');
  });

  test('scenario.invalidToken rejects a valid PAT; revoked and expired tokens are 403', async () => {
    ws.scenario.invalidToken = true;
    assert.equal((await get(ME)).status, 403);
    ws.reset();
    ws.addToken('dapi11111111111111111111111111111111');
    assert.equal((await get(ME, 'dapi11111111111111111111111111111111')).status, 200);
    ws.revokeToken('dapi11111111111111111111111111111111');
    assert.equal((await get(ME, 'dapi11111111111111111111111111111111')).status, 403);
    const expired = ws.mintOAuthToken(DEMO_USER);
    ws.state.tokens[expired]!.expiresAt = Date.now() - 1;
    assert.equal((await get(ME, expired)).status, 403);
  });

  test('scenario.expireTokens rejects OAuth tokens but not PATs', async () => {
    const oauth = ws.mintOAuthToken();
    assert.equal((await get(ME, oauth)).status, 200);
    ws.scenario.expireTokens = true;
    assert.equal((await get(ME, oauth)).status, 403);
    assert.equal((await get(ME)).status, 200);
  });

  test('account-audience token on the workspace: Invalid access to Org', async () => {
    const t = ws.mintOAuthToken(DEMO_USER, { audience: 'account' });
    const res = await get(ME, t);
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), { error_code: 403, message: `Invalid access to Org: ${DEMO_WORKSPACE_ID}` });
  });

  test('IP ACL block: exact message shape (source: responses observed on real workspaces)', async () => {
    ws.scenario.ipAcl = { sourceIp: '75.125.237.108' };
    const res = await get(ME);
    assert.equal(res.status, 403);
    const body = (await res.json()) as { error_code: number; message: string };
    assert.equal(body.error_code, 403);
    assert.match(body.message, new RegExp(`^Source IP address: 75\\.125\\.237\\.108 is blocked by Databricks IP ACL for workspace: ${DEMO_WORKSPACE_ID} \\[ReqId: [0-9a-f-]{36}\\]$`));
    // OIDC is not behind /api, so it is not blocked.
    assert.equal((await get('/oidc/.well-known/oauth-authorization-server', null)).status, 200);
  });
});

describe('rate limiting, outages, resets, latency (source: Go SDK apierr/errors.go)', () => {
  test('429 with Retry-After for the next N matching requests only', async () => {
    ws.scenario.rateLimit = { count: 2, retryAfter: '2', paths: /scim/ };
    assert.equal((await get('/api/2.1/unity-catalog/catalogs')).status, 200);
    for (let i = 0; i < 2; i++) {
      const res = await get(ME);
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '2');
      assert.deepEqual(await res.json(), { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'Request rate limit exceeded. Please retry after some time.' });
    }
    assert.equal((await get(ME)).status, 200);
    assert.equal(ws.scenario.rateLimit, undefined);
  });

  test('Retry-After as an HTTP date', async () => {
    const date = new Date(Date.now() + 3000).toUTCString();
    ws.scenario.rateLimit = { count: 1, retryAfter: date };
    assert.equal((await get(ME)).headers.get('retry-after'), date);
  });

  test('503 TEMPORARILY_UNAVAILABLE', async () => {
    ws.scenario.unavailable = { count: 1, retryAfter: '1' };
    const res = await get(ME);
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { error_code: string }).error_code, 'TEMPORARILY_UNAVAILABLE');
  });

  test('resetConnection drops the socket without a response', async () => {
    ws.scenario.resetConnection = { count: 1 };
    await assert.rejects(get(ME));
    assert.equal((await get(ME)).status, 200);
  });

  test('latencyMs delays responses', async () => {
    ws.scenario.latencyMs = 150;
    const t0 = Date.now();
    await get(ME);
    assert.ok(Date.now() - t0 >= 140);
  });
});

describe('Genie (source: https://docs.databricks.com/api/genie/v1/genie-space.md)', () => {
  test('list shows only visible spaces; pagination', async () => {
    const all = (await (await get('/api/2.0/genie/spaces')).json()) as { spaces: Array<{ space_id: string }>; next_page_token?: string };
    assert.deepEqual(all.spaces.map((s) => s.space_id).sort(), [DEMO_GENIE_SPACES.sales, DEMO_GENIE_SPACES.support].sort());
    assert.equal(all.next_page_token, undefined);
    const p1 = (await (await get('/api/2.0/genie/spaces?page_size=1')).json()) as { spaces: unknown[]; next_page_token?: string };
    assert.equal(p1.spaces.length, 1);
    assert.ok(p1.next_page_token);
    const p2 = (await (await get(`/api/2.0/genie/spaces?page_size=1&page_token=${p1.next_page_token}`)).json()) as { spaces: unknown[]; next_page_token?: string };
    assert.equal(p2.spaces.length, 1);
    assert.equal(p2.next_page_token, undefined);
  });

  test('no access is a 404 RESOURCE_DOES_NOT_EXIST', async () => {
    const res = await get(`/api/2.0/genie/spaces/${DEMO_GENIE_SPACES.finance}`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error_code: string; details: Array<Record<string, string>> };
    assert.equal(body.error_code, 'RESOURCE_DOES_NOT_EXIST');
    assert.equal(body.details.at(-1)!['@type'], 'type.googleapis.com/google.rpc.RequestInfo');
    assert.equal((await get(`/api/2.0/genie/spaces/${DEMO_GENIE_SPACES.finance}`, DEMO_ADMIN_PAT)).status, 200);
  });

  test('space get and ObjectPermissions', async () => {
    const s = (await (await get(`/api/2.0/genie/spaces/${DEMO_GENIE_SPACES.sales}`)).json()) as { title: string; warehouse_id: string };
    assert.equal(s.title, 'Sales Analytics');
    const p = (await (await get(`/api/2.0/permissions/genie/${DEMO_GENIE_SPACES.sales}`)).json()) as { object_type: string; access_control_list: Array<{ user_name?: string; all_permissions: Array<{ permission_level: string }> }> };
    assert.equal(p.object_type, 'genie-space');
    assert.equal(p.access_control_list.find((e) => e.user_name === DEMO_USER)?.all_permissions[0]?.permission_level, 'CAN_RUN');
  });
});

describe('Unity Catalog (source: https://docs.databricks.com/api/uc-grants/v1; Go SDK service/catalog (functions))', () => {
  test('effective permissions: inherited entries, per principal, groups not folded in', async () => {
    const path = '/api/2.1/unity-catalog/effective-permissions/FUNCTION/main.tools.lookup_customer';
    const jane = (await (await get(`${path}?principal=${encodeURIComponent(DEMO_USER)}`)).json()) as { privilege_assignments: Array<{ principal: string; privileges: unknown[] }> };
    assert.deepEqual(jane.privilege_assignments, [{ principal: DEMO_USER, privileges: [{ privilege: 'EXECUTE' }] }]);
    const group = (await (await get(`${path.replace('FUNCTION', 'function')}?principal=${DEMO_GROUP}`)).json()) as { privilege_assignments: Array<{ privileges: unknown[] }> };
    assert.deepEqual(group.privilege_assignments[0]!.privileges, [
      { privilege: 'EXECUTE', inherited_from_type: 'SCHEMA', inherited_from_name: 'main.tools' },
      { privilege: 'USE_SCHEMA', inherited_from_type: 'SCHEMA', inherited_from_name: 'main.tools' },
      { privilege: 'USE_CATALOG', inherited_from_type: 'CATALOG', inherited_from_name: 'main' },
    ]);
  });

  test('not found: legacy codes on gets, RESOURCE_DOES_NOT_EXIST on grants', async () => {
    const r1 = await get('/api/2.1/unity-catalog/schemas/main.nope');
    assert.equal(r1.status, 404);
    assert.equal(((await r1.json()) as { error_code: string }).error_code, 'SCHEMA_DOES_NOT_EXIST');
    const r2 = await get('/api/2.1/unity-catalog/catalogs/nope');
    assert.equal(((await r2.json()) as { error_code: string }).error_code, 'CATALOG_DOES_NOT_EXIST');
    const r3 = await get('/api/2.1/unity-catalog/permissions/table/main.docs.nope');
    assert.equal(r3.status, 404);
    assert.equal(((await r3.json()) as { error_code: string }).error_code, 'RESOURCE_DOES_NOT_EXIST');
  });

  test('permission denied: exact message and ErrorInfo', async () => {
    const res = await get('/api/2.1/unity-catalog/schemas/main.tools', DEMO_PAT_NO_GROUPS);
    assert.equal(res.status, 403);
    const body = (await res.json()) as { error_code: string; message: string; details: Array<Record<string, unknown>> };
    assert.equal(body.error_code, 'PERMISSION_DENIED');
    assert.equal(body.message, "User does not have USE CATALOG on Catalog 'main'.");
    assert.equal(body.details[0]!.reason, 'PERMISSION_DENIED');
    const fn = await get('/api/2.1/unity-catalog/functions/main.restricted.delete_customer');
    assert.equal(((await fn.json()) as { message: string }).message, "User does not have USE SCHEMA on Schema 'main.restricted'.");
  });

  test('functions list, schemas browse_only, PATCH grants (admin only)', async () => {
    const fns = (await (await get('/api/2.1/unity-catalog/functions?catalog_name=main&schema_name=tools')).json()) as { functions: Array<{ name: string; input_params: { parameters: unknown[] } }> };
    assert.deepEqual(fns.functions.map((f) => f.name), ['lookup_customer', 'refund_order']);
    const schemas = (await (await get('/api/2.1/unity-catalog/schemas?catalog_name=main&include_browse=true')).json()) as { schemas: Array<{ name: string; browse_only: boolean }> };
    assert.equal(schemas.schemas.find((s) => s.name === 'restricted')?.browse_only, true);
    assert.equal(schemas.schemas.find((s) => s.name === 'tools')?.browse_only, false);

    const patch = { changes: [{ principal: DEMO_GROUP, remove: ['EXECUTE'] }] };
    const denied = await get('/api/2.1/unity-catalog/permissions/schema/main.tools', DEMO_PAT, { method: 'PATCH', body: JSON.stringify(patch), headers: { 'Content-Type': 'application/json' } });
    assert.equal(denied.status, 403);
    const ok = await get('/api/2.1/unity-catalog/permissions/schema/main.tools', DEMO_ADMIN_PAT, { method: 'PATCH', body: JSON.stringify(patch), headers: { 'Content-Type': 'application/json' } });
    assert.equal(ok.status, 200);
    const fns2 = (await (await get('/api/2.1/unity-catalog/functions?catalog_name=main&schema_name=tools')).json()) as { functions: Array<{ name: string }> };
    assert.deepEqual(fns2.functions.map((f) => f.name), ['lookup_customer']); // jane still has a direct EXECUTE
    const restore = { changes: [{ principal: DEMO_GROUP, add: ['EXECUTE'] }] };
    await get('/api/2.1/unity-catalog/permissions/schema/main.tools', DEMO_ADMIN_PAT, { method: 'PATCH', body: JSON.stringify(restore), headers: { 'Content-Type': 'application/json' } });
  });

  test('connection get', async () => {
    const c = (await (await get('/api/2.1/unity-catalog/connections/github_conn')).json()) as { name: string; securable_type: string };
    assert.equal(c.securable_type, 'CONNECTION');
    assert.equal((await get('/api/2.1/unity-catalog/connections/nope')).status, 404);
  });
});

describe('vector search, warehouses, IP access lists (source: https://docs.databricks.com/security/network/ip-access-list-workspace.html; Go SDK service/vectorsearch; Go SDK service/sql)', () => {
  test('indexes need endpoint_name; index status', async () => {
    assert.equal((await get('/api/2.0/vector-search/indexes')).status, 400);
    const list = (await (await get('/api/2.0/vector-search/indexes?endpoint_name=vs-endpoint-1')).json()) as { vector_indexes: Array<{ name: string }> };
    assert.deepEqual(list.vector_indexes.map((i) => i.name), ['main.docs.product_docs']);
    const idx = (await (await get('/api/2.0/vector-search/indexes/main.docs.product_docs')).json()) as { status: { ready: boolean } };
    assert.equal(idx.status.ready, true);
  });

  test('warehouses and their permissions', async () => {
    const w = (await (await get('/api/2.0/sql/warehouses')).json()) as { warehouses: Array<{ id: string; state: string; enable_serverless_compute: boolean }> };
    assert.ok(w.warehouses.some((x) => x.state === 'RUNNING' && x.enable_serverless_compute));
    const p = (await (await get(`/api/2.0/permissions/warehouses/${w.warehouses[0]!.id}`)).json()) as { object_type: string };
    assert.equal(p.object_type, 'warehouses');
  });

  test('IP access lists and workspace-conf', async () => {
    const l = (await (await get('/api/2.0/ip-access-lists')).json()) as { ip_access_lists: Array<{ address_count: number }> };
    assert.equal(l.ip_access_lists[0]!.address_count, 1);
    assert.deepEqual(await (await get('/api/2.0/workspace-conf?keys=enableIpAccessLists')).json(), { enableIpAccessLists: 'false' });
  });

  test('unknown API: 404 ENDPOINT_NOT_FOUND', async () => {
    assert.equal((await get('/api/2.0/nope')).status, 404);
  });

  test('host metadata: a workspace host (Go SDK HostMetadata fields), public; 404 with scenario.noHostMetadata', async () => {
    const res = await get('/.well-known/databricks-config', null);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      oidc_endpoint: `${ws.url}/oidc`,
      account_id: ws.accountId,
      workspace_id: ws.workspaceId,
      cloud: 'AWS',
      host_type: 'WORKSPACE_HOST',
      token_federation_default_oidc_audiences: [`${ws.url}/oidc/v1/token`],
    });
    ws.scenario.noHostMetadata = true;
    try {
      assert.equal((await get('/.well-known/databricks-config', null)).status, 404);
    } finally {
      ws.reset();
    }
  });
});

describe('server behaviour', () => {
  test('request log redacts tokens in headers and bodies', async () => {
    await get(ME);
    await fetch(`${ws.url}/oidc/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'doau1234567890abcdef1234', client_id: 'databricks-cli' }),
    });
    const me = ws.requests.find((r) => r.path === ME)!;
    assert.equal(me.headers.authorization, 'Bearer ***');
    assert.equal(me.status, 200);
    const tok = ws.requests.find((r) => r.path === '/oidc/v1/token')!;
    assert.deepEqual(tok.body, { grant_type: 'refresh_token', refresh_token: '***', client_id: 'databricks-cli' });
    assert.equal(JSON.stringify(ws.requests).includes(DEMO_PAT), false);
  });

  test('restart keeps the port and the state', async () => {
    const port = ws.port;
    ws.addToken('dapi22222222222222222222222222222222');
    await ws.restart();
    assert.equal(ws.url, `http://127.0.0.1:${port}`);
    assert.equal((await get(ME, 'dapi22222222222222222222222222222222')).status, 200);
  });
});
