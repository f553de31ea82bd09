/**
 * init with no profile: "Sign in with your browser" is the first choice and needs no
 * Databricks CLI. The harness's exec stands in for the browser opener (`xdg-open <url>`, a
 * display is set): it approves at the fake workspace and follows the redirect to the loopback
 * listener, as a browser would.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runInit } from '../../../src/commands/init.js';
import type { Exec } from '../../../src/context.js';
import { DEMO_USER, type FakeWorkspace } from '../../../src/emulator/index.js';
import { BROWSER } from '../../../src/init/profile-step.js';
import { tempDir } from '../../helpers/temp.js';
import { harness, run, useSharedWorkspace } from './harness.js';

let ws!: FakeWorkspace;
useSharedWorkspace((w) => (ws = w));

test('no profile: "Sign in with your browser" comes first; picking it signs in without the CLI and init goes on with the new profile', { timeout: 60_000 }, async (t) => {
  const home = tempDir(t);
  const opened: string[] = [];
  const browser: Exec = async (file, args) => {
    if (file !== 'xdg-open') throw Object.assign(new Error('not installed'), { code: 'ENOENT' });
    opened.push(args[0]!);
    const approve = await fetch(args[0]!, { redirect: 'manual' });
    const back = await fetch(approve.headers.get('location')!);
    assert.equal(back.status, 200);
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  const h = await harness(home, {
    answers: { profile: BROWSER, host: ws.url, 'profile-name': 'work', clients: ['cursor'], 'server-kinds': ['sql'], apply: true, 'save-manifest': false },
    exec: browser,
    env: { DISPLAY: ':0', DBX_MCP_TEST_LOGIN_PORT: '0', DBX_MCP_TEST_KEYRING: 'unreachable' },
  });
  const r = await run(() => runInit(h.ctx, { client: [] }));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  const choices = h.questions.find((q) => q.id === 'profile')!.choices!;
  assert.equal(choices[0]!.value, BROWSER);
  assert.equal(choices[0]!.label, 'Sign in with your browser');
  assert.equal(opened.length, 1);
  assert.match(opened[0]!, /\/oidc\/v1\/authorize\?client_id=databricks-cli&/);
  assert.match(readFileSync(join(home, '.databrickscfg'), 'utf8'), /\[work\]\nhost = http:\/\/127\.0\.0\.1:\d+\nauth_type = databricks-cli\n/);
  assert.match(h.err(), new RegExp(`Signed in to .* as ${DEMO_USER}`));
  assert.match(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8'), /databricks-sql/);
});
