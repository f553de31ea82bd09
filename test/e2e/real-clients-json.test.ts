/**
 * Proof through the real clients of issue 13's JSON family that the entries dbx-mcp writes work:
 * Gemini CLI and OpenCode connect to proxy- and header-mode entries against the emulator
 * (`gemini mcp list` / `opencode mcp list`), Copilot CLI parses them (`copilot mcp get`, which
 * does not connect). Pinned versions from .cache/real-clients; each runs with a temporary HOME
 * (and XDG dirs inside it), loopback only, bounded by a timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseJsonc } from 'jsonc-parser';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES, DEMO_PAT } from '../../src/emulator/index.js';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp.js';
import { unifiedHost, WS_B } from '../helpers/unified.js';
import { ensureRealClient } from '../support/real-clients.js';

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env, cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.end();
  });
}

/** A home with a proxy-mode genie entry and a header-mode sql entry written by dbx-mcp for `client`. */
async function homeWithEntries(t: Parameters<typeof workspaceWithHome>[0], client: string, prepare: (home: string) => void = () => {}): Promise<string> {
  const { home } = await workspaceWithHome(t);
  prepare(home);
  const header = await runCli(['add', 'sql', '--client', client, '--auth', 'header', '--yes'], { home });
  assert.equal(header.code, 0, header.stderr);
  const proxy = await runCli(['add', 'genie', DEMO_GENIE_SPACES.sales, '--client', client, '--yes'], { home });
  assert.equal(proxy.code, 0, proxy.stderr);
  return home;
}

test('Gemini CLI: `gemini mcp list` shows the header-mode and proxy-mode entries Connected', { timeout: 240_000 }, async (t) => {
  const gemini = ensureRealClient('gemini');
  const home = await homeWithEntries(t, 'gemini');
  const entries = JSON.parse(readFileSync(join(home, '.gemini', 'settings.json'), 'utf8')).mcpServers;
  assert.equal(entries['databricks-sql'].headers.Authorization, 'Bearer ${DATABRICKS_TOKEN}', 'no secret in the file');
  // Stdio servers start only in a trusted folder.
  const env = isolatedEnv(home, { DATABRICKS_TOKEN: DEMO_PAT, GEMINI_CLI_TRUST_WORKSPACE: 'true' });
  const r = await run(gemini, ['mcp', 'list'], env, home);
  assert.equal(r.code, 0, r.stderr);
  // Gemini CLI 0.61 prints the list on stderr.
  const out = r.stdout + r.stderr;
  assert.match(out, /✓ databricks-sql: .*\(http\) - Connected/);
  assert.match(out, /✓ databricks-genie-sales-analytics: .*dbx-mcp.* proxy --url .*\(stdio\) - Connected/);
  // The header entry really depends on the token.
  const without = await run(gemini, ['mcp', 'list'], { ...env, DATABRICKS_TOKEN: 'dapi00000000000000000000000000000000' }, home);
  assert.doesNotMatch(without.stdout + without.stderr, /databricks-sql: .* - Connected/);
  assert.match(without.stdout + without.stderr, /databricks-sql: .* - Disconnected/);
});

test('Gemini CLI on a unified host: the header-mode entry sends the routing header and connects to workspace B', { timeout: 240_000 }, async (t) => {
  const gemini = ensureRealClient('gemini');
  const u = await unifiedHost(t);
  const home = tempDir(t);
  // The profile Databricks CLI 1.13 writes for `databricks auth login --host "<host>?w=<id>"` (PAT here).
  writeFileSync(join(home, '.databrickscfg'), `[uni]\nhost = ${u.url}\ntoken = ${DEMO_PAT}\naccount_id = ${u.accountId}\nworkspace_id = ${WS_B}\n`, { mode: 0o600 });
  const add = await runCli(['add', 'sql', '--client', 'gemini', '--auth', 'header', '--profile', 'uni', '--yes'], { home });
  assert.equal(add.code, 0, add.stderr);
  const before = u.requests.length;
  const env = isolatedEnv(home, { DATABRICKS_TOKEN: DEMO_PAT, GEMINI_CLI_TRUST_WORKSPACE: 'true' });
  const r = await run(gemini, ['mcp', 'list'], env, home);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /✓ databricks-sql: .*\(http\) - Connected/);
  // What Gemini CLI itself sent to the unified host: every MCP call routed to B by the new header.
  const mcp = u.requests.slice(before).filter((q) => q.path.startsWith('/api/2.0/mcp/'));
  assert.ok(mcp.length > 0, 'Gemini CLI reached the MCP endpoint');
  for (const q of mcp) assert.deepEqual([q.routedTo, q.header, q.hadToken], [WS_B, 'x-databricks-workspace-id', true], `${q.method} ${q.path}`);
});

test('OpenCode: `opencode mcp list` shows the header-mode and proxy-mode entries connected', { timeout: 240_000 }, async (t) => {
  const opencode = ensureRealClient('opencode');
  // What OpenCode's first run leaves behind: opencode.jsonc holding only `$schema` (here with a comment).
  const first = '{\n  // created by OpenCode\n  "$schema": "https://opencode.ai/config.json"\n}\n';
  const home = await homeWithEntries(t, 'opencode', (h) => {
    mkdirSync(join(h, '.config', 'opencode'), { recursive: true });
    writeFileSync(join(h, '.config', 'opencode', 'opencode.jsonc'), first);
  });
  assert.equal(existsSync(join(home, '.config', 'opencode', 'opencode.json')), false, 'the .jsonc is the file, no second one');
  const text = readFileSync(join(home, '.config', 'opencode', 'opencode.jsonc'), 'utf8');
  assert.ok(text.startsWith('{\n  // created by OpenCode\n  "$schema": "https://opencode.ai/config.json",\n'), text);
  const entries = (parseJsonc(text) as { mcp: Record<string, { headers: Record<string, string> }> }).mcp;
  assert.equal(entries['databricks-sql']?.headers.Authorization, 'Bearer {env:DATABRICKS_TOKEN}', 'no secret in the file');
  const env = isolatedEnv(home, { DATABRICKS_TOKEN: DEMO_PAT, XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CACHE_HOME: join(home, '.cache'), XDG_STATE_HOME: join(home, '.local', 'state') });
  const r = await run(opencode, ['mcp', 'list'], env, home);
  assert.equal(r.code, 0, r.stderr);
  const plain = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');
  assert.match(plain(r.stdout), /✓ databricks-sql connected/);
  assert.match(plain(r.stdout), /✓ databricks-genie-sales-analytics connected\n.*dbx-mcp.* proxy --url /);
  // The header entry really depends on the token ({env:DATABRICKS_TOKEN} is interpolated).
  const without = await run(opencode, ['mcp', 'list'], { ...env, DATABRICKS_TOKEN: 'dapi00000000000000000000000000000000' }, home);
  assert.doesNotMatch(plain(without.stdout), /✓ databricks-sql connected/);
});

test('Copilot CLI: `copilot mcp get` shows the written entries (it parses, does not connect)', { timeout: 240_000 }, async (t) => {
  const copilot = ensureRealClient('copilot');
  const home = await homeWithEntries(t, 'copilot-cli');
  const env = isolatedEnv(home, { DATABRICKS_TOKEN: DEMO_PAT });
  const sql = await run(copilot, ['mcp', 'get', 'databricks-sql'], env, home);
  assert.equal(sql.code, 0, sql.stderr);
  assert.match(sql.stdout, /Status: Enabled\n\s+Type: http\n\s+URL: http:\/\/127\.0\.0\.1:\d+\/api\/2\.0\/mcp\/sql\n\s+Headers:\n\s+Authorization: \*\*\*\n\s+Tools: \* \(all\)/);
  const genie = await run(copilot, ['mcp', 'get', 'databricks-genie-sales-analytics'], env, home);
  assert.equal(genie.code, 0, genie.stderr);
  assert.match(genie.stdout, /Type: local\n\s+Command: .*dbx-mcp.* proxy --url http:\/\/127\.0\.0\.1:\d+\/api\/2\.0\/mcp\/genie\/\S+ --profile DEFAULT\n/);
  // And `copilot mcp list` parses the whole file with both entries.
  const list = await run(copilot, ['mcp', 'list'], env, home);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /databricks-sql/);
  assert.match(list.stdout, /databricks-genie-sales-analytics/);
});
