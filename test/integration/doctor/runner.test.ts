import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { createCtx } from '../../../src/context.js';
import type { Facts } from '../../../src/doctor/facts.js';
import { matchesId, runChecks, unknownPatterns } from '../../../src/doctor/runner.js';
import { escapeData, escapeProperty, renderGithub } from '../../../src/ui/doctor-github.js';
import { renderHuman } from '../../../src/ui/doctor-human.js';
import type { Check, CheckResult } from '../../../src/doctor/types.js';
import { handshake } from '../../../src/mcp/handshake.js';
import { capturingLogger, doctor, setup, writeJson } from './helpers.js';

const facts = {} as Facts;
const ctxP = createCtx({}, { env: {}, interactive: false, log: capturingLogger() });

function check(id: string, run: Check['run'], dependsOn?: string[], timeoutMs?: number): Check {
  return { id, title: id, group: 'workspace', run, ...(dependsOn ? { dependsOn } : {}), ...(timeoutMs ? { timeoutMs } : {}) };
}

/** A promise and its resolver, to make checks wait for each other instead of for the clock. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test('independent checks run concurrently; dependants skip with the reason; a throw does not stop the others', async () => {
  const ctx = await ctxP;
  // a, b and c each wait until all three have started: run one after another, none could
  // finish, and the deadline would fail them.
  const allStarted = deferred();
  let started = 0;
  const together = async (r: CheckResult): Promise<CheckResult> => {
    if (++started === 3) allStarted.resolve();
    await allStarted.promise;
    return r;
  };
  const report = await runChecks(ctx, facts, [
    check('a', () => together({ status: 'pass', summary: 'a' })),
    check('b', () => together({ status: 'fail', summary: 'b broke', fix: 'fix b' })),
    check('c', () => together({ status: 'pass', summary: 'c' })),
    check('d', async () => ({ status: 'pass', summary: 'd' }), ['b']),
    check('boom', async () => {
      throw new Error('kaboom');
    }),
    check('e', async () => ({ status: 'pass', summary: 'e' }), ['a', 'c']),
  ], { deadlineMs: 10_000 });
  const by = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  assert.equal(by.a!.status, 'pass', by.a!.summary);
  assert.equal(by.b!.summary, 'b broke');
  assert.equal(by.d!.status, 'skip');
  assert.equal(by.d!.summary, 'skipped: b failed');
  assert.equal(by.boom!.status, 'fail');
  assert.equal(by.boom!.summary, 'unexpected error in boom: kaboom');
  assert.ok(by.boom!.fix);
  assert.equal(by.e!.status, 'pass');
  assert.deepEqual(report.summary, { pass: 3, warn: 0, fail: 2, skip: 1 });
  assert.equal(report.ok, false);
});

test('per-check timeout and the overall deadline: never hangs (mocked clock)', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const ctx = await ctxP;
  const slowStarted = deferred();
  const slowerStarted = deferred();
  const never = (started: { resolve: () => void }): Check['run'] => () => {
    started.resolve();
    return new Promise<CheckResult>(() => undefined); // a check that never answers
  };
  const done = runChecks(ctx, facts, [
    check('slow', never(slowStarted), undefined, 100),
    check('slower', never(slowerStarted)),
    check('after', async () => ({ status: 'pass', summary: 'x' }), ['slower']),
  ], { deadlineMs: 300 });
  await Promise.all([slowStarted.promise, slowerStarted.promise]);
  t.mock.timers.tick(100); // the per-check timeout of "slow"
  t.mock.timers.tick(200); // the overall deadline
  const report = await done;
  const by = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  assert.equal(by.slow!.status, 'fail');
  assert.match(by.slow!.summary, /no result within 0\.1 s/);
  assert.match(by.slower!.summary, /overall deadline/);
  assert.ok(by.slow!.fix && by.slower!.fix);
  assert.equal(by.after!.status, 'skip');
});

test('a check can read another one\'s outcome through `after`, and --only pulls that one in', async () => {
  const ctx = await ctxP;
  const all: Check[] = [
    check('workspace.reachable', async () => ({ status: 'fail', summary: 'down', fix: 'vpn', data: { kind: 'unreachable' } })),
    { ...check('server.x.handshake', async (_c, _f, rc) => {
      const w = await rc.outcome('workspace.reachable');
      return { status: 'skip', summary: `saw ${w?.status}` };
    }), after: ['workspace.reachable'] },
  ];
  const r = await runChecks(ctx, facts, all, { deadlineMs: 10_000, only: ['server.x'] });
  assert.deepEqual(r.checks.map((c) => c.id), ['workspace.reachable', 'server.x.handshake']);
  assert.equal(r.checks[1]!.summary, 'saw fail');
});

test('--only pulls in dependencies; --skip reports skip; ids match by prefix', async () => {
  const ctx = await ctxP;
  const ok = async () => ({ status: 'pass' as const, summary: 'ok' });
  const all = [check('profile.resolved', ok), check('auth.token', ok, ['profile.resolved']), check('server.x.grants', ok, ['auth.token']), check('server.y.handshake', ok)];
  const r = await runChecks(ctx, facts, all, { deadlineMs: 1_000, only: ['server.x'] });
  assert.deepEqual(r.checks.map((c) => c.id), ['profile.resolved', 'auth.token', 'server.x.grants']);
  const r2 = await runChecks(ctx, facts, all, { deadlineMs: 1_000, skip: ['auth'] });
  assert.equal(r2.checks.find((c) => c.id === 'auth.token')!.summary, 'skipped (--skip)');
  assert.equal(r2.checks.find((c) => c.id === 'server.x.grants')!.status, 'skip');
  assert.ok(matchesId('server.a.b', 'server'));
  assert.ok(matchesId('server.a.b', 'server.a.'));
  assert.ok(!matchesId('server.ab.c', 'server.a'));
  assert.ok(matchesId('client.cursor.config', 'client.*'));
  const u = unknownPatterns(all, ['server.x', 'nonsense', 'server.z', 'client.cursor'], ['client.cursor']);
  assert.deepEqual(u.unknown, ['nonsense', 'server.z']);
  assert.ok(u.valid.includes('server') && u.valid.includes('server.x.grants') && u.valid.includes('client.cursor'));
});

test('renderers: github escaping, human grouping with Fix lines', async () => {
  assert.equal(escapeData('50% a\r\nb'), '50%25 a%0D%0Ab');
  assert.equal(escapeProperty('a:b,c%'), 'a%3Ab%2Cc%25');
  const report = {
    ok: false, durationMs: 10, summary: { pass: 1, warn: 1, fail: 1, skip: 0 }, problems: 1,
    checks: [
      { id: 'auth.current-user', title: 'Signed in', group: 'workspace' as const, status: 'fail' as const, summary: 'blocked: 1,2\nnext', fix: 'do: this', durationMs: 1 },
      { id: 'server.s.handshake', title: 's: MCP handshake', subject: 's', group: 'server' as const, status: 'warn' as const, summary: 'no tools', fix: 'check grants', durationMs: 1 },
      { id: 'env.node', title: 'Node', group: 'environment' as const, status: 'pass' as const, summary: 'ok', durationMs: 1 },
    ],
  };
  const gh = renderGithub(report);
  assert.match(gh, /^::error title=dbx-mcp doctor%3A auth.current-user::blocked: 1,2%0Anext%0AFix: do: this$/m);
  assert.match(gh, /^::warning title=dbx-mcp doctor%3A server.s.handshake::no tools%0AFix: check grants$/m);
  const human = renderHuman(report, { color: false, verbose: false });
  assert.match(human, /^Workspace\n  ✖ Signed in: blocked/m);
  assert.match(human, /^      Fix: do: this$/m);
  assert.match(human, /blocked: 1,2 next/);
  assert.match(human, /^Servers\n  s\n    ⚠ MCP handshake: no tools\n        Fix: check grants$/m);
  assert.match(human, /1 passed, 1 warning, 1 failed, 0 skipped/);
});

/** A bare MCP server answering JSON (no SSE, no session) with zero tools. */
async function zeroToolServer(t: { after: (f: () => void) => void }): Promise<string> {
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const msg = JSON.parse(body || '{}') as { id?: number; method?: string };
      if (msg.id === undefined) return void res.writeHead(202).end();
      const result = msg.method === 'initialize' ? { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 'stub', version: '1' } } : { tools: [] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.after(() => srv.close());
  return `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
}

test('handshake over plain JSON responses; zero tools is a warning that points at grants', async (t) => {
  const base = await zeroToolServer(t);
  const r = await handshake({ transport: 'http', url: `${base}/api/2.0/mcp/sql` }, { timeoutMs: 2_000 });
  assert.equal(r.ok, true);
  assert.deepEqual(r.tools, []);
  assert.equal(r.serverInfo?.name, 'stub');
  // The profile is for the stub's host: the token rule lets the header go there.
  const { home } = await setup(t, { cfg: () => `[DEFAULT]\nhost = ${base}\ntoken = dapi-stub\n` });
  writeJson(home, '.cursor/mcp.json', { mcpServers: { stub: { url: `${base}/api/2.0/mcp/sql`, headers: { Authorization: 'Bearer ${env:DBX_TEST_TOKEN}' } } } });
  const d = await doctor(home, { only: ['server.stub.handshake'] });
  const hs = d.check('server.stub.handshake');
  assert.equal(hs.status, 'warn');
  assert.equal(hs.data?.kind, 'no-tools');
  assert.match(hs.fix!, /grants/);
});

test('stdio handshake: a missing command and a command that exits are reported, not thrown', async () => {
  const r = await handshake({ transport: 'stdio', command: 'definitely-not-a-command-xyz', args: [], env: { PATH: '/usr/bin:/bin' } }, { timeoutMs: 2_000 });
  assert.equal(r.ok, false);
  assert.equal(r.error?.kind, 'spawn');
  const r2 = await handshake({ transport: 'stdio', command: process.execPath, args: ['-e', 'process.stderr.write("Source IP address: 1.2.3.4 is blocked by Databricks IP ACL for workspace: 42\\n"); process.exit(3)'], env: {} }, { timeoutMs: 5_000 });
  assert.equal(r2.ok, false);
  assert.equal(r2.error?.kind, 'exit');
  assert.match(r2.error?.stderr ?? '', /blocked by Databricks IP ACL/);
});
