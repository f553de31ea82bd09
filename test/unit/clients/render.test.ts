import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientIds, getClient, isClientId, renderEntry } from '../../../src/clients/registry.js';
import { MCP_REMOTE_PACKAGE, isLoopbackHttp, isPortableProxyEntry, stdioCommand } from '../../../src/clients/render.js';
import type { ServerSpec } from '../../../src/clients/types.js';
import { UsageError } from '../../../src/errors.js';

const URL_ = 'https://adb-1.azuredatabricks.net/api/2.0/mcp/genie/01ef';
const node = { command: '/usr/bin/node', args: ['/abs/dbx-mcp/bin/dbx-mcp.js'] };
const npx = { command: 'npx', args: ['-y', 'dbx-mcp@0.1.0'] };
const spec = (o: Partial<ServerSpec> = {}): ServerSpec => ({
  name: 'databricks-genie-sales',
  url: URL_,
  kind: 'genie',
  auth: 'proxy',
  profile: 'DEFAULT',
  launcher: node,
  ...o,
});
const proxyArgs = ['/abs/dbx-mcp/bin/dbx-mcp.js', 'proxy', '--url', URL_, '--profile', 'DEFAULT'];

test('registry: ids, lookup, unknown id is a usage error', () => {
  assert.deepEqual(clientIds, ['claude-desktop', 'cursor', 'claude-code', 'windsurf', 'vscode', 'codex', 'gemini', 'opencode', 'copilot-cli', 'zed', 'goose', 'kiro', 'cline']);
  assert.equal(getClient('vscode').serversPath[0], 'servers');
  assert.equal(getClient('cursor').serversPath[0], 'mcpServers');
  assert.ok(isClientId('windsurf'));
  assert.ok(!isClientId('emacs'));
  assert.throws(() => getClient('emacs'), (e) => e instanceof UsageError && /claude-desktop, cursor/.test(e.hint ?? ''));
});

test('proxy: stdio entry per client, type only where required, no secret', () => {
  const plain = { command: '/usr/bin/node', args: proxyArgs };
  const typed = { type: 'stdio', ...plain };
  const goose = { name: 'databricks-genie-sales', type: 'stdio', cmd: '/usr/bin/node', args: proxyArgs, envs: {}, enabled: true, timeout: 300 };
  const want = {
    'claude-desktop': plain,
    cursor: plain,
    'claude-code': typed,
    windsurf: plain,
    vscode: typed,
    codex: plain,
    gemini: plain,
    opencode: { type: 'local', command: ['/usr/bin/node', ...proxyArgs], enabled: true },
    'copilot-cli': { type: 'local', ...plain, tools: ['*'] },
    zed: { source: 'custom', ...plain },
    goose,
    kiro: plain,
    cline: plain,
  };
  for (const id of clientIds) {
    const r = renderEntry(id, spec(), 'darwin');
    assert.deepEqual(r.entry, want[id], id);
    assert.equal(r.effectiveAuth, 'proxy');
    assert.equal(r.holdsSecret, false);
  }
});

test('proxy: --meta pairs sorted, profile omitted for env-only auth', () => {
  const r = renderEntry('cursor', spec({ profile: undefined, meta: { warehouse_id: 'w1', a: 'b' } }), 'linux');
  assert.deepEqual(r.entry.args, ['/abs/dbx-mcp/bin/dbx-mcp.js', 'proxy', '--url', URL_, '--meta', 'a=b', '--meta', 'warehouse_id=w1']);
});

test('proxy on win32: npx is wrapped in cmd /c, absolute node is not', () => {
  const r = renderEntry('claude-code', spec({ launcher: npx }), 'win32');
  assert.deepEqual(r.entry, {
    type: 'stdio',
    command: 'cmd',
    args: ['/c', 'npx', '-y', 'dbx-mcp@0.1.0', 'proxy', '--url', URL_, '--profile', 'DEFAULT'],
  });
  const abs = renderEntry('cursor', spec({ launcher: { command: 'C:\\node\\node.exe', args: ['C:\\dbx\\bin\\dbx-mcp.js'] } }), 'win32');
  assert.equal(abs.entry.command, 'C:\\node\\node.exe');
  assert.equal(renderEntry('cursor', spec({ launcher: npx }), 'darwin').entry.command, 'npx');
});

test('stdioCommand wraps npx and npx.cmd, not absolute paths or other commands', () => {
  assert.deepEqual(stdioCommand('npx.cmd', ['a'], 'win32'), { command: 'cmd', args: ['/c', 'npx.cmd', 'a'] });
  assert.deepEqual(stdioCommand('C:\\x\\npx.cmd', ['a'], 'win32'), { command: 'C:\\x\\npx.cmd', args: ['a'] });
  assert.deepEqual(stdioCommand('uvx', ['a'], 'win32'), { command: 'uvx', args: ['a'] });
  assert.deepEqual(stdioCommand('npx', ['a'], 'linux'), { command: 'npx', args: ['a'] });
});

test('proxy for GUI clients with a bare command explains the PATH pitfall', () => {
  assert.match(renderEntry('claude-desktop', spec({ launcher: npx }), 'darwin').notes.join(' '), /PATH/);
  assert.deepEqual(renderEntry('claude-desktop', spec(), 'darwin').notes, []);
  assert.deepEqual(renderEntry('claude-code', spec({ launcher: npx }), 'darwin').notes, []);
});

test('header: native entry with the env reference in each client\'s syntax', () => {
  const h = (v: string) => ({ Authorization: `Bearer ${v}` });
  assert.deepEqual(renderEntry('cursor', spec({ auth: 'header' }), 'linux').entry, { url: URL_, headers: h('${env:DATABRICKS_TOKEN}') });
  assert.deepEqual(renderEntry('claude-code', spec({ auth: 'header' }), 'linux').entry, {
    type: 'http',
    url: URL_,
    headers: h('${DATABRICKS_TOKEN}'),
  });
  assert.deepEqual(renderEntry('windsurf', spec({ auth: 'header' }), 'linux').entry, {
    serverUrl: URL_,
    headers: h('${env:DATABRICKS_TOKEN}'),
  });
  assert.deepEqual(renderEntry('vscode', spec({ auth: 'header', tokenEnvVar: 'DBX_TOK' }), 'linux').entry, {
    type: 'http',
    url: URL_,
    headers: h('${env:DBX_TOK}'),
  });
  for (const id of ['cursor', 'claude-code', 'windsurf', 'vscode'] as const) {
    const r = renderEntry(id, spec({ auth: 'header' }), 'win32');
    assert.equal(r.holdsSecret, false, id);
    assert.equal(r.effectiveAuth, 'header', id);
  }
});

test('header --literal-token: the value itself, holdsSecret', () => {
  const r = renderEntry('cursor', spec({ auth: 'header', literalToken: 'dapi123' }), 'linux');
  assert.deepEqual(r.entry, { url: URL_, headers: { Authorization: 'Bearer dapi123' } });
  assert.equal(r.holdsSecret, true);
});

test('header on Claude Desktop: proxy form with a note; literal token: mcp-remote with the value in env', () => {
  const r = renderEntry('claude-desktop', spec({ auth: 'header' }), 'darwin');
  assert.deepEqual(r.entry, { command: '/usr/bin/node', args: proxyArgs });
  assert.equal(r.effectiveAuth, 'proxy');
  assert.equal(r.holdsSecret, false);
  assert.match(r.notes.join(' '), /cannot call a remote server/);

  const lit = renderEntry('claude-desktop', spec({ auth: 'header', literalToken: 'dapi123' }), 'darwin');
  assert.deepEqual(lit.entry, {
    command: 'npx',
    args: ['-y', MCP_REMOTE_PACKAGE, URL_, '--transport', 'http-only', '--header', 'Authorization:${DBX_MCP_AUTH_HEADER}'],
    env: { DBX_MCP_AUTH_HEADER: 'Bearer dapi123' },
  });
  assert.equal(lit.effectiveAuth, 'mcp-remote');
  assert.equal(lit.holdsSecret, true);
});

test('oauth: native entries where supported', () => {
  const o = { clientId: 'abc-123' };
  assert.deepEqual(renderEntry('cursor', spec({ auth: 'oauth', oauth: o }), 'linux').entry, { url: URL_, auth: { CLIENT_ID: 'abc-123' } });
  assert.deepEqual(renderEntry('claude-code', spec({ auth: 'oauth', oauth: { clientId: 'abc-123', callbackPort: 8080 } }), 'linux').entry, {
    type: 'http',
    url: URL_,
    oauth: { clientId: 'abc-123', callbackPort: 8080 },
  });
  assert.deepEqual(renderEntry('claude-code', spec({ auth: 'oauth', oauth: o }), 'linux').entry.oauth, { clientId: 'abc-123', callbackPort: 3334 });
  assert.deepEqual(renderEntry('vscode', spec({ auth: 'oauth', oauth: o }), 'linux').entry, { type: 'http', url: URL_, oauth: { clientId: 'abc-123' } });
});

test('oauth: Claude Desktop and Windsurf go through mcp-remote with a static client and pinned port after the URL', () => {
  for (const id of ['claude-desktop', 'windsurf'] as const) {
    const r = renderEntry(id, spec({ auth: 'oauth', oauth: { clientId: 'abc-123' } }), 'darwin');
    assert.deepEqual(r.entry, {
      command: 'npx',
      args: ['-y', MCP_REMOTE_PACKAGE, URL_, '3334', '--transport', 'http-only', '--static-oauth-client-info', '{"client_id":"abc-123"}'],
    });
    assert.equal(r.effectiveAuth, 'oauth');
    assert.equal(r.holdsSecret, false);
  }
  const w = renderEntry('windsurf', spec({ auth: 'oauth', oauth: { clientId: 'x', callbackPort: 4000 } }), 'win32');
  assert.deepEqual((w.entry.args as string[]).slice(0, 6), ['/c', 'npx', '-y', MCP_REMOTE_PACKAGE, URL_, '4000']);
  assert.equal(w.entry.command, 'cmd');
});

test('oauth without a client id is a usage error naming the fix', () => {
  assert.throws(
    () => renderEntry('cursor', spec({ auth: 'oauth' }), 'linux'),
    (e) => e instanceof UsageError && /--client-id/.test(e.hint ?? '') && /oauth register/.test(e.hint ?? ''),
  );
});

test('mcp-remote: Windows-safe header form, value in env, cmd /c on win32', () => {
  const r = renderEntry('cursor', spec({ auth: 'mcp-remote', literalToken: 'dapi9' }), 'win32');
  assert.deepEqual(r.entry, {
    command: 'cmd',
    args: ['/c', 'npx', '-y', 'mcp-remote@0.15.1', URL_, '--transport', 'http-only', '--header', 'Authorization:${DBX_MCP_AUTH_HEADER}'],
    env: { DBX_MCP_AUTH_HEADER: 'Bearer dapi9' },
  });
  assert.equal(r.holdsSecret, true);
  assert.equal(r.effectiveAuth, 'mcp-remote');
  assert.ok(!(r.entry.args as string[]).some((a) => a.includes(' ')), 'no spaces in args');
});

test('mcp-remote without a literal token references the variable in env (no secret)', () => {
  const r = renderEntry('windsurf', spec({ auth: 'mcp-remote' }), 'linux');
  assert.deepEqual(r.entry.env, { DBX_MCP_AUTH_HEADER: 'Bearer ${env:DATABRICKS_TOKEN}' });
  assert.equal(r.holdsSecret, false);
  const vs = renderEntry('vscode', spec({ auth: 'mcp-remote' }), 'linux');
  assert.equal(vs.entry.type, 'stdio');
});

test('mcp-remote in Claude Code: the header value in env, args name only the variable (not in `claude mcp list` or ps)', () => {
  const r = renderEntry('claude-code', spec({ auth: 'mcp-remote' }), 'linux');
  assert.deepEqual(r.entry, {
    type: 'stdio',
    command: 'npx',
    args: ['-y', MCP_REMOTE_PACKAGE, URL_, '--transport', 'http-only', '--header', 'Authorization:${DBX_MCP_AUTH_HEADER}'],
    env: { DBX_MCP_AUTH_HEADER: 'Bearer ${DATABRICKS_TOKEN}' },
  });
  assert.equal(r.holdsSecret, false);
  const lit = renderEntry('claude-code', spec({ auth: 'mcp-remote', literalToken: 't0k' }), 'linux');
  assert.equal(lit.holdsSecret, true);
  assert.deepEqual(lit.entry.env, { DBX_MCP_AUTH_HEADER: 'Bearer t0k' });
  assert.ok(!(lit.entry.args as string[]).some((a) => a.includes('t0k')));
});

test('mcp-remote on Claude Desktop without a token falls back to proxy with a note', () => {
  const r = renderEntry('claude-desktop', spec({ auth: 'mcp-remote' }), 'darwin');
  assert.equal(r.effectiveAuth, 'proxy');
  assert.equal(r.holdsSecret, false);
  assert.match(r.notes.join(' '), /proxy form/);
});

test('mcp-remote adds --allow-http for a loopback http:// workspace only', () => {
  const local = 'http://127.0.0.1:5555/api/2.0/mcp/sql';
  const r = renderEntry('claude-desktop', spec({ auth: 'mcp-remote', url: local, literalToken: 't' }), 'linux');
  assert.deepEqual((r.entry.args as string[]).slice(0, 6), ['-y', MCP_REMOTE_PACKAGE, local, '--transport', 'http-only', '--allow-http']);
  assert.ok(!(renderEntry('claude-desktop', spec({ auth: 'mcp-remote', literalToken: 't' }), 'linux').entry.args as string[]).includes('--allow-http'));
  assert.ok(isLoopbackHttp('http://localhost:1/x'));
  assert.ok(isLoopbackHttp('http://[::1]:1/x'));
  assert.ok(!isLoopbackHttp('https://127.0.0.1/x'));
  assert.ok(!isLoopbackHttp('http://10.0.0.1/x'));
  assert.ok(!isLoopbackHttp('not a url'));
});

test('rendering is pure: same input, equal output, spec not mutated', () => {
  const s = spec({ meta: { b: '1', a: '2' } });
  const copy = structuredClone(s);
  assert.deepEqual(renderEntry('vscode', s, 'linux'), renderEntry('vscode', s, 'linux'));
  assert.deepEqual(s, copy);
});

test('an invalid token variable name is a usage error', () => {
  assert.throws(() => renderEntry('cursor', spec({ auth: 'header', tokenEnvVar: 'A}B' }), 'linux'), UsageError);
});

test('isPortableProxyEntry: the project-scope proxy form (also under cmd /c), nothing with a profile or another package', () => {
  const args = ['-y', 'dbx-mcp@0.2.0', 'proxy', '--url', URL_];
  assert.ok(isPortableProxyEntry({ command: 'npx', args }));
  assert.ok(isPortableProxyEntry({ type: 'stdio', command: 'cmd', args: ['/c', 'npx', ...args, '--meta', 'a=b'] }));
  assert.ok(isPortableProxyEntry(renderEntry('vscode', spec({ profile: undefined, launcher: npx }), 'win32').entry));
  assert.ok(!isPortableProxyEntry(renderEntry('vscode', spec({ launcher: npx }), 'linux').entry), 'a profile is personal');
  assert.ok(!isPortableProxyEntry(renderEntry('cursor', spec({ profile: undefined }), 'linux').entry), 'an absolute path is machine-specific');
  assert.ok(!isPortableProxyEntry({ command: 'npx', args: ['-y', 'dbx-mcp-fork@1.0.0', 'proxy', '--url', URL_] }));
  assert.ok(!isPortableProxyEntry({ command: 'npx', args: ['-y', 'dbx-mcp@0.2.0', 'proxy', '--url'] }));
  assert.ok(!isPortableProxyEntry({ url: URL_ }));
  assert.ok(!isPortableProxyEntry(null));
});

test('the dialect expresses other entry shapes without renderer changes (Codex, Goose, OpenCode-like)', async () => {
  const { renderFor } = await import('../../../src/clients/render.js');
  const { cursor } = await import('../../../src/clients/catalog/cursor.js');
  const { defineClient } = await import('../../../src/clients/catalog/definition.js');
  // Codex-like: no interpolation, the client reads the token from a named variable itself.
  const codexLike = defineClient({ ...cursor, id: 'codex-like', displayName: 'Codex', envRefs: 'none', dialect: { ...cursor.dialect, envTokenEntry: (url, v) => ({ url, bearer_token_env_var: v }) } });
  const h = renderFor(codexLike, spec({ auth: 'header', tokenEnvVar: 'DBX_TOKEN' }), 'linux');
  assert.deepEqual(h.entry, { url: URL_, bearer_token_env_var: 'DBX_TOKEN' });
  assert.equal(h.effectiveAuth, 'header');
  assert.equal(h.holdsSecret, false);
  // A literal token still goes into a header through httpEntry.
  assert.deepEqual(renderFor(codexLike, spec({ auth: 'header', literalToken: 'dapi123' }), 'linux').entry, { url: URL_, headers: { Authorization: 'Bearer dapi123' } });
  // Goose-like `cmd`/`envs` and OpenCode-like `command` as one array: a stdio function each.
  const gooseLike = defineClient({ ...cursor, id: 'goose-like', dialect: { stdioEntry: (c, env) => ({ type: 'stdio', cmd: c.command, args: c.args, ...(env && { envs: env }) }) } });
  assert.deepEqual(renderFor(gooseLike, spec(), 'linux').entry, { type: 'stdio', cmd: '/usr/bin/node', args: proxyArgs });
  const opencodeLike = defineClient({ ...cursor, id: 'opencode-like', dialect: { stdioEntry: (c, env) => ({ type: 'local', command: [c.command, ...c.args], ...(env && { environment: env }) }) } });
  assert.deepEqual(renderFor(opencodeLike, spec(), 'linux').entry, { type: 'local', command: ['/usr/bin/node', ...proxyArgs] });
});

test('issue 13 JSON clients: header mode in each dialect (env reference in its own syntax, or proxy where it has none)', () => {
  const h = (v: string) => ({ Authorization: `Bearer ${v}` });
  const header = (id: Parameters<typeof renderEntry>[0]) => renderEntry(id, spec({ auth: 'header' }), 'linux');
  assert.deepEqual(header('gemini').entry, { httpUrl: URL_, headers: h('${DATABRICKS_TOKEN}') });
  assert.deepEqual(header('opencode').entry, { type: 'remote', url: URL_, headers: h('{env:DATABRICKS_TOKEN}'), oauth: false, enabled: true });
  assert.deepEqual(header('copilot-cli').entry, { type: 'http', url: URL_, headers: h('${DATABRICKS_TOKEN}'), tools: ['*'] });
  assert.deepEqual(header('kiro').entry, { url: URL_, headers: h('${DATABRICKS_TOKEN}') });
  assert.match(header('kiro').notes.join(' '), /only for environment variables you approved in Kiro/);
  // Zed and Cline: env interpolation unknown → the proxy form (no secret in the file).
  assert.deepEqual(header('zed').entry, { source: 'custom', command: '/usr/bin/node', args: proxyArgs });
  assert.equal(header('zed').effectiveAuth, 'proxy');
  assert.deepEqual(header('cline').entry, { command: '/usr/bin/node', args: proxyArgs });
  // With a literal token they can call the server natively (Cline needs type streamableHttp).
  assert.deepEqual(renderEntry('cline', spec({ auth: 'header', literalToken: 'dapi1' }), 'linux').entry, { type: 'streamableHttp', url: URL_, headers: h('dapi1') });
  assert.deepEqual(renderEntry('zed', spec({ auth: 'header', literalToken: 'dapi1' }), 'linux').entry, { url: URL_, headers: h('dapi1') });
});

test('issue 13 JSON clients: OAuth natively for Gemini (pinned redirectUri) and OpenCode, mcp-remote for the rest', () => {
  const o = { clientId: 'abc-123', callbackPort: 7777 };
  assert.deepEqual(renderEntry('gemini', spec({ auth: 'oauth', oauth: o }), 'linux').entry, {
    httpUrl: URL_,
    oauth: { enabled: true, clientId: 'abc-123', redirectUri: 'http://localhost:7777/oauth/callback' },
  });
  assert.deepEqual(renderEntry('opencode', spec({ auth: 'oauth', oauth: o }), 'linux').entry, { type: 'remote', url: URL_, oauth: { clientId: 'abc-123' }, enabled: true });
  for (const id of ['copilot-cli', 'zed', 'kiro', 'cline'] as const) {
    const r = renderEntry(id, spec({ auth: 'oauth', oauth: o }), 'linux');
    assert.equal(r.effectiveAuth, 'oauth', id);
    assert.ok(JSON.stringify(r.entry).includes(MCP_REMOTE_PACKAGE), id);
    assert.ok(JSON.stringify(r.entry).includes('"7777"'), id);
  }
});

test('issue 13 JSON clients: mcp-remote keeps the header value in env (OpenCode: `environment`, command array)', () => {
  const r = renderEntry('opencode', spec({ auth: 'mcp-remote' }), 'linux');
  assert.deepEqual(r.entry, {
    type: 'local',
    command: ['npx', '-y', MCP_REMOTE_PACKAGE, URL_, '--transport', 'http-only', '--header', 'Authorization:${DBX_MCP_AUTH_HEADER}'],
    environment: { DBX_MCP_AUTH_HEADER: 'Bearer {env:DATABRICKS_TOKEN}' },
    enabled: true,
  });
  assert.deepEqual(renderEntry('gemini', spec({ auth: 'mcp-remote' }), 'linux').entry.env, { DBX_MCP_AUTH_HEADER: 'Bearer ${DATABRICKS_TOKEN}' });
  assert.equal(renderEntry('cline', spec({ auth: 'mcp-remote' }), 'linux').effectiveAuth, 'proxy');
});

test('Gemini: a name with "_" gets a warning naming the dashed alternative; a dashed name none', () => {
  const r = renderEntry('gemini', spec({ name: 'genie_sales' }), 'linux');
  assert.match(r.notes[0] ?? '', /splits server names on "_".*--name genie-sales/);
  assert.equal(renderEntry('gemini', spec(), 'linux').notes.some((n) => n.includes('"_"')), false);
  assert.equal(renderEntry('cursor', spec({ name: 'genie_sales' }), 'linux').notes.some((n) => n.includes('"_"')), false);
});

test('codex: header names the variable (bearer_token_env_var), never a token; --literal-token refused with the reason', () => {
  const r = renderEntry('codex', spec({ auth: 'header', tokenEnvVar: 'MY_TOKEN' }), 'linux');
  assert.deepEqual(r.entry, { url: URL_, bearer_token_env_var: 'MY_TOKEN' });
  assert.equal(r.effectiveAuth, 'header');
  assert.equal(r.holdsSecret, false);
  assert.throws(
    () => renderEntry('codex', spec({ auth: 'header', literalToken: 'dapi-secret' }), 'linux'),
    (e) => e instanceof UsageError && /--literal-token is not available for Codex: .*bearer_token/.test(e.message) && !/dapi-secret/.test(`${e.message}${e.hint}`),
  );
});

test('codex: oauth is oauth.client_id plus the top-level callback port; mcp-remote carries the token in env', () => {
  const r = renderEntry('codex', spec({ auth: 'oauth', oauth: { clientId: 'cid', callbackPort: 4455 } }), 'linux');
  assert.deepEqual(r.entry, { url: URL_, oauth: { client_id: 'cid' } });
  assert.deepEqual(r.fileKeys, { mcp_oauth_callback_port: 4455 });
  assert.deepEqual(getClient('codex').render(spec({ auth: 'proxy' }), 'linux').fileKeys, undefined);
  const m = renderEntry('codex', spec({ auth: 'mcp-remote', literalToken: 'dapi-x' }), 'linux');
  assert.equal(m.entry.command, 'npx');
  assert.deepEqual(m.entry.env, { DBX_MCP_AUTH_HEADER: 'Bearer dapi-x' });
});

test('codex: a name outside [A-Za-z0-9_-] is a usage error that names a safe one', () => {
  assert.throws(
    () => renderEntry('codex', spec({ name: 'genie.sales v2' }), 'linux'),
    (e) => e instanceof UsageError && /not a valid Codex server name/.test(e.message) && /--name genie-sales-v2/.test(e.hint ?? ''),
  );
});

test('goose: header mode becomes the proxy form with a note; oauth goes through mcp-remote; literal header is streamable_http', () => {
  const h = renderEntry('goose', spec({ auth: 'header' }), 'linux');
  assert.equal(h.effectiveAuth, 'proxy');
  assert.equal(h.entry.type, 'stdio');
  assert.match(h.notes.join(' '), /Goose cannot reference environment variables/);
  const o = renderEntry('goose', spec({ auth: 'oauth', oauth: { clientId: 'cid' } }), 'linux');
  assert.equal(o.entry.cmd, 'npx');
  assert.ok((o.entry.args as string[]).includes('--static-oauth-client-info'));
  const lit = renderEntry('goose', spec({ auth: 'header', literalToken: 'dapi-y' }), 'linux');
  assert.deepEqual(lit.entry, { name: 'databricks-genie-sales', type: 'streamable_http', uri: URL_, headers: { Authorization: 'Bearer dapi-y' }, enabled: true, timeout: 300 });
  assert.equal(lit.holdsSecret, true);
});
