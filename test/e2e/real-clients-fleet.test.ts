// The real Claude Code, Codex and Gemini CLI (pinned, .cache/real-clients) load what
// `dbx-mcp fleet` generates (issue 24). Claude Code reads managed-mcp.json / managed-settings.json only from its fixed
// system folder (/etc/claude-code on Linux; the pinned binary takes no variable for it), so each
// run happens in a throwaway mount namespace (`unshare -rm`) whose /etc is an overlay over the
// real one: the generated install.sh writes /etc/claude-code there, and the machine's real /etc
// is never touched. Codex (/etc/codex) and Gemini CLI (/etc/gemini-cli) run the same way.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, isolatedEnv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { ensureRealClient } from '../support/real-clients.js';

/** Whether this machine lets an unprivileged mount namespace overlay /etc (else the test says why it skips). */
function overlayWorks(): string | undefined {
  const dir = join(process.env.TMPDIR ?? '/tmp', `dbx-mcp-ns-probe-${process.pid}`);
  try {
    mkdirSync(join(dir, 'u'), { recursive: true });
    mkdirSync(join(dir, 'w'), { recursive: true });
    execFileSync('unshare', ['-rm', 'sh', '-c', `mount -t overlay overlay -o lowerdir=/etc,upperdir=${dir}/u,workdir=${dir}/w /etc && mkdir /etc/claude-code`], { stdio: 'pipe', timeout: 10_000 });
    return undefined;
  } catch (e) {
    return `unshare -rm with an overlay on /etc is not available here: ${String((e as Error).message).split('\n')[0]}`;
  } finally {
    execFileSync('rm', ['-rf', dir]);
  }
}
const skipReason = overlayWorks();

/** An `npx` that runs the built dbx-mcp for `npx -y dbx-mcp@…` (managed entries pin a version not on npm here). */
function npxShim(t: TestContext): string {
  const bin = tempDir(t, 'dbx-mcp-fleet-bin-');
  writeFileSync(join(bin, 'npx'), `#!/bin/sh\nif [ "$1" = "-y" ]; then case "$2" in dbx-mcp@*) shift 2; exec '${process.execPath}' '${BIN}' "$@" ;; esac; fi\necho "npx shim: refusing $*" >&2; exit 97\n`);
  chmodSync(join(bin, 'npx'), 0o755);
  return bin;
}

/** Runs `install.sh` then `cmd` inside a mount namespace whose /etc is a throwaway overlay over the real one. */
function inNamespace(t: TestContext, installSh: string, cmd: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const ns = tempDir(t, 'dbx-mcp-ns-');
  mkdirSync(join(ns, 'u'));
  mkdirSync(join(ns, 'w'));
  const script = `set -e; mount -t overlay overlay -o lowerdir=/etc,upperdir=${ns}/u,workdir=${ns}/w /etc; sh '${installSh}' >&2; exec "$@"`;
  return new Promise((resolve) => {
    const child = execFile('unshare', ['-rm', 'sh', '-c', script, 'sh', ...cmd], { env, cwd, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.end();
  });
}

async function fleetFor(t: TestContext, mode: 'fixed' | 'catalog', client = 'claude-code') {
  const { ws, home } = await workspaceWithHome(t);
  const repo = join(home, 'repo');
  mkdirSync(repo);
  writeFileSync(join(repo, 'dbx-mcp.json'), JSON.stringify({ version: 1, workspace: { host: ws.url }, servers: [{ type: 'sql' }], fleet: { mode, os: ['linux'], clients: [client] } }));
  const r = await runCli(['fleet'], { home, cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const bin = npxShim(t);
  const env = isolatedEnv(home, { PATH: `${bin}:${process.env.PATH ?? ''}`, DBX_MCP_FLEET_BIN: `${process.execPath} ${BIN}` });
  return { ws, home, env, installSh: join(repo, 'dbx-mcp-fleet', 'linux', 'install.sh') };
}

test('real Claude Code: a fleet managed-mcp.json installed by install.sh shows its server Connected in `claude mcp list`', { timeout: 300_000, skip: skipReason }, async (t) => {
  const claude = ensureRealClient('claude-code');
  const { home, env, installSh } = await fleetFor(t, 'fixed');
  // A server the user added: a fixed deployment is exclusive, so it must not load.
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ mcpServers: { 'user-added': { type: 'http', url: 'http://127.0.0.1:9/mcp' } } }));
  // In HOME: Claude Code 2.1.337 checks stdio servers, managed ones too, only in a folder it trusts.
  const r = await inNamespace(t, installSh, [claude, 'mcp', 'list'], env, home);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /databricks-sql: npx -y dbx-mcp@\S+ proxy --url \S+ - ✔ Connected/);
  assert.doesNotMatch(r.stdout, /user-added: .*Connected/, 'the exclusive managed set keeps the user-added server out');
  assert.ok(!existsSync('/etc/claude-code'), "the machine's real /etc is untouched");
});

test('real Claude Code: a fleet allowlist (catalog) admits the approved command and blocks a server not on it', { timeout: 300_000, skip: skipReason }, async (t) => {
  const claude = ensureRealClient('claude-code');
  const { ws, home, env, installSh } = await fleetFor(t, 'catalog');
  const approved = { type: 'stdio', command: 'npx', args: ['-y', 'dbx-mcp@0.1.0', 'proxy', '--url', ws.mcpUrl('sql')] };
  // The same server under another launcher is not the approved command: blocked.
  const other = { type: 'stdio', command: process.execPath, args: [BIN, 'proxy', '--url', ws.mcpUrl('sql')] };
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ mcpServers: { 'databricks-sql': approved, 'not-approved': other } }));
  // Control: without the managed settings both connect, so what blocks it below is the allowlist.
  const free = await new Promise<string>((resolve) => execFile(claude, ['mcp', 'list'], { env, cwd: home, timeout: 180_000 }, (_e, stdout) => resolve(String(stdout))));
  assert.match(free, /not-approved: .* - ✔ Connected/);
  const r = await inNamespace(t, installSh, [claude, 'mcp', 'list'], env, home);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /databricks-sql: .* - ✔ Connected/);
  assert.doesNotMatch(r.stdout, /not-approved/, 'the server not on the allowlist is blocked');
});

test('real Codex: a fleet /etc/codex config.toml server is listed enabled and requirements.toml disables a user-added one', { timeout: 300_000, skip: skipReason }, async (t) => {
  const codex = ensureRealClient('codex');
  const { home, env, installSh } = await fleetFor(t, 'fixed', 'codex');
  const codexHome = join(home, 'codex-home');
  mkdirSync(codexHome);
  writeFileSync(join(codexHome, 'config.toml'), '[mcp_servers.user-added]\ncommand = "other-mcp"\n');
  const r = await inNamespace(t, installSh, [codex, 'mcp', 'list', '--json'], { ...env, CODEX_HOME: codexHome });
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { name: string; enabled: boolean; disabled_reason: string | null; transport: { command?: string; args?: string[] } }[];
  const sql = list.find((s) => s.name === 'databricks-sql') ?? assert.fail(r.stdout);
  assert.equal(sql.enabled, true, 'the server from the system config.toml, allowed by its identity');
  assert.deepEqual(sql.transport.args?.slice(0, 3), ['-y', 'dbx-mcp@0.1.0', 'proxy']);
  const user = list.find((s) => s.name === 'user-added') ?? assert.fail(r.stdout);
  assert.equal(user.enabled, false);
  assert.match(user.disabled_reason ?? '', /requirements \(\/etc\/codex\/requirements\.toml\)/);
});

test('real Gemini CLI: the fleet system settings server is Connected and mcp.allowed blocks a user-added one', { timeout: 300_000, skip: skipReason }, async (t) => {
  const gemini = ensureRealClient('gemini');
  const { home, env, installSh } = await fleetFor(t, 'fixed', 'gemini');
  mkdirSync(join(home, '.gemini'), { recursive: true });
  writeFileSync(join(home, '.gemini', 'settings.json'), JSON.stringify({ mcpServers: { 'user-added': { command: 'other-mcp' } } }));
  const r = await inNamespace(t, installSh, [gemini, 'mcp', 'list'], { ...env, GEMINI_CLI_TRUST_WORKSPACE: 'true' }, home);
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout + r.stderr;
  assert.match(out, /databricks-sql: npx -y dbx-mcp@\S+ proxy --url \S+ \(stdio\) - Connected/);
  assert.match(out, /user-added: .* - Blocked/);
});
