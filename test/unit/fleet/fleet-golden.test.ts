// Golden files of `dbx-mcp fleet`, per client × OS × mode, parsed back by the clients' own
// formats (JSON.parse for Claude Code and Gemini CLI, the TOML parser for Codex).
// Regenerate after a deliberate change: UPDATE_GOLDEN=1 node test/run.mjs fleet-golden
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse as parseToml } from '@decimalturn/toml-patch';
import { FLEET_CLIENT_IDS, FLEET_OSES, type FleetMode } from '../../../src/fleet/catalog.js';
import { buildFleet } from '../../../src/fleet/generate.js';
import { resolveFleetOptions } from '../../../src/fleet/options.js';
import { parseManifest } from '../../../src/manifest/index.js';
import { CLIENTS } from '../../../src/clients/catalog/index.js';
import { ROOT } from '../../helpers/cli.js';

const GOLDEN = join(ROOT, 'test', 'fixtures', 'golden', 'fleet');
const VERSION = '9.9.9';
const HOST = 'https://dbc-1234abcd-5678.cloud.databricks.com';
const FLEET_MANIFEST = JSON.stringify({
  version: 1,
  workspace: { host: HOST },
  servers: [{ type: 'sql' }, { type: 'genie', space_id: '01ef34712a29169db030324fd0e1df5f', name: 'sales' }, { type: 'functions', target: 'main.tools', meta: { warehouse_id: 'abcdef1234567890' } }],
});

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

for (const mode of ['fixed', 'catalog'] as FleetMode[]) {
  test(`fleet ${mode}: every generated file equals its golden copy and parses back`, async () => {
    const manifest = parseManifest(FLEET_MANIFEST, 'dbx-mcp.json');
    const bundle = await buildFleet(manifest, { mode, oses: FLEET_OSES, clients: FLEET_CLIENT_IDS, version: VERSION });
    const dir = join(GOLDEN, mode);
    if (process.env.UPDATE_GOLDEN === '1') {
      for (const f of bundle.files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.text);
      }
    }
    assert.deepEqual(bundle.files.map((f) => f.path), listFiles(dir), 'the same set of files as the golden folder');
    for (const f of bundle.files) {
      assert.equal(f.text, readFileSync(join(dir, f.path), 'utf8'), `${mode}/${f.path}`);
      if (f.path.endsWith('.json')) JSON.parse(f.text);
      if (f.path.endsWith('.toml')) parseToml(f.text);
      // Never a secret, never a machine path: only the portable launcher and the workspace URL.
      assert.doesNotMatch(f.text, /dapi[0-9a-f]{8}|\/home\/|\/Users\/|C:\\\\Users/, f.path);
    }
  });
}

test('fleet fixed: Claude Code gets exactly the manifest servers in the portable proxy form (cmd /c on Windows)', async () => {
  const bundle = await buildFleet(parseManifest(FLEET_MANIFEST, 'dbx-mcp.json'), { mode: 'fixed', oses: FLEET_OSES, clients: ['claude-code'], version: VERSION });
  const linux = JSON.parse(bundle.files.find((f) => f.path === 'linux/claude-code/managed-mcp.json')!.text);
  assert.deepEqual(Object.keys(linux.mcpServers), ['databricks-sql', 'sales', 'databricks-functions-main-tools']);
  assert.deepEqual(linux.mcpServers['databricks-sql'], { type: 'stdio', command: 'npx', args: ['-y', 'dbx-mcp@9.9.9', 'proxy', '--url', `${HOST}/api/2.0/mcp/sql`] });
  assert.deepEqual(linux.mcpServers['databricks-functions-main-tools'].args.slice(-2), ['--meta', 'warehouse_id=abcdef1234567890']);
  const win = JSON.parse(bundle.files.find((f) => f.path === 'windows/claude-code/managed-mcp.json')!.text);
  assert.deepEqual(win.mcpServers['databricks-sql'].args.slice(0, 3), ['/c', 'npx', '-y']);
});

test('fleet catalog: the Claude Code allowlist names each server by its exact command and admits nothing else', async () => {
  const bundle = await buildFleet(parseManifest(FLEET_MANIFEST, 'dbx-mcp.json'), { mode: 'catalog', oses: ['macos'], clients: ['claude-code'], version: VERSION });
  const settings = JSON.parse(bundle.files.find((f) => f.path === 'macos/claude-code/managed-settings.json')!.text);
  assert.equal(settings.allowManagedMcpServersOnly, true);
  assert.deepEqual(settings.allowedMcpServers[0], { serverCommand: ['npx', '-y', 'dbx-mcp@9.9.9', 'proxy', '--url', `${HOST}/api/2.0/mcp/sql`] });
  assert.ok(!bundle.files.some((f) => f.path.endsWith('managed-mcp.json')), 'catalog mode deploys no fixed server set');
});

test('fleet with manifest auth oauth: Claude Code gets its native OAuth entry, allowlisted by URL', async () => {
  const m = parseManifest(JSON.stringify({ ...JSON.parse(FLEET_MANIFEST), auth: 'oauth', oauth: { clientId: 'dbx-mcp-public-client', callbackPort: 3118 } }), 'dbx-mcp.json');
  const fixed = await buildFleet(m, { mode: 'fixed', oses: ['linux'], clients: ['claude-code', 'codex'], version: VERSION });
  const claude = JSON.parse(fixed.files.find((f) => f.path === 'linux/claude-code/managed-mcp.json')!.text);
  assert.deepEqual(claude.mcpServers['databricks-sql'], { type: 'http', url: `${HOST}/api/2.0/mcp/sql`, oauth: { clientId: 'dbx-mcp-public-client', callbackPort: 3118 } });
  const codex = parseToml(fixed.files.find((f) => f.path === 'linux/codex/config.toml')!.text) as Record<string, unknown>;
  assert.equal(codex.mcp_oauth_callback_port, 3118);
  const catalog = await buildFleet(m, { mode: 'catalog', oses: ['linux'], clients: ['claude-code'], version: VERSION });
  const settings = JSON.parse(catalog.files.find((f) => f.path === 'linux/claude-code/managed-settings.json')!.text);
  assert.deepEqual(settings.allowedMcpServers[0], { serverUrl: `${HOST}/api/2.0/mcp/sql` });
});

test('every client says what its admins have, every fact marked with a source; fleet covers exactly those with files', () => {
  assert.deepEqual([...FLEET_CLIENT_IDS].sort(), CLIENTS.filter((c) => c.managed.files.length > 0).map((c) => c.id).sort());
  for (const { id, managed: m } of CLIENTS) {
    assert.equal(m.generate !== undefined, m.files.length > 0, `${id}: a generator exactly when it has files`);
    assert.ok(m.facts.length > 0, `${id} says what its admins have`);
    for (const f of [...m.facts, ...m.files.map((x) => x.fact)]) {
      assert.ok(['confirmed', 'likely', 'unconfirmed'].includes(f.confidence) && f.source.length > 0, `${id}: ${f.text}`);
    }
  }
});

test('an app server is refused: its URL needs the workspace, and fleet works offline', async () => {
  const m = parseManifest(JSON.stringify({ ...JSON.parse(FLEET_MANIFEST), servers: [{ type: 'app', app: 'mcp-sales' }] }), 'dbx-mcp.json');
  await assert.rejects(buildFleet(m, { mode: 'fixed', oses: ['linux'], clients: ['claude-code'], version: VERSION }), /fleet cannot deploy/);
});

test('fleet options: flags, then the manifest fleet key, then its clients that have managed files, then every one', () => {
  const base = JSON.parse(FLEET_MANIFEST) as Record<string, unknown>;
  const m = (extra: Record<string, unknown>) => parseManifest(JSON.stringify({ ...base, ...extra }), 'dbx-mcp.json');
  assert.deepEqual(resolveFleetOptions(m({}), {}), { mode: 'fixed', oses: ['macos', 'windows', 'linux'], clients: [...FLEET_CLIENT_IDS] });
  assert.deepEqual(resolveFleetOptions(m({ clients: ['cursor', 'codex'] }), {}).clients, ['codex']);
  assert.deepEqual(resolveFleetOptions(m({ clients: ['cursor'] }), {}).clients, [...FLEET_CLIENT_IDS], 'none of the preferred has files: all that do');
  assert.deepEqual(resolveFleetOptions(m({ fleet: { mode: 'catalog', os: ['linux'], clients: ['gemini'] } }), { os: ['macos'] }), { mode: 'catalog', oses: ['macos'], clients: ['gemini'] });
  assert.throws(() => resolveFleetOptions(m({}), { client: ['cursor'] }), /--client cursor: not one of/);
});
