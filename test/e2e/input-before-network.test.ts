// Bad input is exit 2 with one clear line before any request reaches the workspace: the
// fake workspace's request log must stay empty, and nothing is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { writeTree } from '../helpers/temp.js';

const SALES = DEMO_GENIE_SPACES.sales;

const cases: { what: string; args: string[]; error: RegExp }[] = [
  { what: 'init --genie xyz', args: ['init', '--genie', 'xyz', '--client', 'cursor', '--yes'], error: /"xyz" is not a Genie space id/ },
  { what: 'init --vector-search with one part', args: ['init', '--vector-search', 'main', '--client', 'cursor', '--yes'], error: /"main" is not <catalog>\.<schema>/ },
  { what: 'init --functions with four parts', args: ['init', '--functions', 'a.b.c.d', '--client', 'cursor', '--yes'], error: /"a\.b\.c\.d" is not <catalog>\.<schema>/ },
  { what: 'init --external with a space', args: ['init', '--external', 'my conn', '--client', 'cursor', '--yes'], error: /"my conn" is not a connection name/ },
  { what: 'init --client unknown', args: ['init', '--sql', '--client', 'cursr', '--yes'], error: /Unknown client: cursr/ },
  { what: 'init --name with two servers', args: ['init', '--sql', '--genie', SALES, '--name', 'x', '--client', 'cursor', '--yes'], error: /--name names one server/ },
  { what: 'init --oauth-profile that does not exist', args: ['init', '--sql', '--client', 'vscode', '--auth', 'oauth', '--oauth-profile', 'nope', '--yes'], error: /nope/ },
  { what: 'init --oauth-profile without account_id', args: ['init', '--sql', '--client', 'vscode', '--auth', 'oauth', '--oauth-profile', 'DEFAULT', '--yes'], error: /Profile "DEFAULT" has no account_id/ },
  { what: 'init --client-id malformed', args: ['init', '--sql', '--client', 'vscode', '--auth', 'oauth', '--client-id', 'not a client id!', '--yes'], error: /--client-id: an OAuth client id is the UUID/ },
  { what: 'add --client-id malformed', args: ['add', 'genie', SALES, '--client', 'cursor', '--auth', 'oauth', '--client-id', 'not a client id!', '--yes'], error: /--client-id: an OAuth client id is the UUID/ },
  { what: 'add --auth oauth without --client-id', args: ['add', 'sql', '--client', 'cursor', '--auth', 'oauth', '--yes'], error: /--auth oauth needs an OAuth client id/ },
  { what: 'add genie xyz', args: ['add', 'genie', 'xyz', '--client', 'cursor', '--yes'], error: /"xyz" is not a Genie space id/ },
];

for (const c of cases) {
  test(`${c.what}: exit 2 before any request, nothing written`, async (t) => {
    const { ws, home } = await workspaceWithHome(t);
    const r = await runCli(c.args, { home });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, c.error);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    assert.deepEqual(ws.requests.map((q) => `${q.method} ${q.path}`), [], 'no request reached the workspace');
    assert.deepEqual(readdirSync(home).sort(), ['.databrickscfg']);
  });
}

test('a well-formed client id is accepted: a custom app UUID and a published app id', async (t) => {
  const { home } = await workspaceWithHome(t);
  const uuid = '5E1F0C6A-1B2C-4D3E-8F90-A1B2C3D4E5F6';
  const r = await runCli(['add', 'sql', '--client', 'cursor', '--auth', 'oauth', '--client-id', uuid, '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  const r2 = await runCli(['add', 'genie', SALES, '--client', 'claude-code', '--auth', 'oauth', '--client-id', 'claude-code', '--yes'], { home });
  assert.equal(r2.code, 0, r2.stderr);
  assert.ok(existsSync(join(home, '.cursor', 'mcp.json')) && existsSync(join(home, '.claude.json')));
});

test('a manifest with a malformed oauth.clientId is exit 2 naming the field', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  writeTree(home, {
    'dbx-mcp.json': JSON.stringify({ version: 1, workspace: { host: ws.url }, servers: [{ type: 'sql' }], auth: 'oauth', oauth: { clientId: 'not a client id!' } }),
  });
  const r = await runCli(['sync', '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /oauth\.clientId/);
  assert.deepEqual(ws.requests, []);
});
