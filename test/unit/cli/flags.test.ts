// Flags are declared once (src/workflows/flags.ts): commander's options and each command's zod
// schema are both built from the declaration, so the option keys commander produces must be
// the declaration's keys, and the schema must accept what commander parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { buildProgram } from '../../../src/program.js';
import * as flags from '../../../src/workflows/flags.js';
import { optionsSchema } from '../../../src/workflows/parse-options.js';
import { InitOptions } from '../../../src/init/options.js';
import { WriterOptions } from '../../../src/workflows/writer-options.js';

type Specs = Record<string, flags.FlagSpec>;
const find = (path: string[]): Command => path.reduce((c: Command, name) => c.commands.find((s) => s.name() === name)!, buildProgram());

const COMMANDS: [string[], Specs[]][] = [
  [['add', 'genie'], [flags.WRITER_FLAGS]],
  [['add', 'sql'], [flags.WRITER_FLAGS]],
  [['init'], [flags.WRITER_FLAGS, flags.INIT_FLAGS]],
  [['remove'], [flags.REMOVE_FLAGS]],
  [['list'], [flags.LIST_FLAGS]],
  [['token'], [flags.TOKEN_FLAGS]],
  [['login'], [flags.LOGIN_FLAGS]],
  [['doctor'], [flags.DOCTOR_FLAGS]],
  [['oauth', 'register'], [flags.OAUTH_REGISTER_FLAGS]],
  [['sync'], [flags.SYNC_FLAGS]],
  [['onboarding-script'], [flags.ONBOARDING_SCRIPT_FLAGS]],
  [['proxy'], [flags.PROXY_FLAGS]],
];

test("every command's options are its declaration, keyed as commander names them", () => {
  assert.deepEqual(buildProgram().options.filter((o) => o.long !== '--version').map((o) => o.attributeName()), Object.keys(flags.GLOBAL_FLAGS));
  for (const [path, specs] of COMMANDS) {
    const cmd = find(path);
    const declared = specs.flatMap((s) => Object.entries(s));
    assert.deepEqual(cmd.options.map((o) => o.attributeName()), declared.map(([k]) => k), path.join(' '));
    assert.deepEqual(cmd.options.map((o) => o.flags), declared.map(([, f]) => f.flags), path.join(' '));
  }
});

test("commander's defaults and the schema's defaults are the same values", () => {
  // proxy's --url is required: no defaults-only parse there.
  for (const [path, specs] of COMMANDS.filter(([p]) => p[0] !== 'proxy')) {
    const cmd = find(path);
    const schema = specs.length === 2 ? InitOptions : optionsSchema(Object.assign({}, ...specs) as Specs);
    cmd.parseOptions([]);
    assert.deepEqual(schema.parse({}), cmd.opts(), path.join(' '));
  }
});

test('what commander parses from every flag, the schema accepts unchanged', () => {
  const cmd = find(['add', 'sql']);
  cmd.parseOptions(['--client', 'cursor,vscode', '--scope', 'project', '--auth', 'header', '--name', 'x', '--client-id', 'claude-code', '--callback-port', '8080', '--token-env', 'T', '--literal-token', '--proxy-command', 'dbx', '--meta', 'a=1', '--force']);
  assert.deepEqual(WriterOptions.parse(cmd.opts()), cmd.opts());
});

test('--literal-token\'s help says what mcp-remote entries get without it (the token, in user scope), not that the flag controls it', () => {
  const help = find(['add', 'sql']).helpInformation().replace(/\s+/g, ' ');
  assert.match(help, /--literal-token .*header: write the token itself/);
  assert.match(help, /mcp-remote entries carry the token in user scope with or without it/);
  assert.doesNotMatch(help, /header\/mcp-remote: write the token/);
});
