import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

const cursorFile = (home: string) => join(home, '.cursor/mcp.json');
// A file dbx-mcp created goes again with its last entry: no file, no servers.
const servers = (home: string) => (!existsSync(cursorFile(home)) ? {} : (JSON.parse(readFileSync(cursorFile(home), 'utf8')) as { mcpServers: Record<string, Record<string, unknown>> }).mcpServers) as Record<string, Record<string, unknown>>;
const owned = async (home: string, name: string) => {
  const list = await runCli(['list', '--json'], { home });
  assert.equal(list.code, 0, list.stderr);
  return (JSON.parse(list.stdout) as { servers: { name: string; owned: boolean }[] }).servers.find((s) => s.name === name)?.owned;
};

// A record outlives its entry (a `remove` killed between the config rename and state.json, or the
// user deleting the entry by hand); an entry of that name written by hand later is the user's.
test('a hand-written entry with the name of one dbx-mcp recorded is not dbx-mcp\'s: list says so, remove refuses it', async (t) => {
  const { home } = await workspaceWithHome(t);
  const add = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(add.code, 0, add.stderr);
  assert.equal(await owned(home, 'databricks-sql'), true);

  const mine = { url: 'https://example.com/my-own/mcp', headers: { 'X-Team': 'data' } };
  writeFileSync(cursorFile(home), JSON.stringify({ mcpServers: { 'databricks-sql': mine } }, null, 2) + '\n');
  assert.equal(await owned(home, 'databricks-sql'), false, 'list: not written by dbx-mcp');

  const rm = await runCli(['remove', 'databricks-sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(rm.code, 1, rm.stderr);
  assert.match(rm.stderr, /did not write[\s\S]*--force/);
  assert.deepEqual(servers(home)['databricks-sql'], mine, 'the user\'s entry survives');

  const forced = await runCli(['remove', 'databricks-sql', '--client', 'cursor', '--force', '--yes'], { home });
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(servers(home)['databricks-sql'], undefined);
});

test('an entry dbx-mcp wrote stays its own when the client app only toggles it off, and after re-adding', async (t) => {
  const { home } = await workspaceWithHome(t);
  assert.equal((await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home })).code, 0);
  const s = servers(home);
  s['databricks-sql']!.disabled = true;
  writeFileSync(cursorFile(home), JSON.stringify({ mcpServers: s }, null, 2) + '\n');
  assert.equal(await owned(home, 'databricks-sql'), true, 'disabled by the client app: still ours');
  const rm = await runCli(['remove', 'databricks-sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(servers(home)['databricks-sql'], undefined);
});

test('a record from before fingerprints (no print) is still trusted by name', async (t) => {
  const { home } = await workspaceWithHome(t);
  assert.equal((await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home })).code, 0);
  const stateFile = join(home, '.config/dbx-mcp/state.json');
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { entries: Record<string, unknown>[] };
  assert.equal(typeof state.entries[0]!.print, 'string', 'the record holds the fingerprint');
  for (const e of state.entries) delete e.print;
  writeFileSync(stateFile, JSON.stringify(state));
  writeFileSync(cursorFile(home), JSON.stringify({ mcpServers: { 'databricks-sql': { url: 'https://example.com/mcp' } } }));
  assert.equal(await owned(home, 'databricks-sql'), true);
});
