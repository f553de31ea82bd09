/**
 * The token rule in init's verification (issue 18, sweep): verifyServers asks the one rule
 * (token-destination.ts) before each handshake. A server URL that is not the profile's
 * workspace nor an app it vouches for is reported with both hosts and the fix, and the capture
 * server (a loopback server that records what reaches it) receives nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PAT, startFakeWorkspace } from '../../../src/emulator/index.js';
import { createApi } from '../../../src/databricks/api.js';
import { resolveConfig } from '../../../src/databricks/profiles.js';
import { verifyServers } from '../../../src/init/apply-step.js';
import { startCaptureServer } from '../../support/capture-server.js';
import { tempDir } from '../../helpers/temp.js';
import { harness, writeCfg } from './harness.js';

test('init verifies only servers of the profile workspace: a foreign URL gets no token', async (t) => {
  const ws = await startFakeWorkspace();
  const capture = await startCaptureServer();
  t.after(async () => {
    await capture.close();
    await ws.close();
  });
  const home = tempDir(t);
  writeCfg(home, `[DEFAULT]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
  const h = await harness(home);
  const api = createApi(h.ctx, resolveConfig(h.ctx, 'DEFAULT'));
  const sql = { target: { kind: 'sql' as const, parts: [] }, title: 'SQL', warnings: [] };
  const results = await verifyServers(h.ctx, api, [
    { ...sql, name: 'own', url: ws.mcpUrl('sql') },
    { ...sql, name: 'foreign', url: `http://localhost:${capture.port}/api/2.0/mcp/sql` },
    { ...sql, name: 'other-port', url: `${capture.url}/api/2.0/mcp/sql` },
  ]);
  assert.deepEqual(results.map((r) => [r.name, r.ok]), [['own', true], ['foreign', false], ['other-port', false]], JSON.stringify(results));
  assert.deepEqual(capture.received, [], 'nothing reached the foreign host');
  const foreign = results[1]!;
  assert.ok(foreign.error?.includes(`http://localhost:${capture.port}`) && foreign.error.includes(new URL(ws.url).origin), foreign.error);
  assert.match(foreign.fix ?? '', /databricks auth login --host/);
  assert.ok(!h.err().includes(DEMO_PAT) && !h.out().includes(DEMO_PAT));
});
