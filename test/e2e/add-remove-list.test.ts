import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES, DEMO_PAT } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

const SALES = DEMO_GENIE_SPACES.sales;
const read = (p: string) => readFileSync(p, 'utf8');
const json = (p: string) => JSON.parse(read(p)) as { mcpServers: Record<string, Record<string, unknown>> };

test('add genie writes a proxy entry per client, then re-running changes nothing', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const r = await runCli(['add', 'genie', SALES, '--client', 'cursor,claude-code', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  const cursor = json(join(home, '.cursor/mcp.json')).mcpServers['databricks-genie-sales-analytics']!;
  assert.equal(cursor.command, process.execPath, 'a permanent installation is launched by absolute node path');
  assert.deepEqual((cursor.args as string[]).slice(1), ['proxy', '--url', ws.mcpUrl('genie', SALES), '--profile', 'DEFAULT']);
  const claude = json(join(home, '.claude.json')).mcpServers['databricks-genie-sales-analytics']!;
  assert.equal(claude.type, 'stdio');
  assert.match(r.stdout, /\+\+\+ b\/.*\.cursor\/mcp\.json/, 'the plan is shown as a diff');
  assert.match(r.stderr, /Cursor:/);
  const before = [read(join(home, '.cursor/mcp.json')), read(join(home, '.claude.json'))];

  const again = await runCli(['add', 'genie', SALES, '--client', 'cursor,claude-code', '--yes'], { home });
  assert.equal(again.code, 0);
  assert.match(again.stderr, /No changes/);
  assert.deepEqual([read(join(home, '.cursor/mcp.json')), read(join(home, '.claude.json'))], before, 'byte-identical');
  // The Genie space was validated against the workspace.
  assert.ok(ws.requests.some((q) => q.path === `/api/2.0/genie/spaces/${SALES}`));
});

test('--dry-run prints the diff and writes nothing; without --yes and a terminal it is exit 2', async (t) => {
  const { home } = await workspaceWithHome(t);
  const dry = await runCli(['add', 'functions', 'main.tools', '--client', 'cursor', '--dry-run'], { home });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /databricks-functions-main-tools/);
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false);
  const noYes = await runCli(['add', 'functions', 'main.tools', '--client', 'cursor'], { home });
  assert.equal(noYes.code, 2);
  assert.match(noYes.stderr, /--yes/);
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false);
});

test('targets are validated: no access to the Genie space, unknown schema', async (t) => {
  const { home } = await workspaceWithHome(t);
  const finance = await runCli(['add', 'genie', DEMO_GENIE_SPACES.finance, '--client', 'cursor', '--yes'], { home });
  assert.equal(finance.code, 1);
  assert.match(finance.stderr, /does not exist or you have no access/);
  const schema = await runCli(['add', 'functions', 'main.nope', '--client', 'cursor', '--yes'], { home });
  assert.equal(schema.code, 1);
  assert.match(schema.stderr, /main\.nope was not found/);
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false);
});

test('header mode writes the client\'s env-reference syntax; --literal-token only 0600 and never printed', async (t) => {
  const { home } = await workspaceWithHome(t);
  const r = await runCli(['add', 'sql', '--client', 'cursor,windsurf,vscode,claude-code', '--auth', 'header', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(json(join(home, '.cursor/mcp.json')).mcpServers['databricks-sql']!.headers, { Authorization: 'Bearer ${env:DATABRICKS_TOKEN}' });
  assert.ok(json(join(home, '.codeium/windsurf/mcp_config.json')).mcpServers['databricks-sql']!.serverUrl);
  assert.equal(json(join(home, '.claude.json')).mcpServers['databricks-sql']!.type, 'http');
  const vs = JSON.parse(read(join(home, '.config/Code/User/mcp.json'))) as { servers: Record<string, { type: string }> };
  assert.equal(vs.servers['databricks-sql']!.type, 'http');

  const lit = await runCli(['add', 'sql', '--name', 'sql-literal', '--client', 'claude-desktop', '--auth', 'header', '--literal-token', '--yes'], { home });
  assert.equal(lit.code, 0, lit.stderr);
  const file = join(home, '.config/Claude/claude_desktop_config.json');
  assert.ok(read(file).includes(DEMO_PAT));
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(!lit.stdout.includes(DEMO_PAT) && !lit.stderr.includes(DEMO_PAT), 'the token never reaches the terminal');
});

test('a same-named entry the user wrote is left alone unless --force; an unparseable file is exit 2 and untouched', async (t) => {
  const { home } = await workspaceWithHome(t);
  mkdirSync(join(home, '.cursor'));
  const mine = '{\n  // my servers\n  "mcpServers": {\n    "databricks-sql": { "url": "https://example.com/mcp" },\n    "other": { "command": "x" }\n  }\n}\n';
  writeFileSync(join(home, '.cursor/mcp.json'), mine);
  const r = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /did not write/);
  assert.equal(read(join(home, '.cursor/mcp.json')), mine);
  const forced = await runCli(['add', 'sql', '--client', 'cursor', '--yes', '--force'], { home });
  assert.equal(forced.code, 0, forced.stderr);
  const after = read(join(home, '.cursor/mcp.json'));
  assert.match(after, /\/\/ my servers/, 'comments survive');
  assert.match(after, /"other": \{ "command": "x" \}/, 'other servers survive untouched');

  const broken = '{ "mcpServers": { "a": 1, } ';
  writeFileSync(join(home, '.cursor/mcp.json'), broken);
  const bad = await runCli(['add', 'genie', DEMO_GENIE_SPACES.support, '--client', 'cursor', '--yes'], { home });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /mcp\.json:1:\d+/);
  assert.equal(read(join(home, '.cursor/mcp.json')), broken);
});

test('list shows entries with auth mode and ownership; remove takes out only ours, twice is a no-op', async (t) => {
  const { home } = await workspaceWithHome(t);
  assert.equal((await runCli(['add', 'genie', SALES, '--client', 'cursor', '--yes'], { home })).code, 0);
  const cfg = json(join(home, '.cursor/mcp.json'));
  cfg.mcpServers['hand-written'] = { url: 'https://dbc-1.cloud.databricks.com/api/2.0/mcp/sql', headers: { Authorization: 'Bearer ${env:T}' } };
  writeFileSync(join(home, '.cursor/mcp.json'), JSON.stringify(cfg, null, 2));

  const list = await runCli(['list', '--json'], { home });
  assert.equal(list.code, 0, list.stderr);
  const rows = (JSON.parse(list.stdout) as { servers: { name: string; auth: string; owned: boolean; databricks: boolean; client: string }[] }).servers;
  assert.deepEqual(
    rows.map((r) => [r.client, r.name, r.auth, r.owned, r.databricks]).sort(),
    [
      ['cursor', 'databricks-genie-sales-analytics', 'proxy', true, true],
      ['cursor', 'hand-written', 'header', false, true],
    ],
  );
  const human = await runCli(['list'], { home });
  assert.match(human.stdout, /Cursor \(~\/\.cursor\/mcp\.json\)/);
  // One URL column, whatever the tags ("proxy, dbx-mcp" / "header, databricks, not written …").
  const urlColumns = human.stdout.split('\n').filter((l) => /https?:\/\//.test(l) && l.startsWith('  ')).map((l) => l.search(/https?:\/\//));
  assert.equal(urlColumns.length, 2, human.stdout);
  assert.equal(new Set(urlColumns).size, 1, human.stdout);

  const rm = await runCli(['remove', 'databricks-genie-sales-analytics', '--yes'], { home });
  assert.equal(rm.code, 0, rm.stderr);
  assert.deepEqual(Object.keys(json(join(home, '.cursor/mcp.json')).mcpServers), ['hand-written']);
  const rm2 = await runCli(['remove', 'databricks-genie-sales-analytics', '--yes'], { home });
  assert.equal(rm2.code, 0);
  assert.match(rm2.stderr, /No changes/);
  const theirs = await runCli(['remove', 'hand-written', '--yes'], { home });
  assert.equal(theirs.code, 1, 'an entry dbx-mcp did not write is not removed');
  assert.ok(json(join(home, '.cursor/mcp.json')).mcpServers['hand-written']);
});

test('token prints a token only on stdout; --headers prints the headersHelper JSON', async (t) => {
  const { home } = await workspaceWithHome(t);
  const r = await runCli(['token'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), DEMO_PAT);
  assert.ok(!r.stderr.includes(DEMO_PAT));
  const h = await runCli(['token', '--headers'], { home });
  assert.deepEqual(JSON.parse(h.stdout), { Authorization: `Bearer ${DEMO_PAT}` });
});
