/**
 * The client catalog is the one place a client is defined: every definition is complete and
 * usable on every OS, the CLI's client lists (help, hints, manifest enum) come from it, and no
 * module outside src/clients/catalog/ names a client id — so a new client is its catalog file,
 * one line in catalog/index.ts, and its test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENT_IDS, CLIENTS, PROJECT_CLIENT_IDS } from '../../../src/clients/catalog/index.js';
import { renderEntry } from '../../../src/clients/registry.js';
import { entryReader } from '../../../src/clients/read-entry.js';
import type { AuthMode, PathInput, ServerSpec } from '../../../src/clients/types.js';
import { loadCodec } from '../../../src/config/codecs/index.js';
import { ManifestSchema } from '../../../src/manifest/schema.js';
import { buildProgram } from '../../../src/program.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const inputs: PathInput[] = [
  { platform: 'darwin', env: {}, home: '/Users/ann', cwd: '/Users/ann/repo' },
  { platform: 'linux', env: {}, home: '/home/ann', cwd: '/home/ann/repo' },
  { platform: 'win32', env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, home: 'C:\\Users\\ann', cwd: 'C:\\src\\repo', listDir: () => [] },
];

const spec: ServerSpec = {
  name: 'sql',
  url: 'https://adb-1.azuredatabricks.net/api/2.0/mcp/sql',
  kind: 'sql',
  auth: 'proxy',
  profile: 'DEFAULT',
  launcher: { command: '/usr/bin/node', args: ['/opt/dbx-mcp/bin/dbx-mcp.js'] },
  oauth: { clientId: 'abc' },
};

test('catalog ids are unique kebab-case and in a stable order', () => {
  assert.equal(new Set(CLIENT_IDS).size, CLIENT_IDS.length);
  for (const id of CLIENT_IDS) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  assert.deepEqual(PROJECT_CLIENT_IDS, CLIENTS.filter((c) => c.projectPath !== null).map((c) => c.id));
});

for (const def of CLIENTS) {
  test(`catalog definition is complete and usable: ${def.id}`, async () => {
    assert.ok(def.displayName.trim() !== '' && def.restartHint.trim() !== '' && def.oauthSignInHint.trim() !== '');
    assert.ok(def.serversPath.length > 0 && def.serversPath.every((k) => k !== ''));
    const codec = await loadCodec(def.format);
    assert.equal(codec.id, def.format);
    for (const p of inputs) {
      const user = def.userPath(p);
      assert.ok(user.startsWith(p.home) || user.startsWith('C:\\Users\\ann'), `${def.id} ${p.platform} user path under home: ${user}`);
      if (def.projectPath !== null) assert.ok(def.projectPath(p, p.cwd!).startsWith(p.cwd!), `${def.id} ${p.platform} project path under cwd`);
      assert.ok(def.detectionDirs(p).length > 0, `${def.id} ${p.platform} has somewhere to look`);
    }
    for (const url of def.oauthRedirects(3334)) assert.doesNotThrow(() => new URL(url), url);
    assert.ok(def.oauthRedirects(3334).length > 0);
    // Every auth mode renders in the client's dialect, and the stdio shape carries the command.
    for (const auth of ['proxy', 'header', 'oauth', 'mcp-remote'] as AuthMode[]) {
      const r = renderEntry(def.id, { ...spec, auth }, 'linux');
      assert.ok(Object.keys(r.entry).length > 0, `${def.id} ${auth}`);
    }
    const read = entryReader(def.dialect)(def.dialect.stdioEntry({ command: 'x', args: ['y'] }));
    assert.deepEqual(read?.transport === 'stdio' ? read.command : undefined, 'x');
    // The shape rules and file rules answer for any entry without throwing.
    assert.ok(Array.isArray(def.shapeRules({ name: 'n', entry: { url: 'https://h/' }, isDatabricks: true, owned: true })));
    assert.ok(Array.isArray(def.fileRules({}, 'f')));
  });
}

test('the CLI lists of clients are derived from the catalog', () => {
  const add = buildProgram().commands.find((c) => c.name() === 'add');
  assert.ok(add);
  const clientOpt = [add, ...add.commands].flatMap((c) => c.options).find((o) => o.long === '--client');
  assert.ok(clientOpt, 'add has --client');
  assert.ok(clientOpt.description.includes(CLIENT_IDS.join(', ')), clientOpt.description);
  const parsed = ManifestSchema.safeParse({ version: 1, workspace: { host: 'https://adb-1.azuredatabricks.net' }, servers: [], clients: ['no-such-client'] });
  assert.equal(parsed.success, false);
  const enumIssue = parsed.error?.issues.find((i) => i.path.includes('clients'));
  assert.ok(enumIssue && 'options' in enumIssue, JSON.stringify(parsed.error?.issues));
  assert.deepEqual((enumIssue as { options: unknown[] }).options, [...CLIENT_IDS]);
});

/** Files outside the catalog that may name a client id, and why. */
const ALLOWED: Record<string, string> = {
  'src/init/demo.ts': 'the demo picks three clients to show',
  'src/emulator/seed.ts': 'Databricks published OAuth app ids (claude-code) in the fake workspace',
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('no module outside src/clients/catalog/ names a client id in code', () => {
  const ids = CLIENT_IDS.map((id) => id.replace(/[-]/g, '\\-')).join('|');
  const literal = new RegExp(`(['"\`])(${ids})\\1`);
  const offenders: string[] = [];
  for (const file of walk(join(root, 'src'))) {
    const rel = relative(root, file).split('\\').join('/');
    if (rel.startsWith('src/clients/catalog/') || ALLOWED[rel] !== undefined) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      const code = line.replace(/^\s*(\*|\/\/|\/\*).*$/, '');
      if (literal.test(code)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
