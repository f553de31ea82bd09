/**
 * Issue 20, item 11: wording a new user hits. A URL that names no target says the whole
 * command (`dbx-mcp add …`); a redirect from the workspace says where it pointed and what that
 * means (dbx-mcp does not follow it: a token must not go to another host); an unset
 * HTTPS_PROXY is named as unset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, writeFileSync } from 'node:fs';
import { DEMO_GENIE_SPACES, DEMO_USER } from '../../src/emulator/index.js';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { workspaceWithHome } from '../helpers/workspace.js';

test('add url of a kind without its target: the fix is a whole `dbx-mcp add` command', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const r = await runCli(['add', 'url', `${ws.url}/api/2.0/mcp/functions`, '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /run: dbx-mcp add functions <target>/);
});

for (const status of [307, 308]) {
  test(`a ${status} from the workspace names its Location and says why it is not followed`, async (t) => {
    let seen = 0;
    // A workspace host (its metadata names the workspace) whose APIs all redirect to a sign-in page.
    const srv = createServer((req, res) => {
      if (req.url === '/.well-known/databricks-config') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ workspace_id: '1234567890', host_type: 'workspace' }));
      }
      seen++;
      res.writeHead(status, { location: 'https://login.example.com/sso/start?state=s3cr3t-state&next=%2Fapi' });
      res.end();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    t.after(() => srv.close());
    const home = tempDir(t);
    writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost  = http://127.0.0.1:${(srv.address() as AddressInfo).port}\ntoken = dapi0123456789abcdef0123456789abcdef\n`, { mode: 0o600 });
    const r = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home });
    assert.ok(seen > 0, 'the server was asked');
    assert.notEqual(r.code, 0);
    const all = r.stdout + r.stderr;
    assert.doesNotMatch(all, new RegExp(`${status} HTTP ${status}`), all);
    assert.match(all, new RegExp(`failed: ${status} redirected to https://login\\.example\\.com/sso/start \\(not followed\\)`), all);
    assert.doesNotMatch(all, /s3cr3t-state/, 'the query of the Location is not printed');
    assert.match(all, /not followed/);
    assert.match(all, /host = https:\/\/login\.example\.com|the workspace URL/, 'the fix names the host setting');

    const d = await runCli(['doctor', '--json'], { home });
    const report = JSON.parse(d.stdout) as { checks: { id: string; status: string; summary: string; fix?: string; data?: { kind?: string; location?: string } }[] };
    const redirected = report.checks.filter((c) => c.data?.kind === 'redirected');
    assert.ok(redirected.length > 0, d.stdout);
    for (const c of redirected) {
      assert.equal(c.data?.location, 'https://login.example.com/sso/start');
      assert.match(c.fix ?? '', /does not follow redirects/);
      assert.doesNotMatch(c.summary, new RegExp(`${status} HTTP ${status}`));
    }
    assert.doesNotMatch(d.stdout + d.stderr, /s3cr3t-state/);
  });
}

test('issue 20 item 12: a pasted Genie (or functions) URL of another host is refused before any request, as add url refuses it', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const id = '0123456789abcdef0123456789abcdef';
  const before = ws.requests.length;
  for (const args of [
    ['add', 'genie', `https://evil.example.com/genie/rooms/${id}`],
    ['add', 'genie', `https://evil.example.com/api/2.0/mcp/genie/${id}`],
    ['add', 'functions', 'https://evil.example.com/api/2.0/mcp/functions/main/tools'],
  ]) {
    const r = await runCli([...args, '--client', 'cursor', '--yes'], { home });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /is on evil\.example\.com, and the profile signs in to 127\.0\.0\.1:\d+/, r.stderr);
    assert.match(r.stderr, /--profile/);
  }
  assert.deepEqual(ws.requests.slice(before).map((r) => r.path), [], 'no request reached the workspace');
  // init knows the workspace once the profile is chosen (after its sign-in check), then refuses the same way.
  const init = await runCli(['init', '--genie', `https://evil.example.com/genie/rooms/${id}`, '--client', 'cursor', '--yes'], { home });
  assert.equal(init.code, 2, init.stderr);
  assert.match(init.stderr, /is on evil\.example\.com, and the profile signs in to/);
  assert.ok(!ws.requests.some((r) => r.path.includes(id)), 'the space was not looked up');
  // The profile's own host still works.
  const ok = await runCli(['add', 'genie', `${ws.url}/genie/rooms/${id}`, '--client', 'cursor', '--dry-run'], { home });
  assert.doesNotMatch(ok.stderr, /is on /, ok.stderr);
});

test('add genie: a space you can see but not run (CAN VIEW, no CAN RUN) is refused with the fix, like an app without CAN USE', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const space = ws.state.genieSpaces.find((s) => s.space_id === DEMO_GENIE_SPACES.sales)!;
  const acl = space.acl;
  space.acl = [{ user_name: DEMO_USER, permission_level: 'CAN_VIEW' }];
  t.after(() => (space.acl = acl));
  const r = await runCli(['add', 'genie', DEMO_GENIE_SPACES.sales, '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /can see the Genie space "Sales Analytics" but has CAN_VIEW on it, not CAN RUN/);
  assert.match(r.stderr, /share it with .* with CAN RUN/);
  assert.equal(existsSync(join(home, '.cursor', 'mcp.json')), false, 'nothing was written');
  space.acl = acl;
  const ok = await runCli(['add', 'genie', DEMO_GENIE_SPACES.sales, '--client', 'cursor', '--yes'], { home });
  assert.equal(ok.code, 0, ok.stderr);
});
