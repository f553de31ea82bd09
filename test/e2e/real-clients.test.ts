/**
 * Proof through real clients that the configs dbx-mcp writes work (issues 2 and 4):
 * Claude Code's `claude mcp list` connects to header-mode and proxy-mode entries, and the
 * MCP Inspector CLI (Node 24) lists tools through Claude Desktop's mcp-remote and proxy entries.
 * The clients are installed at pinned versions into .cache/real-clients (test/support/real-clients.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES, DEMO_PAT } from '../../src/emulator/index.js';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { ensureNode24, ensureRealClient, NPM_CACHE, prepareNpmHome } from '../support/real-clients.js';

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: { ...env, MCP_INSPECTOR_SECRET_STORE: 'memory' }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
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
