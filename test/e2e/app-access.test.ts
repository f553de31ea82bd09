// Issue 20 item 1: an app the signed-in identity cannot use. `add app` reads the app's
// Permissions API (as `add genie` reads the space) and refuses without CAN_USE; doctor runs the
// app kind's grants check for an app entry (whatever host the app is on) and words the failure
// with the contract's `no-access`; `list --json` counts app entries as Databricks servers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_APPS, DEMO_SP_CLIENT_ID, DEMO_SP_CLIENT_SECRET } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

type Doc = { summary: Record<string, number>; checks: { id: string; status: string; summary: string; fix?: string; data?: { kind?: string } }[] };

/** The emulator and a HOME whose DEFAULT profile is the demo service principal (OAuth M2M, which Apps accept). */
async function oauthHome(t: Parameters<typeof workspaceWithHome>[0]) {
  const w = await workspaceWithHome(t);
  writeFileSync(join(w.home, '.databrickscfg'), `[DEFAULT]\nhost = ${w.ws.url}\nclient_id = ${DEMO_SP_CLIENT_ID}\nclient_secret = ${DEMO_SP_CLIENT_SECRET}\n`, { mode: 0o600 });
  return w;
}

/** Lets the service principal see the app without using it (CAN_VIEW: below CAN_USE in the Permissions-API order). */
function seeButNotUse(ws: Awaited<ReturnType<typeof workspaceWithHome>>['ws'], name: string, t: { after(fn: () => void): void }) {
  const app = ws.state.apps.find((a) => a.name === name)!;
  const acl = app.acl;
  app.acl = [{ service_principal_name: DEMO_SP_CLIENT_ID, permission_level: 'CAN_VIEW' }];
  t.after(() => (app.acl = acl));
}

test('add app: an app you can see but not use (no CAN_USE) is refused with the fix; nothing is written', async (t) => {
  const { ws, home } = await oauthHome(t);
  seeButNotUse(ws, DEMO_APPS.private, t);
  const r = await runCli(['add', 'app', DEMO_APPS.private, '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, / has CAN_VIEW on the app mcp-private, not CAN USE/);
  assert.match(r.stderr, /Ask the owner of the app mcp-private for CAN USE/);
  assert.ok(ws.requests.some((q) => q.path === `/api/2.0/permissions/apps/${DEMO_APPS.private}`), 'the permissions were read');
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false);
  const json = await runCli(['add', 'app', DEMO_APPS.private, '--client', 'cursor', '--yes', '--json'], { home });
  assert.equal(json.code, 1);
  assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'NO_ACCESS');
});

test('doctor: an app entry whose CAN_USE was revoked fails its grants check and handshake with no-access; list --json marks it a Databricks server', async (t) => {
  const { ws, home } = await oauthHome(t);
  const add = await runCli(['add', 'app', DEMO_APPS.sales, '--client', 'cursor', '--yes'], { home });
  assert.equal(add.code, 0, add.stderr);
  seeButNotUse(ws, DEMO_APPS.sales, t);
  const doc = await runCli(['doctor', '--json', '--only', 'server.databricks-app-mcp-sales'], { home, timeoutMs: 60_000 });
  assert.equal(doc.code, 1, doc.stderr);
  const r = JSON.parse(doc.stdout) as Doc;
  const grants = r.checks.find((c) => c.id === 'server.databricks-app-mcp-sales.grants')!;
  assert.equal(grants.status, 'fail', JSON.stringify(grants));
  assert.equal(grants.data?.kind, 'no-access');
  assert.match(grants.fix!, /CAN USE/);
  const hs = r.checks.find((c) => c.id === 'server.databricks-app-mcp-sales.handshake')!;
  assert.equal(hs.status, 'fail');
  assert.equal(hs.data?.kind, 'no-access', JSON.stringify(hs));
  assert.match(hs.summary, /mcp-sales/, 'the app named, not a generic "Permission denied"');
  assert.ok(!doc.stdout.includes('permission-denied'));
  // --verbose shows the failing request's id (issue 20 item 3).
  const verbose = await runCli(['doctor', '--verbose', '--only', 'server.databricks-app-mcp-sales'], { home, timeoutMs: 60_000 });
  assert.match(verbose.stdout, /request id: [0-9a-f-]{36}/, verbose.stdout);
  assert.match(verbose.stdout, /doctor found 1 problem \(2 checks failed\)/, 'one revoked grant is one problem (item 2)');
  const list = await runCli(['list', '--json'], { home });
  const rows = JSON.parse(list.stdout) as { name: string; databricks: boolean }[] | { servers: { name: string; databricks: boolean }[] };
  const all = Array.isArray(rows) ? rows : rows.servers;
  assert.equal(all.find((x) => x.name === 'databricks-app-mcp-sales')?.databricks, true, list.stdout);
});
