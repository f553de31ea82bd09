/**
 * Unified hosts end to end: one loopback host in front of two fake workspaces of one account,
 * routed by `X-Databricks-Workspace-Id` (emulator/unified.ts). A profile as Databricks CLI 1.13
 * writes it (host, auth_type, account_id, workspace_id, scopes) must reach its own workspace from
 * `add` (each auth mode), the proxy and doctor; the same profile without workspace_id gets
 * doctor's `unrouted-host` with the fix, exit 1, and no entry written.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { DEMO_GENIE_SPACES, DEMO_PAT, type UnifiedHost } from '../../src/emulator/index.js';
import { loginWithBrowser } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { unifiedHost as unified, OPS_SPACE, WS_B } from '../helpers/unified.js';
import { tempDir } from '../helpers/temp.js';
import { startChild } from '../support/proxy-harness.js';


type Check = { id: string; status: string; summary: string; fix?: string; data?: Record<string, unknown> };

/** The profile CLI 1.13 writes after `databricks auth login --host "<host>?w=<id>"` (PAT here, to keep the test offline). */
function profileHome(t: TestContext, u: UnifiedHost, workspaceId?: string): string {
  const home = tempDir(t);
  const lines = ['[uni]', `host = ${u.url}`, 'auth_type = pat', `token = ${DEMO_PAT}`, `account_id = ${u.accountId}`, ...(workspaceId ? [`workspace_id = ${workspaceId}`] : []), 'scopes = all-apis'];
  writeFileSync(join(home, '.databrickscfg'), lines.join('\n') + '\n', { mode: 0o600 });
  return home;
}

/** Every request but discovery carried the routing header to workspace B; discovery carried neither it nor a token. */
function assertRoutedToB(u: UnifiedHost, o: { discovered: boolean } = { discovered: true }): void {
  const discovery = u.requests.filter((r) => r.path === '/.well-known/databricks-config');
  // The proxy routes by the profile's workspace_id alone (discovery could not supply one).
  assert.equal(discovery.length >= 1, o.discovered, 'host metadata discovery');
  for (const d of discovery) assert.deepEqual([d.hadToken, d.workspaceId], [false, undefined], 'discovery gets no token and no routing header');
  const workspaceCalls = u.requests.filter((r) => r.routedTo !== 'metadata' && r.routedTo !== 'account');
  assert.ok(workspaceCalls.length > 0);
  for (const r of workspaceCalls) assert.equal(r.routedTo, WS_B, `${r.method} ${r.path} went to ${r.routedTo}`);
  assert.ok(workspaceCalls.every((r) => r.header === 'x-databricks-workspace-id'));
}

describe('unified host: a CLI 1.13 profile works everywhere', () => {
  it('add genie (header mode) validates in workspace B and writes the routing header', async (t) => {
    const u = await unified(t);
    const home = profileHome(t, u, WS_B);
    const r = await runCli(['add', 'genie', OPS_SPACE, '--client', 'cursor', '--auth', 'header', '--yes', '--profile', 'uni'], { home });
    assert.equal(r.code, 0, r.stderr);
    const cursor = JSON.parse(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8')) as { mcpServers: Record<string, { url: string; headers: Record<string, string> }> };
    const entry = Object.values(cursor.mcpServers)[0]!;
    assert.equal(entry.headers['X-Databricks-Workspace-Id'], WS_B);
    assert.match(entry.headers.Authorization!, /^Bearer \$\{env:DATABRICKS_TOKEN\}$/);
    assertRoutedToB(u);
  });

  it("a space of workspace A is not found through workspace B's profile (the routing decides)", async (t) => {
    const u = await unified(t);
    const home = profileHome(t, u, WS_B);
    const r = await runCli(['add', 'genie', DEMO_GENIE_SPACES.sales, '--client', 'cursor', '--yes', '--profile', 'uni'], { home });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(existsSync(join(home, '.cursor', 'mcp.json')), false);
  });

  it('mcp-remote entries pass the routing header with --header; native OAuth is refused with the proxy fix', async (t) => {
    const u = await unified(t);
    const home = profileHome(t, u, WS_B);
    const remote = await runCli(['add', 'sql', '--client', 'claude-code', '--auth', 'mcp-remote', '--yes', '--profile', 'uni'], { home });
    assert.equal(remote.code, 0, remote.stderr);
    const cc = JSON.parse(readFileSync(join(home, '.claude.json'), 'utf8')) as { mcpServers: Record<string, { args: string[] }> };
    const args = Object.values(cc.mcpServers)[0]!.args;
    assert.ok(args.includes(`X-Databricks-Workspace-Id:${WS_B}`), args.join(' '));
    assert.equal(args[args.indexOf(`X-Databricks-Workspace-Id:${WS_B}`) - 1], '--header');

    const oauth = await runCli(['add', 'sql', '--client', 'cursor', '--auth', 'oauth', '--client-id', 'abc', '--yes', '--profile', 'uni'], { home });
    assert.equal(oauth.code, 2, oauth.stderr);
    assert.match(oauth.stderr, /unified host/);
    assert.match(oauth.stderr, /--auth proxy/);
  });

  it('the proxy routes every upstream call to workspace B', async (t) => {
    const u = await unified(t);
    const home = profileHome(t, u, WS_B);
    const p = startChild({ home, args: ['--url', `${u.url}/api/2.0/mcp/genie/${OPS_SPACE}`, '--profile', 'uni'] });
    t.after(() => p.end());
    const init = await p.rpc.initialize();
    assert.ok(init.result, JSON.stringify(init) + p.stderr());
    const tools = await p.rpc.request('tools/list', {});
    assert.ok((tools.result as { tools: unknown[] }).tools.length > 0, JSON.stringify(tools));
    await p.end();
    assertRoutedToB(u, { discovered: false });
  });

  it('doctor shows the host type and workspace with their sources, and the header entry connects', async (t) => {
    const u = await unified(t);
    const home = profileHome(t, u, WS_B);
    const add = await runCli(['add', 'genie', OPS_SPACE, '--client', 'cursor', '--auth', 'header', '--yes', '--profile', 'uni'], { home });
    assert.equal(add.code, 0, add.stderr);
    const r = await runCli(['doctor', '--json', '--profile', 'uni', '--client', 'cursor'], { home, env: { DATABRICKS_TOKEN: DEMO_PAT } });
    const checks = (JSON.parse(r.stdout) as { checks: Check[] }).checks;
    const routing = checks.find((c) => c.id === 'workspace.routing')!;
    assert.equal(routing.status, 'pass', routing.summary);
    assert.equal(routing.data?.hostType, 'UNIFIED_HOST');
    assert.equal(routing.data?.hostTypeFrom, 'discovery');
    assert.equal(routing.data?.workspaceId, WS_B);
    assert.match(String(routing.data?.workspaceIdFrom), /\.databrickscfg \[uni\]/);
    const hs = checks.find((c) => c.id.endsWith('.handshake'))!;
    assert.equal(hs.status, 'pass', `${hs.summary} ${hs.fix ?? ''}`);
    assert.equal(r.code, 0, r.stdout);
    assertRoutedToB(u);
  });
});

describe('unified host: a profile without workspace_id', () => {
  it('doctor says unrouted-host with the fix and exits 1', async (t) => {
    const u = await unified(t);
    const home = profileHome(t, u);
    const r = await runCli(['doctor', '--json', '--profile', 'uni'], { home });
    assert.equal(r.code, 1, r.stdout);
    const checks = (JSON.parse(r.stdout) as { checks: Check[] }).checks;
    const routing = checks.find((c) => c.id === 'workspace.routing')!;
    assert.equal(routing.status, 'fail');
    assert.equal(routing.data?.kind, 'unrouted-host');
    assert.match(routing.fix ?? '', /workspace_id = <workspace-id>/);
    assert.match(routing.fix ?? '', /(?:databricks auth|dbx-mcp) login --host "http:\/\/127\.0\.0\.1:\d+\?w=<workspace-id>" --profile uni/);
    // One cause, one failure: the checks that need routing are skipped, not failed again.
    const me = checks.find((c) => c.id === 'auth.current-user')!;
    assert.equal(me.status, 'skip', me.summary);
  });

  it('doctor lists the account workspaces where the account API allows it (human output)', async (t) => {
    const u = await unified(t);
    const home = profileHome(t, u);
    const r = await runCli(['doctor', '--profile', 'uni'], { home });
    assert.equal(r.code, 1);
    assert.match(r.stdout + r.stderr, /names no workspace/);
  });

  it('add refuses with the unrouted-host fix and writes nothing', async (t) => {
    const u = await unified(t);
    const home = profileHome(t, u);
    const r = await runCli(['add', 'sql', '--client', 'cursor', '--yes', '--profile', 'uni'], { home });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /unified host/);
    assert.match(r.stderr, /workspace_id = <workspace-id>/);
    assert.equal(existsSync(join(home, '.cursor', 'mcp.json')), false);
  });

  it('a pasted Genie URL with ?o= routes the validation; the proxy entry is refused until the profile names the workspace', async (t) => {
    const u = await unified(t);
    const home = profileHome(t, u);
    const url = `${u.url}/genie/rooms/${OPS_SPACE}?o=${WS_B}`;
    const header = await runCli(['add', 'genie', url, '--client', 'cursor', '--auth', 'header', '--yes', '--profile', 'uni'], { home });
    assert.equal(header.code, 0, header.stderr);
    const cursor = readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8');
    assert.match(cursor, new RegExp(`"X-Databricks-Workspace-Id": "${WS_B}"`));
    const proxy = await runCli(['add', 'genie', url, '--client', 'claude-code', '--yes', '--profile', 'uni'], { home });
    assert.equal(proxy.code, 2, proxy.stderr);
    assert.match(proxy.stderr, new RegExp(`workspace_id = ${WS_B}`));
  });
});

describe('unified host: the proxy without a workspace id', () => {
  it('answers with the unrouted-host fix instead of a parse error', async (t) => {
    const u = await unified(t);
    const home = profileHome(t, u);
    const p = startChild({ home, args: ['--url', `${u.url}/api/2.0/mcp/sql`, '--profile', 'uni'] });
    t.after(() => p.end());
    const init = await p.rpc.initialize();
    const err = init.error as { message: string; data?: { kind?: string } } | undefined;
    assert.ok(err, JSON.stringify(init));
    assert.match(err.message, /names no workspace|workspace_id/);
    assert.equal(err.data?.kind, 'unrouted-host');
  });
});

describe('unified host: the wizard', () => {
  it('flags-only init lists, writes and verifies through workspace B only', async (t) => {
    const u = await unified(t);
    const home = profileHome(t, u, WS_B);
    const r = await runCli(['init', '--profile', 'uni', '--client', 'cursor', '--genie', OPS_SPACE, '--sql', '--yes'], { home });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /databricks-genie-unified-ops answers: \d+ tools/);
    assert.match(r.stderr, /databricks-sql answers: \d+ tools/);
    assertRoutedToB(u);
  });

  it('init --demo unified: the demo runs behind a unified host, routed by the profile workspace_id', async (t) => {
    const r = await runCli(['init', '--demo', 'unified', '--json', '--client', 'cursor'], { home: tempDir(t), env: { TMPDIR: tempDir(t) }, timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { status: string; demo: { doctor: { checks: Check[] } } };
    assert.equal(j.status, 'applied');
    const routing = j.demo.doctor.checks.find((c) => c.id === 'workspace.routing');
    assert.equal(routing?.status, 'pass');
    assert.equal(routing?.data?.hostType, 'UNIFIED_HOST');
    assert.equal(routing?.data?.workspaceIdFrom, '~/.databrickscfg [demo]');
    // Without the routing header the host answers its sign-in page: a passing handshake proves the route.
    assert.ok(j.demo.doctor.checks.some((c) => /^server\..*\.handshake$/.test(c.id) && c.status === 'pass'));
    const bad = await runCli(['init', '--demo', 'nowhere'], { home: tempDir(t) });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--demo takes no value or one of workspace, unified/);
  });
});

describe('unified host: dbx-mcp login', () => {
  it('login --host "<host>?w=<id>" saves the ids as CLI 1.13 does (the account id from discovery) and add reaches workspace B', { timeout: 60_000 }, async (t) => {
    const u = await unified(t);
    const home = tempDir(t);
    const env = { PATH: dirname(process.execPath) }; // no Databricks CLI
    const r = await loginWithBrowser(['--host', `${u.url}?w=${WS_B}`, '--profile', 'uni'], { home, env });
    assert.equal(r.code, 0, r.stderr);
    const cfg = readFileSync(join(home, '.databrickscfg'), 'utf8');
    assert.match(cfg, new RegExp(`workspace_id\\s*=\\s*${WS_B}`));
    assert.match(cfg, new RegExp(`account_id\\s*=\\s*${u.accountId}`));
    assert.doesNotMatch(cfg, /\?w=/);
    const add = await runCli(['add', 'genie', OPS_SPACE, '--client', 'cursor', '--yes', '--profile', 'uni'], { home, env });
    assert.equal(add.code, 0, add.stderr);
    assertRoutedToB(u);
  });

  it('login on a unified host without a workspace says to name one', { timeout: 60_000 }, async (t) => {
    const u = await unified(t);
    const home = tempDir(t);
    const r = await loginWithBrowser(['--host', u.url, '--profile', 'uni'], { home, env: { PATH: dirname(process.execPath) } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /unified host .*set workspace_id in the profile, or sign in with dbx-mcp login --host ".*\?w=<workspace-id>" --profile uni/);
  });
});
