/**
 * doctor reads Codex's config.toml and Goose's config.yaml through their codecs and dialects:
 * a handshake through each entry (Codex's `bearer_token_env_var` sends the variable it names;
 * Goose's `cmd`/`args` starts the proxy), and the config lint for their keys.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEMO_GENIE_SPACES, DEMO_PAT } from '../../src/emulator/index.js';
import { BIN, runCli } from '../helpers/cli.js';
import { setup } from '../integration/doctor/helpers.js';

type Check = { id: string; status: string; summary: string; data?: Record<string, unknown> };

function write(home: string, rel: string, text: string): void {
  mkdirSync(join(home, rel, '..'), { recursive: true });
  writeFileSync(join(home, rel), text);
}

test('doctor: handshakes through Codex (TOML) and Goose (YAML) entries; an unset bearer variable is named', async (t) => {
  const { ws, home } = await setup(t);
  write(home, '.codex/config.toml', `# mine\nmodel = "o3"\n\n[mcp_servers.codex-header]\nurl = "${ws.mcpUrl('genie', DEMO_GENIE_SPACES.sales)}"\nbearer_token_env_var = "DBX_TEST_TOKEN"\n\n[mcp_servers.codex-unset]\nurl = "${ws.mcpUrl('sql')}"\nbearer_token_env_var = "DBX_NOT_SET"\n`);
  write(home, '.config/goose/config.yaml', `# mine\nextensions:\n  goose-proxy:\n    name: goose-proxy\n    type: stdio\n    cmd: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(BIN)}, proxy, --url, ${JSON.stringify(ws.mcpUrl('functions', 'main', 'tools'))}, --profile, DEFAULT]\n    envs: {}\n    enabled: true\n    timeout: 300\n`);
  const r = await runCli(['doctor', '--json'], { home, env: { DBX_TEST_TOKEN: DEMO_PAT }, timeoutMs: 60_000 });
  const json = JSON.parse(r.stdout) as { checks: Check[] };
  const by = Object.fromEntries(json.checks.map((c) => [c.id, c]));
  assert.equal(by['server.codex-header.handshake']?.status, 'pass', JSON.stringify(by['server.codex-header.handshake']));
  assert.equal(by['server.goose-proxy.handshake']?.status, 'pass', JSON.stringify(by['server.goose-proxy.handshake']));
  assert.equal(by['server.codex-unset.handshake']?.status, 'fail', JSON.stringify(by['server.codex-unset.handshake']));
  assert.match(by['server.codex-unset.handshake']!.summary, /DBX_NOT_SET is not set/);
  assert.doesNotMatch(r.stdout + r.stderr, new RegExp(DEMO_PAT));
});

test('doctor: config lint for Codex keys (inline bearer_token, ignored headers, bad names) and an unparseable YAML file', async (t) => {
  const { ws, home } = await setup(t);
  write(home, '.codex/config.toml', `[mcp_servers.inline]\nurl = "${ws.mcpUrl('sql')}"\nbearer_token = "x"\n\n[mcp_servers."bad.name"]\nurl = "${ws.mcpUrl('sql')}"\nheaders = { Authorization = "Bearer x" }\n`);
  write(home, '.config/goose/config.yaml', 'extensions:\n  a: [1, 2\n');
  const r = await runCli(['doctor', '--json', '--only', 'client'], { home, timeoutMs: 60_000 });
  const json = JSON.parse(r.stdout) as { checks: Check[] };
  const by = Object.fromEntries(json.checks.map((c) => [c.id, c]));
  const codex = by['client.codex.config']!;
  assert.equal(codex.status, 'fail', JSON.stringify(codex));
  assert.equal(codex.data?.kind, 'config-invalid');
  assert.match(JSON.stringify(codex), /bearer_token/);
  const goose = by['client.goose.config']!;
  assert.equal(goose.data?.kind, 'config-invalid', JSON.stringify(goose));
  // Where the unclosed `[` is (line 2, column 6), not the end of the file (issue 20, item 14).
  assert.match(goose.summary, /config\.yaml:2:6:/);
});
