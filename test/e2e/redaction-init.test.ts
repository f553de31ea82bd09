/**
 * The init wizard's "add a personal access token profile" step shows the ~/.databrickscfg diff:
 * the new token is a registered secret, but an EXISTING profile's token (not token-shaped) sat in
 * the diff's context lines (issue 18, item 4). Every secret-looking INI key is masked now.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInit } from '../../src/commands/init.js';
import { DEMO_PAT, startFakeWorkspace } from '../../src/emulator/index.js';
import { NEW_PAT } from '../../src/init/profile-step.js';
import { tempDir } from '../helpers/temp.js';
import { harness, run, writeCfg } from '../integration/init/harness.js';

const OTHER_TOKEN = 'canary-other-profile-token-0003';
const OTHER_SECRET = 'canary-other-client-secret-0004';
const OTHER_PASSWORD = 'canary-password-0005';

test('the new-PAT-profile diff masks other profiles\' token, client_secret and password', async (t) => {
  const ws = await startFakeWorkspace();
  t.after(() => ws.close());
  const home = tempDir(t);
  writeCfg(home, `[old]\nhost = https://old.example.com\ntoken = ${OTHER_TOKEN}\n\n[sp]\nhost = https://sp.example.com\nclient_id = abc\nclient_secret = ${OTHER_SECRET}\npassword=${OTHER_PASSWORD}\n`);
  const h = await harness(home, {
    answers: { profile: NEW_PAT, host: ws.url, token: DEMO_PAT, 'profile-name': 'work', clients: ['cursor'], 'server-kinds': ['sql'], apply: true, 'save-manifest': false },
  });
  const r = await run(() => runInit(h.ctx, { scope: 'user', tokenEnv: 'DATABRICKS_TOKEN', verify: false, install: true }));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  const shown = h.out() + h.err();
  for (const canary of [OTHER_TOKEN, OTHER_SECRET, OTHER_PASSWORD, DEMO_PAT]) assert.equal(shown.includes(canary), false, `${canary} shown:\n${shown}`);
  assert.match(shown, /^ ?client_secret = \*\*\*$/m, 'the key stays visible');
  assert.match(shown, /^\+token = \*\*\*$/m, 'the added line is shown, its value masked');
});
