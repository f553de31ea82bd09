/**
 * What ends a writing command from outside (issue 19, items 5 and 6; issue 20, item 9): a closed
 * stdout, signals, and a HOME that cannot be trusted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BIN, isolatedEnv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { start } from '../helpers/pause.js';
import { lockPathFor } from '../../src/config/write-lock.js';

/** Runs the bin with stdout closed by the reader at once (`| head -c 0`); stderr collected. */
function runClosedStdout(args: string[], home: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: home, env: isolatedEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dbx-mcp ${args.join(' ')} did not finish\n${stderr}`));
    }, 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

for (const json of [false, true]) {
  test(`add${json ? ' --json' : ''} | head -c 0: exit 0 (it was written), no stack trace`, async (t) => {
    const { home } = await workspaceWithHome(t);
    const r = await runClosedStdout(['add', 'sql', '--client', 'cursor', '--yes', ...(json ? ['--json'] : [])], home);
    assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|\n\s+at /, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8'), /databricks-sql/);
    assert.match(readFileSync(join(home, '.config', 'dbx-mcp', 'state.json'), 'utf8'), /databricks-sql/);
  });
}

for (const home of ['', 'relative/home']) {
  test(`HOME=${JSON.stringify(home)}: exit 2 with the fix, nothing written to the current folder`, async (t) => {
    const cwd = tempDir(t);
    const r = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home: cwd, cwd, env: { HOME: home, XDG_CONFIG_HOME: undefined } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /HOME is .*(empty|relative)/);
    assert.match(r.stderr, /Fix: Set HOME to your home folder's absolute path/);
    assert.deepEqual((await import('node:fs')).readdirSync(cwd), []);
  });
}

const CURSOR = '{\n  // mine\n  "mcpServers": {}\n}\n';

test('SIGINT/SIGTERM at each step of the commit window: the transaction completes, exit 0 naming what was written, no temp file', async (t) => {
  const { home } = await workspaceWithHome(t);
  const file = join(home, '.cursor', 'mcp.json');
  mkdirSync(join(home, '.cursor'));
  let steps = 0;
  for (let step = 1; step <= 30; step++) {
    writeFileSync(file, CURSOR);
    const name = `sig-${step}`;
    const sig = step % 2 ? 'SIGINT' : 'SIGTERM';
    const run = start(['add', 'sql', '--name', name, '--client', 'cursor', '--yes'], home, { DBX_MCP_TEST_PAUSE_AT_WRITE: String(step) }, /paused before write step/);
    const paused = await run.marker;
    if (paused) run.child.kill(sig);
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(file, 'utf8'), new RegExp(`"${name}"`));
    assert.match(readFileSync(join(home, '.config', 'dbx-mcp', 'state.json'), 'utf8'), new RegExp(`"${name}"`));
    assert.deepEqual(readdirSync(join(home, '.cursor')).filter((n) => n.endsWith('.tmp')), []);
    if (!paused) break;
    assert.match(r.stderr, new RegExp(`Interrupted \\(${sig}\\) while writing; the write was completed first: .*mcp\\.json`), r.stderr);
    steps++;
  }
  assert.ok(steps >= 5, `paused at ${steps} steps`);
});

test('SIGINT/SIGTERM before the commit point (waiting for another writer): exit 130, nothing written', async (t) => {
  const { home } = await workspaceWithHome(t);
  const file = join(home, '.cursor', 'mcp.json');
  mkdirSync(join(home, '.cursor'));
  writeFileSync(file, CURSOR);
  // This test process holds the file's lock, as a slow dbx-mcp would.
  writeFileSync(lockPathFor(file), JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() }));
  t.after(() => rmSync(lockPathFor(file), { force: true }));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const run = start(['add', 'sql', '--client', 'cursor', '--yes'], home, {}, /Waiting for another dbx-mcp/);
    assert.equal(await run.marker, true);
    run.child.kill(sig);
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, new RegExp(`Interrupted \\(${sig}\\); nothing was written`));
    assert.equal(readFileSync(file, 'utf8'), CURSOR);
    assert.equal(existsSync(join(home, '.config', 'dbx-mcp', 'state.json')), false);
  }
});
