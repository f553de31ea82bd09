/** doctor as a user runs it: the built bin, a temporary HOME, CI=true, against the fake workspace. */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEMO_GENIE_SPACES, DEMO_PAT } from '../../src/emulator/index.js';
import { BIN, runCli } from '../helpers/cli.js';
import { setup, writeJson } from '../integration/doctor/helpers.js';

const env = { DBX_TEST_TOKEN: DEMO_PAT };

test('proxy (stdio) and header entries: handshake through the same path the client uses; --json only on stdout', async (t) => {
  const { ws, home } = await setup(t);
  writeJson(home, '.cursor/mcp.json', {
    mcpServers: {
      'via-proxy': { command: process.execPath, args: [BIN, 'proxy', '--url', ws.mcpUrl('functions', 'main', 'tools'), '--profile', 'DEFAULT'] },
      'via-header': { url: ws.mcpUrl('genie', DEMO_GENIE_SPACES.sales), headers: { Authorization: 'Bearer ${env:DBX_TEST_TOKEN}' } },
    },
  });
  const r = await runCli(['doctor', '--json'], { home, env, timeoutMs: 60_000 });
  const json = JSON.parse(r.stdout) as { ok: boolean; checks: Array<{ id: string; status: string; summary: string; data?: Record<string, unknown> }> };
  const by = Object.fromEntries(json.checks.map((c) => [c.id, c]));
  assert.equal(by['server.via-header.handshake']!.status, 'pass', JSON.stringify(by['server.via-header.handshake']));
  assert.equal(by['server.via-proxy.handshake']!.status, 'pass', JSON.stringify(by['server.via-proxy.handshake']));
  assert.ok(Number(by['server.via-proxy.handshake']!.data?.tools) >= 2);
  assert.equal(r.code, json.ok ? 0 : 1);
  assert.doesNotMatch(r.stdout + r.stderr, new RegExp(DEMO_PAT));
});

test('human output: grouped, one line per check, Fix lines, summary; exit 1 on failure', async (t) => {
  const { ws, home } = await setup(t);
  ws.scenario.ipAcl = { sourceIp: '203.0.113.7' };
  const r = await runCli(['doctor'], { home, env });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^Workspace$/m);
  assert.match(r.stdout, /✖ Signed in to the workspace: Source IP 203\.0\.113\.7 is blocked by the workspace IP access list/);
  assert.match(r.stdout, /^\s+Fix: Ask a workspace admin to add 203\.0\.113\.7 to an ALLOW list/m);
  assert.match(r.stdout, /✖ doctor found \d+ problems? — \d+ passed/);
});

test('--format github prints annotations; --format json equals --json', async (t) => {
  const { ws, home } = await setup(t);
  ws.scenario.invalidToken = true;
  const gh = await runCli(['doctor', '--format', 'github'], { home, env });
  assert.equal(gh.code, 1);
  assert.match(gh.stdout, /^::error title=dbx-mcp doctor%3A auth.current-user::The token is invalid or expired/m);
  const j = await runCli(['doctor', '--format', 'json'], { home, env });
  assert.equal(JSON.parse(j.stdout).ok, false);
});

test('client configs: config-invalid, plaintext-secret, unparseable file; --only and --strict', async (t) => {
  const { ws, home } = await setup(t);
  writeJson(home, '.codeium/windsurf/mcp_config.json', { mcpServers: { w: { url: ws.mcpUrl('sql'), headers: { Authorization: 'Bearer ${env:DBX_TEST_TOKEN}' } } } });
  writeJson(home, '.config/Code/User/mcp.json', { mcpServers: { v: { type: 'http', url: ws.mcpUrl('sql') } } });
  writeJson(home, '.cursor/mcp.json', { mcpServers: { c: { url: ws.mcpUrl('sql'), headers: { Authorization: `Bearer ${DEMO_PAT}` } } } }, 0o644);
  writeFileSync(join(home, '.claude.json'), '{ "mcpServers": { ');
  const r = await runCli(['doctor', '--json', '--only', 'client'], { home, env });
  const json = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; summary: string; data?: Record<string, unknown> }> };
  assert.deepEqual(json.checks.map((c) => c.id).sort(), ['client.claude-code.config', 'client.cursor.config', 'client.vscode.config', 'client.windsurf.config']);
  const by = Object.fromEntries(json.checks.map((c) => [c.id, c]));
  assert.equal(by['client.windsurf.config']!.data?.kind, 'config-invalid');
  assert.match(by['client.windsurf.config']!.summary, /serverUrl/);
  assert.equal(by['client.vscode.config']!.data?.kind, 'config-invalid');
  assert.match(by['client.vscode.config']!.summary, /"servers"/);
  assert.equal(by['client.cursor.config']!.data?.kind, 'plaintext-secret');
  assert.equal(by['client.cursor.config']!.status, 'fail');
  assert.equal(by['client.claude-code.config']!.data?.kind, 'config-invalid');
  assert.doesNotMatch(r.stdout, new RegExp(DEMO_PAT));
  assert.equal(r.code, 1);

  // Only warnings: exit 0, and 1 with --strict.
  chmodSync(join(home, '.cursor/mcp.json'), 0o600);
  const w = await runCli(['doctor', '--only', 'client.cursor'], { home, env });
  assert.equal(w.code, 0, w.stdout);
  assert.match(w.stdout, /⚠ cursor config: "c" holds a plaintext token/);
  const s = await runCli(['doctor', '--only', 'client.cursor', '--strict'], { home, env });
  assert.equal(s.code, 1);
});

test('--skip and a bad --client are handled; usage errors exit 2', async (t) => {
  const { home } = await setup(t);
  const r = await runCli(['doctor', '--json', '--skip', 'auth.current-user'], { home, env });
  const json = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; summary: string }> };
  assert.equal(json.checks.find((c) => c.id === 'auth.current-user')!.summary, 'skipped (--skip)');
  const bad = await runCli(['doctor', '--client', 'emacs'], { home, env });
  assert.equal(bad.code, 2);
});

test('an unknown id in --only or --skip is a usage error naming it and listing the valid ids (exit 2, nothing run)', async (t) => {
  const { home } = await setup(t);
  for (const flag of ['--only', '--skip']) {
    const r = await runCli(['doctor', flag, 'auth,nonsense'], { home, env });
    assert.equal(r.code, 2, `${flag}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`${flag} "nonsense" matches no check`));
    assert.match(r.stderr, /auth\.current-user/);
    assert.match(r.stderr, /\bworkspace\b/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  // Prefixes, globs and whole ids stay valid.
  const ok = await runCli(['doctor', '--json', '--only', 'env,client.*', '--skip', 'env.gui-node'], { home, env });
  assert.notEqual(ok.code, 2, ok.stderr);
});

test('issue 13 JSON clients: handshakes through OpenCode (command array, {env:…}) and Gemini (httpUrl, ${…}) entries; each client\'s shape and file rules', async (t) => {
  const { ws, home } = await setup(t);
  writeJson(home, '.config/opencode/opencode.json', {
    mcp: {
      'oc-proxy': { type: 'local', command: [process.execPath, BIN, 'proxy', '--url', ws.mcpUrl('functions', 'main', 'tools'), '--profile', 'DEFAULT'], enabled: true },
      'oc-header': { type: 'remote', url: ws.mcpUrl('sql'), headers: { Authorization: 'Bearer {env:DBX_TEST_TOKEN}' }, oauth: false, enabled: true },
    },
  });
  writeJson(home, '.gemini/settings.json', { mcpServers: { 'gm-header': { httpUrl: ws.mcpUrl('genie', DEMO_GENIE_SPACES.sales), headers: { Authorization: 'Bearer ${DBX_TEST_TOKEN}' } } } });
  writeJson(home, '.cline/data/settings/cline_mcp_settings.json', { mcpServers: { 'cl-sse': { url: ws.mcpUrl('sql'), headers: { Authorization: `Bearer x` } } } });
  writeJson(home, '.copilot/mcp-config.json', { mcpServers: { 'cp-untyped': { url: ws.mcpUrl('sql') } } });
  const r = await runCli(['doctor', '--json'], { home, env, timeoutMs: 60_000 });
  const json = JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; summary: string; data?: Record<string, unknown> }> };
  const by = Object.fromEntries(json.checks.map((c) => [c.id, c]));
  for (const name of ['oc-proxy', 'oc-header', 'gm-header']) assert.equal(by[`server.${name}.handshake`]?.status, 'pass', `${name}: ${JSON.stringify(by[`server.${name}.handshake`])}`);
  assert.equal(by['client.opencode.config']?.status, 'pass', JSON.stringify(by['client.opencode.config']));
  assert.equal(by['client.gemini.config']?.status, 'pass', JSON.stringify(by['client.gemini.config']));
  assert.equal(by['client.cline.config']?.status, 'fail');
  assert.match(JSON.stringify(by['client.cline.config']), /streamableHttp/);
  assert.equal(by['client.copilot-cli.config']?.status, 'fail');
  assert.match(JSON.stringify(by['client.copilot-cli.config']), /type\\?": \\?"http/);
  assert.doesNotMatch(r.stdout + r.stderr, new RegExp(DEMO_PAT));
});
