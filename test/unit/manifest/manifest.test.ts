import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, UsageError } from '../../../src/errors.js';
import {
  findManifest, loadManifest, manifestFromChoices, manifestToSpecs, parseManifest, renderManifest, MANIFEST_SCHEMA_URL, type Manifest,
} from '../../../src/manifest/index.js';
import { tempDir } from '../../helpers/temp.js';

const HOST = 'https://dbc-1234abcd-5678.cloud.databricks.com';
const SPACE = '01ef34712a29169db030324fd0e1df5f';
const good = {
  $schema: MANIFEST_SCHEMA_URL,
  version: 1,
  workspace: { host: HOST },
  servers: [
    { type: 'genie', space_id: SPACE, name: 'sales' },
    { type: 'vector-search', target: 'main.docs.product_docs' },
    { type: 'functions', target: 'main.tools' },
    { type: 'sql', meta: { warehouse_id: 'abcdef1234567890' } },
    { type: 'external', connection: 'github_conn' },
    { type: 'mcp-service', service: 'system.ai.genie_one_mcp' },
    { type: 'app', app: 'mcp-sales' },
  ],
  clients: ['cursor', 'claude-code'],
  auth: 'oauth',
  oauth: { clientId: 'c0ffee00-1111-4222-8333-444455556666', callbackPort: 3334 },
  scope: 'user',
};
const parse = (doc: unknown) => parseManifest(JSON.stringify(doc), '/repo/dbx-mcp.json');

function usage(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.exitCode, ExitCode.Usage);
    return e;
  }
  assert.fail('expected a UsageError');
}

test('a complete manifest parses, every server type included', () => {
  const m = parse(good);
  assert.equal(m.servers.length, 7);
  assert.equal(m.oauth?.callbackPort, 3334);
});

test('a minimal manifest parses (comments allowed)', () => {
  const m = parseManifest(`// team servers\n{"version": 1, "workspace": {"host": "dbc-1.cloud.databricks.com"}, "servers": [{"type": "sql"}]}`, 'x.json');
  assert.deepEqual(m.servers, [{ type: 'sql' }]);
});

test('every problem is listed at once, with the file and the field', () => {
  const e = usage(() =>
    parse({ version: 2, workspace: { host: 'http://example.com' }, servers: [{ type: 'genie', space_id: 'nope' }, { type: 'functions', target: 'main' }, { type: 'bogus' }], clients: ['emacs'], extra: 1 }),
  );
  for (const field of ['version', 'workspace.host', 'servers[0].space_id', 'servers[1].target', 'servers[2].type', 'clients[0]', '(top level)']) {
    assert.ok(e.message.includes(`${field}:`), `${field} in ${e.message}`);
  }
  assert.ok(e.message.startsWith('/repo/dbx-mcp.json'));
});

test('no servers, duplicate names and oauth without a client id are rejected', () => {
  assert.match(usage(() => parse({ ...good, servers: [] })).message, /servers: list at least one server/);
  const dup = usage(() => parse({ ...good, servers: [{ type: 'sql' }, { type: 'genie', space_id: SPACE, name: 'databricks-sql' }] }));
  assert.match(dup.message, /servers\[1\]\.name: "databricks-sql" is also the name of servers\[0\]/);
  const { oauth: _o, ...noOauth } = good;
  assert.match(usage(() => parse(noOauth)).message, /oauth\.clientId/);
});

test('anything that looks like a secret is rejected without echoing it', () => {
  const pat = 'dapi0123456789abcdef0123456789abcdef';
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJl';
  const cases: [unknown, RegExp][] = [
    [{ ...good, token: 'whatever' }, /token: a "token" field/],
    [{ ...good, oauth: { ...good.oauth, client_secret: 'x' } }, /oauth\.client_secret/],
    [{ ...good, servers: [{ type: 'sql', meta: { warehouse_id: pat } }] }, /servers\[0\]\.meta\.warehouse_id: a Databricks personal access token/],
    [{ ...good, servers: [{ type: 'sql', meta: { session: jwt } }] }, /servers\[0\]\.meta\.session: a JSON Web Token/],
    [{ ...good, workspace: { host: HOST, password: 'x' } }, /workspace\.password/],
  ];
  for (const [doc, re] of cases) {
    const e = usage(() => parse(doc));
    assert.equal(e.code, 'MANIFEST_SECRET');
    assert.match(e.message, re);
    assert.ok(!e.message.includes(pat) && !e.message.includes(jwt) && !String(e.hint).includes(pat));
  }
});

test('manifestFromChoices + renderManifest: $schema first, 2 spaces, trailing newline, round trip', () => {
  const m = manifestFromChoices({
    host: `${HOST}/?o=123`,
    servers: [{ type: 'genie', target: SPACE.toUpperCase(), name: 'sales' }, { type: 'sql', meta: { warehouse_id: 'abc' } }, { type: 'functions', target: 'main.tools' }],
    clients: ['cursor', 'cursor', 'vscode'],
    auth: 'proxy',
  });
  const text = renderManifest(m);
  assert.ok(text.startsWith(`{\n  "$schema": "${MANIFEST_SCHEMA_URL}",\n  "version": 1,`));
  assert.ok(text.endsWith('}\n') && !text.endsWith('\n\n'));
  assert.equal(m.workspace.host, HOST);
  assert.deepEqual(m.clients, ['cursor', 'vscode']);
  assert.equal(m.auth, undefined, 'the default auth mode is left out');
  assert.deepEqual(parse(JSON.parse(text)), m);
  assert.throws(() => manifestFromChoices({ host: HOST, servers: [{ type: 'genie', target: 'nope' }] }), UsageError);
});

test('manifestToSpecs: user scope uses the profile and this installation; project scope is portable', () => {
  const m = parse({ ...good, auth: undefined, oauth: undefined }) as Manifest;
  const ctx = { execPath: '/usr/bin/node', argv: ['/usr/bin/node', '/opt/dbx-mcp/bin/dbx-mcp.js'], version: '1.2.3' };
  // An app's URL is the one the Apps API gave (sync resolves it); the others are built from the host.
  const appUrl = 'https://mcp-sales-1234567890123456.aws.databricksapps.com/mcp';
  const resolvedUrls = new Map([['databricks-app-mcp-sales', appUrl]]);
  const user = manifestToSpecs(ctx, m, 'work', { scope: 'user', resolvedUrls });
  assert.deepEqual(user.map((s) => s.name), ['sales', 'databricks-vector-search-main-docs-product-docs', 'databricks-functions-main-tools', 'databricks-sql', 'databricks-external-github-conn', 'databricks-genie-one-mcp', 'databricks-app-mcp-sales']);
  assert.equal(user[0]!.url, `${HOST}/api/2.0/mcp/genie/${SPACE}`);
  assert.equal(user[5]!.url, `${HOST}/ai-gateway/mcp-services/system.ai.genie_one_mcp`);
  assert.equal(user[6]!.url, appUrl);
  assert.throws(() => manifestToSpecs(ctx, m, 'work', { scope: 'user' }), /Apps API/, 'an app without its resolved URL is not guessed');
  assert.equal(user[0]!.profile, 'work');
  assert.equal(user[0]!.auth, 'proxy');
  assert.deepEqual(user[3]!.meta, { warehouse_id: 'abcdef1234567890' });
  assert.equal(user[0]!.launcher.command, '/usr/bin/node');
  const project = manifestToSpecs(ctx, m, 'work', { scope: 'project', resolvedUrls });
  assert.equal(project[0]!.profile, undefined);
  assert.deepEqual(project[0]!.launcher, { command: 'npx', args: ['-y', 'dbx-mcp@1.2.3'] });
  const custom = manifestToSpecs(ctx, m, undefined, { scope: 'project', proxyCommand: 'dbx-mcp', resolvedUrls });
  assert.deepEqual(custom[0]!.launcher, { command: 'dbx-mcp', args: [] });
});

test('findManifest walks up from cwd; an explicit missing path is exit 2', (t) => {
  const root = tempDir(t);
  const deep = join(root, 'a', 'b', 'c');
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(root, 'a', 'dbx-mcp.json'), JSON.stringify(good));
  const ctx = { cwd: deep, platform: process.platform };
  assert.equal(findManifest(ctx), join(root, 'a', 'dbx-mcp.json'));
  assert.equal(findManifest({ ...ctx, cwd: root }), undefined);
  assert.equal(findManifest(ctx, '../../dbx-mcp.json'), join(root, 'a', 'dbx-mcp.json'));
  usage(() => findManifest(ctx, 'nope.json'));
  assert.equal(loadManifest(ctx, join(root, 'a', 'dbx-mcp.json')).servers.length, 7);
  writeFileSync(join(root, 'broken.json'), '{"version": 1,');
  assert.equal((() => { try { loadManifest(ctx, join(root, 'broken.json')); } catch (e) { return (e as UsageError).exitCode; } return 0; })(), ExitCode.Usage);
});
