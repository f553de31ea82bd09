/**
 * The token-sender sweep of issue 18: a pasted URL of another host is refused before any
 * request (`add genie <space page URL>` as `add url` does), so nothing reaches that host and
 * no entry names another server than the one pasted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES, DEMO_PAT } from '../../src/emulator/index.js';
import { startCaptureServer } from '../support/capture-server.js';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

test('add genie <URL of another host> is refused with both hosts named; nothing is sent or written', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const capture = await startCaptureServer();
  t.after(() => capture.close());
  const foreign = `http://localhost:${capture.port}/genie/rooms/${DEMO_GENIE_SPACES.sales}`;
  const before = ws.requests.length;
  const r = await runCli(['add', 'genie', foreign, '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`is on localhost:${capture.port}, and the profile signs in to ${new URL(ws.url).host.replace(/\./g, '\\.')}`));
  assert.match(r.stderr, /--profile/);
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false);
  assert.deepEqual(capture.received, [], 'nothing reached the foreign host');
  assert.equal(ws.requests.length, before, 'refused before any request');
  assert.ok(!r.stderr.includes(DEMO_PAT));

  // A look-alike host (an international name) is another host too.
  const idn = await runCli(['add', 'genie', `https://databrícks.com/genie/rooms/${DEMO_GENIE_SPACES.sales}`, '--client', 'cursor', '--yes'], { home });
  assert.equal(idn.code, 2, idn.stderr);
  assert.match(idn.stderr, /is on xn--databrcks-l5a\.com/);

  // The workspace's own page URL still works.
  const own = await runCli(['add', 'genie', `${ws.url}/genie/rooms/${DEMO_GENIE_SPACES.sales}`, '--client', 'cursor', '--yes'], { home });
  assert.equal(own.code, 0, own.stderr);
});
