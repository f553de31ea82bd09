// The init wizard's pickers for AI Gateway MCP services and Databricks Apps.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInit } from '../../../src/commands/init.js';
import { DEMO_APPS, DEMO_MCP_SERVICES, DEMO_SP_CLIENT_ID, DEMO_SP_CLIENT_SECRET, startFakeWorkspace, type FakeWorkspace } from '../../../src/emulator/index.js';
import { tempDir } from '../../helpers/temp.js';
import { harness, run, writeCfg } from './harness.js';

let ws: FakeWorkspace;
before(async () => {
  ws = await startFakeWorkspace();
});
after(async () => {
  await ws.close();
});

const flags = { scope: 'user', tokenEnv: 'DATABRICKS_TOKEN', verify: true, install: true };

test('init lists the visible MCP services (system.ai and your schemas) and the apps, and writes their URLs', async (t) => {
  const home = tempDir(t);
  writeCfg(home, `[sp]\nhost = ${ws.url}\nclient_id = ${DEMO_SP_CLIENT_ID}\nclient_secret = ${DEMO_SP_CLIENT_SECRET}\n`);
  const h = await harness(home, {
    answers: { profile: 'sp', clients: ['cursor'], 'server-kinds': ['mcp-service', 'app'], 'mcp-service': [DEMO_MCP_SERVICES.github, DEMO_MCP_SERVICES.crm], app: [DEMO_APPS.sales], auth: 'proxy', apply: true, 'save-manifest': false },
  });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  const q = h.questions.find((x) => x.id === 'mcp-service') as { choices?: { value: string }[] } | undefined;
  assert.deepEqual(q?.choices?.map((c) => c.value).sort(), [DEMO_MCP_SERVICES.crm, DEMO_MCP_SERVICES.dbsql, DEMO_MCP_SERVICES.genieOne, DEMO_MCP_SERVICES.github].sort());
  const appQ = h.questions.find((x) => x.id === 'app') as { choices?: { value: string }[] } | undefined;
  assert.deepEqual(appQ?.choices?.map((c) => c.value), [DEMO_APPS.sales, DEMO_APPS.stopped], 'apps without any permission are not listed');
  const servers = (JSON.parse(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8')) as { mcpServers: Record<string, { args: string[] }> }).mcpServers;
  assert.ok(servers['databricks-github']!.args.includes(`${ws.url}/ai-gateway/mcp-services/system.ai.github`));
  assert.ok(servers['databricks-main-tools-crm-mcp']!.args.includes(`${ws.url}/ai-gateway/mcp-services/main.tools.crm_mcp`));
  assert.ok(servers['databricks-app-mcp-sales']!.args.includes(`${ws.appsUrl}/${DEMO_APPS.sales}/mcp`));
  assert.match(h.err(), /databricks-app-mcp-sales answers: \d+ tools/);
});
