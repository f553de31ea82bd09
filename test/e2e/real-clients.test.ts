/**
 * Proof through real clients that the configs dbx-mcp writes work (issues 2 and 4):
 * Claude Code's `claude mcp list` connects to header-mode and proxy-mode entries, and the
 * MCP Inspector CLI (Node 24) lists tools through Claude Desktop's mcp-remote and proxy entries.
 * The clients are installed at pinned versions into .cache/real-clients (test/support/real-clients.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_APPS, DEMO_GENIE_SPACES, DEMO_MCP_SERVICES, DEMO_PAT, DEMO_SP_CLIENT_ID, DEMO_SP_CLIENT_SECRET } from '../../src/emulator/index.js';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp.js';
import { claudeCode } from '../../src/clients/catalog/claude-code.js';
import { ensureNode24, ensureRealClient, NPM_CACHE, prepareNpmHome } from '../support/real-clients.js';

/**
 * Runs `file` in the temporary HOME: Claude Code 2.1.337 checks stdio entries in `claude mcp list`
 * only in a folder it trusts (elsewhere "Not checked (folder not trusted …)"), and it trusts HOME.
 */
function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: { ...env, MCP_INSPECTOR_SECRET_STORE: 'memory' }, cwd: env.HOME, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.end();
  });
}

test('Claude Code: `claude mcp list` shows header-mode and proxy-mode entries Connected', { timeout: 240_000 }, async (t) => {
  const claude = ensureRealClient('claude-code');
  const { home } = await workspaceWithHome(t);
  assert.equal((await runCli(['add', 'sql', '--client', 'claude-code', '--auth', 'header', '--yes'], { home })).code, 0);
  assert.equal((await runCli(['add', 'genie', DEMO_GENIE_SPACES.sales, '--client', 'claude-code', '--yes'], { home })).code, 0);
  const entries = JSON.parse(readFileSync(join(home, '.claude.json'), 'utf8')).mcpServers;
  assert.equal(entries['databricks-sql'].headers.Authorization, 'Bearer ${DATABRICKS_TOKEN}', 'no secret in the file');
  const r = await run(claude, ['mcp', 'list'], isolatedEnv(home, { DATABRICKS_TOKEN: DEMO_PAT }));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /databricks-sql: .*\(HTTP\) - ✔ Connected/);
  assert.match(r.stdout, /databricks-genie-sales-analytics: .* - ✔ Connected/);
  // The header entry really depends on the token: without it Claude Code cannot connect.
  const without = await run(claude, ['mcp', 'list'], isolatedEnv(home, { DATABRICKS_TOKEN: 'dapi00000000000000000000000000000000' }));
  assert.doesNotMatch(without.stdout, /databricks-sql: .* - ✔ Connected/);
  // Outside a folder it trusts, Claude Code 2.1.337 checks the HTTP entry but not the stdio (proxy)
  // one: what the restart hint tells the user.
  const untrusted = tempDir(t);
  const elsewhere = await new Promise<string>((resolve) =>
    execFile(claude, ['mcp', 'list'], { env: isolatedEnv(home, { DATABRICKS_TOKEN: DEMO_PAT }), cwd: untrusted, timeout: 120_000 }, (_e, stdout) => resolve(String(stdout))),
  );
  assert.match(elsewhere, /databricks-sql: .*\(HTTP\) - ✔ Connected/, elsewhere);
  assert.match(elsewhere, /databricks-genie-sales-analytics: .* - Not checked \(folder not trusted/, elsewhere);
  assert.match(claudeCode.restartHint, /`claude mcp list` in a folder Claude Code trusts/);
});

test('Claude Code: `add mcp-service`, `add app` and `add url` entries show Connected in `claude mcp list`', { timeout: 240_000 }, async (t) => {
  const claude = ensureRealClient('claude-code');
  const { ws, home } = await workspaceWithHome(t);
  // A service principal profile: Apps accept OAuth tokens only (a PAT profile is refused by `add app`).
  writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${ws.url}\nclient_id = ${DEMO_SP_CLIENT_ID}\nclient_secret = ${DEMO_SP_CLIENT_SECRET}\n`, { mode: 0o600 });
  const outputs: string[] = [];
  for (const args of [['mcp-service', DEMO_MCP_SERVICES.genieOne], ['app', DEMO_APPS.sales], ['url', ws.mcpUrl('functions', 'main', 'tools')]]) {
    const r = await runCli(['add', ...args, '--client', 'claude-code', '--yes'], { home });
    assert.equal(r.code, 0, r.stderr);
    outputs.push(r.stdout, r.stderr);
  }
  const r = await run(claude, ['mcp', 'list'], isolatedEnv(home, {}));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /databricks-genie-one-mcp: .* - ✔ Connected/);
  assert.match(r.stdout, /databricks-app-mcp-sales: .* - ✔ Connected/);
  assert.match(r.stdout, /databricks-functions-main-tools: .* - ✔ Connected/);
  // The app really was reached on its own host, with the workspace-issued OAuth token.
  assert.ok(ws.requests.some((q) => q.path === `/${DEMO_APPS.sales}/mcp` && q.status === 200));
  const everything = [...outputs, r.stdout, r.stderr, readFileSync(join(home, '.claude.json'), 'utf8')].join('\n');
  assert.ok(!everything.includes(DEMO_SP_CLIENT_SECRET), 'no secret in any output or file');
});

test('Claude Code: an mcp-remote entry keeps the token out of args, `claude mcp list`/`get`, and shows Connected', { timeout: 300_000 }, async (t) => {
  const claude = ensureRealClient('claude-code');
  ensureRealClient('mcp-remote');
  const { home } = await workspaceWithHome(t);
  prepareNpmHome(home);
  const add = await runCli(['add', 'sql', '--client', 'claude-code', '--auth', 'mcp-remote', '--yes'], { home });
  assert.equal(add.code, 0, add.stderr);
  assert.ok(!`${add.stdout}${add.stderr}`.includes(DEMO_PAT), 'the token is not printed');
  const file = join(home, '.claude.json');
  const entry = JSON.parse(readFileSync(file, 'utf8')).mcpServers['databricks-sql'];
  assert.ok(!JSON.stringify([entry.command, entry.args]).includes(DEMO_PAT), `no token in command/args: ${JSON.stringify(entry.args)}`);
  assert.ok((entry.args as string[]).includes('Authorization:${DBX_MCP_AUTH_HEADER}'));
  assert.equal(entry.env.DBX_MCP_AUTH_HEADER, `Bearer ${DEMO_PAT}`, 'the value travels in the entry env');
  assert.equal(statSync(file).mode & 0o777, 0o600);

  const env = isolatedEnv(home, { npm_config_cache: NPM_CACHE });
  const list = await run(claude, ['mcp', 'list'], env);
  assert.equal(list.code, 0, list.stderr);
  // The env reached mcp-remote and mcp-remote expanded the variable: the emulator accepted the token.
  assert.match(list.stdout, /databricks-sql: .* - ✔ Connected/);
  assert.ok(!`${list.stdout}${list.stderr}`.includes(DEMO_PAT), 'claude mcp list does not print the token');
  const get = await run(claude, ['mcp', 'get', 'databricks-sql'], env);
  assert.equal(get.code, 0, get.stderr);
  assert.match(get.stdout, /DBX_MCP_AUTH_HEADER/);
  assert.doesNotMatch(get.stdout, new RegExp(`Args:.*${DEMO_PAT}`), 'claude mcp get shows no token in the args');

  // doctor resolves the entry as Claude Code does: the unset ${DBX_MCP_AUTH_HEADER} in args is
  // passed through for mcp-remote to expand from the entry's env, not reported as missing.
  const doc = await runCli(['doctor', '--json', '--only', 'server.databricks-sql.handshake'], { home, env: { npm_config_cache: NPM_CACHE }, timeoutMs: 120_000 });
  const hs = (JSON.parse(doc.stdout) as { checks: { id: string; status: string }[] }).checks.find((c) => c.id === 'server.databricks-sql.handshake');
  assert.equal(hs?.status, 'pass', JSON.stringify(hs));
});

test('MCP Inspector CLI lists tools through the Claude Desktop mcp-remote and proxy entries', { timeout: 300_000 }, async (t) => {
  const inspector = ensureRealClient('inspector');
  ensureRealClient('mcp-remote');
  const node24 = ensureNode24();
  const { home } = await workspaceWithHome(t);
  assert.equal((await runCli(['add', 'functions', 'main.tools', '--client', 'claude-desktop', '--auth', 'mcp-remote', '--yes'], { home })).code, 0);
  assert.equal((await runCli(['add', 'genie', DEMO_GENIE_SPACES.sales, '--client', 'claude-desktop', '--yes'], { home })).code, 0);
  const config = join(home, '.config/Claude/claude_desktop_config.json');
  prepareNpmHome(home);
  const env = isolatedEnv(home, { PATH: `${join(node24, '..')}:${process.env.PATH}`, npm_config_cache: NPM_CACHE });

  // A generous connect timeout: the entry starts mcp-remote through npx, which may still be installing it.
  const viaRemote = await run(node24, [inspector, '--cli', '--config', config, '--server', 'databricks-functions-main-tools', '--connect-timeout', '120000', '--method', 'tools/list'], env, 200_000);
  assert.equal(viaRemote.code, 0, viaRemote.stderr);
  const remoteTools = (JSON.parse(viaRemote.stdout) as { tools: { name: string }[] }).tools.map((x) => x.name);
  assert.ok(remoteTools.includes('main__tools__lookup_customer'), remoteTools.join(','));

  const viaProxy = await run(node24, [inspector, '--cli', '--config', config, '--server', 'databricks-genie-sales-analytics', '--method', 'tools/list'], env);
  assert.equal(viaProxy.code, 0, viaProxy.stderr);
  const proxyTools = (JSON.parse(viaProxy.stdout) as { tools: { name: string }[] }).tools.map((x) => x.name);
  assert.ok(proxyTools.some((n) => n.startsWith('query_space_')), proxyTools.join(','));
});
