// doctor on a managed laptop (issue 24): it reads the managed files fleet deployed (under
// DBX_MCP_MANAGED_ROOT, the test/admin-only stand-in for /), checks the managed servers like any
// entry, names them, and fails `blocked-by-policy` for a server the user added that the policy blocks.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

interface Check { id: string; status: string; summary: string; fix?: string; data?: { kind?: string; policyFile?: string; managed?: string[]; servers?: { name: string; reason: string }[] } }

/** An `npx` that runs the built dbx-mcp for `npx -y dbx-mcp@…` and refuses anything else (no registry). */
function npxShimPath(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'npx'), `#!/bin/sh\nif [ "$1" = "-y" ]; then case "$2" in dbx-mcp@*) shift 2; exec '${process.execPath}' '${BIN}' "$@" ;; esac; fi\necho "npx shim: refusing $*" >&2; exit 97\n`);
  chmodSync(join(dir, 'npx'), 0o755);
  return `${dir}:${process.env.PATH ?? ''}`;
}

async function managedLaptop(t: TestContext, mode: 'fixed' | 'catalog', userServers: (url: string) => Record<string, unknown>) {
  const { ws, home } = await workspaceWithHome(t);
  const repo = join(home, 'repo');
  mkdirSync(repo);
  writeFileSync(join(repo, 'dbx-mcp.json'), JSON.stringify({ version: 1, workspace: { host: ws.url }, servers: [{ type: 'sql' }], fleet: { mode, os: ['linux'], clients: ['claude-code'] } }));
  assert.equal((await runCli(['fleet'], { home, cwd: repo })).code, 0);
  const root = join(home, 'system-root');
  const inst = await runCli(['fleet', 'install', join(repo, 'dbx-mcp-fleet', 'linux'), '--root', root], { home });
  assert.equal(inst.code, 0, inst.stderr);
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ mcpServers: userServers(ws.mcpUrl('sql')) }));
  const r = await runCli(['doctor', '--json', '--client', 'claude-code'], { home, env: { DBX_MCP_MANAGED_ROOT: root, PATH: npxShimPath(join(home, 'bin')) }, timeoutMs: 120_000 });
  const checks = (JSON.parse(r.stdout) as { checks: Check[] }).checks;
  const byId = (id: string) => checks.find((c) => c.id === id) ?? assert.fail(`${id} missing: ${checks.map((c) => c.id).join(', ')}`);
  const human = await runCli(['doctor', '--client', 'claude-code'], { home, env: { DBX_MCP_MANAGED_ROOT: root, PATH: npxShimPath(join(home, 'bin')) }, timeoutMs: 120_000 });
  return { r, byId, root, human };
}

test('doctor: a fixed fleet deployment is shown as managed, its server checked, and a user-added server fails blocked-by-policy', { timeout: 180_000 }, async (t) => {
  const { r, byId, human } = await managedLaptop(t, 'fixed', (url) => ({ 'user-added': { type: 'http', url, headers: { Authorization: 'Bearer ${DATABRICKS_TOKEN}' } } }));
  assert.equal(r.code, 1, r.stderr);
  const policy = byId('client.claude-code.policy');
  assert.equal(policy.status, 'fail', JSON.stringify(policy));
  assert.equal(policy.data?.kind, 'blocked-by-policy');
  assert.match(policy.data?.policyFile ?? '', /etc\/claude-code\/managed-mcp\.json$/);
  assert.deepEqual(policy.data?.servers?.map((s) => s.name), ['user-added']);
  assert.deepEqual(policy.data?.managed, ['databricks-sql']);
  assert.match(policy.summary, /"user-added" .* is blocked by .*managed-mcp\.json/);
  assert.match(human.stdout + human.stderr, /"user-added" .* is blocked by .*managed-mcp\.json/);
  // The managed entry is checked like any other (trusted like user scope: the admin wrote it).
  assert.equal(byId('server.databricks-sql.handshake').status, 'pass', JSON.stringify(byId('server.databricks-sql.handshake')));
});

test('doctor: a catalog allowlist admits the approved command and names the one it blocks', { timeout: 180_000 }, async (t) => {
  const { byId } = await managedLaptop(t, 'catalog', (url) => ({
    'databricks-sql': { type: 'stdio', command: 'npx', args: ['-y', 'dbx-mcp@0.1.0', 'proxy', '--url', url] },
    'other': { type: 'http', url },
  }));
  const policy = byId('client.claude-code.policy');
  assert.equal(policy.data?.kind, 'blocked-by-policy', JSON.stringify(policy));
  assert.match(policy.data?.policyFile ?? '', /managed-settings\.json$/);
  assert.deepEqual(policy.data?.servers?.map((s) => s.name), ['other']);
  assert.match(policy.data!.servers![0]!.reason, /allowlist/);
});

test('doctor: without managed files there is no policy check', { timeout: 120_000 }, async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ mcpServers: { x: { type: 'http', url: ws.mcpUrl('sql') } } }));
  const r = await runCli(['doctor', '--json', '--client', 'claude-code'], { home, env: { DBX_MCP_MANAGED_ROOT: join(home, 'empty-root') }, timeoutMs: 120_000 });
  assert.ok(!(JSON.parse(r.stdout) as { checks: Check[] }).checks.some((c) => c.id.endsWith('.policy')));
});
