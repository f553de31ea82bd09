/**
 * Bad input on the command line (issue 10, items 3, 11, 12): blank values, numbers that are
 * not numbers, unknown options, and the help that lists every flag a command accepts. Each
 * case is exit 2 with one error line and the exact help command, and nothing written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES } from '../../src/emulator/index.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { workspaceWithHome } from '../helpers/workspace.js';

/** Exit 2, one error line plus one Fix line, no help dump, no stack trace, nothing on stdout. */
function assertUsage(r: CliResult, fix: RegExp, what: string): void {
  assert.equal(r.code, 2, `${what}: exit 2\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 2, `${what}: one error line and one Fix line, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^✖ /, what);
  assert.match(lines[1]!, fix, what);
  assert.doesNotMatch(r.stderr, /Usage:|\n\s+at /, `${what}: neither the whole help nor a stack trace`);
  assert.equal(r.stdout, '', `${what}: stdout stays empty`);
}

test('a blank --client (an unset shell variable) is a usage error and writes nothing', async (t) => {
  const { home } = await workspaceWithHome(t);
  mkdirSync(join(home, '.cursor')); // a detected client: the old code wrote to it
  for (const value of ['', '  ', ',']) {
    const r = await runCli(['add', 'sql', '--client', value, '--yes'], { home });
    assertUsage(r, /^ {2}Fix: Run 'dbx-mcp add sql --help'/, `--client ${JSON.stringify(value)}`);
    assert.match(r.stderr, /--client/);
  }
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false, 'nothing was written');
});

test('every list-valued flag and every value-taking flag refuses a blank value', async (t) => {
  const home = tempDir(t);
  const cases: [string[], string][] = [
    [['add', 'genie', '01ef34712a29169db030324fd0e1df5f', '--meta', ''], 'add genie'],
    [['remove', 'x', '--client', ''], 'remove'],
    [['list', '--client', ' '], 'list'],
    [['doctor', '--only', ''], 'doctor'],
    [['doctor', '--skip', ','], 'doctor'],
    [['doctor', '--client', ''], 'doctor'],
    [['init', '--genie', ''], 'init'],
    [['init', '--vector-search', ''], 'init'],
    [['init', '--functions', ' '], 'init'],
    [['init', '--external', ''], 'init'],
    [['oauth', 'register', '--client', ''], 'oauth register'],
    [['oauth', 'register', '--connector', ''], 'oauth register'],
    [['sync', '--client', ''], 'sync'],
    [['sync', '--manifest', ''], 'sync'],
    [['add', 'sql', '--name', ''], 'add sql'],
    [['add', 'sql', '--client-id', ' '], 'add sql'],
    // Global flags are parsed by the program itself, whose help lists them.
    [['add', 'sql', '--profile', ''], ''],
    [['token', '--profile', ''], ''],
    [['proxy', '--url', ''], 'proxy'],
    [['proxy', '--url', 'https://h.example/api/2.0/mcp/sql', '--profile', ''], ''],
    [['proxy', '--url', 'https://h.example/api/2.0/mcp/sql', '--meta', ''], 'proxy'],
    [['remove', ''], 'remove'],
    [['add', 'external', ' '], 'add external'],
  ];
  for (const [args, command] of cases) {
    const r = await runCli(args, { home });
    assertUsage(r, new RegExp(`^ {2}Fix: Run 'dbx-mcp ${command ? `${command} ` : ''}--help'`), args.join(' '));
  }
});

test('remove "" names the argument in our words, not zod\'s', async (t) => {
  const r = await runCli(['remove', ''], { home: tempDir(t) });
  assertUsage(r, /Run 'dbx-mcp remove --help'/, 'remove ""');
  assert.doesNotMatch(r.stderr, /--name|String must contain|character\(s\)/);
  assert.match(r.stderr, /argument 'name'.*empty/);
});

test('numeric flags: a non-number or a value out of range names the flag and the range', async (t) => {
  const home = tempDir(t);
  const cases: [string[], string, RegExp][] = [
    [['doctor', '--timeout', 'abc'], 'doctor', /--timeout.*'abc'.*number of seconds from 1 to 3600/],
    [['doctor', '--timeout', '0'], 'doctor', /--timeout.*from 1 to 3600/],
    [['add', 'sql', '--callback-port', '80'], 'add sql', /--callback-port.*whole number from 1024 to 65535/],
    [['add', 'sql', '--callback-port', '3334x'], 'add sql', /--callback-port/],
    [['init', '--callback-port', '1e9'], 'init', /--callback-port/],
    [['oauth', 'register', '--callback-port', 'x'], 'oauth register', /--callback-port/],
    [['oauth', 'register', '--access-token-ttl', 'abc'], 'oauth register', /--access-token-ttl.*whole number of minutes from 5 to 1440/],
    [['oauth', 'register', '--refresh-token-ttl', '7.5'], 'oauth register', /--refresh-token-ttl.*from 5 to 129600/],
  ];
  for (const [args, command, message] of cases) {
    const r = await runCli(args, { home });
    assertUsage(r, new RegExp(`Run 'dbx-mcp ${command} --help'`), args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /Expected number, received|nan\b/i, args.join(' '));
  }
});

test('--meta without a value: the flag once, the bad value, the form it takes', async (t) => {
  const home = tempDir(t);
  const add = await runCli(['add', 'sql', '--client', 'cursor', '--meta', 'novalue'], { home });
  assertUsage(add, /Run 'dbx-mcp add sql --help'/, 'add --meta novalue');
  assert.match(add.stderr, /^✖ --meta "novalue": expected key=value/);
  const proxy = await runCli(['proxy', '--url', 'http://127.0.0.1:9/api/2.0/mcp/sql', '--meta', 'novalue'], { home });
  assertUsage(proxy, /Run 'dbx-mcp proxy --help'/, 'proxy --meta novalue');
  assert.match(proxy.stderr, /^✖ --meta "novalue": expected key=value/);
});

test('a hint names the real command, never the <command> placeholder', async (t) => {
  const home = tempDir(t);
  for (const [args, command] of [
    [['add', 'sql', '--name', 'a b', '--client', 'cursor'], 'add sql'],
    [['add', 'functions', 'main.tools', '--meta', 'x'], 'add functions'],
    [['init', '--name', '-bad', '--client', 'cursor'], 'init'],
  ] as const) {
    const r = await runCli([...args], { home });
    assertUsage(r, new RegExp(`Run 'dbx-mcp ${command} --help'`), args.join(' '));
    assert.doesNotMatch(r.stderr, /<command>/);
  }
});

test('an unknown option: one error line and the help command of that subcommand, not the help', async (t) => {
  const home = tempDir(t);
  for (const [args, command] of [
    [['add', 'genie', '01ef34712a29169db030324fd0e1df5f', '--bogus'], 'add genie'],
    [['proxy', '--url', 'https://h.example/x', '--bogus'], 'proxy'],
    [['oauth', 'register', '--bogus'], 'oauth register'],
    [['doctor', '--bogus'], 'doctor'],
    [['frobnicate'], ''],
  ] as const) {
    const r = await runCli([...args], { home });
    assertUsage(r, new RegExp(`^ {2}Fix: Run 'dbx-mcp ${command ? `${command} ` : ''}--help'`), args.join(' '));
  }
});

test("every subcommand's help lists the global options it accepts", async (t) => {
  const home = tempDir(t);
  const globals = ['--profile', '--json', '--yes', '--dry-run', '--verbose', '--quiet'];
  for (const command of [['proxy'], ['add', 'genie'], ['add', 'sql'], ['remove'], ['list'], ['token'], ['doctor'], ['init'], ['oauth', 'register'], ['sync'], ['onboarding-script']]) {
    const r = await runCli([...command, '--help'], { home });
    assert.equal(r.code, 0, command.join(' '));
    for (const flag of globals) assert.match(r.stdout, new RegExp(`${flag}\\b`), `${command.join(' ')} --help lists ${flag}`);
  }
});

test('add genie takes the space URL pasted from the browser (the hint says to copy it from there)', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const id = DEMO_GENIE_SPACES.sales;
  const r = await runCli(['add', 'genie', `${ws.url}/genie/rooms/${id}?o=1234567890123456`, '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  const entry = JSON.parse(readFileSync(join(home, '.cursor/mcp.json'), 'utf8')).mcpServers['databricks-genie-sales-analytics'] as { args: string[] };
  assert.ok(entry.args.includes(ws.mcpUrl('genie', id)), JSON.stringify(entry));
});
