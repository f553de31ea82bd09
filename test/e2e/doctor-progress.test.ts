/**
 * Issue 20, item 4, through a real terminal (tmux): a doctor run on a slow network shows which
 * checks are done and which it waits for, by name, while it runs, and the line is gone once the
 * report is printed. The fake workspace answers every request late (its latency switch).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceWithHome } from '../helpers/workspace.js';
import { BIN, isolatedEnv } from '../helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

test('doctor in a real terminal: "n/N done · waiting for <check> (s)" while it runs, cleared before the report', { skip: !hasTmux && 'tmux is not installed', timeout: 90_000 }, async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  ws.scenario.latencyMs = 2_500;
  const session = `dbx-mcp-doctor-${process.pid}-${Date.now()}`;
  const env = isolatedEnv(home, { CI: undefined, NO_COLOR: '1', TERM: 'xterm-256color' });
  const envArgs = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  const marker = join(home, 'exit-code');
  const cmd = ['env', '-i', ...envArgs, process.execPath, BIN, 'doctor', '--timeout', '60'].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '60', '-c', home, `${cmd}; echo $? > '${marker}.tmp'; mv '${marker}.tmp' '${marker}'; sleep 60`);
  t.after(() => spawnSync('tmux', ['kill-session', '-t', session]));
  const pane = () => tmux('capture-pane', '-p', '-t', session, '-S', '-200');
  // Polling the screen is how a terminal is read; the process is not waited on by the clock.
  const waitFor = async (done: () => boolean, what: string, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!done()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the terminal shows:\n${pane()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await waitFor(() => /Running checks… \d+\/\d+ done · waiting for \S.* \(\d+ s\)/.test(pane()), 'the progress line naming a slow check');
  await waitFor(() => existsSync(marker), 'doctor to exit');
  const screen = pane();
  assert.match(readFileSync(marker, 'utf8').trim(), /^[01]$/, screen);
  assert.doesNotMatch(screen, /Running checks/, `the progress line was cleared:\n${screen}`);
  assert.match(screen, /✔|✖|⚠/, 'the report is on the screen');
});
