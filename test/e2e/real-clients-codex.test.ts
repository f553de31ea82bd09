/**
 * Proof through the real Codex CLI (pinned in test/support/real-clients.ts) that the TOML dbx-mcp
 * writes is what Codex reads: `codex mcp get <name> --json` parses $CODEX_HOME/config.toml and
 * shows each entry's transport (it does not connect, so no network is involved), and `codex mcp
 * list` lists them all next to the user's own keys and comments, which stay as they were.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { ensureRealClient } from '../support/real-clients.js';

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.end();
  });
}

const USER_TEXT = '# my codex settings\nmodel = "o3"  # keep\n\n[profiles.fast]\nmodel = "o4-mini"\n';

test('Codex: `codex mcp get --json` reads the header (bearer_token_env_var), proxy and OAuth entries dbx-mcp wrote', { timeout: 180_000 }, async (t) => {
  const codex = ensureRealClient('codex');
  const { home, ws } = await workspaceWithHome(t);
  const codexHome = join(home, 'codex-home');
  mkdirSync(codexHome);
  const file = join(codexHome, 'config.toml');
  writeFileSync(file, USER_TEXT);
  const env = { CODEX_HOME: codexHome };
  const add = async (args: string[]) => {
    const r = await runCli(['add', ...args, '--client', 'codex', '--yes'], { home, env });
    assert.equal(r.code, 0, r.stderr);
    return r;
  };
  await add(['sql', '--auth', 'header', '--token-env', 'TEAM_DBX_TOKEN']);
  await add(['sql', '--name', 'dbx-sql-proxy']);
  await add(['sql', '--name', 'dbx-sql-oauth', '--auth', 'oauth', '--client-id', 'cid-123']);
  const text = readFileSync(file, 'utf8');
  // Codex's callback port is a top-level key, so it goes among the top-level keys (before the first table).
  const withPort = USER_TEXT.replace('# keep\n', '# keep\nmcp_oauth_callback_port = 3334\n');
  assert.ok(text.startsWith(withPort), `the user's bytes are all kept, in order:\n${text}`);
  assert.doesNotMatch(text, /dapi/, 'no token in the file');

  const cenv = isolatedEnv(home, env);
  const get = async (name: string) => {
    const r = await run(codex, ['mcp', 'get', name, '--json'], cenv);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    return JSON.parse(r.stdout) as { enabled: boolean; transport: Record<string, unknown> };
  };
  const header = await get('databricks-sql');
  assert.equal(header.transport.type, 'streamable_http');
  assert.equal(header.transport.url, `${ws.url}/api/2.0/mcp/sql`);
  assert.equal(header.transport.bearer_token_env_var, 'TEAM_DBX_TOKEN');
  const proxy = await get('dbx-sql-proxy');
  assert.equal(proxy.transport.type, 'stdio');
  const args = proxy.transport.args as string[];
  assert.deepEqual(args.slice(args.indexOf('proxy'), args.indexOf('proxy') + 3), ['proxy', '--url', `${ws.url}/api/2.0/mcp/sql`]);
  const oauth = await get('dbx-sql-oauth');
  assert.equal(oauth.transport.type, 'streamable_http');
  assert.equal(oauth.transport.bearer_token_env_var, null);

  const list = await run(codex, ['mcp', 'list'], cenv);
  assert.equal(list.code, 0, list.stderr);
  for (const name of ['databricks-sql', 'dbx-sql-proxy', 'dbx-sql-oauth']) assert.match(list.stdout, new RegExp(`^${name}\\s`, 'm'));
  assert.match(list.stdout, /databricks-sql\s+\S+\s+TEAM_DBX_TOKEN\s+enabled\s+Bearer token/);

  // Removing them all gives back the user's file byte for byte (the callback port dbx-mcp added stays: see README).
  for (const name of ['databricks-sql', 'dbx-sql-proxy', 'dbx-sql-oauth']) {
    const r = await runCli(['remove', name, '--client', 'codex', '--yes'], { home, env });
    assert.equal(r.code, 0, r.stderr);
  }
  const after = readFileSync(file, 'utf8');
  assert.equal(after, withPort);
  assert.equal((await run(codex, ['mcp', 'list'], cenv)).code, 0);
});

test('Codex: an unparseable config.toml is exit 2 with file, line and column, and nothing is written', { timeout: 60_000 }, async (t) => {
  const { home } = await workspaceWithHome(t);
  const dir = join(home, '.codex');
  mkdirSync(dir);
  const file = join(dir, 'config.toml');
  const broken = '# mine\nmodel = "o3"\noops\n';
  writeFileSync(file, broken);
  const r = await runCli(['add', 'sql', '--client', 'codex', '--yes'], { home });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /config\.toml:3:5: Expected "=" for key-value; the file was not changed/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(readFileSync(file, 'utf8'), broken);
});

test('Codex: --scope project and --literal-token are refused with the reason', { timeout: 60_000 }, async (t) => {
  const { home } = await workspaceWithHome(t);
  const project = await runCli(['add', 'sql', '--client', 'codex', '--scope', 'project', '--yes'], { home, cwd: home });
  assert.equal(project.code, 2, project.stderr);
  assert.match(project.stderr, /Codex has no project file.*\n.*--scope user/);
  const literal = await runCli(['add', 'sql', '--client', 'codex', '--auth', 'header', '--literal-token', '--yes'], { home });
  assert.equal(literal.code, 2, literal.stderr);
  assert.match(literal.stderr, /--literal-token is not available for Codex: .*bearer_token/);
});
