/**
 * `--scope project` through the built bin, on a machine where Claude Desktop and Windsurf
 * (which have no project file) are detected next to Cursor and Claude Code. Project files are
 * committed: every entry must be portable (`npx -y dbx-mcp@<exact version> proxy --url …`, no
 * profile, no path of this machine, no secret), and clients without a project file are
 * skipped with a note when detected, refused (exit 2, nothing written) when named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PAT, DEMO_VECTOR_INDEX } from '../../src/emulator/index.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
type Servers = Record<string, Record<string, unknown>>;
const servers = (p: string, key = 'mcpServers'): Servers => (JSON.parse(readFileSync(p, 'utf8')) as Record<string, Servers>)[key]!;

/** A temporary HOME with every client but VS Code detected, and a repository with a subdirectory. */
async function machine(t: Parameters<typeof workspaceWithHome>[0]) {
  const { ws, home } = await workspaceWithHome(t);
  for (const dir of ['.config/Claude', '.codeium/windsurf', '.cursor', '.claude']) mkdirSync(join(home, dir), { recursive: true });
  const repo = join(home, 'src', 'shop');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'docs'), { recursive: true });
  const userFiles = [join(home, '.config/Claude/claude_desktop_config.json'), join(home, '.codeium/windsurf/mcp_config.json'), join(home, '.cursor/mcp.json'), join(home, '.claude.json')];
  return { ws, home, repo, userFiles };
}

/** Everything a committed file must not hold. */
function assertPortable(text: string, home: string, label: string): void {
  assert.ok(!text.includes(DEMO_PAT), `${label}: no token`);
  assert.ok(!text.includes(home), `${label}: no path of this machine`);
  assert.ok(!text.includes(process.execPath), `${label}: no node path`);
  assert.ok(!text.includes(ROOT), `${label}: no script path`);
  assert.ok(!text.includes('--profile'), `${label}: no profile`);
}

test("the README's project example works as written: portable entries, Claude Desktop and Windsurf skipped with a note", async (t) => {
  const { ws, home, repo, userFiles } = await machine(t);
  // From a subdirectory of the repository: the files land at its root.
  const r = await runCli(['add', 'vector-search', DEMO_VECTOR_INDEX, '--name', 'docs-search', '--scope', 'project', '--yes'], { home, cwd: join(repo, 'docs') });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Skipping Claude Desktop: .*no project file/);
  assert.match(r.stderr, /Skipping Windsurf: .*no project file/);
  const url = ws.mcpUrl('vector-search', 'main', 'docs', 'product_docs');
  const portable = ['-y', `dbx-mcp@${VERSION}`, 'proxy', '--url', url];
  assert.deepEqual(servers(join(repo, '.cursor/mcp.json'))['docs-search'], { command: 'npx', args: portable });
  assert.deepEqual(servers(join(repo, '.mcp.json'))['docs-search'], { type: 'stdio', command: 'npx', args: portable });
  for (const f of ['.cursor/mcp.json', '.mcp.json']) assertPortable(readFileSync(join(repo, f), 'utf8'), home, f);
  assert.equal(existsSync(join(repo, '.vscode/mcp.json')), false, 'VS Code is not detected');
  for (const f of userFiles) assert.equal(existsSync(f), false, `${f} is not touched`);

  const again = await runCli(['add', 'vector-search', DEMO_VECTOR_INDEX, '--name', 'docs-search', '--scope', 'project', '--yes'], { home, cwd: repo });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /No changes/);

  const list = await runCli(['list', '--scope', 'project', '--json'], { home, cwd: repo });
  assert.equal(list.code, 0, list.stderr);
  const rows = (JSON.parse(list.stdout) as { servers: { client: string; name: string; auth: string }[] }).servers;
  assert.deepEqual(rows.map((x) => `${x.client}:${x.name}:${x.auth}`).sort(), ['claude-code:docs-search:proxy', 'cursor:docs-search:proxy']);

  const rm = await runCli(['remove', 'docs-search', '--scope', 'project', '--yes'], { home, cwd: repo });
  assert.equal(rm.code, 0, rm.stderr);
  // add created both files and nothing else is in them: remove gives back "no file".
  assert.equal(existsSync(join(repo, '.cursor/mcp.json')), false);
  assert.equal(existsSync(join(repo, '.mcp.json')), false);
  for (const f of userFiles) assert.equal(existsSync(f), false, `${f} is not touched by remove`);
});

test('a named --profile never reaches a project file', async (t) => {
  const { home, repo } = await machine(t);
  const r = await runCli(['--profile', 'DEFAULT', 'add', 'sql', '--scope', 'project', '--client', 'claude-code', '--yes'], { home, cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  assertPortable(readFileSync(join(repo, '.mcp.json'), 'utf8'), home, '.mcp.json');
});

test('a client without a project file named with --client: exit 2, one line with the fix, nothing written', async (t) => {
  const { ws, home, repo, userFiles } = await machine(t);
  for (const clients of ['claude-desktop', 'cursor,windsurf']) {
    const r = await runCli(['add', 'sql', '--scope', 'project', '--client', clients, '--yes'], { home, cwd: repo });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /(Claude Desktop|Windsurf) has no project file/);
    assert.match(r.stderr, /--scope user/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    for (const f of ['.cursor/mcp.json', '.mcp.json']) assert.equal(existsSync(join(repo, f)), false, `${clients}: ${f} not written`);
    for (const f of userFiles) assert.equal(existsSync(f), false);
    const rm = await runCli(['remove', 'databricks-sql', '--scope', 'project', '--client', clients, '--yes'], { home, cwd: repo });
    assert.equal(rm.code, 2, rm.stderr);
  }
  assert.equal(ws.requests.length, 0, 'refused before any network call');
});

test('header mode in project scope: environment references only; --literal-token is refused before any network call', async (t) => {
  const { ws, home, repo } = await machine(t);
  const lit = await runCli(['add', 'sql', '--auth', 'header', '--literal-token', '--scope', 'project', '--client', 'cursor', '--yes'], { home, cwd: repo });
  assert.equal(lit.code, 2, lit.stderr);
  assert.match(lit.stderr, /--literal-token/);
  assert.equal(ws.requests.length, 0, 'no token was fetched');
  assert.equal(existsSync(join(repo, '.cursor/mcp.json')), false);

  const r = await runCli(['add', 'sql', '--auth', 'header', '--scope', 'project', '--yes'], { home, cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const url = ws.mcpUrl('sql');
  assert.deepEqual(servers(join(repo, '.cursor/mcp.json'))['databricks-sql'], { url, headers: { Authorization: 'Bearer ${env:DATABRICKS_TOKEN}' } });
  assert.deepEqual(servers(join(repo, '.mcp.json'))['databricks-sql'], { type: 'http', url, headers: { Authorization: 'Bearer ${DATABRICKS_TOKEN}' } });
});

test('mcp-remote in project scope references the token variable, never writes the token', async (t) => {
  const { home, repo } = await machine(t);
  const r = await runCli(['add', 'sql', '--auth', 'mcp-remote', '--scope', 'project', '--yes'], { home, cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(servers(join(repo, '.cursor/mcp.json'))['databricks-sql']!.env, { DBX_MCP_AUTH_HEADER: 'Bearer ${env:DATABRICKS_TOKEN}' });
  assert.deepEqual(servers(join(repo, '.mcp.json'))['databricks-sql']!.env, { DBX_MCP_AUTH_HEADER: 'Bearer ${DATABRICKS_TOKEN}' });
  for (const f of ['.cursor/mcp.json', '.mcp.json']) assertPortable(readFileSync(join(repo, f), 'utf8'), home, f);
});

test('oauth in project scope: native entries with the public client id; clients without a project file skipped', async (t) => {
  const { ws, home, repo, userFiles } = await machine(t);
  const r = await runCli(['add', 'sql', '--auth', 'oauth', '--client-id', '7c1d3f0e-public', '--scope', 'project', '--yes'], { home, cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Skipping Claude Desktop/);
  const url = ws.mcpUrl('sql');
  assert.deepEqual(servers(join(repo, '.cursor/mcp.json'))['databricks-sql'], { url, auth: { CLIENT_ID: '7c1d3f0e-public' } });
  assert.deepEqual(servers(join(repo, '.mcp.json'))['databricks-sql'], { type: 'http', url, oauth: { clientId: '7c1d3f0e-public', callbackPort: 3334 } });
  for (const f of userFiles) assert.equal(existsSync(f), false);
});

test('init --scope project without a terminal: portable entries, Claude Desktop and Windsurf skipped', async (t) => {
  const { ws, home, repo, userFiles } = await machine(t);
  const r = await runCli(['init', '--vector-search', DEMO_VECTOR_INDEX, '--scope', 'project', '--no-verify', '--yes'], { home, cwd: repo, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Skipping Claude Desktop/);
  const url = ws.mcpUrl('vector-search', 'main', 'docs', 'product_docs');
  const entries = Object.values(servers(join(repo, '.mcp.json')));
  assert.equal(entries.length, 1);
  assert.deepEqual(entries[0]!.args, ['-y', `dbx-mcp@${VERSION}`, 'proxy', '--url', url]);
  for (const f of ['.cursor/mcp.json', '.mcp.json']) assertPortable(readFileSync(join(repo, f), 'utf8'), home, f);
  for (const f of userFiles) assert.equal(existsSync(f), false);

  const lit = await runCli(['init', '--sql', '--auth', 'header', '--literal-token', '--scope', 'project', '--client', 'cursor', '--no-verify', '--yes'], { home, cwd: repo });
  assert.equal(lit.code, 2, lit.stderr);
  assert.match(lit.stderr, /--literal-token/);
});

test("remove --scope project takes out a teammate's portable entry (not in this machine's registry), never a hand-written one", async (t) => {
  const a = await machine(t);
  const add = await runCli(['add', 'sql', '--scope', 'project', '--client', 'claude-code', '--yes'], { home: a.home, cwd: a.repo });
  assert.equal(add.code, 0, add.stderr);
  const file = join(a.repo, '.mcp.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: Servers };
  doc.mcpServers['by-hand'] = { type: 'stdio', command: 'npx', args: ['-y', 'some-other-server'] };
  writeFileSync(file, JSON.stringify(doc, null, 2));

  // A teammate: another HOME (no registry), the same checked-out repository.
  const b = await machine(t);
  const rm = await runCli(['remove', 'databricks-sql', '--scope', 'project', '--yes'], { home: b.home, cwd: a.repo });
  assert.equal(rm.code, 0, rm.stderr);
  assert.deepEqual(Object.keys(servers(file)), ['by-hand']);
  const hand = await runCli(['remove', 'by-hand', '--scope', 'project', '--yes'], { home: b.home, cwd: a.repo });
  assert.equal(hand.code, 1, hand.stderr);
  assert.match(hand.stderr, /did not write/);
  assert.deepEqual(Object.keys(servers(file)), ['by-hand']);
});

test('sync --scope project names clients by the same rule as add: no project file → exit 2, nothing written', async (t) => {
  const { ws, home, repo } = await machine(t);
  writeFileSync(join(repo, 'dbx-mcp.json'), JSON.stringify({ version: 1, workspace: { host: ws.url }, servers: [{ type: 'sql' }] }));
  const r = await runCli(['sync', '--scope', 'project', '--client', 'cursor,windsurf', '--yes'], { home, cwd: repo });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /Windsurf has no project file/);
  assert.equal(existsSync(join(repo, '.cursor/mcp.json')), false);
  const ok = await runCli(['sync', '--scope', 'project', '--client', 'cursor', '--yes'], { home, cwd: repo });
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(servers(join(repo, '.cursor/mcp.json'))['databricks-sql'], { command: 'npx', args: ['-y', `dbx-mcp@${VERSION}`, 'proxy', '--url', ws.mcpUrl('sql')] });
});
