/**
 * Review finding: doctor's caveat on a dual-era client's pass against a modern-only server says
 * older versions "may not (not measured)" for every client. For Claude Code the catalog's
 * confirmed fact says the opposite: 2.1.273 and older were measured, and send initialize only, so
 * they cannot reach the server. The caveat must not call a measured fact unmeasured.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PAT } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { setup, writeJson } from '../integration/doctor/helpers.js';

test('modern-only server: the Claude Code caveat does not call its measured older versions unmeasured', async (t) => {
  const { ws, home } = await setup(t);
  ws.scenario.mcpEra = 'modern';
  writeJson(home, '.claude.json', { mcpServers: { 'cc-header': { type: 'http', url: ws.mcpUrl('sql'), headers: { Authorization: 'Bearer ${DBX_TEST_TOKEN}' } } } });
  const r = await runCli(['doctor', '--only', 'server.cc-header.handshake', '--verbose'], { home, env: { DBX_TEST_TOKEN: DEMO_PAT }, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const caveat = r.stdout.split('\n').find((l) => l.includes('Claude Code reaches it from 2.1.274'));
  assert.ok(caveat, r.stdout);
  assert.doesNotMatch(caveat, /not measured/, `Claude Code 2.1.273 and older were measured (legacy only): ${caveat}`);
});
