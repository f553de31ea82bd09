/**
 * doctor and list tell MCP eras apart (issue 21): a native entry is handshaked in the era its
 * client speaks (catalog `mcpEra`); a legacy-only client's header entry against a modern-only
 * server is `protocol-mismatch` with the proxy fix, and the proxy entry for the same server passes
 * (it bridges). The built bin, a temporary HOME, the fake workspace in each era.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PAT } from '../../src/emulator/index.js';
import { BIN, runCli } from '../helpers/cli.js';
import { setup, writeJson } from '../integration/doctor/helpers.js';

const env = { DBX_TEST_TOKEN: DEMO_PAT };
type Check = { id: string; status: string; summary: string; fix?: string; details?: string[]; data?: Record<string, unknown> };

function entries(home: string, url: string): void {
  writeJson(home, '.gemini/settings.json', { mcpServers: { 'gm-header': { httpUrl: url, headers: { Authorization: 'Bearer ${DBX_TEST_TOKEN}' } } } });
  writeJson(home, '.claude.json', { mcpServers: { 'cc-header': { type: 'http', url, headers: { Authorization: 'Bearer ${DBX_TEST_TOKEN}' } } } });
  writeJson(home, '.cursor/mcp.json', {
    mcpServers: {
      'cu-proxy': { command: process.execPath, args: [BIN, 'proxy', '--url', url, '--profile', 'DEFAULT'] },
      'cu-header': { url, headers: { Authorization: 'Bearer ${env:DBX_TEST_TOKEN}' } },
    },
  });
}

async function doctor(home: string): Promise<Record<string, Check>> {
  const r = await runCli(['doctor', '--json', '--only', 'server'], { home, env, timeoutMs: 60_000 });
  assert.doesNotMatch(r.stdout + r.stderr, new RegExp(DEMO_PAT));
  const json = JSON.parse(r.stdout) as { checks: Check[] };
  return Object.fromEntries(json.checks.map((c) => [c.id, c]));
}

test('modern-only server: a legacy-only client\'s header entry is protocol-mismatch with the proxy fix; the proxy and dual-era entries pass and report the era', async (t) => {
  const { ws, home } = await setup(t);
  ws.scenario.mcpEra = 'modern';
  entries(home, ws.mcpUrl('sql'));
  const by = await doctor(home);
  const gm = by['server.gm-header.handshake']!;
  assert.equal(gm.status, 'fail', JSON.stringify(gm));
  assert.equal(gm.data?.kind, 'protocol-mismatch');
  assert.equal(gm.data?.clientEra, 'legacy');
  assert.deepEqual(gm.data?.protocol, { era: 'modern', version: '2026-07-28' });
  assert.match(gm.summary, /gemini speaks legacy MCP .*the server only MCP 2026-07-28/);
  assert.doesNotMatch(gm.summary, /2026-07-28 \(2026-07-28\)/, 'the version is said once');
  assert.match(gm.fix!, /dbx-mcp add sql --name gm-header --client gemini --auth proxy/);

  // Cursor's era is not measured: the same diagnosis, as a warning that says how sure it is.
  const cu = by['server.cu-header.handshake']!;
  assert.equal(cu.status, 'warn', JSON.stringify(cu));
  assert.equal(cu.data?.kind, 'protocol-mismatch');
  assert.match(cu.summary, /unconfirmed/);

  const proxy = by['server.cu-proxy.handshake']!;
  assert.equal(proxy.status, 'pass', JSON.stringify(proxy));
  assert.deepEqual(proxy.data?.protocol, { era: 'modern', version: '2026-07-28' });

  const cc = by['server.cc-header.handshake']!;
  assert.equal(cc.status, 'pass', JSON.stringify(cc));
  assert.deepEqual(cc.data?.protocol, { era: 'modern', version: '2026-07-28' });
  assert.match(cc.summary, /modern-only server/);
  // Older Claude Code versions speak legacy only: the version this pass needs.
  assert.equal(cc.data?.clientVersionNeeded, '2.1.274');
});

test('legacy server: every entry passes in its client\'s era (the dual-era client falls back to initialize); dual-era server: seen as such by server/discover', async (t) => {
  const { ws, home } = await setup(t);
  entries(home, ws.mcpUrl('sql'));
  const legacy = await doctor(home);
  for (const name of ['gm-header', 'cc-header', 'cu-proxy', 'cu-header']) {
    const c = legacy[`server.${name}.handshake`]!;
    assert.equal(c.status, 'pass', JSON.stringify(c));
    assert.equal((c.data?.protocol as { era?: string } | undefined)?.era, 'legacy', name);
  }
  ws.scenario.mcpEra = 'dual';
  const dual = await doctor(home);
  assert.equal(dual['server.gm-header.handshake']!.status, 'pass');
  assert.equal((dual['server.gm-header.handshake']!.data?.protocol as { era?: string }).era, 'legacy');
  assert.equal(dual['server.cc-header.handshake']!.status, 'pass');
  assert.equal((dual['server.cc-header.handshake']!.data?.protocol as { era?: string }).era, 'modern');
});

test('list --json: the era each entry speaks, with how sure that is', async (t) => {
  const { ws, home } = await setup(t);
  entries(home, ws.mcpUrl('sql'));
  const r = await runCli(['list', '--json'], { home, env });
  const rows = (JSON.parse(r.stdout) as { servers: Array<{ name: string; era?: unknown }> }).servers;
  const era = Object.fromEntries(rows.map((x) => [x.name, x.era]));
  assert.deepEqual(era['gm-header'], { speaks: 'legacy', confidence: 'confirmed' });
  assert.deepEqual(era['cc-header'], { speaks: 'dual', confidence: 'confirmed' });
  assert.deepEqual(era['cu-proxy'], { speaks: 'dual', confidence: 'confirmed' });
  assert.deepEqual(era['cu-header'], { speaks: 'legacy', confidence: 'unconfirmed' });
});
