import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES } from '../../../src/emulator/index.js';
import { cursorHeader, doctor, setup, writeJson, deadPort } from './helpers.js';

test('happy path: every check passes, JSON has the contract shape, exit 0', async (t) => {
  const { ws, home } = await setup(t);
  writeJson(home, '.cursor/mcp.json', { mcpServers: { tools: cursorHeader(ws.mcpUrl('functions', 'main', 'tools')) } });
  const r = await doctor(home);
  assert.equal(r.code, 0, r.stdout);
  assert.deepEqual(Object.keys(r.json), ['version', 'ok', 'summary', 'checks']);
  assert.equal(r.json.version, 1);
  assert.equal(r.json.ok, true);
  assert.deepEqual(Object.keys(r.json.summary), ['pass', 'warn', 'fail', 'skip']);
  for (const c of r.json.checks) {
    assert.deepEqual(Object.keys(c).filter((k) => !['fix', 'data'].includes(k)), ['id', 'status', 'title', 'summary']);
    assert.ok(['pass', 'warn', 'fail', 'skip'].includes(c.status));
  }
  assert.equal(r.check('workspace.reachable').status, 'pass');
  assert.equal(r.check('auth.token').status, 'pass');
  assert.match(r.check('auth.current-user').summary, /jane@example\.com/);
  assert.equal(r.check('auth.current-user').data?.workspaceId, ws.workspaceId);
  const hs = r.check('server.tools.handshake');
  assert.equal(hs.status, 'pass');
  assert.ok(Number(hs.data?.tools) >= 2);
  assert.equal(r.check('server.tools.grants').status, 'pass');
  assert.equal(r.check('client.cursor.config').status, 'pass');
  assert.equal(r.check('oauth.redirects').status, 'skip');
  assert.doesNotMatch(r.stdout, /dapi[0-9a-f]{16}/);
});

test('IP access list: ip-acl with the source IP, workspace id, fix and the SaaS note', async (t) => {
  const { ws, home } = await setup(t);
  ws.scenario.ipAcl = { sourceIp: '203.0.113.7' };
  const r = await doctor(home);
  assert.equal(r.code, 1);
  const c = r.check('auth.current-user');
  assert.equal(c.status, 'fail');
  assert.equal(c.summary, 'Source IP 203.0.113.7 is blocked by the workspace IP access list');
  assert.deepEqual(c.data, { kind: 'ip-acl', sourceIp: '203.0.113.7', workspaceId: ws.workspaceId });
  assert.match(c.fix!, /databricks ip-access-lists create/);
  assert.match(c.fix!, /claude\.ai, ChatGPT/);
});

test('invalid token → invalid-token with the new-PAT fix; 401 without credentials → no-credentials', async (t) => {
  const { ws, home } = await setup(t);
  ws.scenario.invalidToken = true;
  const r = await doctor(home);
  assert.equal(r.check('auth.current-user').data?.kind, 'invalid-token');
  assert.match(r.check('auth.current-user').fix!, /personal access token/);
  assert.equal(r.check('auth.current-user').status, 'fail');
  ws.scenario.invalidToken = false;

  // A Cursor entry with no credentials at all: Databricks answers 401.
  writeJson(home, '.cursor/mcp.json', { mcpServers: { bare: { url: ws.mcpUrl('sql') } } });
  const r2 = await doctor(home, { only: ['server.bare.handshake'] });
  assert.equal(r2.check('server.bare.handshake').data?.kind, 'no-credentials');
});

test('a token for another workspace, and an unset header variable', async (t) => {
  const { ws, home } = await setup(t, { cfg: () => '' });
  ws.addToken('acct-token-123456789', undefined, { audience: 'account' });
  writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${ws.url}\ntoken = acct-token-123456789\n`);
  writeJson(home, '.cursor/mcp.json', { mcpServers: { s: { url: ws.mcpUrl('sql'), headers: { Authorization: 'Bearer ${env:NOT_SET_ANYWHERE}' } } } });
  const r = await doctor(home);
  assert.equal(r.check('auth.current-user').data?.kind, 'wrong-workspace');
  const hs = r.check('server.s.handshake');
  assert.equal(hs.data?.kind, 'no-credentials');
  assert.match(hs.summary, /NOT_SET_ANYWHERE is not set/);
});

test('closed port → unreachable/refused; dependants skip with the reason', async (t) => {
  const { home } = await setup(t);
  const port = await deadPort();
  writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = http://127.0.0.1:${port}\ntoken = dapi0123456789abcdef0123456789abcdef\n`);
  const r = await doctor(home);
  const c = r.check('workspace.reachable');
  assert.equal(c.status, 'fail');
  assert.deepEqual(c.data, { kind: 'unreachable', network: 'refused' });
  assert.ok(c.fix);
  assert.equal(r.check('auth.current-user').status, 'skip');
  assert.match(r.check('auth.current-user').summary, /workspace\.reachable failed/);
});

test('429 anywhere → rate-limited, never a false diagnosis', async (t) => {
  const { ws, home } = await setup(t);
  ws.scenario.rateLimit = { count: 1000, retryAfter: '1', paths: /scim/ };
  const r = await doctor(home);
  const c = r.check('auth.current-user');
  assert.equal(c.status, 'warn');
  assert.equal(c.data?.kind, 'rate-limited');
  assert.equal(r.code, 0);
  const strict = await doctor(home, { strict: true });
  assert.equal(strict.code, 1);
});

test('injected latency beyond the per-check budget → timeout, and the overall deadline holds', async (t) => {
  const { ws, home } = await setup(t);
  writeJson(home, '.cursor/mcp.json', { mcpServers: { g: cursorHeader(ws.mcpUrl('genie', DEMO_GENIE_SPACES.sales)) } });
  ws.scenario.latencyMs = 3_000;
  // How long this takes is the benchmark's business; the runner test proves the deadline with a mocked clock.
  const r = await doctor(home, { timeout: 1.5 });
  assert.equal(r.code, 1);
  const c = r.check('workspace.reachable');
  assert.equal(c.status, 'fail');
  // The HTTP timeout fires just before the check's budget: a classified network timeout.
  assert.deepEqual(c.data, { kind: 'unreachable', network: 'timeout' });
  // The handshake does not wait out its own timeout to say the same thing.
  const hs = r.check('server.g.handshake');
  assert.equal(hs.status, 'skip');
  assert.match(hs.summary, /workspace\.reachable failed — .* is unreachable \(timeout\)/);
});
