import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runInit } from '../../../src/commands/init.js';
import { DEMO_ACCOUNT_ID, DEMO_GENIE_SPACES, DEMO_PAT, DEMO_PAT_NO_GROUPS, type FakeWorkspace } from '../../../src/emulator/index.js';
import { NEW_PAT } from '../../../src/init/profile-step.js';
import { CANCEL } from '../../helpers/scripted-prompter.js';
import { tempDir } from '../../helpers/temp.js';
import { harness, run, useSharedWorkspace, writeCfg } from './harness.js';

let ws: FakeWorkspace;
useSharedWorkspace((w) => (ws = w));

const SALES = DEMO_GENIE_SPACES.sales;
const flags = { scope: 'user', tokenEnv: 'DATABRICKS_TOKEN', verify: true, install: true };
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { mcpServers?: Record<string, Record<string, unknown>>; servers?: Record<string, Record<string, unknown>> };
const cursorFile = (home: string) => join(home, '.cursor', 'mcp.json');
const claudeCodeFile = (home: string) => join(home, '.claude.json');
const vscodeFile = (home: string) => join(home, '.config', 'Code', 'User', 'mcp.json');
const devCfg = () => `# my settings\n[dev]\nhost  = ${ws.url}\ntoken = ${DEMO_PAT}\n`;

/** Everything under home except the config the test wrote. */
function written(home: string): string[] {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(home).filter((f) => !f.endsWith('.databrickscfg'));
}

describe('init wizard (scripted prompter)', () => {
  test('happy path with a PAT profile: picks, plan, apply, verify, next steps', async (t) => {
    const home = tempDir(t);
    writeCfg(home, devCfg());
    const h = await harness(home, {
      answers: { profile: 'dev', clients: ['cursor', 'claude-code'], 'server-kinds': ['genie', 'functions'], genie: [SALES], functions: ['main.tools'], auth: 'proxy', apply: true, 'save-manifest': false },
    });
    const r = await run(() => runInit(h.ctx, flags));
    assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
    assert.deepEqual(h.asked, ['profile', 'clients', 'server-kinds', 'genie', 'functions', 'auth', 'apply', 'save-manifest']);
    const cursor = json(cursorFile(home)).mcpServers!;
    assert.deepEqual(Object.keys(cursor), ['databricks-genie-sales-analytics', 'databricks-functions-main-tools']);
    assert.deepEqual(cursor['databricks-genie-sales-analytics']!.args, ['/opt/dbx-mcp/bin/dbx-mcp.js', 'proxy', '--url', `${ws.url}/api/2.0/mcp/genie/${SALES}`, '--profile', 'dev']);
    assert.ok(json(claudeCodeFile(home)).mcpServers!['databricks-functions-main-tools']);
    assert.match(h.out(), /\+\+\+ .*\.cursor\/mcp\.json/);
    assert.match(h.err(), /Signed in to .* as jane@example\.com \(profile dev\)/);
    assert.match(h.err(), /databricks-genie-sales-analytics answers: \d+ tools/);
    assert.match(h.err(), /databricks-functions-main-tools answers: \d+ tools \(main__tools__lookup_customer/);

    // Same answers again: nothing to change.
    const again = await harness(home, { answers: { profile: 'dev', clients: ['cursor', 'claude-code'], 'server-kinds': ['genie', 'functions'], genie: [SALES], functions: ['main.tools'], auth: 'proxy', 'save-manifest': false } });
    assert.equal((await run(() => runInit(again.ctx, flags))).code, 0);
    assert.match(again.err(), /No changes: everything is already up to date/);
    assert.equal(again.asked.includes('apply'), false);
  });

  test('no usable profile: a new PAT profile is appended (existing text untouched, backup, 0600)', async (t) => {
    const home = tempDir(t);
    const before = `; keep me\n[acct]\nhost = https://accounts.cloud.databricks.com\naccount_id = ${DEMO_ACCOUNT_ID}  # a comment; with #\n`;
    writeCfg(home, before);
    const h = await harness(home, {
      answers: { profile: NEW_PAT, host: ws.url, token: DEMO_PAT, 'profile-name': 'work', clients: ['cursor'], 'server-kinds': ['sql'], apply: true, 'save-manifest': false },
    });
    const r = await run(() => runInit(h.ctx, flags));
    assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
    const cfg = readFileSync(join(home, '.databrickscfg'), 'utf8');
    assert.ok(cfg.startsWith(before), 'existing content kept byte for byte');
    assert.equal(cfg.slice(before.length), `\n[work]\nhost  = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
    assert.equal(statSync(join(home, '.databrickscfg')).mode & 0o777, 0o600);
    assert.ok(readdirSync(home).some((f) => /^\.databrickscfg\.dbx-mcp-.*\.bak$/.test(f)), 'backup made');
    assert.doesNotMatch(h.out() + h.err(), new RegExp(DEMO_PAT), 'the token never reaches the terminal');
    assert.deepEqual(json(cursorFile(home)).mcpServers!['databricks-sql']!.args, ['/opt/dbx-mcp/bin/dbx-mcp.js', 'proxy', '--url', `${ws.url}/api/2.0/mcp/sql`, '--profile', 'work']);
  });

  for (const step of ['profile-name', 'clients', 'genie', 'auth', 'apply']) {
    test(`Ctrl-C at "${step}": nothing written, exit 130`, async (t) => {
      const home = tempDir(t);
      writeCfg(home, '');
      const answers: Record<string, unknown> = { profile: NEW_PAT, host: ws.url, token: DEMO_PAT, 'profile-name': 'work', clients: ['cursor', 'vscode'], 'server-kinds': ['genie'], genie: [SALES], auth: 'proxy', apply: true };
      answers[step] = CANCEL;
      const h = await harness(home, { answers });
      const r = await run(() => runInit(h.ctx, flags));
      assert.equal(r.code, 130);
      assert.equal(readFileSync(join(home, '.databrickscfg'), 'utf8'), '');
      assert.deepEqual(written(home), []);
    });
  }

  test('answering no to the plan writes nothing (exit 130)', async (t) => {
    const home = tempDir(t);
    writeCfg(home, devCfg());
    const h = await harness(home, { answers: { profile: 'dev', clients: ['cursor'], 'server-kinds': ['sql'], apply: false } });
    assert.equal((await run(() => runInit(h.ctx, flags))).code, 130);
    assert.deepEqual(written(home), []);
  });

  test('init confirms through the shared confirm-and-apply: a declined plan says "Nothing was written." once, and no progress lines in --json', async (t) => {
    const home = tempDir(t);
    writeCfg(home, devCfg());
    const h = await harness(home, { answers: { profile: 'dev', clients: ['cursor'], 'server-kinds': ['sql'], apply: false } });
    assert.equal((await run(() => runInit(h.ctx, flags))).code, 130);
    assert.equal(h.err().match(/Nothing was written\./g)?.length, 1, h.err());

    const j = await harness(home, { globals: { json: true, yes: true }, answers: { profile: 'dev', clients: ['cursor'], 'server-kinds': ['sql'], 'save-manifest': false } });
    assert.equal((await run(() => runInit(j.ctx, { ...flags, verify: false }))).code, 0, j.err());
    const result = JSON.parse(j.out()) as { status: string; files: string[] };
    assert.equal(result.status, 'applied');
    assert.deepEqual(result.files, [cursorFile(home)]);
    assert.doesNotMatch(j.err(), /Wrote /);
  });

  test('OAuth with the published clients (claude-code, cursor-desktop), found by the token-endpoint probe', async (t) => {
    const home = tempDir(t);
    writeCfg(home, devCfg());
    const h = await harness(home, {
      answers: { profile: 'dev', clients: ['claude-code', 'cursor'], 'server-kinds': ['genie'], genie: [SALES], auth: 'each', 'auth.claude-code': 'oauth', 'auth.cursor': 'oauth', apply: true, 'save-manifest': false },
    });
    const r = await run(() => runInit(h.ctx, flags));
    assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
    const cc = json(claudeCodeFile(home)).mcpServers!['databricks-genie-sales-analytics']!;
    assert.deepEqual(cc, { type: 'http', url: `${ws.url}/api/2.0/mcp/genie/${SALES}`, oauth: { clientId: 'claude-code', callbackPort: 3118 } });
    const cu = json(cursorFile(home)).mcpServers!['databricks-genie-sales-analytics']!;
    assert.deepEqual(cu.auth, { CLIENT_ID: 'cursor-desktop' });
    const probes = ws.requests.filter((q) => q.path === '/oidc/v1/token');
    assert.equal(probes.length, 2);
    assert.match(h.err(), /published OAuth client "claude-code"/);
  });

  test('OAuth for a client without a published client: registers the integration with an account profile', async (t) => {
    const home = tempDir(t);
    writeCfg(home, `${devCfg()}\n[acct]\nhost = ${ws.url}\naccount_id = ${DEMO_ACCOUNT_ID}\ntoken = ${DEMO_PAT}\n`);
    const h = await harness(home, {
      answers: { profile: 'dev', clients: ['vscode'], 'server-kinds': ['sql'], 'auth.vscode': 'oauth', 'oauth-app': 'register', 'oauth-profile': 'acct', apply: true, 'save-manifest': false },
    });
    const r = await run(() => runInit(h.ctx, flags));
    assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
    const app = ws.state.customAppIntegrations.find((a) => a.name === 'dbx-mcp')!;
    assert.ok(app, 'integration created');
    assert.ok(app.redirect_urls.includes('http://127.0.0.1:33418/'));
    const entry = json(vscodeFile(home)).servers!['databricks-sql']!;
    assert.deepEqual(entry.oauth, { clientId: app.client_id });
  });

  test('OAuth as a non-admin: the request for an admin is written with the plan, the client falls back to proxy', async (t) => {
    const home = tempDir(t);
    writeCfg(home, `${devCfg()}\n[acct]\nhost = ${ws.url}\naccount_id = ${DEMO_ACCOUNT_ID}\ntoken = ${DEMO_PAT_NO_GROUPS}\n`);
    const h = await harness(home, {
      answers: { profile: 'dev', clients: ['vscode'], 'server-kinds': ['sql'], 'auth.vscode': 'oauth', 'oauth-app': 'register', 'oauth-profile': 'acct', 'oauth-fallback.vscode': 'proxy', apply: true, 'save-manifest': false },
    });
    const r = await run(() => runInit(h.ctx, flags));
    assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
    const request = JSON.parse(readFileSync(join(home, '.config', 'dbx-mcp', 'oauth-app-request.json'), 'utf8'));
    assert.equal(request.name, 'dbx-mcp');
    assert.ok(request.redirect_urls.includes('https://vscode.dev/redirect'));
    assert.match(h.err(), /databricks account custom-app-integration create --json/);
    assert.equal(json(vscodeFile(home)).servers!['databricks-sql']!.command, '/usr/bin/node');
    assert.equal(ws.state.customAppIntegrations.length, 0);
  });

  test('saving the choices as a team manifest at the end', async (t) => {
    const home = tempDir(t);
    writeCfg(home, devCfg());
    const h = await harness(home, { answers: { profile: 'dev', clients: ['cursor'], 'server-kinds': ['genie'], genie: [SALES], apply: true, 'save-manifest': true } });
    assert.equal((await run(() => runInit(h.ctx, flags))).code, 0, h.err());
    const m = JSON.parse(readFileSync(join(home, 'dbx-mcp.json'), 'utf8'));
    assert.deepEqual(m.servers, [{ type: 'genie', space_id: SALES, name: 'databricks-genie-sales-analytics' }]);
    assert.equal(m.workspace.host, ws.url);
    assert.doesNotMatch(JSON.stringify(m), /dapi/);
  });
});

describe('init without a terminal (flags only)', () => {
  test('missing answers fail at once with exit 2, listing every missing flag', async (t) => {
    const home = tempDir(t);
    const h = await harness(home);
    const r = await run(() => runInit(h.ctx, flags));
    assert.equal(r.code, 2);
    for (const f of ['--profile', '--client', '--genie <space_id>', '--vector-search', '--functions', '--sql', '--external', '--yes']) assert.ok(r.error!.message.includes(f), `${f} in: ${r.error!.message}`);
    assert.equal(ws.requests.length, 0, 'nothing was asked of the workspace');
  });

  test('--auth oauth for a client without a published client needs --client-id', async (t) => {
    const home = tempDir(t);
    writeCfg(home, devCfg());
    const h = await harness(home, { globals: { profile: 'dev' } });
    const r = await run(() => runInit(h.ctx, { ...flags, client: ['vscode'], sql: true, auth: 'oauth' }));
    assert.equal(r.code, 2);
    assert.match(r.error!.message, /--client-id <id>.*--yes/);
  });

  test('flags only: writes, verifies, exit 0', async (t) => {
    const home = tempDir(t);
    writeCfg(home, devCfg());
    const h = await harness(home, { globals: { profile: 'dev', yes: true } });
    const r = await run(() => runInit(h.ctx, { ...flags, client: ['cursor', 'claude-code'], genie: [SALES], functions: ['main.tools'], vectorSearch: ['main.docs.product_docs'] }));
    assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
    assert.match(h.err(), /Claude Code: .*\/mcp/);
    assert.deepEqual(Object.keys(json(cursorFile(home)).mcpServers!), ['databricks-genie-sales-analytics', 'databricks-vector-search-main-docs-product-docs', 'databricks-functions-main-tools']);
    assert.equal((h.err().match(/answers: \d+ tools/g) ?? []).length, 3);
  });

  test('a target that does not exist fails before writing', async (t) => {
    const home = tempDir(t);
    writeCfg(home, devCfg());
    const h = await harness(home, { globals: { profile: 'dev', yes: true } });
    const r = await run(() => runInit(h.ctx, { ...flags, client: ['cursor'], genie: [DEMO_GENIE_SPACES.finance] }));
    assert.equal(r.code, 1);
    assert.deepEqual(written(home), []);
  });

  test('--dry-run prints the diff and writes nothing', async (t) => {
    const home = tempDir(t);
    writeCfg(home, devCfg());
    const h = await harness(home, { globals: { profile: 'dev', dryRun: true } });
    const r = await run(() => runInit(h.ctx, { ...flags, client: ['cursor', 'claude-code'], sql: true }));
    assert.equal(r.code, 0, h.err());
    assert.match(h.out(), /\+\+\+ .*mcp\.json/);
    assert.match(h.err(), /Dry run: nothing was written/);
    assert.deepEqual(written(home), []);
  });

  test('--json: one JSON object on stdout, with verification', async (t) => {
    const home = tempDir(t);
    writeCfg(home, devCfg());
    const h = await harness(home, { globals: { profile: 'dev', yes: true, json: true } });
    const r = await run(() => runInit(h.ctx, { ...flags, client: ['cursor'], genie: [SALES], saveManifest: join(home, 'team.json') }));
    assert.equal(r.code, 0, h.err());
    const j = JSON.parse(h.out());
    assert.equal(j.ok, true);
    assert.equal(j.status, 'applied');
    assert.deepEqual(j.servers.map((s: { name: string }) => s.name), ['databricks-genie-sales-analytics']);
    assert.deepEqual(j.clients, [{ client: 'cursor', auth: 'proxy' }]);
    assert.equal(j.verify[0].ok, true);
    assert.ok(j.files.includes(join(home, 'team.json')));
    assert.ok(existsSync(join(home, 'team.json')));
  });

  test('--from a manifest fills the answers', async (t) => {
    const home = tempDir(t);
    writeCfg(home, devCfg());
    const manifest = join(home, 'dbx-mcp.json');
    const text = JSON.stringify({ version: 1, workspace: { host: ws.url }, servers: [{ type: 'functions', target: 'main.tools', name: 'team-tools' }, { type: 'sql' }], clients: ['cursor'] });
    (await import('node:fs')).writeFileSync(manifest, text);
    const h = await harness(home, { globals: { profile: 'dev', yes: true } });
    const r = await run(() => runInit(h.ctx, { ...flags, from: manifest }));
    assert.equal(r.code, 0, h.err() + (r.error?.message ?? ''));
    assert.deepEqual(Object.keys(json(cursorFile(home)).mcpServers!), ['team-tools', 'databricks-sql']);
  });
});
