/**
 * Issue 20, item 4: a doctor run on a terminal shows its progress (done/total, the slow checks by
 * name) on stderr while it runs, and clears the line before the report; without a terminal, with
 * --json or --format github, stderr gets nothing of it. In-process against the fake workspace
 * with a delayed answer (the emulator's latency), through a stream that says it is a TTY.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { runDoctor } from '../../../src/commands/doctor.js';
import { createCtx, type GlobalOptions } from '../../../src/context.js';
import { createLogger } from '../../../src/ui/logger.js';
import { setup } from './helpers.js';

function stream(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(String(c)), cb()) }) as Writable & { isTTY: boolean; columns: number; text: () => string };
  w.isTTY = isTTY;
  w.columns = 200;
  w.text = () => chunks.join('');
  return w;
}

async function run(home: string, tty: boolean, globals: GlobalOptions = {}, opts: Record<string, unknown> = {}): Promise<{ err: string; out: string }> {
  const stderr = stream(tty);
  const stdout = stream(false);
  const env = { HOME: home, PATH: process.env.PATH ?? '' };
  const ctx = await createCtx(globals, { env, interactive: false, log: createLogger({ stderr, stdout, env, json: globals.json === true }), cwd: home, platform: 'linux' });
  await runDoctor(ctx, { timeout: 30, ...opts });
  return { err: stderr.text(), out: stdout.text() };
}

test('doctor on a TTY: a progress line with done/total while the checks run, cleared before the report', async (t) => {
  const { ws, home } = await setup(t);
  ws.scenario.latencyMs = 400;
  const { err, out } = await run(home, true);
  const frames = err.replace(/\x1b\[[0-9;]*m/g, '').split('\r\x1b[2K').map((f) => f.trim()).filter(Boolean);
  const counted = frames.filter((f) => /Running checks… \d+\/\d+ done/.test(f));
  assert.ok(counted.length > 0, frames.join('\n'));
  const totals = new Set(counted.map((f) => /\/(\d+) done/.exec(f)?.[1]));
  assert.equal(totals.size, 1, 'one total for the run');
  assert.ok(err.endsWith('\r\x1b[2K') || !/Running checks/.test(err.slice(err.lastIndexOf('\r\x1b[2K'))), 'the line is cleared');
  assert.match(out, /Workspace|workspace/, 'the report follows on stdout');
  assert.doesNotMatch(out, /Running checks/);
});

test('doctor without a TTY, with --json or --format github: no progress on stderr', async (t) => {
  const { ws, home } = await setup(t);
  ws.scenario.latencyMs = 100;
  for (const [what, tty, globals, opts] of [['no TTY', false, {}, {}], ['--json', true, { json: true }, {}], ['--format github', true, {}, { format: 'github' }]] as const) {
    const { err } = await run(home, tty, globals, opts);
    assert.doesNotMatch(err, /Running checks|done/, `${what}: ${err}`);
  }
});
