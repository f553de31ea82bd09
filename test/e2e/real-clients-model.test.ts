/**
 * Real agent CLIs calling a tool of a modern-only (MCP 2026-07-28) server in a whole agent turn
 * (issue 21), with a loopback stand-in model provider (test/support/model-provider.ts) in place of
 * the model service: it answers the first turn with a call to the MCP tool and the next with the
 * tool's output, and records what reached it.
 *
 * - Codex 0.171 (legacy only): `codex exec` with the native header entry gets no tool (its MCP
 *   handshake fails with -32022), doctor says `protocol-mismatch` with the proxy fix, and after that
 *   fix `codex exec` calls the tool through the proxy and the tool's real result reaches the model.
 * - Copilot CLI 1.0.102 (dual): `copilot -p` in its offline BYOK mode (`COPILOT_OFFLINE`,
 *   `COPILOT_PROVIDER_BASE_URL`) calls the tool through its native header entry and through a proxy
 *   entry, each in the modern era; against the same server gone legacy-only, its native entry falls
 *   back from server/discover to initialize and still calls the tool.
 *
 * Temporary HOME, loopback only (the clients' HTTP(S) proxy is a capture server that must see
 * nothing), bounded by timeouts. The pinned clients come from test/support/real-clients.ts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { DEMO_PAT, type FakeWorkspace } from '../../src/emulator/index.js';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { startCaptureServer, type CaptureServer } from '../support/capture-server.js';
import { startStandInModel, type StandInModel } from '../support/model-provider.js';
import { ensureRealClient } from '../support/real-clients.js';

const MODEL_KEY = 'stand-in-model-key';
const QUERY = 'SELECT 42';
/** What the emulator's `execute_sql_read_only` answers for QUERY (src/emulator/mcp-tools.ts). */
const RESULT = `rows for: ${QUERY}`;
const PROMPT = `Run the SQL query ${QUERY} with the Databricks SQL tool and tell me its result.`;
/** The README's `mcp_optional_startup_grace_ms` for Codex (ms). */
const STARTUP_GRACE_MS = 10_000;

interface Run {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env, cwd, timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number | string }).code ?? (err as { signal?: string }).signal ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.end();
  });
}

const show = (r: Run) => `exit ${String(r.code)}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** What reached the model, for failure messages (without the raw bodies: Codex's instructions alone are many KB). */
const modelLog = (model: StandInModel) => JSON.stringify(model.requests.map(({ raw: _raw, ...r }) => r), null, 1);

/** A Databricks token as the emulator issues them (DEMO_PAT is one), anywhere in a request. */
const DATABRICKS_TOKEN = /dapi[0-9a-f]{16,}/i;

/** Neither DEMO_PAT nor any other Databricks token reached the model, in a header or a body. */
function assertNoTokenReachedModel(model: StandInModel, what: string): void {
  assert.ok(model.requests.length > 0, `${what}: the model was asked at all`);
  assert.ok(model.requests.every((r) => r.raw.length > 0), `${what}: every request was recorded raw`);
  const leaked = model.requests.filter((r) => r.raw.includes(DEMO_PAT) || DATABRICKS_TOKEN.test(r.raw)).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(leaked, [], `${what}: a Databricks token reached the model`);
}

/** The clients' HTTP(S) proxy: a capture server, so any connection beyond loopback is seen (and refused). */
async function foreignTrap(t: TestContext): Promise<{ trap: CaptureServer; env: Record<string, string> }> {
  const trap = await startCaptureServer();
  t.after(() => trap.close());
  const env = { HTTPS_PROXY: trap.url, HTTP_PROXY: trap.url, ALL_PROXY: trap.url, https_proxy: trap.url, http_proxy: trap.url, all_proxy: trap.url, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' };
  return { trap, env };
}

async function standIn(t: TestContext, tool: RegExp): Promise<StandInModel> {
  const model = await startStandInModel({ tool, args: { query: QUERY }, apiKey: MODEL_KEY });
  t.after(() => model.close());
  return model;
}

/** The MCP requests the emulator saw at the SQL server (from the `from`th request on), as `method status protocol-version user-agent`. */
function mcpLog(ws: FakeWorkspace, from = 0): string[] {
  return ws.requests
    .slice(from)
    .filter((r) => r.path === '/api/2.0/mcp/sql')
    .map((r) => `${(r.body as { method?: string } | undefined)?.method ?? r.method} ${r.status} ${r.headers['mcp-protocol-version'] ?? '-'} ${(r.headers['user-agent'] ?? '-').split('/')[0]}`);
}

/** The model got the call's output, holding the emulator's real answer, and then answered with it. */
function assertToolResultReachedModel(model: StandInModel, finalText: string, what: string): void {
  assert.equal(model.calls.length, 1, `${what}: one tool call\n${modelLog(model)}`);
  const [call] = model.calls;
  const outputs = model.requests.flatMap((r) => Object.entries(r.toolOutputs));
  const output = outputs.find(([id]) => id === call!.callId)?.[1];
  assert.ok(output !== undefined, `${what}: the call's output came back to the model\n${modelLog(model)}`);
  assert.ok(output.includes(RESULT) && /"statement_id":"01f0[0-9a-f]{16}"/.test(output), `${what}: the output is the emulator's answer: ${output}`);
  assert.ok(model.requests.every((r) => r.keyed), `${what}: every model request bore the stand-in key`);
  assert.match(finalText, new RegExp(`TOOL OUTPUT: [^]*${RESULT}`), `${what}: the final answer carries the tool output`);
  assertNoTokenReachedModel(model, what);
}

test('Codex 0.171 (legacy only) × modern-only server: `codex exec` gets no tool natively; after doctor\'s proxy fix it calls the tool and the result reaches the model', { timeout: 420_000 }, async (t) => {
  const codex = ensureRealClient('codex');
  const { ws, home } = await workspaceWithHome(t);
  ws.scenario.mcpEra = 'modern';
  const model = await standIn(t, /^mcp__databricks_sql\.execute_sql_read_only$/);
  const { trap, env: trapEnv } = await foreignTrap(t);
  const codexHome = join(home, '.codex');
  mkdirSync(codexHome);
  // The user's own settings: the stand-in provider, its key read from STANDIN_MODEL_KEY, and the
  // startup grace the README gives for Codex. Codex 0.171 starts a session's first model request
  // with only the MCP servers ready within 1 s (its default mcp_optional_startup_grace_ms) and
  // leaves a server still starting out without a warning; the proxy's cold start (Node, the
  // workspace's era, tools/list) takes longer than that on a loaded machine, so `codex exec` then
  // runs without the Databricks tools.
  writeFileSync(join(codexHome, 'config.toml'), `model = "gpt-5.2-codex"\nmodel_provider = "standin"\nmcp_optional_startup_grace_ms = ${STARTUP_GRACE_MS}\n\n[model_providers.standin]\nname = "loopback stand-in"\nbase_url = "${model.baseUrl}"\nenv_key = "STANDIN_MODEL_KEY"\nwire_api = "responses"\n`);
  const add = await runCli(['add', 'sql', '--client', 'codex', '--auth', 'header', '--yes'], { home });
  assert.equal(add.code, 0, add.stderr);
  assert.match(readFileSync(join(codexHome, 'config.toml'), 'utf8'), /\[mcp_servers\.databricks-sql\]\nurl = "[^"]+\/api\/2\.0\/mcp\/sql"\nbearer_token_env_var = "DATABRICKS_TOKEN"/);

  // RUST_LOG makes Codex print why an MCP server did not start (codex_mcp warn), when it left a
  // server still starting out of a model request (tool_catalog trace: "omitting pending optional
  // MCP server"), and what the server wrote to stderr (codex_rmcp_client info: the proxy's log).
  // Plugins/apps sync would reach GitHub and chatgpt.com.
  const rustLog = 'codex_mcp=warn,codex_mcp::connection_manager::tool_catalog=trace,codex_rmcp_client=info';
  const env = isolatedEnv(home, { DATABRICKS_TOKEN: DEMO_PAT, STANDIN_MODEL_KEY: MODEL_KEY, RUST_LOG: rustLog, ...trapEnv });
  const exec = ['exec', '--skip-git-repo-check', '--ephemeral', '--sandbox', 'read-only', '--color', 'never', '--disable', 'plugins', '--disable', 'remote_plugin', '--disable', 'apps', '-c', 'analytics.enabled=false', PROMPT];

  const native = await run(codex, exec, env, home);
  assert.equal(native.code, 0, show(native));
  // Codex logs the refused handshake when its startup task reports it, or, when the turn ends
  // first (seen on a busy machine), only as it shuts the client down: either line will do.
  assert.match(native.stderr, /WARN codex_mcp::rmcp_client: (?:MCP server startup failed server_name="databricks-sql" |failed to initialize MCP client during shutdown: MCP startup failed: ).*-32022: Unsupported protocol version: 2025-06-18\(\{"supported":\["2026-07-28"\]/, show(native));
  assert.equal(model.calls.length, 0, `no Databricks tool was offered natively\n${show(native)}`);
  assert.ok(model.requests.length > 0 && model.requests.every((r) => !r.tools.some((n) => n.includes('databricks'))), modelLog(model));
  assert.match(native.stdout, /NO MATCHING TOOL among: /, show(native));
  assertNoTokenReachedModel(model, 'codex native');
  const nativeLog = mcpLog(ws);
  assert.ok(nativeLog.some((l) => /^initialize 400 - codex/.test(l)) && !nativeLog.some((l) => l.startsWith('tools/call')), nativeLog.join('\n'));

  const doctor = await runCli(['doctor', '--json', '--only', 'server.databricks-sql.handshake'], { home, env: { DATABRICKS_TOKEN: DEMO_PAT, DATABRICKS_HOST: ws.url } });
  const check = (JSON.parse(doctor.stdout) as { checks: Array<{ id: string; fix?: string; data?: Record<string, unknown> }> }).checks.find((c) => c.id === 'server.databricks-sql.handshake')!;
  assert.equal(check.data?.kind, 'protocol-mismatch', JSON.stringify(check));
  const fix = /dbx-mcp (add [^,]+?--auth proxy(?: --force)?)/.exec(check.fix ?? '')?.[1];
  assert.ok(fix !== undefined && fix.includes('--client codex'), check.fix);
  const readd = await runCli([...fix.split(' '), '--yes'], { home });
  assert.equal(readd.code, 0, `${fix}\n${readd.stdout}${readd.stderr}`);
  const fixed = readFileSync(join(codexHome, 'config.toml'), 'utf8');
  assert.match(fixed, /\[mcp_servers\.databricks-sql\]\ncommand = "[^"]+"\nargs = \[[^\]]*"proxy", "--url", "[^"]+\/api\/2\.0\/mcp\/sql"[^\]]*\]\n/);
  assert.match(fixed, new RegExp(`^mcp_optional_startup_grace_ms = ${STARTUP_GRACE_MS}$`, 'm'), `the user's own setting is kept\n${fixed}`);
  // The proxy's debug log (stderr only; Codex logs it through codex_rmcp_client), for a failure to say why.
  writeFileSync(join(codexHome, 'config.toml'), fixed.replace(/(\[mcp_servers\.databricks-sql\]\ncommand = "[^"]+"\nargs = \[[^\]]*)\]\n/, '$1, "--log-level", "debug"]\n'));

  model.reset();
  const before = ws.requests.length;
  const proxied = await run(codex, exec, env, home);
  const why = () => `${show(proxied)}\n--- model requests\n${modelLog(model)}\n--- the emulator's MCP requests\n${mcpLog(ws, before).join('\n')}`;
  assert.equal(proxied.code, 0, why());
  assert.doesNotMatch(proxied.stderr, /MCP server startup failed/, why());
  assert.doesNotMatch(proxied.stderr, /omitting pending optional MCP server/, `Codex left the proxy, still starting, out of a model request\n${why()}`);
  assert.match(proxied.stderr, /mcp: databricks-sql\/execute_sql_read_only \(completed\)/, why());
  assertToolResultReachedModel(model, proxied.stdout, 'codex via proxy');
  assert.doesNotMatch(proxied.stderr, DATABRICKS_TOKEN, 'the proxy logs no token');
  // The proxy found the server's era (its legacy initialize refused, then server/discover) and sent the call as a modern request.
  const upstream = mcpLog(ws, before);
  assert.ok(upstream.some((l) => /^server\/discover 200 2026-07-28 dbx-mcp$/.test(l)), upstream.join('\n'));
  assert.deepEqual(upstream.filter((l) => l.startsWith('tools/call')), ['tools/call 200 2026-07-28 dbx-mcp'], upstream.join('\n'));
  assert.deepEqual(trap.received, [], 'nothing left loopback');
});

test('Copilot CLI 1.0.102 (dual) × modern-only server: `copilot -p` calls the tool through its native entry and through a proxy entry; against a legacy-only server its native entry falls back to initialize', { timeout: 420_000 }, async (t) => {
  const copilot = ensureRealClient('copilot');
  const { ws, home } = await workspaceWithHome(t);
  ws.scenario.mcpEra = 'modern';
  const model = await standIn(t, /^databricks-sql-execute_sql_read_only$/);
  const { trap, env: trapEnv } = await foreignTrap(t);
  const added = await runCli(['add', 'sql', '--client', 'copilot-cli', '--auth', 'header', '--yes'], { home });
  assert.equal(added.code, 0, added.stderr);
  const proxyAdd = await runCli(['add', 'sql', '--client', 'copilot-cli', '--name', 'dbx-sql-proxy', '--auth', 'proxy', '--yes'], { home });
  assert.equal(proxyAdd.code, 0, proxyAdd.stderr);
  const file = readFileSync(join(home, '.copilot', 'mcp-config.json'), 'utf8');
  const servers = (JSON.parse(file) as { mcpServers: Record<string, { type: string; args?: string[] }> }).mcpServers;
  assert.equal(servers['databricks-sql']?.type, 'http', file);
  assert.equal(servers['dbx-sql-proxy']?.type, 'local', file);
  assert.ok(servers['dbx-sql-proxy']?.args?.includes('proxy'), file);

  // doctor handshakes the native entry in Copilot's era and passes.
  const doctor = await runCli(['doctor', '--json', '--only', 'server.databricks-sql.handshake'], { home, env: { DATABRICKS_TOKEN: DEMO_PAT, DATABRICKS_HOST: ws.url } });
  const check = (JSON.parse(doctor.stdout) as { checks: Array<{ id: string; status: string; data?: Record<string, unknown> }> }).checks.find((c) => c.id === 'server.databricks-sql.handshake')!;
  assert.equal(check.status, 'pass', JSON.stringify(check));

  // Offline BYOK (`copilot help environment`): no GitHub sign-in, no GitHub service, the stand-in is the model.
  const env = isolatedEnv(home, {
    DATABRICKS_TOKEN: DEMO_PAT,
    COPILOT_OFFLINE: 'true',
    COPILOT_PROVIDER_BASE_URL: model.baseUrl,
    COPILOT_PROVIDER_TYPE: 'openai',
    COPILOT_PROVIDER_WIRE_API: 'responses',
    COPILOT_PROVIDER_API_KEY: MODEL_KEY,
    COPILOT_MODEL: 'gpt-5.2',
    COPILOT_AUTO_UPDATE: 'false',
    ...trapEnv,
  });
  const prompt = ['-p', PROMPT, '--allow-all-tools', '--disable-client-telemetry'];

  for (const [name, tool] of [['databricks-sql', /^databricks-sql-execute_sql_read_only$/], ['dbx-sql-proxy', /^dbx-sql-proxy-execute_sql_read_only$/]] as const) {
    model.reset(tool);
    const before = ws.requests.length;
    const r = await run(copilot, prompt, env, home);
    assert.equal(r.code, 0, `${name}: ${show(r)}`);
    const offered = model.requests[0]?.tools ?? [];
    for (const n of ['databricks-sql-execute_sql_read_only', 'dbx-sql-proxy-execute_sql_read_only']) assert.ok(offered.includes(n), `${n} offered: ${offered.join(', ')}`);
    assertToolResultReachedModel(model, r.stdout, `copilot ${name}`);
    assert.match(r.stdout, new RegExp(`execute_sql_read_only \\(MCP: ${name}\\)`), show(r));
    // Exactly one call upstream, in the modern era, sent by Copilot itself (native) or by the proxy.
    const calls = mcpLog(ws, before).filter((l) => l.startsWith('tools/call'));
    assert.equal(calls.length, 1, calls.join('\n'));
    assert.match(calls[0]!, name === 'dbx-sql-proxy' ? /^tools\/call 200 2026-07-28 dbx-mcp$/ : /^tools\/call 200 2026-07-28 (?!dbx-mcp)/, calls.join('\n'));
  }
  assert.ok(!mcpLog(ws).some((l) => l.startsWith('initialize')), `no legacy handshake against the modern-only server\n${mcpLog(ws).join('\n')}`);

  // The same native entry against the server gone legacy-only: Copilot's server/discover is refused, it falls back to initialize.
  ws.scenario.mcpEra = 'legacy';
  model.reset(/^databricks-sql-execute_sql_read_only$/);
  const before = ws.requests.length;
  const legacy = await run(copilot, prompt, env, home);
  assert.equal(legacy.code, 0, show(legacy));
  assertToolResultReachedModel(model, legacy.stdout, 'copilot native, legacy server');
  const own = mcpLog(ws, before).filter((l) => !l.endsWith(' dbx-mcp'));
  const opening = own.filter((l) => /^(server\/discover|initialize|tools\/call) /.test(l));
  assert.deepEqual(opening.map((l) => l.split(' ').slice(0, 2).join(' ')), ['server/discover 400', 'initialize 200', 'tools/call 200'], own.join('\n'));
  assert.match(opening[2]!, /^tools\/call 200 2025-11-25 /, own.join('\n'));
  assert.deepEqual(trap.received, [], 'nothing left loopback');
});
