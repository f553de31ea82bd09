// runSync in process against the fake workspace (user-scope sync checks each server like
// `add`): ownership rules across manifests and clients, project files shared between
// teammates, --dry-run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runSync } from '../../../src/commands/sync.js';
import { createCtx, type GlobalOptions } from '../../../src/context.js';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace } from '../../../src/emulator/index.js';
import { ExitCode } from '../../../src/errors.js';
import { createLogger } from '../../../src/ui/logger.js';
import { isolatedEnv } from '../../helpers/cli.js';
import { tempDir, writeTree } from '../../helpers/temp.js';

let ws: FakeWorkspace;
let HOST: string;
before(async () => {
  ws = await startFakeWorkspace();
  HOST = ws.url;
});
after(async () => {
  await ws.close();
});

function machine(t: Parameters<typeof tempDir>[0]) {
  const home = tempDir(t, 'dbx-mcp-syncint-home-');
  for (const d of ['.cursor', '.claude', '.config/Code/User']) mkdirSync(join(home, d), { recursive: true });
  writeTree(home, { '.databrickscfg': `[work]\nhost = ${HOST}\ntoken = ${DEMO_PAT}\n` });
  return home;
}

function repo(t: Parameters<typeof tempDir>[0], doc: Record<string, unknown>): string {
  const dir = tempDir(t, 'dbx-mcp-syncint-repo-');
  execFileSync('git', ['init', '-q', dir]);
  writeManifest(dir, doc);
  return dir;
}

function writeManifest(dir: string, doc: Record<string, unknown>): void {
  writeFileSync(join(dir, 'dbx-mcp.json'), JSON.stringify({ version: 1, workspace: { host: HOST }, ...doc }));
}

async function sync(home: string, cwd: string, raw: Record<string, unknown> = {}, globals: GlobalOptions = { yes: true }) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const env = isolatedEnv(home);
  const ctx = await createCtx(globals, { env, cwd, interactive: false, log: createLogger({ json: globals.json, stdout: out, stderr: err, env }) });
  const code = await runSync(ctx, raw);
  return { code, stdout, stderr };
}

const servers = (file: string) => Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { mcpServers?: object; servers?: object }).mcpServers ?? {}).sort();

test('two manifests share a machine: each sync removes only what it wrote itself', async (t) => {
  const home = machine(t);
  const a = repo(t, { servers: [{ type: 'sql', name: 'a-sql' }, { type: 'functions', target: 'main.tools' }], clients: ['cursor'] });
  const b = repo(t, { servers: [{ type: 'functions', target: 'main.docs' }], clients: ['cursor'] });
  assert.equal((await sync(home, a)).code, ExitCode.Ok);
  assert.equal((await sync(home, b)).code, ExitCode.Ok);
  const cursor = join(home, '.cursor', 'mcp.json');
  assert.deepEqual(servers(cursor), ['a-sql', 'databricks-functions-main-docs', 'databricks-functions-main-tools']);
  writeManifest(a, { servers: [{ type: 'sql', name: 'a-sql' }], clients: ['cursor'] });
  assert.equal((await sync(home, a)).code, ExitCode.Ok);
  assert.deepEqual(servers(cursor), ['a-sql', 'databricks-functions-main-docs']);
  assert.equal((await sync(home, b, { check: true })).code, ExitCode.Ok);
});

test('a client dropped from the manifest loses that manifest\'s entries; --dry-run writes nothing', async (t) => {
  const home = machine(t);
  const dir = repo(t, { servers: [{ type: 'sql' }], clients: ['cursor', 'vscode'] });
  assert.equal((await sync(home, dir)).code, ExitCode.Ok);
  const vscode = join(home, '.config', 'Code', 'User', 'mcp.json');
  assert.ok(existsSync(vscode));
  writeManifest(dir, { servers: [{ type: 'sql' }], clients: ['cursor'] });
  const dry = await sync(home, dir, {}, { dryRun: true });
  assert.equal(dry.code, ExitCode.Ok);
  assert.match(dry.stdout, /- servers\.databricks-sql \(vscode\)/);
  assert.match(readFileSync(vscode, 'utf8'), /databricks-sql/, 'dry run changed nothing');
  assert.equal((await sync(home, dir)).code, ExitCode.Ok);
  // The first sync created the file: emptied again, it is deleted (the user's machine as it was).
  assert.ok(!existsSync(vscode), 'the file dbx-mcp created is gone');
  assert.deepEqual(servers(join(home, '.cursor', 'mcp.json')), ['databricks-sql']);
});

test('project files: a teammate without any registry converges; an unrelated same-named entry is a conflict', async (t) => {
  const dir = repo(t, { servers: [{ type: 'functions', target: 'main.tools', name: 'tools' }], clients: ['cursor'], scope: 'project' });
  assert.equal((await sync(machine(t), dir)).code, ExitCode.Ok);
  const file = join(dir, '.cursor', 'mcp.json');
  assert.match(readFileSync(file, 'utf8'), /main\/tools/);
  // The manifest changes; another teammate (fresh HOME, no registry) syncs the shared file.
  writeManifest(dir, { servers: [{ type: 'functions', target: 'main.agents', name: 'tools' }], clients: ['cursor'], scope: 'project' });
  const teammate = machine(t);
  const check = await sync(teammate, dir, { check: true, json: true }, { json: true });
  assert.equal(check.code, ExitCode.Failed);
  assert.deepEqual((JSON.parse(check.stdout) as { drift: { kind: string }[] }).drift.map((d) => d.kind), ['changed']);
  assert.equal((await sync(teammate, dir)).code, ExitCode.Ok);
  assert.match(readFileSync(file, 'utf8'), /main\/agents/);
  // Someone's own "tools" entry for another server is never taken over.
  writeFileSync(file, JSON.stringify({ mcpServers: { tools: { command: 'my-tools', args: [] } } }));
  const conflict = await sync(machine(t), dir);
  assert.equal(conflict.code, ExitCode.Failed);
  assert.match(readFileSync(file, 'utf8'), /my-tools/);
});
