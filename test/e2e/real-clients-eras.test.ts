/**
 * Real clients against a modern-only (MCP 2026-07-28) server (issue 21). Legacy-only clients
 * (Gemini CLI 0.61, OpenCode 1.18.33, pinned in .cache/real-clients) fail through their native
 * header entry, doctor says `protocol-mismatch` with the proxy fix, and the proxy entry that fix
 * writes connects. The dual-era Claude Code connects through its native header entry (the
 * emulator sees it speak modern: `server/discover`, no `initialize`) and through its proxy entry.
 * Each `… mcp list` connects to each server. Temporary HOME, loopback only, bounded by timeouts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { claudeCode } from '../../src/clients/catalog/claude-code.js';
import { DEMO_GENIE_SPACES, DEMO_PAT, type FakeWorkspace } from '../../src/emulator/index.js';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { ensureRealClient, type RealClient } from '../support/real-clients.js';

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env, cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (_err, stdout, stderr) => resolve(String(stdout) + String(stderr)));
    child.stdin?.end();
  });
}

const plain = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

interface Check {
  id: string;
  status: string;
  fix?: string;
  data?: Record<string, unknown>;
}

/** A modern-only workspace and a HOME with `client`'s header-mode sql entry and proxy-mode genie entry. */
async function modernOnlyHome(t: TestContext, client: string): Promise<{ ws: FakeWorkspace; home: string }> {
  const { ws, home } = await workspaceWithHome(t);
  ws.scenario.mcpEra = 'modern';
  assert.equal((await runCli(['add', 'sql', '--client', client, '--auth', 'header', '--yes'], { home })).code, 0);
  assert.equal((await runCli(['add', 'genie', DEMO_GENIE_SPACES.sales, '--client', client, '--yes'], { home })).code, 0);
  return { ws, home };
}

async function sqlHandshake(ws: FakeWorkspace, home: string): Promise<Check> {
  const doctor = await runCli(['doctor', '--json', '--only', 'server.databricks-sql.handshake'], { home, env: { DATABRICKS_TOKEN: DEMO_PAT, DATABRICKS_HOST: ws.url } });
  const check = (JSON.parse(doctor.stdout) as { checks: Check[] }).checks.find((c) => c.id === 'server.databricks-sql.handshake');
  assert.ok(check, doctor.stdout);
  return check;
}

/**
 * A legacy-only client: `list` (its `… mcp list`) shows the native sql entry failing and the proxy
 * entry connected (`native` / `proxied` match its lines); doctor says protocol-mismatch with the
 * proxy fix; after running that fix, `list` shows the sql entry connected through the proxy.
 */
async function legacyOnlyProof(t: TestContext, client: string, list: (home: string) => Promise<string>, lines: { nativeFails: RegExp; genieProxied: RegExp; sqlProxied: RegExp }): Promise<void> {
  const { ws, home } = await modernOnlyHome(t, client);
  const before = await list(home);
  assert.match(before, lines.nativeFails, before);
  assert.match(before, lines.genieProxied, before);

  const check = await sqlHandshake(ws, home);
  assert.equal(check.data?.kind, 'protocol-mismatch', JSON.stringify(check));
  assert.equal(check.data?.clientEra, 'legacy', JSON.stringify(check));
  assert.deepEqual(check.data?.protocol, { era: 'modern', version: '2026-07-28' }, JSON.stringify(check));
  const fix = /dbx-mcp (add [^,]+?--auth proxy(?: --force)?)/.exec(check.fix ?? '')?.[1];
  assert.ok(fix, check.fix);

  const readd = await runCli([...fix.split(' '), '--yes'], { home });
  assert.equal(readd.code, 0, `${fix}\n${readd.stdout}${readd.stderr}`);
  const after = await list(home);
  assert.match(after, lines.sqlProxied, after);
}

function clientList(name: RealClient, env: (home: string) => NodeJS.ProcessEnv): (home: string) => Promise<string> {
  const bin = ensureRealClient(name);
  return async (home) => plain(await run(bin, ['mcp', 'list'], env(home), home));
}

test('Gemini CLI (legacy only) × modern-only server: native entry fails, doctor says protocol-mismatch, its proxy fix connects', { timeout: 300_000 }, async (t) => {
  // Stdio servers start only in a trusted folder; Gemini CLI 0.61 prints the list on stderr.
  const list = clientList('gemini', (home) => isolatedEnv(home, { DATABRICKS_TOKEN: DEMO_PAT, GEMINI_CLI_TRUST_WORKSPACE: 'true' }));
  await legacyOnlyProof(t, 'gemini', list, {
    nativeFails: /databricks-sql: .*\(http\) - Disconnected/,
    genieProxied: /✓ databricks-genie-sales-analytics: .*proxy --url .*\(stdio\) - Connected/,
    sqlProxied: /✓ databricks-sql: .*proxy --url .*\(stdio\) - Connected/,
  });
});

test('OpenCode (legacy only) × modern-only server: native entry fails, doctor says protocol-mismatch, its proxy fix connects', { timeout: 300_000 }, async (t) => {
  const list = clientList('opencode', (home) =>
    isolatedEnv(home, { DATABRICKS_TOKEN: DEMO_PAT, XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CACHE_HOME: join(home, '.cache'), XDG_STATE_HOME: join(home, '.local', 'state') }),
  );
  await legacyOnlyProof(t, 'opencode', list, {
    // OpenCode 1.18.33 tries initialize (400 -32022), falls back to the old SSE transport: GET → 405.
    nativeFails: /✗ databricks-sql failed\n.*SSE error: Non-200 status code \(405\)/,
    genieProxied: /✓ databricks-genie-sales-analytics connected\n.*dbx-mcp.* proxy --url /,
    sqlProxied: /✓ databricks-sql connected\n.*dbx-mcp.* proxy --url /,
  });
});

test('Claude Code (dual era) × modern-only server: the native header entry speaks modern and connects, so does the proxy entry', { timeout: 300_000 }, async (t) => {
  const claude = ensureRealClient('claude-code');
  const { ws, home } = await modernOnlyHome(t, 'claude-code');
  const out = await run(claude, ['mcp', 'list'], isolatedEnv(home, { DATABRICKS_TOKEN: DEMO_PAT }), home);
  assert.match(out, /databricks-sql: .*\(HTTP\) - ✔ Connected/, out);
  assert.match(out, /databricks-genie-sales-analytics: .*proxy --url .* - ✔ Connected/, out);

  // What Claude Code itself sent to the native entry's endpoint: modern from the first request on.
  const native = ws.requests.filter((q) => q.path === '/api/2.0/mcp/sql' && q.headers['user-agent']?.startsWith('claude-code/'));
  const methods = native.map((q) => (q.body as { method?: string } | undefined)?.method);
  assert.equal(methods[0], 'server/discover', JSON.stringify(methods));
  assert.ok(methods.includes('tools/list'), JSON.stringify(methods));
  assert.ok(!methods.includes('initialize'), `no legacy handshake: ${JSON.stringify(methods)}`);
  for (const q of native) {
    assert.equal(q.status, 200, `${q.method} ${String((q.body as { method?: string } | undefined)?.method)}`);
    assert.equal(q.headers['mcp-protocol-version'], '2026-07-28');
    assert.equal(q.headers['mcp-session-id'], undefined, 'no session in the modern era');
  }

  // doctor handshakes the native entry in Claude Code's era: it passes, with the version caveat.
  const check = await sqlHandshake(ws, home);
  assert.equal(check.status, 'pass', JSON.stringify(check));
  assert.deepEqual(check.data?.protocol, { era: 'modern', version: '2026-07-28' }, JSON.stringify(check));
  assert.equal(check.data?.clientVersionNeeded, claudeCode.mcpEra.modernSince, JSON.stringify(check));
});
