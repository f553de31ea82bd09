import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOauthRegister } from '../../../src/commands/oauth-register.js';
import { oauthRedirectUrisFor } from '../../../src/clients/index.js';
import { DEMO_ACCOUNT_ID, DEMO_PAT, DEMO_PAT_NO_GROUPS, seedCustomAppIntegrations, type FakeWorkspace } from '../../../src/emulator/index.js';
import { tempDir } from '../../helpers/temp.js';
import { harness, run, useSharedWorkspace, writeCfg } from '../init/harness.js';

let ws: FakeWorkspace;
useSharedWorkspace((w) => (ws = w));

const defaults = { name: 'dbx-mcp', scopes: 'all-apis,offline_access' };
const mutations = () => ws.requests.filter((r) => r.method !== 'GET' && r.path.includes('custom-app-integrations'));

async function register(t: Parameters<typeof tempDir>[0], raw: Record<string, unknown>, o: { json?: boolean; token?: string; cwd?: string } = {}) {
  const home = tempDir(t);
  writeCfg(home, `[acct]\nhost = ${ws.url}\naccount_id = ${DEMO_ACCOUNT_ID}\ntoken = ${o.token ?? DEMO_PAT}\n`);
  const h = await harness(home, { globals: { profile: 'acct', json: o.json ?? true }, cwd: o.cwd });
  const r = await run(() => runOauthRegister(h.ctx, { ...defaults, ...raw }));
  return { ...r, h, home, json: () => JSON.parse(h.out()) as Record<string, unknown> };
}

describe('oauth register', () => {
  test('creates a public integration with the union of the clients\' redirect URLs', async (t) => {
    const r = await register(t, { client: ['cursor', 'claude-code'] });
    assert.equal(r.code, 0, r.h.err());
    const j = r.json();
    assert.deepEqual(Object.keys(j).sort(), ['client_id', 'confidential', 'created', 'integration_id', 'name', 'redirect_urls', 'updated']);
    assert.equal(j.created, true);
    assert.equal(j.updated, false);
    assert.equal(j.confidential, false);
    assert.deepEqual(j.redirect_urls, oauthRedirectUrisFor(['cursor', 'claude-code']));
    const app = ws.state.customAppIntegrations[0]!;
    assert.equal(app.client_id, j.client_id);
    assert.deepEqual(app.scopes, ['all-apis', 'offline_access']);
    assert.equal(app.confidential, false);
  });

  test('a rerun with nothing new says so and sends no PATCH', async (t) => {
    await register(t, { client: ['cursor'] });
    ws.reset();
    const r = await register(t, { client: ['cursor'] }, { json: false });
    assert.equal(r.code, 0);
    assert.match(r.h.err(), /already has every redirect URL \(3\): nothing to change/);
    assert.deepEqual(mutations(), []);
    assert.equal(ws.state.customAppIntegrations.length, 1);
  });

  test('adding a client PATCHes the merged list (nothing dropped, nothing duplicated)', async (t) => {
    await register(t, { client: ['cursor'] });
    ws.state.customAppIntegrations[0]!.redirect_urls.push('https://example.com/added-by-an-admin');
    ws.reset();
    const r = await register(t, { client: ['cursor', 'vscode'], callbackPort: 4444 });
    assert.equal(r.code, 0, r.h.err());
    const j = r.json();
    assert.equal(j.created, false);
    assert.equal(j.updated, true);
    const patch = mutations();
    assert.equal(patch.length, 1);
    assert.equal(patch[0]!.method, 'PATCH');
    const sent = (patch[0]!.body as { redirect_urls: string[] }).redirect_urls;
    const expected = [...oauthRedirectUrisFor(['cursor']), 'https://example.com/added-by-an-admin', ...oauthRedirectUrisFor(['vscode'])];
    assert.deepEqual(sent, expected);
    assert.equal(new Set(sent).size, sent.length);
    assert.deepEqual(ws.state.customAppIntegrations[0]!.redirect_urls, expected);
  });

  test('finds the integration on a later page (pagination) instead of creating a second one', async (t) => {
    const many = seedCustomAppIntegrations(230);
    many[215] = { ...many[215]!, name: 'dbx-mcp', redirect_urls: oauthRedirectUrisFor(['cursor']), scopes: ['all-apis', 'offline_access'] };
    ws.state.customAppIntegrations = many;
    const r = await register(t, { client: ['cursor'] });
    assert.equal(r.code, 0, r.h.err());
    assert.equal(r.json().integration_id, many[215]!.integration_id);
    assert.equal(r.json().created, false);
    assert.deepEqual(mutations(), []);
    assert.ok(ws.requests.filter((q) => q.method === 'GET').length >= 3, 'followed next_page_token');
  });

  test('non-admin: exit 1 with the exact JSON body and the databricks CLI command', async (t) => {
    const r = await register(t, { client: ['claude-code'], connector: ['claude-ai'] }, { json: false, token: DEMO_PAT_NO_GROUPS });
    assert.equal(r.code, 1);
    const out = r.h.out();
    const body = JSON.parse(out.slice(0, out.indexOf('\n}') + 2));
    assert.deepEqual(body, {
      name: 'dbx-mcp',
      redirect_urls: [...oauthRedirectUrisFor(['claude-code']), 'https://claude.ai/api/mcp/auth_callback', 'https://claude.com/api/mcp/auth_callback'],
      confidential: false,
      scopes: ['all-apis', 'offline_access'],
    });
    assert.match(out, /databricks account custom-app-integration create --json '\{"name":"dbx-mcp",.*\}' --profile acct/);
    assert.match(r.h.err(), /account admin/);
    assert.deepEqual(mutations().filter((m) => m.status === 200), []);
  });

  test('non-admin with --json: the request and the command in the JSON', async (t) => {
    ws.scenario.accountNonAdmin = true;
    const r = await register(t, { client: ['cursor'] });
    assert.equal(r.code, 1);
    const j = r.json() as { ok: boolean; request: { redirect_urls: string[] }; command: string };
    assert.equal(j.ok, false);
    assert.deepEqual(j.request.redirect_urls, oauthRedirectUrisFor(['cursor']));
    assert.match(j.command, /^databricks account custom-app-integration create --json '/);
  });

  test('--confidential prints the secret once; --secret-file writes it 0600 instead', async (t) => {
    const a = await register(t, { name: 'conf-a', client: ['cursor'], confidential: true });
    assert.match(String(a.json().client_secret), /^dose/);
    assert.equal(a.json().confidential, true);

    const home = tempDir(t);
    const secretFile = join(home, 'secrets', 'dbx-oauth');
    const b = await register(t, { name: 'conf-b', client: ['cursor'], confidential: true, secretFile });
    assert.equal(b.code, 0, b.h.err());
    assert.equal('client_secret' in b.json(), false);
    assert.match(readFileSync(secretFile, 'utf8'), /^dose[0-9a-f]+\n$/);
    assert.equal(statSync(secretFile).mode & 0o777, 0o600);
    assert.doesNotMatch(b.h.out() + b.h.err(), /dose[0-9a-f]{8}/);

    // A rerun cannot show the secret again, and says nothing changed.
    const c = await register(t, { name: 'conf-a', client: ['cursor'], confidential: true }, { json: false });
    assert.match(c.h.err(), /cannot be shown again/);
  });

  test('a secret file inside a repository is refused before any request', async (t) => {
    const repo = tempDir(t);
    mkdirSync(join(repo, '.git'));
    ws.reset();
    const r = await register(t, { client: ['cursor'], confidential: true, secretFile: join(repo, 'oauth-secret') }, { cwd: repo });
    assert.equal(r.code, 2);
    assert.match(r.error!.message, /never goes into a project file/);
    assert.equal(ws.requests.length, 0);
  });

  test('a secret file that cannot be written, or that exists, is refused before any request', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'blocker'), 'a file, not a folder\n');
    ws.reset();
    const blocked = await register(t, { client: ['cursor'], confidential: true, secretFile: join(dir, 'blocker', 'secret') });
    assert.equal(blocked.code, 1);
    assert.match(blocked.error!.message, /blocker is a file, but dbx-mcp needs it to be a folder/);
    assert.equal(ws.requests.length, 0, 'no integration (and no secret shown once) was created');

    writeFileSync(join(dir, 'old-secret'), 'keep me\n');
    const exists = await register(t, { client: ['cursor'], confidential: true, secretFile: join(dir, 'old-secret') });
    assert.equal(exists.code, 2);
    assert.match(exists.error!.message, /already exists; dbx-mcp does not overwrite it/);
    assert.equal(readFileSync(join(dir, 'old-secret'), 'utf8'), 'keep me\n');
    assert.equal(ws.requests.length, 0);
  });

  test('TTL flags are validated (exit 2, no request); valid ones are sent', async (t) => {
    const bad = await register(t, { client: ['cursor'], accessTokenTtl: 2, refreshTokenTtl: 200000 });
    assert.equal(bad.code, 2);
    assert.match(bad.error!.message, /5 to 1440.*5 to 129600/);
    assert.equal(ws.requests.length, 0);
    const ok = await register(t, { client: ['cursor'], accessTokenTtl: 30, refreshTokenTtl: 600 });
    assert.equal(ok.code, 0, ok.h.err());
    assert.deepEqual(ws.state.customAppIntegrations[0]!.token_access_policy, { access_token_ttl_in_minutes: 30, refresh_token_ttl_in_minutes: 600 });
  });

  test('a workspace profile without account_id is a usage error', async (t) => {
    const home = tempDir(t);
    writeCfg(home, `[ws]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
    const h = await harness(home, { globals: { profile: 'ws' } });
    const r = await run(() => runOauthRegister(h.ctx, { ...defaults }));
    assert.equal(r.code, 2);
    assert.match(r.error!.message, /no account_id/);
  });

  test('connectors: prints where to paste the client id', async (t) => {
    const r = await register(t, { client: ['cursor'], connector: ['claude-ai', 'chatgpt'] }, { json: false });
    assert.equal(r.code, 0, r.h.err());
    assert.match(r.h.err(), /Claude\.ai.*Client ID [0-9a-f-]{36}/);
    assert.match(r.h.err(), /ChatGPT/);
    assert.ok(ws.state.customAppIntegrations[0]!.redirect_urls.includes('https://chatgpt.com/connector_platform_oauth_redirect'));
  });
});
