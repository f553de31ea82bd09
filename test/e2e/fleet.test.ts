// `dbx-mcp fleet` end to end (issue 24): the generated install.sh, run twice into a temporary
// root, changes nothing the second time and keeps an admin's own entries byte for byte;
// `fleet --check` exits 1 with a diff when the folder drifts from the manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, isolatedEnv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const HOST = 'https://dbc-1234abcd-5678.cloud.databricks.com';
const MANIFEST = { version: 1, workspace: { host: HOST }, servers: [{ type: 'sql' }, { type: 'genie', space_id: '01ef34712a29169db030324fd0e1df5f', name: 'sales' }] };

function sh(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('sh', [script, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.end();
  });
}

/** Every file under dir with its bytes (backups included), for "nothing changed" comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) out[join(e.parentPath, e.name)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  return out;
}

async function generate(t: Parameters<typeof tempDir>[0], fleet: Record<string, unknown> = {}) {
  const home = tempDir(t);
  const repo = join(home, 'repo');
  mkdirSync(repo);
  writeFileSync(join(repo, 'dbx-mcp.json'), JSON.stringify({ ...MANIFEST, fleet }, null, 2));
  const r = await runCli(['fleet'], { home, cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  return { home, repo, out: join(repo, 'dbx-mcp-fleet') };
}

test('fleet: install.sh twice into a temporary root merges, keeps the admin entries byte for byte, and changes nothing the 2nd time', { timeout: 120_000 }, async (t) => {
  const { home, out } = await generate(t, { os: ['linux'] });
  assert.ok((statSync(join(out, 'linux', 'install.sh')).mode & 0o111) !== 0, 'install.sh is executable');
  const root = join(home, 'root');
  // What the admin already deployed: other servers, other settings, their own formatting.
  const adminMcp = '{\n    // the admin\'s own server\n    "mcpServers": { "jira": { "type": "http", "url": "https://jira.example.com/mcp" } }\n}\n';
  const adminCodex = '# fleet-wide Codex defaults\nmodel = "gpt-5"\n\n[mcp_servers.docs]\ncommand = "docs-mcp"\n';
  mkdirSync(join(root, 'etc/claude-code'), { recursive: true });
  mkdirSync(join(root, 'etc/codex'), { recursive: true });
  writeFileSync(join(root, 'etc/claude-code/managed-mcp.json'), adminMcp);
  writeFileSync(join(root, 'etc/codex/config.toml'), adminCodex);

  const env = isolatedEnv(home, { DBX_MCP_FLEET_BIN: `${process.execPath} ${BIN}` });
  const first = await sh(join(out, 'linux', 'install.sh'), ['--root', root], env);
  assert.equal(first.code, 0, first.stderr);
  const mcp = readFileSync(join(root, 'etc/claude-code/managed-mcp.json'), 'utf8');
  assert.ok(mcp.includes('// the admin\'s own server'), 'comments kept');
  assert.ok(mcp.includes('"jira": { "type": "http", "url": "https://jira.example.com/mcp" }'), "the admin's entry is byte for byte the same");
  const servers = JSON.parse(mcp.replace(/\/\/.*$/m, '')).mcpServers;
  assert.deepEqual(Object.keys(servers), ['jira', 'databricks-sql', 'sales']);
  const codex = readFileSync(join(root, 'etc/codex/config.toml'), 'utf8');
  assert.ok(codex.startsWith(adminCodex), "the admin's Codex file is kept byte for byte, ours appended");
  assert.match(codex, /\[mcp_servers\.databricks-sql\]/);
  assert.match(readFileSync(join(root, 'etc/codex/requirements.toml'), 'utf8'), /identity = \{ command = "npx" \}/);
  assert.ok(JSON.parse(readFileSync(join(root, 'etc/gemini-cli/settings.json'), 'utf8')).mcp.allowed.includes('sales'));
  const backups = readdirSync(join(root, 'etc/claude-code')).filter((n) => n.endsWith('.bak'));
  assert.equal(backups.length, 1, 'the previous file is backed up once');
  assert.equal(readFileSync(join(root, 'etc/claude-code', backups[0]!), 'utf8'), adminMcp);

  const before = snapshot(root);
  const second = await sh(join(out, 'linux', 'install.sh'), [], { ...env, DBX_MCP_FLEET_ROOT: root });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout + second.stderr, /nothing changed/);
  assert.deepEqual(snapshot(root), before, 'a second run changes no byte and adds no backup');
});

test('fleet install: an unparseable managed file is refused (exit 2) and left untouched', { timeout: 60_000 }, async (t) => {
  const { home, out } = await generate(t, { os: ['linux'], clients: ['claude-code'] });
  const root = join(home, 'root');
  mkdirSync(join(root, 'etc/claude-code'), { recursive: true });
  writeFileSync(join(root, 'etc/claude-code/managed-mcp.json'), '{ "mcpServers": ');
  const r = await runCli(['fleet', 'install', join(out, 'linux'), '--root', root], { home });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(readFileSync(join(root, 'etc/claude-code/managed-mcp.json'), 'utf8'), '{ "mcpServers": ');
});

test('fleet --check: exit 0 when the folder matches, 1 with a diff after the manifest changes', { timeout: 60_000 }, async (t) => {
  const { home, repo } = await generate(t, { mode: 'catalog', os: ['macos'] });
  const ok = await runCli(['fleet', '--check'], { home, cwd: repo });
  assert.equal(ok.code, 0, ok.stderr);
  writeFileSync(join(repo, 'dbx-mcp.json'), JSON.stringify({ ...MANIFEST, servers: [{ type: 'sql' }], fleet: { mode: 'catalog', os: ['macos'] } }));
  const drift = await runCli(['fleet', '--check'], { home, cwd: repo });
  assert.equal(drift.code, 1);
  assert.match(drift.stdout, /^-.*genie\/01ef34712a29169db030324fd0e1df5f/m, 'the diff shows the server that went away');
  const json = await runCli(['fleet', '--check', '--json'], { home, cwd: repo });
  assert.equal(json.code, 1);
  assert.equal(JSON.parse(json.stdout).ok, false);
});

test('fleet install refuses another OS folder without --root', { timeout: 60_000 }, async (t) => {
  const { home, out } = await generate(t, { os: ['macos'] });
  const r = await runCli(['fleet', 'install', join(out, 'macos')], { home });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /macos folder/);
});

test('fleet: switching mode removes the files the other mode generated (and --check counts them as drift)', { timeout: 60_000 }, async (t) => {
  const { home, repo, out } = await generate(t, { os: ['linux'], clients: ['claude-code'] });
  assert.ok(existsSync(join(out, 'linux/claude-code/managed-mcp.json')));
  writeFileSync(join(out, 'NOTES.md'), 'the admin\'s own notes\n');
  const drift = await runCli(['fleet', '--check', '--mode', 'catalog'], { home, cwd: repo });
  assert.equal(drift.code, 1);
  assert.match(drift.stdout, /managed-mcp\.json/);
  assert.equal((await runCli(['fleet', '--mode', 'catalog'], { home, cwd: repo })).code, 0);
  assert.ok(!existsSync(join(out, 'linux/claude-code/managed-mcp.json')), 'the fixed-mode file is gone');
  assert.ok(existsSync(join(out, 'linux/claude-code/managed-settings.json')));
  assert.ok(existsSync(join(out, 'NOTES.md')), 'files fleet never generates are left alone');
  assert.equal((await runCli(['fleet', '--check', '--mode', 'catalog'], { home, cwd: repo })).code, 0);
});
