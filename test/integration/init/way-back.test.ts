// The wizard never dead-ends: every step that can fail says why and asks again (or goes back
// one step), keeping the answers given so far. Scripted prompter; `inOrder` answers a
// question asked more than once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInit } from '../../../src/commands/init.js';
import { DEMO_ACCOUNT_ID, DEMO_GENIE_SPACES, DEMO_PAT, type FakeWorkspace } from '../../../src/emulator/index.js';
import { LOGIN, NEW_PAT } from '../../../src/init/profile-step.js';
import { BACK, CANCEL, inOrder } from '../../helpers/scripted-prompter.js';
import { tempDir } from '../../helpers/temp.js';
import { harness, run, useSharedWorkspace, writeCfg } from './harness.js';

let ws: FakeWorkspace;
useSharedWorkspace((w) => (ws = w));

const flags = { scope: 'user', tokenEnv: 'DATABRICKS_TOKEN', verify: true, install: true };
const CLIENT_ID = '5e1f0c6a-1b2c-4d3e-8f90-a1b2c3d4e5f6';
const BAD_PAT = 'dapi00000000000000000000000000000000';
const devCfg = () => `[dev]\nhost  = ${ws.url}\ntoken = ${DEMO_PAT}\n`;
const vscodeEntry = (home: string, name: string) =>
  (JSON.parse(readFileSync(join(home, '.config', 'Code', 'User', 'mcp.json'), 'utf8')) as { servers: Record<string, Record<string, unknown>> }).servers[name]!;

test('"Register it now" is not offered without an account profile; the client id path works', async (t) => {
  const home = tempDir(t);
  writeCfg(home, devCfg());
  const h = await harness(home, { answers: { profile: 'dev', clients: ['vscode'], 'server-kinds': ['sql'], 'auth.vscode': 'oauth', 'oauth-app': 'client-id', 'client-id': CLIENT_ID, apply: true, 'save-manifest': false } });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  const q = h.questions.find((x) => x.id === 'oauth-app')!;
  assert.deepEqual(q.choices!.map((c) => c.value), ['client-id', 'fallback']);
  assert.equal(q.initial, 'client-id');
  assert.match(h.err(), /No account profile .*--oauth-profile ACCT/);
  assert.deepEqual(vscodeEntry(home, 'databricks-sql').oauth, { clientId: CLIENT_ID });
});

test('registering fails (account sign-in rejected): says why and asks again; the other answers are kept', async (t) => {
  const home = tempDir(t);
  writeCfg(home, `${devCfg()}\n[acct]\nhost = ${ws.url}\naccount_id = ${DEMO_ACCOUNT_ID}\ntoken = ${BAD_PAT}\n`);
  const h = await harness(home, {
    answers: { profile: 'dev', clients: ['vscode'], 'server-kinds': ['sql'], 'auth.vscode': 'oauth', 'oauth-app': inOrder('register', 'client-id'), 'oauth-profile': 'acct', 'client-id': CLIENT_ID, apply: true, 'save-manifest': false },
  });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  assert.deepEqual(h.asked.filter((id) => id === 'oauth-app' || id === 'profile' || id === 'clients'), ['profile', 'clients', 'oauth-app', 'oauth-app']);
  assert.match(h.err(), /Registering the OAuth app failed: .*403 Invalid access token/);
  assert.deepEqual(vscodeEntry(home, 'databricks-sql').oauth, { clientId: CLIENT_ID });
});

test('--oauth-profile whose registration fails: in a terminal, the choice is offered instead of aborting', async (t) => {
  const home = tempDir(t);
  writeCfg(home, `${devCfg()}\n[acct]\nhost = ${ws.url}\naccount_id = ${DEMO_ACCOUNT_ID}\ntoken = ${BAD_PAT}\n`);
  const h = await harness(home, { answers: { profile: 'dev', clients: ['vscode'], 'server-kinds': ['sql'], 'auth.vscode': 'oauth', 'oauth-app': 'fallback', 'oauth-fallback.vscode': 'proxy', apply: true, 'save-manifest': false } });
  const r = await run(() => runInit(h.ctx, { ...flags, oauthProfile: 'acct' }));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  assert.ok(h.asked.includes('oauth-app'));
  assert.equal(vscodeEntry(home, 'databricks-sql').command, '/usr/bin/node');
});

test('the OAuth client id is validated: a malformed one is asked again, never written', async (t) => {
  const home = tempDir(t);
  writeCfg(home, devCfg());
  const h = await harness(home, { answers: { profile: 'dev', clients: ['vscode'], 'server-kinds': ['sql'], 'auth.vscode': 'oauth', 'oauth-app': 'client-id', 'client-id': inOrder('not a client id!', 'claude-code'), apply: true, 'save-manifest': false } });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  assert.deepEqual(h.rejected.map((x) => x.answer), ['not a client id!']);
  assert.match(h.rejected[0]!.error, /UUID .*oauth register.*published app id/);
  assert.deepEqual(vscodeEntry(home, 'databricks-sql').oauth, { clientId: 'claude-code' });
  assert.doesNotMatch(readFileSync(join(home, '.config', 'Code', 'User', 'mcp.json'), 'utf8'), /not a client id/);
});

test('a rejected token is asked for again (host and profile name kept); only the accepted one is written', async (t) => {
  const home = tempDir(t);
  writeCfg(home, '');
  const h = await harness(home, { answers: { profile: NEW_PAT, host: ws.url, token: inOrder(BAD_PAT, DEMO_PAT), 'profile-name': 'work', clients: ['cursor'], 'server-kinds': ['sql'], apply: true, 'save-manifest': false } });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  assert.deepEqual(h.asked.slice(0, 5), ['profile', 'host', 'token', 'profile-name', 'token']);
  assert.match(h.err(), /rejected that token \(403\)/);
  assert.equal(readFileSync(join(home, '.databrickscfg'), 'utf8'), `[work]\nhost  = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
  assert.doesNotMatch(h.out() + h.err(), /dapi0000|dapi5e1f/, 'no token on the terminal');
});

test('a profile that cannot sign in goes back to the profile list (pre-selected), not out of the wizard', async (t) => {
  const home = tempDir(t);
  writeCfg(home, `[broken]\nhost  = ${ws.url}\ntoken = ${BAD_PAT}\n\n${devCfg()}`);
  const h = await harness(home, { answers: { profile: inOrder('broken', 'dev'), clients: ['cursor'], 'server-kinds': ['sql'], apply: true, 'save-manifest': false } });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  const picks = h.questions.filter((q) => q.id === 'profile');
  assert.equal(picks.length, 2);
  assert.equal(picks[1]!.initial, 'broken', 'the list comes back with the last choice selected');
  assert.match(h.err(), /403 Invalid access token[\s\S]*Pick another profile/);
  assert.match(h.err(), /databricks auth login --profile broken`/, 'the fix names the profile');
  assert.doesNotMatch(h.err(), /<profile>/, 'no placeholder while the profile is known');
  assert.match(h.err(), /Signed in to .* \(profile dev\)/);
});

test('only workspace profiles are offered: an account profile (account_id, or an accounts host) is not', async (t) => {
  const home = tempDir(t);
  writeCfg(home, `${devCfg()}\n[acct]\nhost = ${ws.url}\naccount_id = ${DEMO_ACCOUNT_ID}\ntoken = ${DEMO_PAT}\n\n[console]\nhost = https://accounts.cloud.databricks.com\naccount_id = ${DEMO_ACCOUNT_ID}\n`);
  const h = await harness(home, { answers: { profile: 'dev', clients: ['cursor'], 'server-kinds': ['sql'], apply: true, 'save-manifest': false } });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  const offered = h.questions.find((q) => q.id === 'profile')!.choices!.map((c) => c.value);
  assert.ok(offered.includes('dev'));
  assert.ok(!offered.includes('acct') && !offered.includes('console'), String(offered));
  // A client that is not detected says what was looked for.
  const cursor = h.questions.find((q) => q.id === 'clients')!.choices!.find((c) => c.value === 'cursor')!;
  assert.match(cursor.hint ?? '', /not detected \(no ~\/\.cursor and no `cursor`.* on PATH\)/);
});

test('the auth questions follow the order of the client list, not the order the boxes were ticked', async (t) => {
  const home = tempDir(t);
  writeCfg(home, devCfg());
  const h = await harness(home, { answers: { profile: 'dev', clients: ['vscode', 'claude-code', 'cursor'], 'server-kinds': ['sql'], auth: 'each', 'auth.cursor': 'proxy', 'auth.claude-code': 'proxy', 'auth.vscode': 'proxy', apply: true, 'save-manifest': false } });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  const listed = h.questions.find((q) => q.id === 'clients')!.choices!.map((c) => c.value as string);
  const order = h.asked.filter((id) => id.startsWith('auth.')).map((id) => id.slice('auth.'.length));
  assert.deepEqual(order, listed.filter((c) => order.includes(c)), `list order ${listed.join(',')}`);
  assert.deepEqual(order, ['cursor', 'claude-code', 'vscode']);
});

test('the new profile\'s name is a placeholder (Enter accepts it), not pre-filled text', async (t) => {
  const home = tempDir(t);
  writeCfg(home, `[DEFAULT]\nhost = https://accounts.cloud.databricks.com\naccount_id = ${DEMO_ACCOUNT_ID}\n`);
  const h = await harness(home, { answers: { profile: NEW_PAT, host: ws.url, token: DEMO_PAT, 'profile-name': '', clients: ['cursor'], 'server-kinds': ['sql'], apply: true, 'save-manifest': false } });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  const q = h.questions.find((x) => x.id === 'profile-name')!;
  assert.equal(q.initial, undefined, 'nothing to delete before typing a name');
  assert.equal(q.placeholder, 'dbx-mcp');
  assert.match(readFileSync(join(home, '.databrickscfg'), 'utf8'), /\n\[dbx-mcp\]\nhost  = /);
});

test('listing servers fails (connection reset): back to the kinds of servers, not out of the wizard', async (t) => {
  const home = tempDir(t);
  writeCfg(home, devCfg());
  ws.scenario.resetConnection = { count: 1, paths: /^\/api\/2\.0\/genie\/spaces/ };
  const h = await harness(home, { answers: { profile: 'dev', clients: ['cursor'], 'server-kinds': inOrder(['genie'], ['sql']), apply: true, 'save-manifest': false } });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  const kinds = h.questions.filter((q) => q.id === 'server-kinds');
  assert.equal(kinds.length, 2);
  assert.deepEqual(kinds[1]!.initial, ['genie'], 'the kinds come back as they were ticked');
  assert.match(h.err(), /Choose the kinds of servers again/);
  const cursor = JSON.parse(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> };
  assert.deepEqual(Object.keys(cursor.mcpServers), ['databricks-sql']);
});

test('a failed `databricks auth login` goes back to the profile list', async (t) => {
  const home = tempDir(t);
  writeCfg(home, devCfg());
  const bin = tempDir(t);
  writeFileSync(join(bin, 'databricks'), '#!/bin/sh\n', { mode: 0o755 }); // only found on PATH: exec is injected
  const calls: string[][] = [];
  const h = await harness(home, {
    env: { PATH: bin },
    exec: async (file, args) => {
      calls.push([file, ...args]);
      return { exitCode: 1, stdout: '', stderr: 'Error: the browser window was closed\n' };
    },
    answers: { profile: inOrder(LOGIN, 'dev'), host: ws.url, 'profile-name': 'new', clients: ['cursor'], 'server-kinds': ['sql'], apply: true, 'save-manifest': false },
  });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  assert.deepEqual(calls, [['databricks', 'auth', 'login', '--host', ws.url, '--profile', 'new']]);
  assert.match(h.err(), /databricks auth login failed: Error: the browser window was closed/);
  assert.match(h.err(), /Signed in to .* \(profile dev\)/);
});

test('in a terminal, a --genie space the workspace refuses leads to the server picker instead of out of the wizard', async (t) => {
  const home = tempDir(t);
  writeCfg(home, devCfg());
  const h = await harness(home, { answers: { profile: 'dev', clients: ['cursor'], 'server-kinds': ['sql'], apply: true, 'save-manifest': false } });
  const r = await run(() => runInit(h.ctx, { ...flags, genie: [DEMO_GENIE_SPACES.finance] }));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  assert.match(h.err(), /does not exist or you have no access[\s\S]*Pick the servers from the workspace instead/);
  assert.ok(h.asked.includes('server-kinds'));
  const cursor = JSON.parse(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> };
  assert.deepEqual(Object.keys(cursor.mcpServers), ['databricks-sql']);
});

test('Escape goes back one step: at the Genie list to the kinds, at the kinds to the clients; the new PAT profile is kept and written', async (t) => {
  const home = tempDir(t);
  writeCfg(home, '');
  const h = await harness(home, {
    answers: { profile: NEW_PAT, host: ws.url, token: DEMO_PAT, 'profile-name': 'work', clients: inOrder(['cursor'], ['vscode']), 'server-kinds': inOrder(['genie'], BACK, ['sql']), 'genie': BACK, apply: true, 'save-manifest': false },
  });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  assert.deepEqual(h.asked.filter((id) => ['profile', 'clients', 'server-kinds', 'genie'].includes(id)), ['profile', 'clients', 'server-kinds', 'genie', 'server-kinds', 'clients', 'server-kinds']);
  assert.deepEqual(h.questions.filter((q) => q.id === 'clients')[1]!.initial, ['cursor'], 'the last answer is pre-selected');
  assert.equal(readFileSync(join(home, '.databrickscfg'), 'utf8'), `[work]\nhost  = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
  assert.ok(vscodeEntry(home, 'databricks-sql'));
});

test('Ctrl-C after a new PAT profile was entered says that profile was not written either', async (t) => {
  const home = tempDir(t);
  writeCfg(home, '');
  const h = await harness(home, { answers: { profile: NEW_PAT, host: ws.url, token: DEMO_PAT, 'profile-name': 'work', clients: CANCEL } });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 130);
  assert.match(r.error?.message ?? '', /new profile \[work\] was not added to ~\/\.databrickscfg/);
  assert.equal(readFileSync(join(home, '.databrickscfg'), 'utf8'), '');
});
