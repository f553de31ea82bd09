/**
 * Issue 18, finding 5: secrets left behind in backups. A `remove` that takes a literal token
 * out leaves no `*.dbx-mcp-*.bak` holding it; a file `remove` deletes takes its backups along;
 * a parse error (add, doctor) offers a backup only when it is non-empty and parses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES, DEMO_PAT } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { start } from '../helpers/pause.js';
import { workspaceWithHome } from '../helpers/workspace.js';

const backupsOf = (dir: string, file: string) => readdirSync(dir).filter((f) => f.startsWith(`${file}.dbx-mcp-`) && f.endsWith('.bak')).sort();
const holding = (dir: string, names: string[], secret: string) => names.filter((f) => readFileSync(join(dir, f), 'utf8').includes(secret));

test('remove leaves no backup holding the removed entry\'s literal token; a secret-free backup stays', async (t) => {
  const { home } = await workspaceWithHome(t);
  const dir = join(home, '.cursor');
  mkdirSync(dir);
  writeFileSync(join(dir, 'mcp.json'), '{\n  "mcpServers": {\n    "mine": { "command": "my-server" }\n  }\n}\n');
  const lit = await runCli(['add', 'sql', '--client', 'cursor', '--auth', 'header', '--literal-token', '--yes'], { home });
  assert.equal(lit.code, 0, lit.stderr);
  assert.equal((await runCli(['add', 'genie', DEMO_GENIE_SPACES.sales, '--client', 'cursor', '--yes'], { home })).code, 0);
  const before = backupsOf(dir, 'mcp.json');
  assert.equal(before.length, 2);
  const secretFree = before.filter((b) => holding(dir, [b], DEMO_PAT).length === 0);
  assert.equal(secretFree.length, 1, 'the second add backed up the file holding the token');

  const r = await runCli(['remove', 'databricks-sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!readFileSync(join(dir, 'mcp.json'), 'utf8').includes(DEMO_PAT));
  const after = backupsOf(dir, 'mcp.json');
  assert.deepEqual(holding(dir, after, DEMO_PAT), [], `no backup holds the token: ${after.join(', ')}`);
  assert.deepEqual(after, secretFree, 'the secret-free backup (the user\'s file before the first add) stays');
  assert.ok(!r.stdout.includes(DEMO_PAT) && !r.stderr.includes(DEMO_PAT));

  // A removal that takes no secret out keeps its backup as any write does.
  const g = await runCli(['remove', 'databricks-genie-sales-analytics', '--client', 'cursor', '--yes'], { home });
  assert.equal(g.code, 0, g.stderr);
  assert.equal(backupsOf(dir, 'mcp.json').length, after.length + 1);
});

test('an older version of the removed entry\'s token in a backup goes too', async (t) => {
  const { home } = await workspaceWithHome(t);
  const dir = join(home, '.cursor');
  mkdirSync(dir);
  writeFileSync(join(dir, 'mcp.json'), '{ "mcpServers": { "mine": { "command": "my-server" } } }\n');
  const old = 'dapi0123456789abcdef0123456789abcdef';
  writeFileSync(join(dir, 'mcp.json.dbx-mcp-20200101-000000.bak'), JSON.stringify({ mcpServers: { mine: { command: 'my-server' }, 'databricks-sql': { url: 'https://x/api/2.0/mcp/sql', headers: { Authorization: `Bearer ${old}` } } } }), { mode: 0o600 });
  writeFileSync(join(dir, 'mcp.json.dbx-mcp-20200101-000001.bak'), '{ "mcpServers": { "mine": { "command": "my-server" } } }\n', { mode: 0o600 });
  assert.equal((await runCli(['add', 'sql', '--client', 'cursor', '--auth', 'header', '--literal-token', '--yes'], { home })).code, 0);
  const r = await runCli(['remove', 'databricks-sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  const left = backupsOf(dir, 'mcp.json');
  assert.deepEqual(holding(dir, left, old), [], 'the token the entry held earlier is gone from every backup');
  assert.deepEqual(holding(dir, left, DEMO_PAT), []);
  assert.ok(left.includes('mcp.json.dbx-mcp-20200101-000001.bak'), 'a backup holding no secret of the entry stays');
});

test('a file remove deletes (add created it) takes all its backups along', async (t) => {
  const { home } = await workspaceWithHome(t);
  const dir = join(home, '.cursor');
  assert.equal((await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home })).code, 0);
  assert.equal((await runCli(['add', 'genie', DEMO_GENIE_SPACES.sales, '--client', 'cursor', '--yes'], { home })).code, 0);
  assert.equal((await runCli(['remove', 'databricks-genie-sales-analytics', '--client', 'cursor', '--yes'], { home })).code, 0);
  assert.ok(backupsOf(dir, 'mcp.json').length >= 2, 'the writes after the first made backups');
  const r = await runCli(['remove', 'databricks-sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Deleted .*mcp\.json/);
  assert.deepEqual(readdirSync(dir), [], 'neither the file nor any backup of it is left');
});

test('a parse error offers only a backup that is non-empty and parses (add and doctor)', async (t) => {
  const { home } = await workspaceWithHome(t);
  const dir = join(home, '.cursor');
  mkdirSync(dir);
  const good = 'mcp.json.dbx-mcp-20200101-000000.bak';
  writeFileSync(join(dir, good), '{ "mcpServers": { "mine": { "command": "my-server" } } }\n');
  writeFileSync(join(dir, 'mcp.json.dbx-mcp-20200101-000001.bak'), '{ "mcpServers": { oops');
  writeFileSync(join(dir, 'mcp.json.dbx-mcp-20200101-000002.bak'), '');
  writeFileSync(join(dir, 'mcp.json'), '{ "mcpServers": ');

  const add = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(add.code, 2, add.stderr);
  assert.ok(add.stderr.includes(good), add.stderr);
  assert.doesNotMatch(add.stderr, /-000001\.bak|-000002\.bak/, 'neither the broken nor the empty newer backup is offered');

  const doc = await runCli(['doctor', '--json', '--client', 'cursor', '--only', 'client'], { home });
  const checks = (JSON.parse(doc.stdout) as { checks: { id: string; fix?: string; details?: unknown }[] }).checks;
  const text = JSON.stringify(checks.filter((c) => c.id.startsWith('client.cursor')));
  assert.ok(text.includes(good), text);
  assert.doesNotMatch(text, /-000001\.bak|-000002\.bak|\.bak file beside it/);

  // No backup worth restoring: none is named.
  writeFileSync(join(dir, good), '   \n');
  const none = await runCli(['doctor', '--json', '--client', 'cursor', '--only', 'client'], { home });
  assert.doesNotMatch(none.stdout, /\.bak/);
});

test('a remove killed while deleting the backups that hold its token: the next run deletes them', async (t) => {
  // Step by step until the one that deletes such a backup (after the config is renamed into place).
  for (let step = 1; step <= 40; step++) {
    const { home } = await workspaceWithHome(t);
    const dir = join(home, '.cursor');
    mkdirSync(dir);
    writeFileSync(join(dir, 'mcp.json'), '{ "mcpServers": { "mine": { "command": "my-server" } } }\n');
    assert.equal((await runCli(['add', 'sql', '--client', 'cursor', '--auth', 'header', '--literal-token', '--yes'], { home })).code, 0);
    assert.equal((await runCli(['add', 'genie', DEMO_GENIE_SPACES.sales, '--client', 'cursor', '--yes'], { home })).code, 0);
    assert.equal(holding(dir, backupsOf(dir, 'mcp.json'), DEMO_PAT).length, 1, 'the second add backed up the file holding the token');
    const run = start(['remove', 'databricks-sql', '--client', 'cursor', '--yes'], home, { DBX_MCP_TEST_PAUSE_AT_WRITE: String(step) }, /paused before write step \d+ \(.*\)/);
    assert.ok(await run.marker, `the remove has a step ${step}`);
    run.child.kill('SIGKILL');
    const { stderr } = await run.done;
    if (!/\(remove .*mcp\.json\.dbx-mcp-.*\.bak\)/.test(stderr)) continue;
    const repair = await runCli(['add', 'sql', '--name', 'after', '--client', 'cursor', '--yes'], { home });
    assert.equal(repair.code, 0, repair.stderr);
    assert.ok(!readFileSync(join(dir, 'mcp.json'), 'utf8').includes(DEMO_PAT), 'the removal was written');
    assert.deepEqual(holding(dir, backupsOf(dir, 'mcp.json'), DEMO_PAT), [], `killed at step ${step}: no backup holds the token after the next run`);
    return;
  }
  assert.fail('no step of the remove deletes a backup');
});
