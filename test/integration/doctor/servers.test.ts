import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_ACCOUNT_ID, DEMO_GENIE_SPACES, DEMO_PAT, DEMO_PAT_NO_GROUPS } from '../../../src/emulator/index.js';
import { cursorHeader, doctor, setup, writeJson } from './helpers.js';

test('grants: missing USE SCHEMA → missing-privilege with the exact GRANT statement', async (t) => {
  const { ws, home } = await setup(t);
  writeJson(home, '.cursor/mcp.json', { mcpServers: { restricted: cursorHeader(ws.mcpUrl('functions', 'main', 'restricted')) } });
  const r = await doctor(home);
  const g = r.check('server.restricted.grants');
  assert.equal(g.status, 'fail');
  assert.equal(g.data?.kind, 'missing-privilege');
  assert.equal(g.data?.privilege, 'USE_SCHEMA');
  assert.equal(g.data?.securableType, 'SCHEMA');
  assert.equal(g.data?.securable, 'main.restricted');
  assert.match(g.fix!, /GRANT USE SCHEMA ON SCHEMA main\.restricted TO `jane@example\.com`/);
  // The handshake sees the same 403 and says the same thing.
  assert.equal(r.check('server.restricted.handshake').data?.kind, 'missing-privilege');
});

test('grants come through groups: jane via data-team passes, bob (no groups) lacks USE CATALOG', async (t) => {
  const { ws, home } = await setup(t, {
    cfg: (w) => `[DEFAULT]\nhost = ${w.url}\ntoken = ${DEMO_PAT}\n\n[BOB]\nhost = ${w.url}\ntoken = ${DEMO_PAT_NO_GROUPS}\n`,
  });
  writeJson(home, '.cursor/mcp.json', { mcpServers: { tools: cursorHeader(ws.mcpUrl('functions', 'main', 'tools', 'refund_order')) } });
  const r = await doctor(home, { only: ['server.tools.grants'] });
  assert.equal(r.check('server.tools.grants').status, 'pass');
  const r2 = await doctor(home, { only: ['server.tools.grants'] }, { json: true, profile: 'BOB' });
  const g = r2.check('server.tools.grants');
  assert.equal(g.data?.privilege, 'USE_CATALOG');
  assert.match(g.fix!, /GRANT USE CATALOG ON CATALOG main TO `bob@example\.com`/);
});

test('EXECUTE revoked: the handshake lists no tools (warn, pointing at grants) and grants fail', async (t) => {
  const { ws, home } = await setup(t);
  writeJson(home, '.cursor/mcp.json', { mcpServers: { tools: cursorHeader(ws.mcpUrl('functions', 'main', 'tools')) } });
  ws.scenario.denyGrants = ['EXECUTE'];
  const r = await doctor(home);
  const hs = r.check('server.tools.handshake');
  assert.equal(hs.status === 'warn' || hs.status === 'pass', true);
  const g = r.check('server.tools.grants');
  assert.equal(g.status, 'fail');
  assert.equal(g.data?.privilege, 'EXECUTE');
  assert.match(g.fix!, /GRANT EXECUTE ON SCHEMA main\.tools TO `jane@example\.com`/);
});

test('Genie: no access → no-access (404 RESOURCE_DOES_NOT_EXIST); readable space passes with its warehouse', async (t) => {
  const { ws, home } = await setup(t);
  writeJson(home, '.cursor/mcp.json', {
    mcpServers: {
      finance: cursorHeader(ws.mcpUrl('genie', DEMO_GENIE_SPACES.finance)),
      sales: cursorHeader(ws.mcpUrl('genie', DEMO_GENIE_SPACES.sales)),
    },
  });
  const r = await doctor(home);
  assert.equal(r.check('server.finance.grants').data?.kind, 'no-access');
  assert.equal(r.check('server.finance.handshake').data?.kind, 'no-access');
  assert.match(r.check('server.finance.grants').fix!, /CAN RUN/);
  assert.equal(r.check('server.sales.grants').status, 'pass');
  assert.match(r.check('server.sales.grants').summary, /Serverless Starter Warehouse/);
  // The space's warehouse deleted → not-found.
  ws.state.warehouses = ws.state.warehouses.filter((w) => w.id !== 'abcdef1234567890');
  const r2 = await doctor(home, { only: ['server.sales.grants'] });
  assert.equal(r2.check('server.sales.grants').data?.kind, 'not-found');
});

test('Vector Search, SQL and external: grants and not-found', async (t) => {
  const { ws, home } = await setup(t);
  writeJson(home, '.cursor/mcp.json', {
    mcpServers: {
      docs: cursorHeader(ws.mcpUrl('vector-search', 'main', 'docs', 'product_docs')),
      sql: cursorHeader(ws.mcpUrl('sql')),
      gh: cursorHeader(ws.mcpUrl('external', 'github_conn')),
      nope: cursorHeader(ws.mcpUrl('external', 'no_such_conn')),
    },
  });
  ws.state.vectorIndexes[0]!.ready = false;
  const r = await doctor(home);
  assert.equal(r.check('server.docs.grants').status, 'warn');
  assert.equal(r.check('server.docs.grants').data?.kind, 'index-not-ready');
  assert.equal(r.check('server.sql.grants').status, 'pass');
  assert.equal(r.check('server.gh.grants').status, 'pass');
  assert.equal(r.check('server.nope.grants').data?.kind, 'not-found');
  ws.state.grants = ws.state.grants.filter((g) => g.type !== 'CONNECTION');
  const r2 = await doctor(home, { only: ['server.gh.grants'] });
  assert.equal(r2.check('server.gh.grants').data?.privilege, 'USE_CONNECTION');
  assert.match(r2.check('server.gh.grants').fix!, /GRANT USE CONNECTION ON CONNECTION github_conn TO `jane@example\.com`/);
});

test('oauth.redirects: skip without an account profile; redirect-mismatch with one', async (t) => {
  const { ws, home } = await setup(t, {
    cfg: (w) => `[DEFAULT]\nhost = ${w.url}\ntoken = ${DEMO_PAT}\n\n[ACCT]\nhost = ${w.accountUrl}\naccount_id = ${DEMO_ACCOUNT_ID}\ntoken = ${DEMO_PAT}\n`,
  });
  ws.state.customAppIntegrations.push({
    integration_id: 'i-1', client_id: 'my-client', name: 'dbx-mcp', redirect_urls: ['http://localhost:9999/callback'], confidential: false,
    scopes: ['all-apis'], create_time: '2026-01-01T00:00:00Z', created_by: 1, creator_username: 'jane@example.com',
  });
  writeJson(home, '.claude.json', { mcpServers: { s: { type: 'http', url: ws.mcpUrl('sql'), oauth: { clientId: 'my-client', callbackPort: 3334 } } } });
  writeJson(home, '.cursor/mcp.json', { mcpServers: { s2: { url: ws.mcpUrl('sql'), auth: { CLIENT_ID: 'my-client' } } } });
  const r = await doctor(home);
  const c = r.check('oauth.redirects');
  assert.equal(c.status, 'fail');
  assert.equal(c.data?.kind, 'redirect-mismatch');
  assert.match(c.summary, /127\.0\.0\.1:3334\/callback|cursor/);
  assert.match(c.fix!, /dbx-mcp oauth register --client/);
  // The native-OAuth entry is handshaken with the profile's token, and says so.
  assert.match(r.check('server.s.handshake').summary, /profile token/);
  // Registering the paths fixes it (loopback ports don't matter).
  ws.state.customAppIntegrations[0]!.redirect_urls = ['http://localhost:1/callback', 'http://127.0.0.1:2/callback'];
  const r2 = await doctor(home, { only: ['oauth.redirects'] });
  assert.equal(r2.check('oauth.redirects').status, 'pass');
  // Not an account admin → a clear permission message, not a false mismatch.
  ws.scenario.accountNonAdmin = true;
  const r3 = await doctor(home, { only: ['oauth.redirects'] });
  assert.equal(r3.check('oauth.redirects').data?.kind, 'no-access');

  const plain = await setup(t);
  writeJson(plain.home, '.claude.json', { mcpServers: { s: { type: 'http', url: plain.ws.mcpUrl('sql'), oauth: { clientId: 'x' } } } });
  const r4 = await doctor(plain.home, { only: ['oauth.redirects'] });
  assert.equal(r4.check('oauth.redirects').status, 'skip');
  assert.match(r4.check('oauth.redirects').summary, /account profile/);
});
