import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInit } from '../../../src/commands/init.js';
import type { Exec } from '../../../src/context.js';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace } from '../../../src/emulator/index.js';
import { tempDir } from '../../helpers/temp.js';
import { harness, run, writeCfg } from './harness.js';

let ws: FakeWorkspace;
before(async () => {
  ws = await startFakeWorkspace();
});
after(async () => {
  await ws.close();
});

const NPX_SCRIPT = '/home/u/.npm/_npx/4f2a/node_modules/dbx-mcp/bin/dbx-mcp.js';
const flags = { scope: 'user', tokenEnv: 'DATABRICKS_TOKEN', verify: true, install: true, client: ['cursor'], sql: true };
const entry = (home: string) => JSON.parse(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8')).mcpServers['databricks-sql'];

test('from the npx cache: offers a global install, runs it after the plan is confirmed, writes absolute paths', async (t) => {
  const home = tempDir(t);
  writeCfg(home, `[dev]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
  const calls: string[] = [];
  const exec: Exec = async (file, args) => {
    calls.push(`${file} ${args.join(' ')}${existsSync(join(home, '.cursor', 'mcp.json')) ? ' (after write)' : ''}`);
    return { exitCode: 0, stdout: args[0] === 'prefix' ? '/usr/local\n' : '', stderr: '' };
  };
  const h = await harness(home, { globals: { profile: 'dev' }, answers: { install: true, apply: true, 'save-manifest': false }, exec, argv: ['/usr/bin/node', NPX_SCRIPT] });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  assert.deepEqual(calls, ['npm prefix -g', `npm install -g dbx-mcp@${h.ctx.version}`]);
  assert.equal(entry(home).command, '/usr/bin/node');
  assert.equal(entry(home).args[0], '/usr/local/lib/node_modules/dbx-mcp/bin/dbx-mcp.js');
});

test('from the npx cache without a terminal (or declined): the pinned npx form', async (t) => {
  const home = tempDir(t);
  writeCfg(home, `[dev]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
  const h = await harness(home, { globals: { profile: 'dev', yes: true }, argv: ['/usr/bin/node', NPX_SCRIPT] });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 0, h.err());
  assert.equal(entry(home).command, 'npx');
  assert.deepEqual(entry(home).args.slice(0, 3), ['-y', `dbx-mcp@${h.ctx.version}`, 'proxy']);
  assert.match(h.err(), /npx -y dbx-mcp@/);
});

test('a failed global install writes nothing', async (t) => {
  const home = tempDir(t);
  writeCfg(home, `[dev]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
  const exec: Exec = async (_file, args) => ({ exitCode: args[0] === 'prefix' ? 0 : 243, stdout: '/usr/local\n', stderr: 'npm ERR! EACCES: permission denied' });
  const h = await harness(home, { globals: { profile: 'dev' }, answers: { install: true, apply: true }, exec, argv: ['/usr/bin/node', NPX_SCRIPT] });
  const r = await run(() => runInit(h.ctx, flags));
  assert.equal(r.code, 1);
  assert.match(r.error!.message, /npm install -g .* failed: npm ERR! EACCES/);
  assert.equal(existsSync(join(home, '.cursor', 'mcp.json')), false);
});

test('project scope from the npx cache: no global install is offered, the entry is the pinned npx form without a profile', async (t) => {
  const home = tempDir(t);
  writeCfg(home, `[dev]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
  const repo = join(home, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  const calls: string[] = [];
  const exec: Exec = async (file, args) => {
    calls.push(`${file} ${args.join(' ')}`);
    return { exitCode: 0, stdout: args[0] === 'prefix' ? '/usr/local\n' : '', stderr: '' };
  };
  const h = await harness(home, { globals: { profile: 'dev' }, answers: { install: true, apply: true, 'save-manifest': false }, exec, argv: ['/usr/bin/node', NPX_SCRIPT], cwd: repo });
  const r = await run(() => runInit(h.ctx, { ...flags, scope: 'project' }));
  assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
  assert.deepEqual(calls, [], 'no npm prefix/install: a global path would not exist on a teammate machine');
  assert.ok(!h.asked.includes('install'), 'the install question is not asked');
  const e = JSON.parse(readFileSync(join(repo, '.cursor', 'mcp.json'), 'utf8')).mcpServers['databricks-sql'];
  assert.deepEqual(e, { command: 'npx', args: ['-y', `dbx-mcp@${h.ctx.version}`, 'proxy', '--url', `${ws.url}/api/2.0/mcp/sql`] });
});
