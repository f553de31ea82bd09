// The server-kind table is the one declaration of a kind: `add <kind>`, init's flags and
// picker, URL recognition, default names and the manifest's members all come from it. A new
// kind needs its entry in SERVER_KINDS and one sample below (the Record makes the compiler ask).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { buildProgram } from '../../../src/program.js';
import { addArguments, addKinds, initFlagSyntax, kindDef, type AddKind } from '../../../src/databricks/server-kinds/index.js';
import { defaultServerName, mcpUrl, parseMcpUrl, parseTarget, targetOfMcpUrl } from '../../../src/databricks/mcp-urls.js';
import { UsageError } from '../../../src/errors.js';
import { ManifestServerSchema } from '../../../src/manifest/schema.js';
import { serverTarget } from '../../../src/manifest/specs.js';
import { InitOptions } from '../../../src/init/options.js';
import { SERVERS_FLAG, targetsFrom } from '../../../src/init/servers-step.js';
import { readdCommand } from '../../../src/doctor/checks/server-handshake.js';

const HOST = 'https://dbc-1.cloud.databricks.com';

/** One typed target per kind, its parts, and the default name without a title. */
const SAMPLES = {
  genie: { typed: '01EF34712A29169DB030324FD0E1DF5F', parts: ['01ef34712a29169db030324fd0e1df5f'], name: 'databricks-genie-01ef3471', manifest: { space_id: '01ef34712a29169db030324fd0e1df5f' } },
  'vector-search': { typed: 'main.docs.idx', parts: ['main', 'docs', 'idx'], name: 'databricks-vector-search-main-docs-idx', manifest: { target: 'main.docs.idx' } },
  functions: { typed: 'main.tools', parts: ['main', 'tools'], name: 'databricks-functions-main-tools', manifest: { target: 'main.tools' } },
  sql: { typed: '', parts: [], name: 'databricks-sql', manifest: {} },
  external: { typed: 'github_conn', parts: ['github_conn'], name: 'databricks-external-github-conn', manifest: { connection: 'github_conn' } },
  'mcp-service': { typed: 'system.ai.genie_one_mcp', parts: ['system', 'ai', 'genie_one_mcp'], name: 'databricks-genie-one-mcp', manifest: { service: 'system.ai.genie_one_mcp' } },
  // An app's URL is on its own host, told by the Apps API (not built from the workspace host).
  app: { typed: 'mcp-sales', parts: ['mcp-sales'], name: 'databricks-app-mcp-sales', manifest: { app: 'mcp-sales' }, url: 'https://mcp-sales-1234567890123456.aws.databricksapps.com/mcp' },
} satisfies Record<AddKind, { typed: string; parts: string[]; name: string; manifest: Record<string, string>; url?: string }>;

const sub = (cmd: Command, name: string) => cmd.commands.find((c) => c.name() === name);

test('every kind of the table is an `add` subcommand with its argument, plus `add url`, and nothing else is', () => {
  const add = sub(buildProgram(), 'add')!;
  assert.deepEqual(add.commands.map((c) => c.name()), [...addKinds, 'url']);
  for (const kind of addKinds) {
    const arg = kindDef(kind).add.argument;
    assert.deepEqual(sub(add, kind)!.registeredArguments.map((a) => a.name()), arg ? [arg.name] : [], kind);
    assert.equal(sub(add, kind)!.description(), kindDef(kind).add.description);
  }
});

test('every kind is an init flag (repeatable when it takes a target), parsed by InitOptions into targets', () => {
  const init = sub(buildProgram(), 'init')!;
  const flags = init.options.map((o) => o.flags);
  for (const kind of addKinds) assert.ok(flags.includes(initFlagSyntax(kind)), `${initFlagSyntax(kind)} in ${flags.join(' ')}`);
  for (const kind of addKinds) assert.ok(SERVERS_FLAG.includes(initFlagSyntax(kind)), SERVERS_FLAG);

  init.parseOptions(addKinds.flatMap((k) => (kindDef(k).initFlag.value ? [`--${k}`, SAMPLES[k].typed] : [`--${k}`])));
  const o = InitOptions.parse(init.opts());
  assert.deepEqual(
    targetsFrom(o),
    addKinds.map((kind) => ({ kind, parts: SAMPLES[kind].parts })),
  );
});

test('a target round-trips through its MCP URL, and the pasted URL is accepted as the target', () => {
  for (const kind of addKinds) {
    const t = parseTarget(kind, SAMPLES[kind].typed);
    assert.deepEqual(t, { kind, parts: SAMPLES[kind].parts }, kind);
    const sample = SAMPLES[kind] as { url?: string };
    assert.equal(Boolean(kindDef(kind).resolvesUrl), Boolean(sample.url), kind);
    const url = sample.url ?? mcpUrl(HOST, t);
    const host = new URL(url).origin;
    assert.deepEqual(parseMcpUrl(url), { ...t, host }, url);
    assert.deepEqual(parseMcpUrl(`${url}/`), { ...t, host }, `${url}/`);
    if (t.parts.length) assert.deepEqual(parseTarget(kind, url), t, `pasted ${url}`);
  }
});

test('default names come from the table; a title names a Genie server', () => {
  for (const kind of addKinds) assert.equal(defaultServerName({ kind, parts: SAMPLES[kind].parts }), SAMPLES[kind].name);
  assert.equal(defaultServerName({ kind: 'genie', parts: SAMPLES.genie.parts }, 'Sales & Ops'), 'databricks-genie-sales-ops');
});

test('the manifest has one server type per kind, each naming the same target', () => {
  const types = ManifestServerSchema.options.map((o) => o.shape.type.value);
  assert.deepEqual(types, addKinds);
  for (const kind of addKinds) {
    const s = ManifestServerSchema.parse({ type: kind, ...SAMPLES[kind].manifest });
    assert.deepEqual(serverTarget(s), { kind, parts: SAMPLES[kind].parts }, kind);
  }
});

test("doctor's re-add command is the add subcommand and a target it accepts", () => {
  for (const kind of addKinds) {
    const t = { kind, parts: SAMPLES[kind].parts };
    const [name, target = ''] = addArguments(t).split(' ');
    assert.equal(name, kind);
    assert.deepEqual(parseTarget(kind, target), t);
  }
});

test('a managed URL without its target re-adds with the argument placeholder (not an empty argument)', () => {
  const server = (path: string) => {
    const url = `${HOST}/api/2.0/mcp/${path}`;
    return { key: 'x', name: 'x', url, target: parseMcpUrl(url), entries: [] };
  };
  assert.equal(readdCommand(server('functions')), 'dbx-mcp add functions <target> --name x --auth proxy');
  assert.equal(readdCommand(server('vector-search')), 'dbx-mcp add vector-search <target> --name x --auth proxy');
  assert.equal(readdCommand(server('external')), 'dbx-mcp add external <connection> --name x --auth proxy');
  assert.equal(readdCommand(server('genie')), 'dbx-mcp add genie <space_id> --name x --auth proxy');
  assert.equal(readdCommand(server('sql')), 'dbx-mcp add sql --name x --auth proxy');
});

test('a URL with a malformed %-escape is still recognised (doctor and list read such entries) and add url refuses it as input, never a crash', () => {
  for (const [path, kind] of [
    ['/api/2.0/mcp/functions/main/%E0%A4%A', 'functions'],
    ['/api/2.0/mcp/genie/%ZZ', 'genie'],
    ['/ai-gateway/mcp-services/system.ai.%E0%A4%A', 'mcp-service'],
  ] as const) {
    assert.equal(parseMcpUrl(`${HOST}${path}`)?.kind, kind, path);
    assert.throws(() => targetOfMcpUrl(`${HOST}${path}`, HOST), (e: unknown) => e instanceof UsageError, path);
  }
});
