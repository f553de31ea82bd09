/**
 * Issue 22: sign in with only Node. The built bin, a temporary HOME, no Databricks CLI on PATH:
 * `dbx-mcp login` through a headless browser (test/helpers/browser.ts) against the fake
 * workspace's /oidc (PKCE), then `token`, `add`, `doctor --json` and the proxy on the cached
 * token; the token store read back as the Databricks CLI reads it (libs/auth/storage); expiry
 * and refresh with rotation; a revoked refresh token; a wrong state; a taken port; a closed
 * browser. Canaries: no access or refresh token in any output, argument or project file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { databricksCliOnPath } from '../../src/databricks/auth-methods/login.js';
import { DEMO_USER, startFakeWorkspace, type FakeWorkspace } from '../../src/emulator/index.js';
import { loginWithBrowser } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { startChild } from '../support/proxy-harness.js';

const BUILT = existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)));
/** Only node's own folder: whatever else the machine has, no `databricks` here. */
const PATH = dirname(process.execPath);

type Check = { id: string; status: string; summary: string; fix?: string; data?: Record<string, unknown> };
interface CacheFile {
  version: number;
  tokens: Record<string, { access_token: string; token_type: string; refresh_token?: string; expiry?: string }>;
}

async function signedIn(t: TestContext): Promise<{ ws: FakeWorkspace; home: string; env: Record<string, string> }> {
  const ws = await startFakeWorkspace();
  t.after(() => ws.close());
  const home = tempDir(t);
  const env = { PATH };
  const r = await loginWithBrowser(['--host', ws.url, '--profile', 'dev'], { home, env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.callback?.status, 200, JSON.stringify(r.callback));
  return { ws, home, env };
}

const cachePath = (home: string) => join(home, '.databricks', 'token-cache.json');
const readCache = (home: string) => JSON.parse(readFileSync(cachePath(home), 'utf8')) as CacheFile;

/** The user comes back after the access token expired (both keys, as the CLI's dual write left them). */
function expireCached(home: string): void {
  const f = readCache(home);
  for (const k of Object.keys(f.tokens)) f.tokens[k]!.expiry = new Date(Date.now() - 60_000).toISOString();
  writeFileSync(cachePath(home), JSON.stringify(f, null, 2), { mode: 0o600 });
}

function filesUnder(dir: string, depth = 0): string[] {
  if (depth > 8) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p, depth + 1) : [p];
  });
}

describe('dbx-mcp login (built bin, no Databricks CLI on PATH)', { skip: BUILT ? false : 'run npm run build first' }, () => {
  it('signs in with the browser; token, add, doctor --json and the proxy use the cached token; the store is the CLI\'s; no token leaks', { timeout: 120_000 }, async (t) => {
    assert.equal(databricksCliOnPath({ PATH }), false, 'the test PATH has no databricks');
    const ws = await startFakeWorkspace();
    t.after(() => ws.close());
    const home = tempDir(t);
    const env = { PATH };
    writeFileSync(join(home, '.databrickscfg'), '# my profiles\n[other]\nhost = https://other.cloud.databricks.com ; kept\ntoken = dapi-other\n', { mode: 0o600 });
    const login = await loginWithBrowser(['--host', ws.url, '--profile', 'dev'], { home, env });
    assert.equal(login.code, 0, login.stderr);
    assert.equal(login.callback?.status, 200);
    assert.match(login.callback!.text, /You can close this tab/);
    const a = login.authorizeUrl!;
    assert.equal(a.origin + a.pathname, `${ws.url}/oidc/v1/authorize`, 'the endpoint from /oidc/.well-known/oauth-authorization-server');
    assert.equal(a.searchParams.get('client_id'), 'databricks-cli');
    assert.equal(a.searchParams.get('scope'), 'offline_access all-apis');
    assert.equal(a.searchParams.get('code_challenge_method'), 'S256');
    assert.match(a.searchParams.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
    assert.match(a.searchParams.get('state')!, /^[A-Za-z0-9_-]{22}$/);
    assert.match(a.searchParams.get('redirect_uri')!, /^http:\/\/localhost:\d+$/);
    assert.match(login.stderr, new RegExp(`Signed in to ${ws.url.replace(/[.]/g, '\\.')} as ${DEMO_USER}`));

    // The profile, as `databricks auth login` writes it; the rest of the file byte for byte.
    const cfg = readFileSync(join(home, '.databrickscfg'), 'utf8');
    assert.ok(cfg.startsWith('# my profiles\n[other]\nhost = https://other.cloud.databricks.com ; kept\ntoken = dapi-other\n'), cfg);
    assert.match(cfg, new RegExp(`\\[dev\\]\\nhost = ${ws.url.replace(/[.]/g, '\\.')}\\nauth_type = databricks-cli\\n`));
    // No keyring here (DBX_MCP_TEST_KEYRING=unreachable, like a container): the CLI's fallback, remembered.
    assert.match(cfg, /\[__settings__\]\nauth_storage = plaintext\n/);
    assert.doesNotMatch(cfg, /default_profile/, 'not the first profile of the file');

    // The store, checked as the CLI's filestore.go reads it.
    const st = statSync(cachePath(home));
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(statSync(dirname(cachePath(home))).mode & 0o777, 0o700);
    const cache = readCache(home);
    assert.equal(cache.version, 1);
    assert.deepEqual(Object.keys(cache.tokens).sort(), ['dev', ws.url].sort(), 'the profile key and the mirrored host key');
    const stored = cache.tokens.dev!;
    assert.deepEqual(cache.tokens[ws.url], stored);
    assert.deepEqual(Object.keys(stored).sort(), ['access_token', 'expiry', 'refresh_token', 'token_type']);
    assert.equal(stored.token_type, 'Bearer');
    assert.match(stored.expiry!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'RFC 3339, as Go\'s time.Time');
    assert.ok(Date.parse(stored.expiry!) > Date.now() + 50 * 60_000);
    assert.equal(ws.state.tokens[stored.access_token]?.principal, DEMO_USER);
    const secrets = [stored.access_token, stored.refresh_token!];

    const tok = await runCli(['token', '--profile', 'dev'], { home, env });
    assert.equal(tok.code, 0, tok.stderr);
    assert.equal(tok.stdout.trim(), stored.access_token, 'the cached token, no new sign-in');

    const add = await runCli(['add', 'functions', 'main.tools', '--client', 'cursor', '--yes', '--profile', 'dev'], { home, env });
    assert.equal(add.code, 0, add.stderr);
    const written = readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8');
    assert.match(written, /databricks-functions-main-tools/);
    const repo = join(home, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    const proj = await runCli(['add', 'sql', '--scope', 'project', '--client', 'cursor', '--yes', '--profile', 'dev'], { home, env, cwd: repo });
    assert.equal(proj.code, 0, proj.stderr);

    const doc = await runCli(['doctor', '--json', '--only', 'profile,auth', '--profile', 'dev'], { home, env, timeoutMs: 60_000 });
    const checks = (JSON.parse(doc.stdout) as { checks: Check[] }).checks;
    assert.equal(checks.find((c) => c.id === 'profile.resolved')?.data?.authType, 'databricks-cli');
    const cli = checks.find((c) => c.id === 'profile.cli')!;
    assert.equal(cli.status, 'skip', JSON.stringify(cli));
    const auth = checks.find((c) => c.id === 'auth.token')!;
    assert.equal(auth.status, 'pass', JSON.stringify(auth));
    assert.match(auth.summary, /sign-in shared with the Databricks CLI \(from ~\/\.databricks\/token-cache\.json\)/);
    assert.equal(auth.data?.tokenFrom, 'token-cache.json');
    assert.equal(doc.code, 0, doc.stdout);

    const p = startChild({ home, args: ['--url', ws.mcpUrl('sql'), '--profile', 'dev', '--meta', 'warehouse_id=abcdef1234567890'], env: { ...env, DBX_MCP_TEST_KEYRING: 'unreachable' } });
    t.after(() => p.child.kill());
    const init = await p.rpc.initialize();
    assert.equal((init.result as { serverInfo: { name: string } } | undefined)?.serverInfo.name, 'databricks-sql', JSON.stringify(init) + p.stderr());
    assert.ok((await p.rpc.request('tools/list')).result);
    assert.equal(await p.end(), 0);

    // Canaries: tokens only in the store (and `token`'s stdout, whose purpose that is).
    for (const [what, text] of [
      ['login', login.stdout + login.stderr + login.authorizeUrl!.href],
      ['token stderr', tok.stderr],
      ['add', add.stdout + add.stderr + proj.stdout + proj.stderr],
      ['doctor', doc.stdout + doc.stderr],
      ['proxy', p.stderr() + JSON.stringify(p.rpc.lines)],
    ] as const) {
      for (const s of secrets) assert.ok(!text.includes(s), `${what} leaks a token`);
    }
    assert.ok(!tok.stdout.includes(stored.refresh_token!));
    for (const f of filesUnder(home).filter((f) => f !== cachePath(home))) {
      const text = readFileSync(f, 'utf8');
      for (const s of secrets) assert.ok(!text.includes(s), `${f} holds a token`);
    }
  });

  it('with a keyring (a fake one: DBX_MCP_TEST_KEYRING): the tokens go there as the CLI keeps them, no file and no plaintext setting; token and doctor read it', { timeout: 60_000 }, async (t) => {
    const ws = await startFakeWorkspace();
    t.after(() => ws.close());
    const home = tempDir(t);
    const keyring = join(home, 'fake-keyring.json');
    const env = { PATH, DBX_MCP_TEST_KEYRING: keyring };
    const r = await loginWithBrowser(['--host', ws.url, '--profile', 'dev'], { home, env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /tokens in the OS keyring \(service databricks-cli\)/);
    const entries = JSON.parse(readFileSync(keyring, 'utf8')) as Record<string, string>;
    assert.deepEqual(Object.keys(entries), ['databricks-cli/dev'], 'service databricks-cli, account = the profile; no host key in secure mode');
    const entry = (JSON.parse(entries['databricks-cli/dev']!) as { token: { access_token: string; refresh_token: string } }).token;
    assert.equal(ws.state.tokens[entry.access_token]?.principal, DEMO_USER);
    assert.equal(existsSync(cachePath(home)), false);
    assert.doesNotMatch(readFileSync(join(home, '.databrickscfg'), 'utf8'), /auth_storage/);
    const tok = await runCli(['token', '--profile', 'dev'], { home, env });
    assert.equal(tok.stdout.trim(), entry.access_token, tok.stderr);
    const doc = await runCli(['doctor', '--json', '--only', 'profile,auth', '--profile', 'dev'], { home, env, timeoutMs: 60_000 });
    const auth = (JSON.parse(doc.stdout) as { checks: Check[] }).checks.find((c) => c.id === 'auth.token')!;
    assert.match(auth.summary, /\(from the OS keyring\)/);
    assert.equal(auth.data?.tokenFrom, 'keyring');
    for (const text of [r.stdout + r.stderr, tok.stderr, doc.stdout + doc.stderr]) for (const s of [entry.access_token, entry.refresh_token]) assert.ok(!text.includes(s));
  });

  it('first profile of a new file: becomes default_profile, as the CLI makes it; the host names the profile when --profile is absent', { timeout: 60_000 }, async (t) => {
    const ws = await startFakeWorkspace();
    t.after(() => ws.close());
    const home = tempDir(t);
    const r = await loginWithBrowser(['--host', ws.url], { home, env: { PATH } });
    assert.equal(r.code, 0, r.stderr);
    const cfg = readFileSync(join(home, '.databrickscfg'), 'utf8');
    assert.match(cfg, /\[127-0-0-1\]\nhost = /);
    assert.match(cfg, /default_profile = 127-0-0-1/);
    const tok = await runCli(['token'], { home, env: { PATH } });
    assert.equal(tok.code, 0, tok.stderr);
    // Signing in again updates the profile in place.
    const again = await loginWithBrowser(['--profile', '127-0-0-1'], { home, env: { PATH } });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(join(home, '.databrickscfg'), 'utf8'), cfg);
  });

  it('an expired access token is refreshed in-process; a rotated refresh token is stored and the old one is not used again', { timeout: 60_000 }, async (t) => {
    const { ws, home, env } = await signedIn(t);
    ws.scenario.rotateRefreshTokens = true;
    const first = readCache(home).tokens.dev!;
    expireCached(home);
    const tok = await runCli(['token', '--profile', 'dev'], { home, env });
    assert.equal(tok.code, 0, tok.stderr);
    const after = readCache(home).tokens.dev!;
    assert.equal(tok.stdout.trim(), after.access_token);
    assert.notEqual(after.access_token, first.access_token);
    assert.notEqual(after.refresh_token, first.refresh_token, 'the rotated refresh token was stored');
    assert.deepEqual(readCache(home).tokens[ws.url], after, 'under the host key too');
    assert.ok(Date.parse(after.expiry!) > Date.now() + 50 * 60_000);
    assert.equal(ws.state.tokens[after.access_token]?.principal, DEMO_USER);
    // The old refresh token is dead at the server now: a second refresh works only with the stored new one.
    expireCached(home);
    const again = await runCli(['token', '--profile', 'dev'], { home, env });
    assert.equal(again.code, 0, again.stderr);
    const refreshes = ws.requests.filter((q) => q.path === '/oidc/v1/token' && q.method === 'POST');
    assert.equal(refreshes.length, 3, 'one code exchange, two refreshes');
    assert.ok(refreshes.every((q) => q.status === 200));
  });

  it('a revoked refresh token: token and doctor say to sign in again with the exact command', { timeout: 60_000 }, async (t) => {
    const { ws, home, env } = await signedIn(t);
    ws.scenario.revokeRefreshTokens = true;
    expireCached(home);
    const tok = await runCli(['token', '--profile', 'dev'], { home, env });
    assert.equal(tok.code, 1);
    assert.match(tok.stderr, /expired or was revoked/);
    assert.match(tok.stderr, /Fix: Sign in again: dbx-mcp login --profile dev\n/);
    assert.doesNotMatch(tok.stderr, /\n\s+at /);
    const doc = await runCli(['doctor', '--json', '--only', 'profile,auth', '--profile', 'dev'], { home, env, timeoutMs: 60_000 });
    const failed = (JSON.parse(doc.stdout) as { checks: Check[] }).checks.find((c) => c.id === 'auth.token')!;
    assert.equal(failed.status, 'fail');
    assert.equal(failed.data?.kind, 'invalid-token', JSON.stringify(failed));
    assert.match(failed.fix!, /dbx-mcp login --profile dev/);
    // Signing in again mends it.
    delete ws.scenario.revokeRefreshTokens;
    const again = await loginWithBrowser(['--profile', 'dev'], { home, env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await runCli(['token', '--profile', 'dev'], { home, env })).code, 0);
  });

  it('a redirect whose state does not match is refused; nothing is saved', { timeout: 60_000 }, async (t) => {
    const ws = await startFakeWorkspace();
    t.after(() => ws.close());
    const home = tempDir(t);
    const r = await loginWithBrowser(['--host', ws.url, '--profile', 'dev'], {
      home,
      env: { PATH },
      redirect: (u) => {
        u.searchParams.set('state', 'forged-state-value');
        return u;
      },
    });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.callback?.status, 400);
    assert.match(r.stderr, /state that does not match/);
    assert.equal(existsSync(join(home, '.databrickscfg')), false);
    assert.equal(existsSync(cachePath(home)), false);
  });

  it('a taken port is a clear error at once, naming the port', { timeout: 30_000 }, async (t) => {
    const ws = await startFakeWorkspace();
    t.after(() => ws.close());
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    t.after(() => blocker.close());
    const port = (blocker.address() as { port: number }).port;
    const r = await loginWithBrowser(['--host', ws.url], { home: tempDir(t), env: { PATH, DBX_MCP_TEST_LOGIN_PORT: String(port) } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is in use`));
    assert.match(r.stderr, /Fix: .*another dbx-mcp login or databricks auth login/);
    assert.equal(r.authorizeUrl, undefined, 'no URL to a sign-in that cannot come back');
  });

  it('a browser that never comes back ends after the bounded wait', { timeout: 30_000 }, async (t) => {
    const ws = await startFakeWorkspace();
    t.after(() => ws.close());
    const home = tempDir(t);
    const r = await loginWithBrowser(['--host', ws.url], { home, env: { PATH, DBX_MCP_TEST_LOGIN_TIMEOUT_MS: '1500' }, closeBrowser: true });
    assert.equal(r.code, 1);
    assert.ok(r.authorizeUrl, 'the URL was printed');
    assert.match(r.stderr, /No sign-in came back from the browser within 2 s/);
    assert.match(r.stderr, /Fix: Run dbx-mcp login again/);
    assert.equal(existsSync(join(home, '.databrickscfg')), false);
  });

  it('--dry-run is refused before anything happens (exit 2)', { timeout: 30_000 }, async (t) => {
    const home = tempDir(t);
    const r = await runCli(['login', '--host', 'https://dbc-1.cloud.databricks.com', '--dry-run'], { home, env: { PATH } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /has no --dry-run/);
    assert.deepEqual(readdirSync(home), []);
  });

  it('with no profile and no CLI, the fixes name dbx-mcp login', { timeout: 30_000 }, async (t) => {
    const r = await runCli(['token'], { home: tempDir(t), env: { PATH } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /dbx-mcp login --host https:\/\/<workspace-host> --profile DEFAULT/);
  });
});
