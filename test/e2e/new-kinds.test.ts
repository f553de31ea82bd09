// Issue 14's server kinds end to end against the emulator: `add mcp-service`, `add app` (its
// URL from the Apps API, on the apps server's own host; OAuth only), `add url` (every family,
// named and validated as its kind), and the proxy carrying the workspace's OAuth token to an app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_APPS, DEMO_GENIE_SPACES, DEMO_MCP_SERVICES, DEMO_PAT, DEMO_SP_CLIENT_ID, DEMO_SP_CLIENT_SECRET } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

const json = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as { mcpServers: Record<string, { args?: string[] }> };
/** A service principal profile: OAuth M2M tokens, which Apps accept. */
const m2m = (url: string) => `[DEFAULT]\nhost = ${url}\nclient_id = ${DEMO_SP_CLIENT_ID}\nclient_secret = ${DEMO_SP_CLIENT_SECRET}\n`;

test('add mcp-service writes the AI Gateway URL after finding the service in its schema', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const r = await runCli(['add', 'mcp-service', DEMO_MCP_SERVICES.genieOne, '--client', 'cursor', '--yes', '--json'], { home });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { name: string; url: string; kind: string };
  assert.deepEqual([out.name, out.url, out.kind], ['databricks-genie-one-mcp', `${ws.url}/ai-gateway/mcp-services/system.ai.genie_one_mcp`, 'mcp-service']);
  assert.ok(ws.requests.some((q) => q.path === '/api/2.1/unity-catalog/mcp-services' && q.query.parent === 'schemas/system.ai'));
  const entry = json(join(home, '.cursor/mcp.json')).mcpServers['databricks-genie-one-mcp']!;
  assert.ok(entry.args!.includes(out.url));
});

test('add mcp-service: an unknown service, or one in a schema you cannot use, is refused and nothing is written', async (t) => {
  const { home } = await workspaceWithHome(t);
  const missing = await runCli(['add', 'mcp-service', 'system.ai.nope', '--client', 'cursor', '--yes'], { home });
  assert.equal(missing.code, 1, missing.stderr);
  assert.match(missing.stderr, /MCP service system\.ai\.nope was not found, or you cannot see it/);
  const bad = await runCli(['add', 'mcp-service', 'system.ai', '--client', 'cursor', '--yes'], { home });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /is not <catalog>\.<schema>\.<name>/);
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false);
});

/** The emulator and a HOME whose DEFAULT profile is the demo service principal (OAuth M2M). */
async function oauthHome(t: Parameters<typeof workspaceWithHome>[0]) {
  const w = await workspaceWithHome(t);
  writeFileSync(join(w.home, '.databrickscfg'), m2m(w.ws.url), { mode: 0o600 });
  return w;
}

test('add app resolves the app URL with the Apps API (its own host) and the proxy entry connects with the OAuth token', async (t) => {
  const { ws, home } = await oauthHome(t);
  const r = await runCli(['add', 'app', DEMO_APPS.sales, '--client', 'claude-code', '--yes', '--json'], { home });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { name: string; url: string };
  assert.equal(out.name, 'databricks-app-mcp-sales');
  assert.equal(out.url, `${ws.appsUrl}/${DEMO_APPS.sales}/mcp`);
  assert.notEqual(new URL(out.url).host, new URL(ws.url).host, 'the app is on its own host');
  const entry = json(join(home, '.claude.json')).mcpServers['databricks-app-mcp-sales']!;
  assert.deepEqual(entry.args!.slice(-4), ['--url', out.url, '--profile', 'DEFAULT'], 'the profile tells the proxy which workspace signs in');
  // The handshake goes through the proxy's code to the apps server, which accepts OAuth tokens only.
  const doc = await runCli(['doctor', '--json', '--only', 'server.databricks-app-mcp-sales'], { home, timeoutMs: 60_000 });
  const checks = (JSON.parse(doc.stdout) as { checks: { id: string; status: string; summary: string }[] }).checks;
  assert.ok(checks, doc.stdout + doc.stderr);
  const hs = checks.find((c) => c.id === 'server.databricks-app-mcp-sales.handshake');
  assert.equal(hs?.status, 'pass', JSON.stringify(checks));
  const appCall = await ws.waitForRequest((q) => q.path === `/${DEMO_APPS.sales}/mcp` && q.status === 200, 'response');
  assert.equal(appCall.headers.authorization, 'Bearer ***');
  assert.ok(!`${r.stdout}${r.stderr}${doc.stdout}${doc.stderr}${readFileSync(join(home, '.claude.json'), 'utf8')}`.includes(DEMO_SP_CLIENT_SECRET), 'no secret in output or file');
});

test('add app with a PAT profile is refused before any request, with the OAuth fix; nothing is written', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const r = await runCli(['add', 'app', DEMO_APPS.sales, '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /Databricks Apps accept OAuth tokens only, and profile DEFAULT uses a personal access token/);
  assert.match(r.stderr, new RegExp(`(?:databricks auth|dbx-mcp) login --host ${ws.url} --profile DEFAULT-oauth`));
  assert.equal(ws.requests.length, 0, 'no request');
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false);
  assert.ok(!r.stderr.includes(DEMO_PAT));
});

test('the apps server refuses a PAT and answers an OAuth token', async (t) => {
  const { ws } = await workspaceWithHome(t);
  const url = ws.mcpUrl('app', DEMO_APPS.sales);
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
  const post = (token: string) => fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: JSON.stringify(init) });
  const pat = await post(DEMO_PAT);
  assert.equal(pat.status, 401);
  assert.match(await pat.text(), /OAuth tokens only/);
  const ok = await post(ws.mintOAuthToken());
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  const stopped = await fetch(ws.mcpUrl('app', DEMO_APPS.stopped), { method: 'POST', headers: { Authorization: `Bearer ${ws.mintOAuthToken()}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: JSON.stringify(init) });
  assert.equal(stopped.status, 503);
});

test('add app: a stopped app is added with a warning; an app you cannot see is refused', async (t) => {
  const { home } = await oauthHome(t);
  const stopped = await runCli(['add', 'app', DEMO_APPS.stopped, '--client', 'cursor', '--yes'], { home });
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stderr, /App mcp-hr is not running/);
  const hidden = await runCli(['add', 'app', DEMO_APPS.private, '--client', 'cursor', '--yes'], { home });
  assert.equal(hidden.code, 1, hidden.stderr);
  assert.match(hidden.stderr, /App mcp-private was not found, or you cannot see it/);
  assert.equal(Object.keys(json(join(home, '.cursor/mcp.json')).mcpServers).join(), 'databricks-app-mcp-hr');
});

test('add url: each family is added as its kind, named and validated like it', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const add = (url: string) => runCli(['add', 'url', url, '--client', 'cursor', '--yes', '--json'], { home });
  const cases: [string, string, string][] = [
    [ws.mcpUrl('functions', 'main', 'tools'), 'functions', 'databricks-functions-main-tools'],
    [ws.mcpUrl('genie', DEMO_GENIE_SPACES.sales), 'genie', 'databricks-genie-sales-analytics'],
    [`${ws.url}/api/2.0/mcp/sql`, 'sql', 'databricks-sql'],
    [`${ws.url}/ai-gateway/mcp-services/${DEMO_MCP_SERVICES.dbsql}`, 'mcp-service', 'databricks-dbsql'],
  ];
  for (const [url, kind, name] of cases) {
    const r = await add(url);
    assert.equal(r.code, 0, `${url}: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { kind: string; name: string; url: string };
    assert.deepEqual([out.kind, out.name, out.url], [kind, name, url]);
  }
  // Validated like the kind: an unknown schema is the functions kind's refusal.
  const missing = await add(ws.mcpUrl('functions', 'main', 'nope'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Schema main\.nope was not found/);
});

test('add url refuses, before any request: another workspace, a URL that is no MCP server, the sunset Genie One path', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const add = (url: string) => runCli(['add', 'url', url, '--client', 'cursor', '--yes'], { home });
  const other = await add('https://dbc-other.cloud.databricks.com/api/2.0/mcp/sql');
  assert.equal(other.code, 2);
  assert.match(other.stderr, new RegExp(`is on dbc-other\\.cloud\\.databricks\\.com, and the profile signs in to ${new URL(ws.url).host}`));
  const notMcp = await add(`${ws.url}/sql/editor`);
  assert.equal(notMcp.code, 2);
  assert.match(notMcp.stderr, /is not a Databricks MCP URL/);
  const genieOne = await add(`${ws.url}/api/2.0/mcp/genie`);
  assert.equal(genieOne.code, 2);
  assert.match(genieOne.stderr, /sunset/);
  assert.match(genieOne.stderr, /dbx-mcp add mcp-service system\.ai\.genie_one_mcp/);
  const noTarget = await add(`${ws.url}/api/2.0/mcp/functions`);
  assert.equal(noTarget.code, 2);
  assert.match(noTarget.stderr, /names no target/);
  assert.equal(ws.requests.length, 0, 'no request');
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false);
});

test('add url of an app URL checks it is that app\'s URL in this workspace', async (t) => {
  const { home } = await oauthHome(t);
  const r = await runCli(['add', 'url', 'https://mcp-sales-1234567890123456.aws.databricksapps.com/mcp', '--client', 'cursor', '--yes'], { home });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /is not the URL of app mcp-sales in .* \(that is http:\/\/127\.0\.0\.1:\d+\/mcp-sales\/mcp\)/);
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false);
});

test('doctor: an MCP service is found in its schema, a stopped app fails with the fix, the space-less Genie One path is reported sunset', async (t) => {
  const { ws, home } = await oauthHome(t);
  const http = (url: string) => ({ type: 'http', url, headers: { Authorization: 'Bearer ${DATABRICKS_TOKEN}' } });
  writeFileSync(join(home, '.claude.json'), JSON.stringify({
    mcpServers: {
      svc: http(`${ws.url}/ai-gateway/mcp-services/${DEMO_MCP_SERVICES.dbsql}`),
      gone: http(`${ws.url}/ai-gateway/mcp-services/system.ai.nope`),
      hr: http(`https://${DEMO_APPS.stopped}-1234567890123456.aws.databricksapps.com/mcp`),
      sales: http(`https://${DEMO_APPS.sales}-1234567890123456.aws.databricksapps.com/mcp`),
      'genie-one': http(`${ws.url}/api/2.0/mcp/genie`),
    },
  }));
  const ids = ['svc', 'gone', 'hr', 'sales', 'genie-one'].map((n) => `server.${n}.grants`);
  const doc = await runCli(['doctor', '--json', '--only', ids.join(',')], { home, timeoutMs: 60_000 });
  const checks = (JSON.parse(doc.stdout) as { checks?: { id: string; status: string; summary: string; fix?: string; data?: { kind?: string } }[] }).checks;
  assert.ok(checks, doc.stdout + doc.stderr);
  const by = (n: string) => checks.find((c) => c.id === `server.${n}.grants`)!;
  assert.equal(by('svc').status, 'pass', JSON.stringify(by('svc')));
  assert.equal(by('gone').status, 'fail');
  assert.match(by('gone').summary, /MCP service system\.ai\.nope does not exist or is not visible to you/);
  assert.equal(by('hr').status, 'fail');
  assert.equal(by('hr').data?.kind, 'app-not-running');
  assert.match(by('hr').fix ?? '', /databricks apps start mcp-hr/);
  assert.equal(by('sales').status, 'pass', JSON.stringify(by('sales')));
  assert.equal(by('genie-one').status, 'warn');
  assert.match(by('genie-one').fix ?? '', /dbx-mcp add mcp-service system\.ai\.genie_one_mcp/);
  assert.ok(ws.requests.some((q) => q.path === `/api/2.0/permissions/apps/${DEMO_APPS.sales}`), 'CAN USE read from the Permissions API');
});

test('sync: mcp-service and app members; the app URL comes from the Apps API in user and project scope', async (t) => {
  const { ws, home } = await oauthHome(t);
  const repo = join(home, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(home, '.cursor'), { recursive: true });
  const manifest = join(repo, 'dbx-mcp.json');
  writeFileSync(manifest, JSON.stringify({ version: 1, workspace: { host: ws.url }, servers: [{ type: 'mcp-service', service: DEMO_MCP_SERVICES.github }, { type: 'app', app: DEMO_APPS.sales }], clients: ['cursor'] }));
  const appUrl = `${ws.appsUrl}/${DEMO_APPS.sales}/mcp`;
  const user = await runCli(['sync', '--manifest', manifest, '--yes'], { home, cwd: repo });
  assert.equal(user.code, 0, user.stderr);
  const servers = json(join(home, '.cursor/mcp.json')).mcpServers;
  assert.ok(servers['databricks-github']!.args!.includes(`${ws.url}/ai-gateway/mcp-services/system.ai.github`));
  assert.ok(servers['databricks-app-mcp-sales']!.args!.includes(appUrl));
  const project = await runCli(['sync', '--manifest', manifest, '--scope', 'project', '--yes'], { home, cwd: repo });
  assert.equal(project.code, 0, project.stderr);
  const shared = json(join(repo, '.cursor/mcp.json')).mcpServers;
  assert.ok(shared['databricks-app-mcp-sales']!.args!.includes(appUrl), JSON.stringify(shared));
  assert.ok(!shared['databricks-app-mcp-sales']!.args!.includes('--profile'), 'no personal profile in a project file');
});

test('init --app with a PAT profile is exit 2 with the OAuth fix, nothing written', async (t) => {
  const { home } = await workspaceWithHome(t);
  const r = await runCli(['init', '--client', 'cursor', '--app', DEMO_APPS.sales, '--yes'], { home });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /Databricks Apps accept OAuth tokens only/);
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false);
});
