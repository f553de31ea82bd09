/**
 * A write a kill interrupted is reported until a writing command recovers it (issue 19): `list`
 * and `doctor` (which only read) name the files and say what to do; the next `add` recovers it
 * and the report goes. Killed before the config rename the next run undoes it; killed after it
 * (before state.json's) the next run finishes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.js';
import { start } from '../helpers/pause.js';
import { workspaceWithHome } from '../helpers/workspace.js';

interface Pending {
  files: string[];
  recovery: 'finished' | 'undone';
  message: string;
  fix: string;
}

/** Runs `args` paused at each write step until the pause is the rename of a file matching `what`, and kills it there. */
async function killAtRename(home: string, args: string[], what: RegExp): Promise<void> {
  for (let step = 1; step <= 40; step++) {
    const run = start(args, home, { DBX_MCP_TEST_PAUSE_AT_WRITE: String(step) }, /paused before write step \d+ \([^)]*\)/);
    const paused = await run.marker;
    run.child.kill('SIGKILL');
    const { stderr } = await run.done;
    assert.ok(paused, `step ${step} reached without a rename of ${what}: ${stderr}`);
    const at = /paused before write step \d+ \(([^)]*)\)/.exec(stderr)?.[1] ?? '';
    if (at.startsWith('rename ') && what.test(at)) return;
  }
  assert.fail(`no rename of ${what}`);
}

async function pending(home: string): Promise<Pending | undefined> {
  const list = await runCli(['list', '--json'], { home });
  assert.equal(list.code, 0, list.stderr);
  return (JSON.parse(list.stdout) as { pendingWrite?: Pending }).pendingWrite;
}

async function doctorCheck(home: string): Promise<{ status: string; fix?: string; data?: { kind: string; recovery: string } }> {
  const r = await runCli(['doctor', '--json', '--only', 'env.pending-write'], { home });
  const checks = (JSON.parse(r.stdout) as { checks: { id: string; status: string; fix?: string; data?: { kind: string; recovery: string } }[] }).checks;
  const c = checks.find((x) => x.id === 'env.pending-write');
  assert.ok(c, r.stdout);
  return c;
}

for (const { at, what, recovery } of [
  { at: 'the config rename', what: /\.mcp\.json\.\d+\./, recovery: 'undone' },
  { at: 'the state.json rename', what: /\.state\.json\.\d+\./, recovery: 'finished' },
] as const) {
  test(`killed before ${at}: list and doctor report the interrupted write and the fix until the next add recovers it (${recovery})`, async (t) => {
    const { home } = await workspaceWithHome(t);
    assert.equal((await runCli(['add', 'sql', '--name', 'base', '--client', 'cursor', '--yes'], { home })).code, 0);
    assert.equal(await pending(home), undefined, 'nothing pending after a write that completed');
    assert.equal((await doctorCheck(home)).status, 'pass');

    await killAtRename(home, ['add', 'sql', '--name', 'killed', '--client', 'cursor', '--yes'], what);
    const p = await pending(home);
    assert.ok(p, 'list --json reports it');
    assert.equal(p.recovery, recovery);
    assert.ok(p.files.some((f) => f.endsWith('.cursor/mcp.json')), p.files.join(', '));
    assert.match(p.message, /^A dbx-mcp write was interrupted and not yet recovered: .*~\/\.cursor\/mcp\.json/);
    assert.match(p.fix, /^Run the dbx-mcp command that was interrupted \(add, remove, sync or init\) again/);
    const human = await runCli(['list'], { home });
    assert.equal(human.code, 0);
    assert.match(human.stderr, /A dbx-mcp write was interrupted and not yet recovered[\s\S]*Run the dbx-mcp command that was interrupted/);
    const d = await doctorCheck(home);
    assert.equal(d.status, 'warn');
    assert.equal(d.data?.kind, 'pending-write');
    assert.equal(d.data?.recovery, recovery);
    assert.match(d.fix ?? '', /Run the dbx-mcp command that was interrupted/);

    const again = await runCli(['add', 'sql', '--name', 'killed', '--client', 'cursor', '--yes'], { home });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await pending(home), undefined, 'recovered: nothing pending');
    assert.equal((await doctorCheck(home)).status, 'pass');
    assert.doesNotMatch((await runCli(['list'], { home })).stderr, /interrupted/);
  });
}
