// `dbx-mcp sync` end to end: the built bin, a temporary repository and HOME, the fake
// workspace in this process. Run `npm run build` first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeWorkspace, DEMO_PAT, DEMO_GENIE_SPACES, type FakeWorkspace } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeTree } from '../helpers/temp.js';

let ws: FakeWorkspace;
before(async () => {
  ws = await startFakeWorkspace();
});
after(async () => {
  await ws.close();
});

interface Fixture {
  home: string;
  repo: string;
  manifest: string;
}

/** A repo with a manifest, a HOME with a PAT profile for the emulator and Cursor + Claude Code "installed". */
function fixture(t: Parameters<typeof tempDir>[0], servers: unknown[], extra: Record<string, unknown> = {}): Fixture {
  const home = tempDir(t, 'dbx-mcp-sync-home-');
  const repo = tempDir(t, 'dbx-mcp-sync-repo-');
  execFileSync('git', ['init', '-q', repo]);
  mkdirSync(join(home, '.cursor'), { recursive: true });
  mkdirSync(join(home, '.claude'), { recursive: true });
  writeTree(home, { '.databrickscfg': `[DEFAULT]\nhost = ${ws.url}/\ntoken = ${DEMO_PAT}\n` });
  const manifest = join(repo, 'dbx-mcp.json');
  writeManifest(manifest, servers, extra);
  return { home, repo, manifest };
}

function writeManifest(file: string, servers: unknown[], extra: Record<string, unknown> = {}): void {
  writeFileSync(file, JSON.stringify({ version: 1, workspace: { host: ws.url }, servers, clients: ['cursor', 'claude-code', 'vscode'], ...extra }, null, 2));
}

const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, Record<string, unknown>>;

const SERVERS = [
  { type: 'genie', space_id: DEMO_GENIE_SPACES.sales, name: 'sales' },
  { type: 'functions', target: 'main.tools' },
  { type: 'sql', meta: { warehouse_id: 'abcdef1234567890' } },
];

test('sync writes, --check passes, drift is reported and converges, removals touch only sync entries', async (t) => {
  const f = fixture(t, SERVERS);
  const sub = join(f.repo, 'deep', 'dir');
  mkdirSync(sub, { recursive: true });
  const run = (args: string[]) => runCli(args, { home: f.home, cwd: sub });

  const first = await run(['sync', '--yes']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /Skipping vscode/);
  const cursorFile = join(f.home, '.cursor', 'mcp.json');
  const claudeFile = join(f.home, '.claude.json');
  const cursor = readJson(cursorFile).mcpServers!;
  assert.deepEqual(Object.keys(cursor).sort(), ['databricks-functions-main-tools', 'databricks-sql', 'sales']);
  const sql = cursor['databricks-sql'] as { args: string[] };
  assert.ok(sql.args.includes('--profile') && sql.args.includes('DEFAULT'), JSON.stringify(sql));
  assert.ok(sql.args.includes('warehouse_id=abcdef1234567890'));
  assert.ok(readJson(claudeFile).mcpServers!.sales);
  assert.doesNotMatch(readFileSync(cursorFile, 'utf8'), /dapi/);

  const check = await run(['sync', '--check']);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stderr, /In sync/);

  const again = await run(['sync', '--yes']);
  assert.equal(again.code, 0);
  assert.match(again.stderr, /No changes/);

  // A hand-written entry and an `add`-written one, both must survive everything below.
  const doc = readJson(cursorFile);
  doc.mcpServers!['my-own'] = { command: 'my-server', args: [] };
  delete doc.mcpServers!.sales;
  writeFileSync(cursorFile, JSON.stringify(doc, null, 2));
  const added = await run(['add', 'external', 'github_conn', '--client', 'cursor', '--yes']);
  assert.equal(added.code, 0, added.stderr);

  const drift = await run(['sync', '--check']);
  assert.equal(drift.code, 1);
  assert.match(drift.stdout, /\+\s+"sales"/);
  assert.match(drift.stderr, /missing: "sales" is missing from Cursor/);
  const driftJson = await run(['sync', '--check', '--json']);
  assert.equal(driftJson.code, 1);
  const report = JSON.parse(driftJson.stdout) as { inSync: boolean; drift: { kind: string; name: string; client: string }[] };
  assert.equal(report.inSync, false);
  assert.deepEqual(report.drift.map((d) => [d.kind, d.client, d.name]), [['missing', 'cursor', 'sales']]);
  assert.ok(existsSync(cursorFile) && !readJson(cursorFile).mcpServers!.sales, '--check wrote nothing');

  const fix = await run(['sync', '--yes']);
  assert.equal(fix.code, 0, fix.stderr);
  assert.equal((await run(['sync', '--check'])).code, 0);

  // The manifest drops a server: only that entry goes, in every client.
  writeManifest(f.manifest, SERVERS.filter((s) => s.type !== 'functions'));
  const stale = await run(['sync', '--check', '--json']);
  assert.equal(stale.code, 1);
  const staleReport = JSON.parse(stale.stdout) as { drift: { kind: string; name: string }[] };
  assert.deepEqual([...new Set(staleReport.drift.map((d) => `${d.kind}:${d.name}`))], ['stale:databricks-functions-main-tools']);
  const removed = await run(['sync', '--yes']);
  assert.equal(removed.code, 0, removed.stderr);
  const after = readJson(cursorFile).mcpServers!;
  assert.deepEqual(Object.keys(after).sort(), ['databricks-external-github-conn', 'databricks-sql', 'my-own', 'sales']);
  assert.deepEqual(Object.keys(readJson(claudeFile).mcpServers!).sort(), ['databricks-sql', 'sales']);
  assert.equal((await run(['sync', '--check'])).code, 0);
});

test('--scope project writes committable files with no secret and no machine paths', async (t) => {
  const f = fixture(t, SERVERS);
  const r = await runCli(['sync', '--scope', 'project', '--yes'], { home: f.home, cwd: f.repo });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /git add .*\.cursor\/mcp\.json/);
  for (const rel of ['.cursor/mcp.json', '.mcp.json', '.vscode/mcp.json']) {
    const text = readFileSync(join(f.repo, rel), 'utf8');
    assert.doesNotMatch(text, /dapi|eyJ|Bearer [^$]/, `${rel} holds no secret`);
    assert.ok(!text.includes(f.home) && !text.includes(process.execPath), `${rel} holds no machine path`);
    assert.match(text, /"npx"/);
    assert.doesNotMatch(text, /--profile/);
  }
  const check = await runCli(['sync', '--scope', 'project', '--check'], { home: tempDir(t), cwd: f.repo });
  assert.equal(check.code, 0, `a teammate (or CI) without any profile sees the files in sync: ${check.stderr}`);
});

test('no profile for the host: exit 1 with the exact login command; bad manifest: exit 2 naming the field', async (t) => {
  const f = fixture(t, SERVERS);
  writeTree(f.home, { '.databrickscfg': '[other]\nhost = https://other.cloud.databricks.com\ntoken = x\n' });
  const r = await runCli(['sync', '--yes'], { home: f.home, cwd: f.repo });
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`(?:databricks auth|dbx-mcp) login --host ${ws.url.replace(/[.]/g, '\\.')} --profile 127-0-0-1`));

  writeFileSync(f.manifest, JSON.stringify({ version: 1, workspace: { host: ws.url }, servers: [{ type: 'genie', space_id: 'nope' }], token: DEMO_PAT }));
  const bad = await runCli(['sync'], { home: f.home, cwd: f.repo });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /secret/);
  assert.doesNotMatch(bad.stderr + bad.stdout, /dapi5e1f/);

  writeFileSync(f.manifest, JSON.stringify({ version: 1, workspace: { host: ws.url }, servers: [{ type: 'genie', space_id: 'nope' }] }));
  const invalid = await runCli(['sync'], { home: f.home, cwd: f.repo });
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /servers\[0\]\.space_id/);
});

test('a server the user cannot use is skipped with its reason, the rest is applied, exit 1; --check and --json say so', async (t) => {
  const servers = [
    { type: 'genie', space_id: DEMO_GENIE_SPACES.sales, name: 'sales' },
    { type: 'genie', space_id: DEMO_GENIE_SPACES.finance, name: 'finance' },
    { type: 'functions', target: 'main.nosuchschema' },
    { type: 'sql' },
  ];
  const f = fixture(t, servers);
  const run = (args: string[]) => runCli(args, { home: f.home, cwd: f.repo });
  const cursorFile = join(f.home, '.cursor', 'mcp.json');

  const r = await run(['sync', '--yes']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /Skipping server "finance" \(genie 01ef9e8d7c6b5a4f3e2d1c0b9a8f7e6d\): .*404/);
  assert.match(r.stderr, /Fix: .*CAN RUN/);
  assert.match(r.stderr, /Skipping server "databricks-functions-main-nosuchschema" \(functions main\.nosuchschema\): Schema main\.nosuchschema was not found/);
  assert.match(r.stderr, /2 servers of the manifest were skipped \(finance, databricks-functions-main-nosuchschema\)/);
  assert.deepEqual(Object.keys(readJson(cursorFile).mcpServers!).sort(), ['databricks-sql', 'sales'], 'the readable servers are written, the refused ones are not');
  assert.deepEqual(Object.keys(readJson(join(f.home, '.claude.json')).mcpServers!).sort(), ['databricks-sql', 'sales']);

  const json = await run(['sync', '--yes', '--json']);
  assert.equal(json.code, 1);
  const out = JSON.parse(json.stdout) as { skippedTargets: { name: string; type: string; target: string; reason: string; fix?: string }[] };
  assert.deepEqual(out.skippedTargets.map((s) => [s.name, s.type, s.target]), [['finance', 'genie', DEMO_GENIE_SPACES.finance], ['databricks-functions-main-nosuchschema', 'functions', 'main.nosuchschema']]);
  assert.ok(out.skippedTargets.every((s) => s.reason.length > 0 && s.fix), JSON.stringify(out.skippedTargets));

  // --check: the files match what sync can write (no drift), but the machine still lacks two servers.
  const check = await run(['sync', '--check', '--json']);
  assert.equal(check.code, 1);
  const report = JSON.parse(check.stdout) as { ok: boolean; inSync: boolean; drift: unknown[]; skippedTargets: { name: string }[] };
  assert.deepEqual([report.ok, report.inSync, report.drift], [false, true, []]);
  assert.deepEqual(report.skippedTargets.map((s) => s.name), ['finance', 'databricks-functions-main-nosuchschema']);
  const human = await run(['sync', '--check']);
  assert.equal(human.code, 1);
  assert.match(human.stderr, /In sync: 2 servers/);
  assert.match(human.stderr, /Skipping server "finance"/);
});

test('losing access to a server keeps the entry an earlier sync wrote (not removed as stale)', async (t) => {
  const finance = ws.state.genieSpaces.find((s) => s.space_id === DEMO_GENIE_SPACES.finance)!;
  const acl = finance.acl;
  finance.acl = [...acl, { user_name: 'jane@example.com', permission_level: 'CAN_RUN' }];
  t.after(() => (finance.acl = acl));
  const f = fixture(t, [{ type: 'genie', space_id: DEMO_GENIE_SPACES.finance, name: 'finance' }, { type: 'sql' }]);
  const run = (args: string[]) => runCli(args, { home: f.home, cwd: f.repo });
  const first = await run(['sync', '--yes']);
  assert.equal(first.code, 0, first.stderr);
  const cursorFile = join(f.home, '.cursor', 'mcp.json');
  const before = readFileSync(cursorFile, 'utf8');
  assert.ok(readJson(cursorFile).mcpServers!.finance);

  finance.acl = acl;
  const second = await run(['sync', '--yes']);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /Skipping server "finance"/);
  assert.equal(readFileSync(cursorFile, 'utf8'), before, 'the finance entry stays as it was');
});

test('a workspace that rejects the token: nothing is written, exit 1 (not every server skipped)', async (t) => {
  const f = fixture(t, SERVERS);
  writeTree(f.home, { '.databrickscfg': `[DEFAULT]\nhost = ${ws.url}/\ntoken = dapi00000000000000000000000000000000\n` });
  const r = await runCli(['sync', '--yes'], { home: f.home, cwd: f.repo });
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /Skipping server/);
  assert.ok(!existsSync(join(f.home, '.cursor', 'mcp.json')) && !existsSync(join(f.home, '.claude.json')), 'nothing written');
});
