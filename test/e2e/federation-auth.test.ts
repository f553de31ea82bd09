/**
 * Issue 14's auth methods as a CI job or an Azure user runs them: the built bin with a temporary
 * HOME and no ~/.databrickscfg, through `token`, `doctor --json` and the proxy, against the fake
 * workspace (token exchange, GitHub ID-token endpoint) and a scripted `az` on PATH. No secret
 * (Databricks token, subject token, GitHub request token) may reach any output.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_SP_CLIENT_ID, DEMO_USER, FIXTURE_ISSUER, GITHUB_ID_TOKEN_PATH, GITHUB_REQUEST_TOKEN, fakeIdToken, startFakeWorkspace, type FakeWorkspace } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { startChild } from '../support/proxy-harness.js';

const BUILT = existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)));
const AZ_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.azure-entra-fixture.c2ln';

type Check = { id: string; status: string; summary: string; fix?: string; data?: Record<string, unknown> };

/** A fake `az` in a temporary bin dir: prints a token answer, or the signed-out error. */
function fakeAz(t: TestContext, signedIn: boolean): string {
  const bin = join(tempDir(t), 'bin');
  mkdirSync(bin);
  const answer = JSON.stringify({ accessToken: AZ_TOKEN, expiresOn: '2099-01-01 00:00:00.000000', expires_on: 4070908800, subscription: 's', tenant: 'tenant-123', tokenType: 'Bearer' });
  const script = signedIn
    ? `#!/bin/sh\necho "$@" >> "${bin}/calls"\ncat <<'JSON'\n${answer}\nJSON\n`
    : `#!/bin/sh\necho "ERROR: AADSTS70043: The refresh token has expired due to inactivity. Please run 'az login' to setup account." >&2\nexit 1\n`;
  writeFileSync(join(bin, 'az'), script);
  chmodSync(join(bin, 'az'), 0o755);
  return bin;
}

interface Method {
  name: string;
  env(ws: FakeWorkspace, t: TestContext): Record<string, string>;
  secrets(ws: FakeWorkspace): string[];
}

const METHODS: Method[] = [
  {
    name: 'github-oidc',
    env: (ws) => ({ DATABRICKS_HOST: ws.url, DATABRICKS_CLIENT_ID: DEMO_SP_CLIENT_ID, ACTIONS_ID_TOKEN_REQUEST_URL: `${ws.url}${GITHUB_ID_TOKEN_PATH}`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: GITHUB_REQUEST_TOKEN }),
    secrets: () => [GITHUB_REQUEST_TOKEN],
  },
  {
    name: 'env-oidc',
    env: (ws) => ({ DATABRICKS_HOST: ws.url, DATABRICKS_CLIENT_ID: DEMO_SP_CLIENT_ID, DATABRICKS_OIDC_TOKEN: fakeIdToken({ iss: FIXTURE_ISSUER, sub: 'job', aud: `${ws.url}/oidc/v1/token` }) }),
    secrets: () => [],
  },
  {
    name: 'file-oidc',
    env: (ws, t) => {
      const file = join(tempDir(t), 'id-token.jwt');
      writeFileSync(file, fakeIdToken({ iss: FIXTURE_ISSUER, sub: 'job', aud: `${ws.url}/oidc/v1/token` }));
      return { DATABRICKS_HOST: ws.url, DATABRICKS_CLIENT_ID: DEMO_SP_CLIENT_ID, DATABRICKS_OIDC_TOKEN_FILEPATH: file };
    },
    secrets: () => [],
  },
  {
    name: 'azure-cli',
    env: (ws, t) => {
      ws.state.tokens[AZ_TOKEN] = { principal: DEMO_USER, kind: 'oauth', audience: 'workspace' };
      return { DATABRICKS_HOST: ws.url, DATABRICKS_AUTH_TYPE: 'azure-cli', PATH: `${fakeAz(t, true)}${delimiter}${process.env.PATH}` };
    },
    secrets: () => [AZ_TOKEN],
  },
];

/** Every Databricks token the workspace minted, plus the method's own secrets and subject tokens. */
function allSecrets(ws: FakeWorkspace, m: Method, env: Record<string, string>): string[] {
  const minted = Object.keys(ws.state.tokens).filter((k) => ws.state.tokens[k]!.kind === 'oauth');
  return [...minted, ...m.secrets(ws), ...(env.DATABRICKS_OIDC_TOKEN ? [env.DATABRICKS_OIDC_TOKEN] : [])];
}

function assertNoSecret(text: string, secrets: string[], what: string): void {
  for (const s of secrets) assert.ok(!text.includes(s), `${what} leaks a secret (${s.slice(0, 8)}…)`);
}

describe('federation and azure-cli auth (built bin, no ~/.databrickscfg): token, add, doctor, proxy', { skip: BUILT ? false : 'run npm run build first' }, () => {
  for (const m of METHODS) {
    it(`${m.name}: token, add, doctor --json and the proxy work; no secret in any output or file`, { timeout: 90_000 }, async (t) => {
      const ws = await startFakeWorkspace();
      t.after(() => ws.close());
      const home = tempDir(t);
      const env = m.env(ws, t);

      const tok = await runCli(['token'], { home, env });
      assert.equal(tok.code, 0, tok.stderr);
      const token = tok.stdout.trim();
      assert.ok(ws.state.tokens[token], 'the printed token is one the workspace accepts');
      assert.equal(tok.stderr, '');

      // add validates the target with the method's token (the function schema lookup) and writes no secret.
      const add = await runCli(['add', 'functions', 'main.tools', '--client', 'cursor', '--yes'], { home, env });
      assert.equal(add.code, 0, add.stderr);
      assert.ok(ws.requests.some((q) => q.path.startsWith('/api/2.1/unity-catalog/') && q.status === 200), 'validated against the workspace');
      const written = readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8');
      assert.match(written, /databricks-functions-main-tools/);

      const doc = await runCli(['doctor', '--json', '--only', 'profile,auth'], { home, env, timeoutMs: 60_000 });
      const checks = (JSON.parse(doc.stdout) as { checks: Check[] }).checks;
      const by = Object.fromEntries(checks.map((c) => [c.id, c]));
      const resolved = by['profile.resolved']!;
      assert.equal(resolved.status, 'pass');
      assert.equal(resolved.data?.authType, m.name);
      const sources = resolved.data?.sources as Record<string, string>;
      assert.equal(sources.host, 'env DATABRICKS_HOST');
      if (m.name !== 'azure-cli') {
        assert.equal(sources.client_id, 'env DATABRICKS_CLIENT_ID');
        assert.match(sources.subject_token!, m.name === 'github-oidc' ? /ACTIONS_ID_TOKEN_REQUEST_URL/ : m.name === 'env-oidc' ? /^env DATABRICKS_OIDC_TOKEN$/ : /^file .*id-token\.jwt \(path from env DATABRICKS_OIDC_TOKEN_FILEPATH\)$/);
        assert.equal(sources.audience, 'the token endpoint URL (default)');
      } else {
        assert.match(sources.token!, /^az account get-access-token$/);
      }
      const auth = checks.filter((c) => c.id.startsWith('auth.'));
      assert.ok(auth.length > 0);
      for (const c of auth) assert.ok(c.status === 'pass' || c.status === 'skip', `${c.id}: ${c.status} ${c.summary}`);
      assert.equal(doc.code, 0, doc.stdout);

      const p = startChild({ home, args: ['--url', ws.mcpUrl('sql'), '--log-level', 'debug', '--meta', 'warehouse_id=abcdef1234567890'], env });
      const init = await p.rpc.initialize();
      assert.equal((init.result as { serverInfo: { name: string } } | undefined)?.serverInfo.name, 'databricks-sql', JSON.stringify(init) + p.stderr());
      assert.ok((await p.rpc.request('tools/list')).result);
      if (m.name !== 'azure-cli') {
        // The workspace stops accepting the token mid-session: the proxy exchanges again once and carries on.
        const exchanges = () => ws.requests.filter((q) => q.path === '/oidc/v1/token').length;
        const before = exchanges();
        for (const r of Object.values(ws.state.tokens)) if (r.principal === DEMO_SP_CLIENT_ID) r.revoked = true;
        assert.ok((await p.rpc.request('tools/list')).result, p.stderr());
        assert.equal(exchanges(), before + 1, 'one new token exchange');
      }
      assert.equal(await p.end(), 0);

      const secrets = allSecrets(ws, m, env);
      assertNoSecret(doc.stdout + doc.stderr, secrets, 'doctor');
      assertNoSecret(add.stdout + add.stderr + written, secrets, 'add');
      assertNoSecret(p.stderr(), secrets, 'proxy stderr');
      assertNoSecret(JSON.stringify(p.rpc.lines), secrets.filter((s) => s !== token), 'proxy stdout');
      assert.deepEqual(readdirSync(home).filter((f) => f === '.databrickscfg'), [], 'no config file written');
    });
  }

  it('github-oidc: a federation policy that does not accept the audience is doctor\'s own diagnosis with the fix', { timeout: 60_000 }, async (t) => {
    const ws = await startFakeWorkspace();
    t.after(() => ws.close());
    const home = tempDir(t);
    const env = { ...METHODS[0]!.env(ws, t), DATABRICKS_TOKEN_AUDIENCE: 'https://wrong-audience.example.com' };
    const doc = await runCli(['doctor', '--json', '--only', 'profile,auth'], { home, env, timeoutMs: 60_000 });
    assert.equal(doc.code, 1, doc.stdout + doc.stderr);
    const checks = (JSON.parse(doc.stdout) as { checks: Check[] }).checks;
    const failed = checks.find((c) => c.status === 'fail')!;
    assert.equal(failed.data?.kind, 'federation-rejected', JSON.stringify(failed));
    assert.match(failed.fix!, /federation policy of service principal .*https:\/\/wrong-audience\.example\.com.*id-token: write/);
    assert.equal(checks.find((c) => c.id === 'profile.resolved')!.data?.sources && (checks.find((c) => c.id === 'profile.resolved')!.data!.sources as Record<string, string>).audience, 'env DATABRICKS_TOKEN_AUDIENCE');
    assertNoSecret(doc.stdout + doc.stderr, [GITHUB_REQUEST_TOKEN], 'doctor');
    const tok = await runCli(['token'], { home, env });
    assert.notEqual(tok.code, 0);
    assert.match(tok.stderr, /token exchange .* was refused/);
    assert.doesNotMatch(tok.stderr, /\n\s+at /, 'no stack trace');
  });

  it('azure-cli: a signed-out az names `az login --tenant`; a missing az names the install and `az login`', { timeout: 60_000 }, async (t) => {
    const ws = await startFakeWorkspace();
    t.after(() => ws.close());
    const home = tempDir(t);
    const base = { DATABRICKS_HOST: ws.url, DATABRICKS_AUTH_TYPE: 'azure-cli', ARM_TENANT_ID: 'tenant-123' };
    const out = await runCli(['token'], { home, env: { ...base, PATH: `${fakeAz(t, false)}${delimiter}${process.env.PATH}` } });
    assert.equal(out.code, 1, out.stderr);
    assert.match(out.stderr, /az login --tenant tenant-123/);
    const emptyBin = join(tempDir(t), 'empty');
    mkdirSync(emptyBin);
    const missing = await runCli(['doctor', '--json', '--only', 'profile,auth'], { home, env: { ...base, PATH: emptyBin } });
    const failed = (JSON.parse(missing.stdout) as { checks: Check[] }).checks.find((c) => c.status === 'fail')!;
    assert.equal(failed.data?.kind, 'cli-missing', JSON.stringify(failed));
    assert.match(failed.fix!, /install-azure-cli.*az login --tenant tenant-123/);
  });
});
