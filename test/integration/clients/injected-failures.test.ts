/**
 * Every writing command (add, remove, sync, init's apply) with a failure injected at each write
 * step in turn (temp file, backup, chmod, rename, mkdir, delete; client files and state.json):
 * the command fails with a DbxMcpError and every file and folder is as it was, byte for byte and
 * mode for mode. The loop stops at the first step number the command no longer reaches, so every
 * step of a successful run has been failed once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { runAdd } from '../../../src/commands/add.js';
import { runInit } from '../../../src/commands/init.js';
import { runRemove } from '../../../src/commands/remove.js';
import { runSync } from '../../../src/commands/sync.js';
import { realWriteFs, type WriteFs } from '../../../src/config/write-fs.js';
import { createCtx, type Ctx } from '../../../src/context.js';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace } from '../../../src/emulator/index.js';
import { isDbxMcpError, type ExitCode } from '../../../src/errors.js';
import { NEW_PAT } from '../../../src/init/profile-step.js';
import { createLogger } from '../../../src/ui/logger.js';
import { tempDir } from '../../helpers/temp.js';
import { harness } from '../init/harness.js';

let ws: FakeWorkspace;
before(async () => {
  ws = await startFakeWorkspace();
});
after(async () => {
  await ws.close();
});

/** A WriteFs that fails its `k`-th call (1-based) and records every call. */
function failingAt(k: number) {
  const calls: string[] = [];
  const wrap = <A extends unknown[]>(name: string, fn: (...a: A) => Promise<void>) => async (...a: A): Promise<void> => {
    calls.push(`${name} ${String(a[0])}`);
    if (calls.length === k) throw Object.assign(new Error(`injected failure in ${name}`), { code: 'EIO' });
    return fn(...a);
  };
  const fs: WriteFs = {
    createFile: wrap('createFile', realWriteFs.createFile),
    rename: wrap('rename', realWriteFs.rename),
    chmod: wrap('chmod', realWriteFs.chmod),
    mkdir: wrap('mkdir', realWriteFs.mkdir),
    remove: wrap('remove', realWriteFs.remove),
  };
  return { fs, calls, failed: () => calls.length >= k };
}

/** Every file and folder under `dir`: bytes and mode. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      const mode = (st.mode & 0o777).toString(8);
      if (st.isDirectory()) {
        out[relative(dir, p)] = `dir ${mode}`;
        walk(p);
      } else out[relative(dir, p)] = `${mode} ${readFileSync(p).toString('base64')}`;
    }
  };
  walk(dir);
  return out;
}

async function ctxFor(home: string, cwd = home): Promise<Ctx> {
  const env = { HOME: home, PATH: '', NO_COLOR: '1', XDG_CONFIG_HOME: join(home, '.config') };
  const sink = new PassThrough();
  sink.resume();
  return createCtx({ yes: true }, { env, cwd, platform: 'linux', interactive: false, log: createLogger({ env, stdout: sink as never, stderr: sink as never }), argv: ['/usr/bin/node', '/opt/dbx-mcp/bin/dbx-mcp.js'], execPath: '/usr/bin/node' });
}

const USER_FILE = '{\n  // keep me\n  "theme": "dark",\n  "mcpServers": {\n    "mine": { "command": "my-server" }\n  }\n}\n';

/** A HOME with a profile for the fake workspace, one existing client file and others missing. */
function freshHome(t: Parameters<typeof tempDir>[0]): string {
  const home = tempDir(t);
  writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost  = ${ws.url}\ntoken = ${DEMO_PAT}\n`, { mode: 0o600 });
  mkdirSync(join(home, '.cursor'));
  writeFileSync(join(home, '.cursor', 'mcp.json'), USER_FILE, { mode: 0o640 });
  return home;
}

const addSql = (ctx: Ctx) => runAdd(ctx, { kind: 'sql', target: '', client: ['cursor', 'claude-code', 'vscode'] });

/**
 * Runs `setup` (which builds a fresh HOME) and `command` with the k-th write failing, for
 * k = 1, 2, … until the command no longer reaches step k; returns the steps of the clean run.
 */
async function everyStepFails(setup: () => Promise<{ home: string; ctx: Ctx }>, command: (ctx: Ctx) => Promise<ExitCode>): Promise<string[]> {
  for (let k = 1; ; k++) {
    const { home, ctx } = await setup();
    const before = snapshot(home);
    const injected = failingAt(k);
    let error: unknown;
    let code: ExitCode | undefined;
    try {
      code = await command({ ...ctx, writeFs: injected.fs });
    } catch (e) {
      error = e;
    }
    if (!injected.failed()) {
      assert.equal(error, undefined, String(error));
      assert.equal(code, 0);
      assert.notDeepEqual(snapshot(home), before, 'the clean run wrote something');
      return injected.calls;
    }
    assert.ok(isDbxMcpError(error), `step ${k} (${injected.calls[k - 1]}): ${String(error)}`);
    assert.match(error.message, /injected|EIO|Could not write/, error.message);
    assert.ok(error.hint, 'the error says what to do');
    assert.deepEqual(snapshot(home), before, `step ${k} (${injected.calls[k - 1]}) left a change behind`);
  }
}

function assertCovers(steps: string[], kinds: string[]): void {
  for (const kind of kinds) assert.ok(steps.some((s) => s.startsWith(kind)), `${kind} was among the failed steps: ${steps.join(', ')}`);
  assert.ok(steps.some((s) => s.includes('state.json')), 'state.json writes were failed too');
  assert.ok(steps.some((s) => s.includes('.bak')), 'backups were failed too');
}

test('add: a failure at any write step leaves every file as it was', async (t) => {
  const steps = await everyStepFails(async () => {
    const home = freshHome(t);
    return { home, ctx: await ctxFor(home) };
  }, addSql);
  assertCovers(steps, ['createFile', 'chmod', 'rename', 'mkdir']);
});

test('remove: a failure at any write step leaves every file as it was', async (t) => {
  const steps = await everyStepFails(async () => {
    const home = freshHome(t);
    const ctx = await ctxFor(home);
    assert.equal(await addSql(ctx), 0);
    return { home, ctx };
  }, (ctx) => runRemove(ctx, { name: 'databricks-sql', client: ['cursor', 'claude-code', 'vscode'] }));
  // vscode's and claude-code's files were created by add, so remove deletes them.
  assertCovers(steps, ['createFile', 'chmod', 'rename', 'remove']);
});

test('sync: a failure at any write step leaves every file as it was', async (t) => {
  const steps = await everyStepFails(async () => {
    const home = freshHome(t);
    const repo = join(home, 'repo');
    mkdirSync(repo);
    execFileSync('git', ['init', '-q', repo]);
    writeFileSync(join(repo, 'dbx-mcp.json'), JSON.stringify({ version: 1, workspace: { host: ws.url }, servers: [{ type: 'sql' }, { type: 'functions', target: 'main.tools' }], clients: ['cursor', 'claude-code'] }));
    return { home, ctx: await ctxFor(home, repo) };
  }, (ctx) => runSync(ctx, { client: ['cursor', 'claude-code'] }));
  assertCovers(steps, ['createFile', 'chmod', 'rename', 'mkdir']);
});

test('init: a failure at any write step of its apply leaves every file as it was (profile, clients, state)', async (t) => {
  const answers = { profile: NEW_PAT, host: ws.url, token: DEMO_PAT, 'profile-name': 'work', clients: ['cursor', 'vscode'], 'server-kinds': ['sql'], auth: 'proxy', apply: true, 'save-manifest': false };
  const steps = await everyStepFails(async () => {
    const home = freshHome(t);
    const h = await harness(home, { answers });
    return { home, ctx: h.ctx };
  }, (ctx) => runInit(ctx, { scope: 'user', tokenEnv: 'DATABRICKS_TOKEN', verify: false, install: false }));
  assert.ok(steps.some((s) => s.includes('.databrickscfg')), 'the new profile is part of the same plan');
  assertCovers(steps, ['createFile', 'chmod', 'rename', 'mkdir']);
});
