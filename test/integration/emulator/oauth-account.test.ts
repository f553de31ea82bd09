import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  DEMO_ACCOUNT_ID, DEMO_PAT, DEMO_PAT_NO_GROUPS, DEMO_SP_CLIENT_ID, DEMO_SP_CLIENT_SECRET, DEMO_USER,
  seedCustomAppIntegrations, startFakeWorkspace, type FakeWorkspace,
} from '../../../src/emulator/index.js';

let ws: FakeWorkspace;
before(async () => {
  ws = await startFakeWorkspace({ seed: { customAppIntegrations: seedCustomAppIntegrations(7) } });
});
after(async () => {
  await ws.close();
});
afterEach(() => ws.reset());

const VERIFIER = 'v'.repeat(64);

function form(path: string, body: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${ws.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
}

function api(path: string, token = DEMO_PAT, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  return fetch(`${ws.accountUrl}${path}`, {
    ...rest,
    headers: { Authorization: `Bearer ${token}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
}

describe('OIDC (source: MCP endpoint and /oidc behaviour observed on real workspaces; https://docs.databricks.com/dev-tools/auth/oauth-u2m.html)', () => {
  test('metadata without registration_endpoint; protected resource metadata', async () => {
    const md = (await (await fetch(`${ws.url}/oidc/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(md.token_endpoint, `${ws.url}/oidc/v1/token`);
    assert.equal('registration_endpoint' in md, false);
    const pr = (await (await fetch(`${ws.url}/.well-known/oauth-protected-resource/api/2.0/mcp/genie/abc`)).json()) as Record<string, unknown>;
    assert.deepEqual(pr.authorization_servers, [`${ws.url}/oidc`]);
    assert.deepEqual(pr.scopes_supported, ['genie', 'offline_access']);
    ws.scenario.oidcDisabled = true;
    assert.equal((await fetch(`${ws.url}/oidc/.well-known/oauth-authorization-server`)).status, 404);
  });

  test('M2M client_credentials with Basic auth, then Me works', async () => {
    const basic = Buffer.from(`${DEMO_SP_CLIENT_ID}:${DEMO_SP_CLIENT_SECRET}`).toString('base64');
    const res = await form('/oidc/v1/token', { grant_type: 'client_credentials', scope: 'all-apis' }, { Authorization: `Basic ${basic}` });
    assert.equal(res.status, 200);
    const tok = (await res.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    assert.equal(tok.token_type, 'Bearer');
    assert.equal(tok.expires_in, 3600);
    assert.equal(tok.scope, 'all-apis');
    assert.match(tok.access_token, /^eyJ/);
    const me = await fetch(`${ws.url}/api/2.0/preview/scim/v2/Me`, { headers: { Authorization: `Bearer ${tok.access_token}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { userName: string }).userName, DEMO_SP_CLIENT_ID);
    const bad = Buffer.from(`${DEMO_SP_CLIENT_ID}:wrong`).toString('base64');
    const r2 = await form('/oidc/v1/token', { grant_type: 'client_credentials' }, { Authorization: `Basic ${bad}` });
    assert.equal(r2.status, 401);
    assert.equal(((await r2.json()) as { error: string }).error, 'invalid_client');
  });

  test('client probe semantics (source: MCP endpoint and /oidc behaviour observed on real workspaces)', async () => {
    const probe = (client_id: string, code_verifier = VERIFIER) =>
      form('/oidc/v1/token', { grant_type: 'authorization_code', code: 'dummy', redirect_uri: 'http://localhost:3118/callback', client_id, code_verifier });
    const unknown = await probe('no-such-client');
    assert.equal(unknown.status, 401);
    assert.equal(((await unknown.json()) as { error: string }).error, 'invalid_client');
    const known = await probe('claude-code');
    assert.equal(known.status, 400);
    assert.deepEqual(await known.json(), { error: 'invalid_request', error_description: 'Invalid authorization code' });
    const short = await probe('no-such-client', 'short');
    assert.equal(short.status, 400); // verifier checked before the client
  });

  test('authorize (loopback port ignored) → code → token → refresh; invalid refresh shape', async () => {
    const challenge = createHash('sha256').update(VERIFIER).digest('base64url');
    const redirect = 'http://localhost:54321/callback'; // registered with port 8787
    const q = new URLSearchParams({
      response_type: 'code', client_id: 'cursor-desktop', redirect_uri: redirect, state: 's1',
      code_challenge: challenge, code_challenge_method: 'S256', scope: 'all-apis offline_access',
    });
    const auth = await fetch(`${ws.url}/oidc/v1/authorize?${q}`, { redirect: 'manual' });
    assert.equal(auth.status, 302);
    const loc = new URL(auth.headers.get('location')!);
    assert.equal(`${loc.origin}${loc.pathname}`, 'http://localhost:54321/callback');
    assert.equal(loc.searchParams.get('state'), 's1');
    const code = loc.searchParams.get('code')!;
    const tok = (await (await form('/oidc/v1/token', { grant_type: 'authorization_code', code, redirect_uri: redirect, client_id: 'cursor-desktop', code_verifier: VERIFIER })).json()) as { access_token: string; refresh_token: string };
    assert.ok(tok.refresh_token);
    const me = await fetch(`${ws.url}/api/2.0/preview/scim/v2/Me`, { headers: { Authorization: `Bearer ${tok.access_token}` } });
    assert.equal(((await me.json()) as { userName: string }).userName, DEMO_USER);
    const refreshed = await form('/oidc/v1/token', { grant_type: 'refresh_token', refresh_token: tok.refresh_token, client_id: 'cursor-desktop' });
    assert.equal(refreshed.status, 200);
    const bad = await form('/oidc/v1/token', { grant_type: 'refresh_token', refresh_token: 'nope', client_id: 'cursor-desktop' });
    assert.equal(bad.status, 401);
    assert.deepEqual(await bad.json(), { error: 'invalid_request', error_description: 'Refresh token is invalid' });
    // Wrong path is rejected even on loopback.
    const wrong = await fetch(`${ws.url}/oidc/v1/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'databricks-cli', redirect_uri: 'http://localhost:8020/callback' })}`, { redirect: 'manual' });
    assert.equal(wrong.status, 400);
  });

  test('account token endpoint mints account tokens that work on the account API', async () => {
    const basic = Buffer.from(`${DEMO_SP_CLIENT_ID}:${DEMO_SP_CLIENT_SECRET}`).toString('base64');
    const res = await form(`/oidc/accounts/${DEMO_ACCOUNT_ID}/v1/token`, { grant_type: 'client_credentials', scope: 'all-apis' }, { Authorization: `Basic ${basic}` });
    const { access_token } = (await res.json()) as { access_token: string };
    assert.equal((await api(`/api/2.0/accounts/${DEMO_ACCOUNT_ID}/workspaces`, access_token)).status, 200);
    assert.equal((await fetch(`${ws.url}/api/2.0/preview/scim/v2/Me`, { headers: { Authorization: `Bearer ${access_token}` } })).status, 403);
  });
});

describe('account custom app integrations (source: Go SDK service/oauth2/model.go)', () => {
  const base = `/api/2.0/accounts/${DEMO_ACCOUNT_ID}/oauth2/custom-app-integrations`;

  test('pagination with page_size / next_page_token', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = (await (await api(`${base}?page_size=3${token ? `&page_token=${token}` : ''}`)).json()) as { apps: Array<{ name: string; client_secret?: string }>; next_page_token?: string };
      assert.ok(res.apps.every((a) => a.client_secret === undefined));
      names.push(...res.apps.map((a) => a.name));
      token = res.next_page_token;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.equal(names.length, 7);
  });

  test('create (secret only when confidential), get, PATCH replaces lists, delete', async () => {
    const pub = (await (await api(base, DEMO_PAT, { method: 'POST', json: { name: 'mcp-public', redirect_urls: ['http://localhost:3118/callback'], confidential: false, scopes: ['all-apis'] } })).json()) as Record<string, string>;
    assert.ok(pub.integration_id && pub.client_id);
    assert.equal('client_secret' in pub, false);
    const conf = (await (await api(base, DEMO_PAT, { method: 'POST', json: { name: 'mcp-conf', confidential: true } })).json()) as Record<string, string>;
    assert.match(conf.client_secret!, /^dose/);

    const patch = await api(`${base}/${pub.integration_id}`, DEMO_PAT, { method: 'PATCH', json: { redirect_urls: ['https://claude.ai/api/mcp/auth_callback'], scopes: ['genie'], name: 'ignored' } });
    assert.equal(patch.status, 200);
    const got = (await (await api(`${base}/${pub.integration_id}`)).json()) as { name: string; redirect_urls: string[]; scopes: string[] };
    assert.deepEqual(got.redirect_urls, ['https://claude.ai/api/mcp/auth_callback']);
    assert.deepEqual(got.scopes, ['genie']);
    assert.equal(got.name, 'mcp-public');
    // A new integration is immediately a known client for the probe.
    const probe = await form('/oidc/v1/token', { grant_type: 'authorization_code', code: 'dummy', redirect_uri: 'http://localhost:3118/callback', client_id: pub.client_id!, code_verifier: VERIFIER });
    assert.equal(probe.status, 400);

    assert.equal((await api(`${base}/${pub.integration_id}`, DEMO_PAT, { method: 'DELETE' })).status, 200);
    assert.equal((await api(`${base}/${pub.integration_id}`)).status, 404);
  });

  test('bad TTLs: 400 INVALID_PARAMETER_VALUE', async () => {
    for (const p of [{ access_token_ttl_in_minutes: 4 }, { access_token_ttl_in_minutes: 1441 }, { refresh_token_ttl_in_minutes: 129601 }]) {
      const res = await api(base, DEMO_PAT, { method: 'POST', json: { name: 'x', token_access_policy: p } });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error_code: string }).error_code, 'INVALID_PARAMETER_VALUE');
    }
  });

  test('non-admin callers: 403 PERMISSION_DENIED', async () => {
    assert.equal((await api(base, DEMO_PAT_NO_GROUPS)).status, 403);
    ws.scenario.accountNonAdmin = true;
    const res = await api(base);
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error_code: string }).error_code, 'PERMISSION_DENIED');
  });

  test('published apps list', async () => {
    const res = (await (await api(`/api/2.0/accounts/${DEMO_ACCOUNT_ID}/oauth2/published-apps`)).json()) as { apps: Array<{ app_id: string }> };
    assert.deepEqual(res.apps.map((a) => a.app_id), ['databricks-cli', 'claude-code', 'cursor-desktop']);
  });
});
