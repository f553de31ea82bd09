/**
 * Issue 22's SDK methods as an Azure CI job, an Azure VM and an IDE extension run them: the built
 * bin with a temporary HOME, through `token`, `add` (user and project scope), `doctor --json` and
 * the proxy, against a fake workspace and its fake Azure endpoints (src/emulator/azure.ts), once
 * with environment variables only (no ~/.databrickscfg) and once from a profile. Canaries: the
 * client secret and the metadata-service URL reach no output, argument or file, and the client
 * secret reaches only the Entra ID stand-in.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AZURE_MSI_SYSTEM_ID, AZURE_SP_CLIENT_ID, AZURE_SP_CLIENT_SECRET, AZURE_TENANT_ID, METADATA_SESSION, startFakeAzure, type FakeAzure,
} from '../../src/emulator/azure.js';
import { DEMO_USER, startFakeWorkspace, type FakeWorkspace } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { startCaptureServer } from '../support/capture-server.js';
import { tempDir } from '../helpers/temp.js';
import { startChild } from '../support/proxy-harness.js';

const BUILT = existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)));

type Check = { id: string; status: string; summary: string; fix?: string; data?: Record<string, unknown> };

interface Method {
  name: 'azure-client-secret' | 'azure-msi' | 'metadata-service';
  /** The principal the workspace sees. */
  principal: string;
  /** Environment variables of the method (with the test-only endpoint overrides). */
  env(ws: FakeWorkspace, az: FakeAzure): Record<string, string>;
  /** The same as profile keys (the overrides stay in the environment: they are no profile attributes). */
  profile(ws: FakeWorkspace, az: FakeAzure): string[];
  /** Where doctor says the token comes from. */
  tokenSource: RegExp;
  /** Requests to the fake Azure server that fetch a token. */
  isFetch(path: string): boolean;
}

const overrides = (az: FakeAzure) => ({ DBX_MCP_TEST_AZURE_LOGIN_URL: az.loginUrl, DBX_MCP_TEST_AZURE_IMDS_URL: az.imdsUrl });

const METHODS: Method[] = [
  {
    name: 'azure-client-secret',
    principal: AZURE_SP_CLIENT_ID,
    env: (ws, az) => ({ DATABRICKS_HOST: ws.url, ARM_CLIENT_ID: AZURE_SP_CLIENT_ID, ARM_CLIENT_SECRET: AZURE_SP_CLIENT_SECRET, ARM_TENANT_ID: AZURE_TENANT_ID, ...overrides(az) }),
    profile: (ws) => [`host = ${ws.url}`, `azure_client_id = ${AZURE_SP_CLIENT_ID}`, `azure_client_secret = ${AZURE_SP_CLIENT_SECRET}`, `azure_tenant_id = ${AZURE_TENANT_ID}`],
    tokenSource: /^Entra ID client credentials at http:\/\/127\.0\.0\.1:\d+\/72f988bf-86f1-41af-91ab-2d7cd011db47\/oauth2\/token$/,
    isFetch: (p) => p.endsWith('/oauth2/token') && !p.startsWith('/metadata'),
  },
  {
    name: 'azure-msi',
    principal: AZURE_MSI_SYSTEM_ID,
    env: (ws, az) => ({ DATABRICKS_HOST: ws.url, ARM_USE_MSI: 'true', ...overrides(az) }),
    profile: (ws) => [`host = ${ws.url}`, 'azure_use_msi = true'],
    tokenSource: /^Azure instance metadata http:\/\/127\.0\.0\.1:\d+\/metadata\/identity\/oauth2\/token \(test override DBX_MCP_TEST_AZURE_IMDS_URL\)$/,
    isFetch: (p) => p === '/metadata/identity/oauth2/token',
  },
  {
    name: 'metadata-service',
    principal: DEMO_USER,
    env: (ws, az) => ({ DATABRICKS_HOST: ws.url, DATABRICKS_METADATA_SERVICE_URL: az.metadataServiceUrl }),
    profile: (ws, az) => [`host = ${ws.url}`, `metadata_service_url = ${az.metadataServiceUrl}`],
    tokenSource: /./,
    isFetch: (p) => p.startsWith('/metadata-service/'),
  },
];

/** Every file under `dir` (bounded depth), for the canary over everything a run wrote. */
function filesUnder(dir: string, depth = 0): string[] {
  if (depth > 8) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p, depth + 1) : [p];
  });
}

function assertNoSecret(text: string, secrets: string[], what: string): void {
  for (const s of secrets) assert.ok(!text.includes(s), `${what} leaks a secret (${s.slice(0, 8)}…)`);
}

async function fixture(t: TestContext) {
  const ws = await startFakeWorkspace();
  const az = await startFakeAzure(ws);
  t.after(async () => {
    await az.close();
    await ws.close();
  });
  return { ws, az };
}

describe('azure-client-secret, azure-msi, metadata-service (built bin): token, add, doctor, proxy', { skip: BUILT ? false : 'run npm run build first' }, () => {
  for (const m of METHODS) {
    for (const via of ['env', 'profile'] as const) {
      it(`${m.name} (${via === 'env' ? 'environment only, no ~/.databrickscfg' : 'profile in ~/.databrickscfg'}): token, add, doctor --json and the proxy work; no secret in any output, argument or file`, { timeout: 120_000 }, async (t) => {
        const { ws, az } = await fixture(t);
        const home = tempDir(t);
        let env: Record<string, string>;
        if (via === 'env') env = m.env(ws, az);
        else {
          writeFileSync(join(home, '.databrickscfg'), ['[DEFAULT]', ...m.profile(ws, az), ''].join('\n'), { mode: 0o600 });
          env = overrides(az);
        }
        const secrets = [AZURE_SP_CLIENT_SECRET, METADATA_SESSION];

        const tok = await runCli(['token'], { home, env });
        assert.equal(tok.code, 0, tok.stderr);
        const token = tok.stdout.trim();
        assert.equal(ws.state.tokens[token]?.principal, m.principal, 'the printed token is one the workspace accepts, for the method\'s principal');
        assert.equal(tok.stderr, '');

        const add = await runCli(['add', 'functions', 'main.tools', '--client', 'cursor', '--yes'], { home, env });
        assert.equal(add.code, 0, add.stderr);
        assert.ok(ws.requests.some((q) => q.path.startsWith('/api/2.1/unity-catalog/') && q.status === 200), 'validated against the workspace');
        const written = readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8');
        assert.match(written, /databricks-functions-main-tools/);
        const repo = join(home, 'repo');
        mkdirSync(join(repo, '.git'), { recursive: true });
        const proj = await runCli(['add', 'sql', '--scope', 'project', '--client', 'cursor', '--yes'], { home, env, cwd: repo });
        assert.equal(proj.code, 0, proj.stderr);
        const projectFile = readFileSync(join(repo, '.cursor', 'mcp.json'), 'utf8');

        const doc = await runCli(['doctor', '--json', '--only', 'profile,auth'], { home, env, timeoutMs: 60_000 });
        const checks = (JSON.parse(doc.stdout) as { checks: Check[] }).checks;
        const resolved = checks.find((c) => c.id === 'profile.resolved')!;
        assert.equal(resolved.status, 'pass');
        assert.equal(resolved.data?.authType, m.name, 'doctor names the method');
        const sources = resolved.data?.sources as Record<string, string>;
        if (via === 'env') assert.equal(sources.host, 'env DATABRICKS_HOST');
        else assert.match(sources.host!, /\.databrickscfg \[DEFAULT\]$/);
        if (m.name === 'metadata-service') assert.equal(sources.metadata_service_url, via === 'env' ? 'env DATABRICKS_METADATA_SERVICE_URL' : '~/.databrickscfg [DEFAULT]');
        else assert.match(sources.token!, m.tokenSource, 'doctor says where the token came from');
        if (m.name === 'azure-client-secret') assert.equal(sources.azure_client_secret, via === 'env' ? 'env ARM_CLIENT_SECRET' : '~/.databrickscfg [DEFAULT]');
        const auth = checks.filter((c) => c.id.startsWith('auth.'));
        assert.ok(auth.length > 0);
        for (const c of auth) assert.ok(c.status === 'pass' || c.status === 'skip', `${c.id}: ${c.status} ${c.summary}`);
        assert.ok(auth.some((c) => /Entra ID token|metadata service/.test(c.summary)), JSON.stringify(auth));
        assert.equal(doc.code, 0, doc.stdout);

        const p = startChild({ home, args: ['--url', ws.mcpUrl('sql'), '--log-level', 'debug', '--meta', 'warehouse_id=abcdef1234567890'], env });
        t.after(() => p.child.kill()); // a failed assertion must not leave the child (and the test) hanging
        const init = await p.rpc.initialize();
        assert.equal((init.result as { serverInfo: { name: string } } | undefined)?.serverInfo.name, 'databricks-sql', JSON.stringify(init) + p.stderr());
        assert.ok((await p.rpc.request('tools/list')).result);
        // The workspace stops accepting the token mid-session: the proxy fetches a new one once and carries on.
        const fetches = () => az.requests.filter((q) => m.isFetch(q.path)).length;
        const before = fetches();
        for (const r of Object.values(ws.state.tokens)) if (r.principal === m.principal && r.kind === 'oauth') r.revoked = true;
        assert.ok((await p.rpc.request('tools/list')).result, p.stderr());
        assert.equal(fetches(), before + 1, 'one new token');
        assert.equal(await p.end(), 0);

        assertNoSecret(tok.stdout + tok.stderr, secrets, 'token');
        assertNoSecret(doc.stdout + doc.stderr, secrets, 'doctor');
        assertNoSecret(add.stdout + add.stderr + written, secrets, 'add');
        assertNoSecret(proj.stdout + proj.stderr + projectFile, [...secrets, token], 'project file');
        assertNoSecret(p.stderr() + JSON.stringify(p.rpc.lines), secrets, 'proxy');
        assert.ok(!written.includes(az.loginUrl) && !written.includes(az.metadataServiceUrl), 'no endpoint or override in the client file');
        // The client secret went to the Entra ID stand-in only, and never to the workspace.
        if (m.name === 'azure-client-secret') assert.ok(az.secretsReceived.length >= 3 && az.secretsReceived.every((s) => s === AZURE_SP_CLIENT_SECRET));
        else assert.deepEqual(az.secretsReceived, []);
        assertNoSecret(JSON.stringify(ws.requests), [AZURE_SP_CLIENT_SECRET], 'workspace requests');
        if (via === 'env') assert.deepEqual(readdirSync(home).filter((f) => f === '.databrickscfg'), [], 'no config file written');
        // Nothing the runs wrote under HOME (client files, project files, caches, logs) holds the secret; only the user's own ~/.databrickscfg may.
        for (const f of filesUnder(home).filter((f) => f !== join(home, '.databrickscfg'))) assertNoSecret(readFileSync(f, 'utf8'), secrets, f);
      });
    }
  }

  for (const m of METHODS) {
    it(`${m.name}: the proxy sends its token only to the configured workspace (another host gets nothing)`, { timeout: 60_000 }, async (t) => {
      const { ws, az } = await fixture(t);
      const capture = await startCaptureServer();
      t.after(() => capture.close());
      const p = startChild({ home: tempDir(t), args: ['--url', `${capture.url}/api/2.0/mcp/sql`], env: m.env(ws, az) });
      t.after(() => p.child.kill());
      const init = await p.rpc.initialize();
      // Environment-only auth: DATABRICKS_HOST's token is for its host alone (the proxy's no-profile-for-host refusal).
      assert.equal((init.error as { data?: { kind?: string } } | undefined)?.data?.kind, 'no-profile-for-host', JSON.stringify(init));
      assert.equal(await p.end(), 0);
      assert.deepEqual(capture.received, [], 'nothing reached the other host');
    });
  }

  it('azure-client-secret: a wrong secret fails doctor with Entra ID\'s reason and the fix; token exits 1 without a stack or the secret', { timeout: 60_000 }, async (t) => {
    const { ws, az } = await fixture(t);
    const home = tempDir(t);
    const wrong = 'Zz9~wrongAzureSecretCanary.0123456789';
    const env = { ...METHODS[0]!.env(ws, az), ARM_CLIENT_SECRET: wrong };
    const doc = await runCli(['doctor', '--json', '--only', 'profile,auth'], { home, env, timeoutMs: 60_000 });
    assert.equal(doc.code, 1, doc.stdout + doc.stderr);
    const failed = (JSON.parse(doc.stdout) as { checks: Check[] }).checks.find((c) => c.status === 'fail')!;
    assert.equal(failed.data?.kind, 'invalid-token', JSON.stringify(failed));
    assert.match(failed.summary + (failed.fix ?? ''), /AADSTS7000215/);
    assert.match(failed.fix!, /ARM_CLIENT_ID\/ARM_CLIENT_SECRET\/ARM_TENANT_ID/);
    const tok = await runCli(['token'], { home, env });
    assert.equal(tok.code, 1);
    assert.match(tok.stderr, /Entra ID refused the Azure service principal/);
    assert.doesNotMatch(tok.stderr, /\n\s+at /, 'no stack trace');
    assertNoSecret(doc.stdout + doc.stderr + tok.stdout + tok.stderr, [wrong], 'outputs');
  });

  it('azure-msi off Azure: doctor says it must run where a managed identity is assigned (no-credentials)', { timeout: 60_000 }, async (t) => {
    const { ws, az } = await fixture(t);
    const env = METHODS[1]!.env(ws, az);
    await az.close();
    const doc = await runCli(['doctor', '--json', '--only', 'profile,auth'], { home: tempDir(t), env, timeoutMs: 60_000 });
    assert.equal(doc.code, 1, doc.stdout + doc.stderr);
    const failed = (JSON.parse(doc.stdout) as { checks: Check[] }).checks.find((c) => c.status === 'fail')!;
    assert.equal(failed.data?.kind, 'no-credentials', JSON.stringify(failed));
    assert.match(failed.fix!, /Azure VM, container or runner with a managed identity/);
  });
});
