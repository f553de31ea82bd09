import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram } from '../../../src/program.js';
import { GLOBAL_FLAGS, PROXY_FLAGS } from '../../../src/workflows/flags.js';
import { FAST_GLOBAL_FLAGS, FAST_PROXY_FLAGS, parseProxyArgv } from '../../../src/proxy/argv.js';

const longNames = (options: readonly { long?: string }[]) => options.map((o) => o.long?.replace(/^--/, '')).filter((n): n is string => Boolean(n));

const longOf = (specs: Record<string, { flags: string }>) => Object.values(specs).map((f) => /--([\w-]+)/.exec(f.flags)![1]!);

test("the fast path knows exactly the flags of proxy's and the global declaration (workflows/flags.ts)", () => {
  assert.deepEqual([...FAST_PROXY_FLAGS].sort(), longOf(PROXY_FLAGS).sort());
  assert.deepEqual([...FAST_GLOBAL_FLAGS].sort(), longOf(GLOBAL_FLAGS).sort());
});

test('the fast path knows exactly the flags commander declares for proxy and globally', () => {
  const program = buildProgram();
  const proxy = program.commands.find((c) => c.name() === 'proxy')!;
  assert.deepEqual([...FAST_PROXY_FLAGS].sort(), longNames(proxy.options).sort());
  // commander adds --version itself; the fast path never sees it (cli.ts answers it first).
  assert.deepEqual([...FAST_GLOBAL_FLAGS].sort(), longNames(program.options).filter((n) => n !== 'version').sort());
});

test('parses what proxy entries write, like commander would', () => {
  assert.deepEqual(parseProxyArgv(['proxy', '--url', 'https://h/api/2.0/mcp/sql', '--profile', 'dev', '--meta', 'warehouse_id=abc,x=1', '--meta', 'y=2']), {
    globals: { profile: 'dev', json: undefined, yes: undefined, dryRun: undefined, verbose: undefined, quiet: undefined },
    options: { url: 'https://h/api/2.0/mcp/sql', meta: ['warehouse_id=abc', 'x=1', 'y=2'], caBundle: undefined, logLevel: 'warn' },
  });
  const r = parseProxyArgv(['proxy', '--url=https://h/x', '--verbose', '--ca-bundle', '/ca.pem', '--log-level', 'debug']);
  assert.equal(r?.globals.verbose, true);
  assert.deepEqual(r?.options, { url: 'https://h/x', meta: undefined, caBundle: '/ca.pem', logLevel: 'debug' });
});

test('leaves everything else to commander: help, unknown flags, positionals, a missing --url', () => {
  for (const argv of [
    ['proxy', '--help'],
    ['proxy', '-h'],
    ['proxy', '--url', 'https://h/x', '--bogus'],
    ['proxy', '--url', 'https://h/x', 'extra'],
    ['proxy'],
    ['proxy', '--url'],
    ['--profile', 'dev', 'proxy', '--url', 'https://h/x'],
    ['add', 'sql'],
  ]) {
    assert.equal(parseProxyArgv(argv), undefined, argv.join(' '));
  }
});

test('a blank value goes to commander, which refuses it (an unset shell variable must not pick another profile)', () => {
  for (const argv of [
    ['proxy', '--url', ' '],
    ['proxy', '--url', 'https://h/x', '--profile', ''],
    ['proxy', '--url', 'https://h/x', '--meta', ''],
    ['proxy', '--url', 'https://h/x', '--meta', 'a=1', '--meta', ','],
    ['proxy', '--url', 'https://h/x', '--ca-bundle', ''],
    ['proxy', '--url', 'https://h/x', '--log-level', ''],
  ]) {
    assert.equal(parseProxyArgv(argv), undefined, JSON.stringify(argv));
  }
});
