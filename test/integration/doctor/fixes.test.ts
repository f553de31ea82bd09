/**
 * Every failure and warning doctor can report carries a fix. This provokes every diagnosis the
 * emulator and the test fixtures can produce (workspace, servers, handshakes through every path,
 * client files, OAuth), then checks the JSON (`fix`) and the human output (a `Fix:` line).
 * The list of kinds seen is asserted too, so the test cannot pass by provoking nothing.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEMO_ACCOUNT_ID, DEMO_GENIE_SPACES, DEMO_PAT, type FakeWorkspace } from '../../../src/emulator/index.js';
import { BIN } from '../../helpers/cli.js';
import { cursorHeader, doctor, setup, writeJson, type DoctorRun, deadPort } from './helpers.js';

type Outcome = DoctorRun['json']['checks'][number];

/** A stdio server that answers with an empty tool list. */
const ZERO_TOOLS = `require("readline").createInterface({ input: process.stdin }).on("line", (l) => { const m = JSON.parse(l); if (m.id === undefined) return; process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: m.id, result: m.method === "initialize" ? { protocolVersion: "2025-06-18", capabilities: {}, serverInfo: { name: "z", version: "1" } } : { tools: [] } }) + "\\n"); })`;

/** Entries that go wrong in every way a client file can, on one workspace. */
function brokenClients(home: string, ws: FakeWorkspace): void {
  const proxy = (url: string, profile = 'DEFAULT') => ({ command: process.execPath, args: [BIN, 'proxy', '--url', url, '--profile', profile] });
  writeJson(home, '.cursor/mcp.json', {
    mcpServers: {
      restricted: cursorHeader(ws.mcpUrl('functions', 'main', 'restricted')),
      finance: cursorHeader(ws.mcpUrl('genie', DEMO_GENIE_SPACES.finance)),
      nope: cursorHeader(ws.mcpUrl('external', 'no_such_conn')),
      bare: { url: ws.mcpUrl('sql') },
      unset: { url: ws.mcpUrl('sql'), headers: { Authorization: 'Bearer ${env:NOT_SET_ANYWHERE}' } },
      docs: proxy(ws.mcpUrl('vector-search', 'main', 'docs', 'product_docs')),
      tools: proxy(ws.mcpUrl('functions', 'main', 'tools')),
      noprofile: proxy(ws.mcpUrl('sql'), 'NOPE'),
      missingcmd: { command: 'definitely-not-a-command-xyz', args: [ws.mcpUrl('sql')] },
      exits: { command: process.execPath, args: ['-e', 'process.stderr.write("boom\\n"); process.exit(3)', ws.mcpUrl('sql')] },
      notools: { command: process.execPath, args: ['-e', ZERO_TOOLS, ws.mcpUrl('sql')] },
      notmcp: { command: process.execPath, args: ['-e', 'process.stdin.on("data", () => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code: -32601, message: "no such method" } }) + "\\n"))', ws.mcpUrl('sql')] },
    },
  }, 0o644);
  writeJson(home, '.claude.json', { mcpServers: { leaked: { type: 'http', url: ws.mcpUrl('sql'), headers: { Authorization: `Bearer ${DEMO_PAT}` } } } }, 0o644);
  writeJson(home, '.config/Code/User/mcp.json', { servers: { asks: { type: 'http', url: ws.mcpUrl('sql'), headers: { Authorization: 'Bearer ${input:token}' } } } });
  writeJson(home, '.codeium/windsurf/mcp_config.json', { mcpServers: { w: { url: ws.mcpUrl('sql'), headers: { Authorization: 'Bearer ${env:DBX_TEST_TOKEN}' } } } });
}

function assertFixes(runs: DoctorRun[], humans: string[]): Set<string> {
  const kinds = new Set<string>();
  const problems: Outcome[] = runs.flatMap((r) => r.json.checks).filter((c) => c.status === 'fail' || c.status === 'warn');
  for (const c of problems) {
    kinds.add(String(c.data?.kind));
    assert.ok(typeof c.fix === 'string' && c.fix.trim().length > 10, `${c.id} (${String(c.data?.kind)}) has no fix: ${c.summary}`);
  }
  for (const h of humans) {
    const lines = h.split('\n');
    lines.forEach((l, i) => {
      if (/^\s+[✖⚠] /.test(l)) assert.match(lines[i + 1] ?? '', /^\s+Fix: \S/, `no Fix: line under "${l.trim()}"`);
    });
  }
  return kinds;
}

test('every failing or warning check the suite can provoke carries a fix (JSON and human)', async (t) => {
  const runs: DoctorRun[] = [];
  const humans: string[] = [];
  const both = async (home: string, opts: Record<string, unknown> = {}, globals = {}): Promise<void> => {
    runs.push(await doctor(home, opts, { json: true, ...globals }));
    humans.push((await doctor(home, opts, { ...globals })).stdout);
  };

  const { ws, home } = await setup(t, {
    cfg: (w) => `[DEFAULT]\nhost = ${w.url}\ntoken = ${DEMO_PAT}\n\n[ACCT]\nhost = ${w.accountUrl}\naccount_id = ${DEMO_ACCOUNT_ID}\ntoken = ${DEMO_PAT}\n`,
  });
  brokenClients(home, ws);
  ws.state.vectorIndexes[0]!.ready = false;
  ws.scenario.denyGrants = ['EXECUTE'];
  await both(home);
  ws.reset();

  ws.scenario.ipAcl = { sourceIp: '203.0.113.7' };
  await both(home);
  ws.reset();
  ws.scenario.invalidToken = true;
  await both(home);
  ws.reset();
  ws.scenario.rateLimit = { count: 1_000, retryAfter: '1' };
  await both(home);
  ws.reset();
  ws.scenario.unavailable = { count: 1_000 };
  await both(home);
  ws.reset();
  // A stdio server for the workspace that never answers (its URL is the workspace's: the token
  // rule refuses any other host before starting it).
  const hang = writeJson(home, '.config/Claude/claude_desktop_config.json', { mcpServers: { hang: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)', `${ws.url}/api/2.0/mcp/sql`] } } });
  await both(home, { timeout: 1.5 });
  ws.reset();
  rmSync(hang);

  // OAuth entries against an integration that lacks their redirect URLs.
  ws.state.customAppIntegrations.push({
    integration_id: 'i-1', client_id: 'my-client', name: 'dbx-mcp', redirect_urls: ['http://localhost:9999/callback'], confidential: false,
    scopes: ['all-apis'], create_time: '2026-01-01T00:00:00Z', created_by: 1, creator_username: 'jane@example.com',
  });
  writeJson(home, '.claude.json', { mcpServers: { s: { type: 'http', url: ws.mcpUrl('sql'), oauth: { clientId: 'my-client', callbackPort: 3334 } } } });
  await both(home, { only: ['oauth', 'server.s'] });

  // A token for another workspace; then the workspace down.
  ws.addToken('acct-token-123456789', undefined, { audience: 'account' });
  writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${ws.url}\ntoken = acct-token-123456789\n`);
  await both(home, { only: ['auth', 'server.tools'] });
  writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = http://127.0.0.1:${await deadPort()}\ntoken = ${DEMO_PAT}\n`);
  await both(home);
  // No profile at all.
  writeFileSync(join(home, '.databrickscfg'), '');
  await both(home, { only: ['profile', 'auth'] });

  const kinds = assertFixes(runs, humans);
  const expected = [
    'missing-privilege', 'no-access', 'not-found', 'no-credentials', 'no-tools', 'index-not-ready', 'command-not-found', 'server-exited', 'rpc-error',
    'plaintext-secret', 'unresolvable-reference', 'config-invalid', 'ip-acl', 'invalid-token', 'rate-limited', 'unavailable', 'unreachable', 'timeout',
    'redirect-mismatch', 'wrong-workspace',
  ];
  assert.deepEqual(expected.filter((k) => !kinds.has(k)), [], `provoked: ${[...kinds].sort().join(', ')}`);
});
