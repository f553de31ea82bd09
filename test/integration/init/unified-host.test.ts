// The wizard on a unified host: a pasted URL with ?o= becomes the new profile's workspace_id
// (as `databricks auth login --host "<host>?w=<id>"` writes it), and the wizard's listings,
// verification and entries reach that workspace through the routing header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInit } from '../../../src/commands/init.js';
import { DEMO_PAT } from '../../../src/emulator/index.js';
import { NEW_PAT } from '../../../src/init/profile-step.js';
import { unifiedHost as unified, OPS_SPACE, WS_B } from '../../helpers/unified.js';
import { tempDir } from '../../helpers/temp.js';
import { harness, run, writeCfg } from './harness.js';


test('a pasted ?o= URL: workspace_id is written, the Genie list is workspace B’s, the entry is verified there', async (t) => {
  const u = await unified(t);
  const home = tempDir(t);
  writeCfg(home, '');
  const h = await harness(home, {
    answers: { profile: NEW_PAT, host: `${u.url}/?o=${WS_B}`, token: DEMO_PAT, 'profile-name': 'uni', clients: ['cursor'], 'server-kinds': ['genie'], genie: [OPS_SPACE], apply: true, 'save-manifest': false },
  });
  const r = await run(() => runInit(h.ctx, { scope: 'user', tokenEnv: 'DATABRICKS_TOKEN', verify: true, install: true }));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  assert.equal(readFileSync(join(home, '.databrickscfg'), 'utf8'), `[uni]\nhost  = ${u.url}\nworkspace_id = ${WS_B}\ntoken = ${DEMO_PAT}\n`);
  const genieList = h.questions.find((q) => q.id === 'genie');
  assert.deepEqual(genieList?.choices?.map((c) => c.value), [OPS_SPACE], 'only workspace B’s spaces are offered');
  assert.match(h.err(), /answers: \d+ tool/);
  const routed = u.requests.filter((x) => x.routedTo !== 'metadata' && x.routedTo !== 'account');
  assert.ok(routed.length > 0 && routed.every((x) => x.routedTo === WS_B), JSON.stringify(routed));
});
