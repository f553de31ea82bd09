/**
 * Issue 20, item 4: doctor's progress line says how many checks are done of how many and names
 * the slow ones; the runner tells it when each check starts and ends (checks that wait on each
 * other through promises, a fake clock: no sleeps).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { doctorProgress } from '../../../src/ui/doctor-progress.js';
import { runChecks } from '../../../src/doctor/runner.js';
import { createCtx } from '../../../src/context.js';
import type { Facts } from '../../../src/doctor/facts.js';
import type { Check, CheckResult } from '../../../src/doctor/types.js';
import { createLogger } from '../../../src/ui/logger.js';
import { Writable } from 'node:stream';

test('the line: done/total, then the checks running for 2 s or more by name, oldest first, at most three', () => {
  let now = 0;
  const p = doctorProgress(() => now);
  assert.equal(p.text(), 'Running checks…', 'facts are still being gathered');
  p.begin(6);
  for (const [id, title] of [['a', 'Workspace reachable'], ['b', 'Genie handshake'], ['c', 'SQL handshake'], ['d', 'Grants'], ['e', 'Cursor config']]) {
    p.started({ id: id as string, title: title as string });
    now += 100;
  }
  assert.equal(p.text(), 'Running checks… 0/6 done');
  p.finished({ id: 'e' });
  now = 2_150;
  assert.equal(p.text(), 'Running checks… 1/6 done · waiting for Workspace reachable (2 s), Genie handshake (2 s)');
  now = 3_500;
  assert.equal(p.text(), 'Running checks… 1/6 done · waiting for Workspace reachable (3 s), Genie handshake (3 s), SQL handshake (3 s), +1 more');
  p.finished({ id: 'a' });
  p.finished({ id: 'b' });
  assert.equal(p.text(), 'Running checks… 3/6 done · waiting for SQL handshake (3 s), Grants (3 s)');
});

test('runChecks reports every check to the progress: begin with the total, started when it runs, finished for skipped ones too', async () => {
  const events: string[] = [];
  const ctx = await createCtx({}, { env: {}, interactive: false });
  const check = (id: string, dependsOn?: string[]): Check => ({ id, title: id.toUpperCase(), group: 'workspace', run: async (): Promise<CheckResult> => (id === 'a' ? { status: 'fail', summary: id, fix: 'x' } : { status: 'pass', summary: id }), ...(dependsOn ? { dependsOn } : {}) });
  await runChecks(ctx, {} as Facts, [check('a'), check('b', ['a']), check('c')], {
    deadlineMs: 10_000,
    progress: { begin: (n) => events.push(`begin ${n}`), started: (c) => events.push(`start ${c.id}`), finished: (o) => events.push(`end ${o.id}`) },
  });
  assert.equal(events[0], 'begin 3');
  assert.deepEqual(events.filter((e) => e.startsWith('start')).sort(), ['start a', 'start c'], 'b was skipped, never started');
  assert.deepEqual(events.filter((e) => e.startsWith('end')).sort(), ['end a', 'end b', 'end c']);
  assert.ok(events.indexOf('end a') < events.indexOf('end b'), 'b ended after its dependency');
});

/** A stream that says it is a terminal (or not) and keeps what was written. */
function stream(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(String(c)), cb()) }) as Writable & { isTTY: boolean; columns: number; text: () => string };
  w.isTTY = isTTY;
  w.columns = 40;
  w.text = () => chunks.join('');
  return w;
}

test('the spinner asks a function for its text at every frame, fits it in one terminal line, clears it at the end; nothing without a TTY', async () => {
  const tty = stream(true);
  let n = 0;
  const s = createLogger({ stderr: tty, stdout: stream(false), env: {} }).spinner(() => `step ${++n} ${'x'.repeat(60)}`);
  s.stop();
  const frames = tty.text().replace(/\x1b\[[0-9;]*m/g, '').split('\r\x1b[2K').filter(Boolean);
  assert.ok(frames.length >= 1, tty.text());
  assert.match(frames[0] as string, /step 1 x+…$/);
  assert.ok((frames[0] as string).length < 40, `fits the terminal width: ${frames[0]}`);
  assert.ok(tty.text().endsWith('\r\x1b[2K'), 'the line is cleared');

  for (const [what, opts] of [['no TTY', { stderr: stream(false) }], ['--json', { stderr: stream(true), json: true }], ['CI', { stderr: stream(true), env: { CI: '1' } }]] as const) {
    const err = opts.stderr;
    let asked = 0;
    createLogger({ env: {}, stdout: stream(false), ...opts }).spinner(() => `asked ${++asked}`).stop();
    assert.equal(err.text(), '', what);
    assert.equal(asked, 0, `${what}: the line is not even computed`);
  }
});
