/**
 * Review finding (regression in the FIFO change): `fleet install` reads its plan before the
 * try that turns a read failure into FLEET_PLAN, so a plan that cannot be read (EACCES, EIO)
 * now ends in "Unexpected error … This is a bug" (exit 1); before, it was a refusal naming the
 * file (exit 2). /proc/self/mem stands in for an unreadable file even as root (read: EIO).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

test('an unreadable fleet install plan is refused with its path (exit 2), not reported as a bug', { skip: !existsSync('/proc/self/mem') }, async (t) => {
  const home = tempDir(t);
  const dir = join(home, 'dbx-mcp-fleet', 'linux');
  mkdirSync(dir, { recursive: true });
  symlinkSync('/proc/self/mem', join(dir, 'fleet-plan.json'));
  const r = await runCli(['fleet', 'install', dir, '--root', join(home, 'root')], { home, timeoutMs: 15_000 });
  assert.doesNotMatch(r.stderr, /Unexpected error|This is a bug/, r.stderr);
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.stderr.includes('fleet-plan.json'), r.stderr);
});
