/**
 * `dbx-mcp login` for an account host (in-process: the fake workspace stands in for
 * accounts.cloud.databricks.com through a rewriting HTTP client, since an account host is known
 * by its name): the account endpoints /oidc/accounts/<id>/v1/{authorize,token} (source: Go SDK
 * credentials/u2m/endpoint_supplier.go), the profile with account_id, the store keys (profile,
 * and `<host>/oidc/accounts/<id>` as the mirrored host key), and a refresh at the account's
 * token endpoint.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { browserLogin } from '../../../src/init/browser-login.js';
import { createCtx } from '../../../src/context.js';
import { createTokenSource } from '../../../src/databricks/auth.js';
import { createHttpClient, type HttpClient } from '../../../src/databricks/http.js';
import { resolveConfig } from '../../../src/databricks/profiles.js';
import { DEMO_ACCOUNT_ID, startFakeWorkspace } from '../../../src/emulator/index.js';
import { tempDir } from '../../helpers/temp.js';
import { capturingLogger } from '../doctor/helpers.js';

const ACCOUNTS = 'https://accounts.cloud.databricks.com';

test('account host: signs in at /oidc/accounts/<id>, saves account_id, stores under the profile and the account key, refreshes at the account token endpoint', { timeout: 60_000 }, async (t) => {
  const ws = await startFakeWorkspace();
  t.after(() => ws.close());
  const home = tempDir(t);
  const toWs = (u: string) => (u.startsWith(ACCOUNTS) ? ws.url + u.slice(ACCOUNTS.length) : u);
  const inner = createHttpClient({ env: {}, version: 't' });
  const http: HttpClient = { request: (r) => inner.request({ ...r, url: toWs(r.url) }), raw: (r) => inner.raw({ ...r, url: toWs(r.url) }) };
  const log = capturingLogger();
  let authorize: URL | undefined;
  let browsing: Promise<void> | undefined;
  const info = log.info;
  log.info = (s: string) => {
    info(s);
    const m = /(https:\/\/\S+\/v1\/authorize\?\S+)/.exec(s);
    if (m && !authorize) {
      authorize = new URL(m[1]!);
      browsing = (async () => {
        const approve = await fetch(toWs(authorize!.href), { redirect: 'manual' });
        assert.equal(approve.status, 302, await approve.clone().text());
        assert.equal((await fetch(approve.headers.get('location')!)).status, 200);
      })();
    }
  };
  const ctx = await createCtx({}, {
    env: { HOME: home, PATH: dirname(process.execPath), DBX_MCP_TEST_LOGIN_PORT: '0', DBX_MCP_TEST_KEYRING: 'unreachable' },
    interactive: false, log, http, cwd: home, platform: 'linux',
  });
  const r = await browserLogin(ctx, { host: ACCOUNTS, accountId: DEMO_ACCOUNT_ID, profile: 'ACCOUNT', browser: false });
  await browsing;
  assert.equal(authorize!.pathname, `/oidc/accounts/${DEMO_ACCOUNT_ID}/v1/authorize`);
  assert.equal(authorize!.searchParams.get('client_id'), 'databricks-cli');
  assert.deepEqual({ profile: r.profile, host: r.host, accountId: r.accountId }, { profile: 'ACCOUNT', host: ACCOUNTS, accountId: DEMO_ACCOUNT_ID });
  const cfg = readFileSync(join(home, '.databrickscfg'), 'utf8');
  assert.match(cfg, new RegExp(`\\[ACCOUNT\\]\\nhost = ${ACCOUNTS}\\nauth_type = databricks-cli\\naccount_id = ${DEMO_ACCOUNT_ID}\\n`));
  const cache = JSON.parse(readFileSync(join(home, '.databricks', 'token-cache.json'), 'utf8')) as { tokens: Record<string, { access_token: string; expiry: string }> };
  assert.deepEqual(Object.keys(cache.tokens).sort(), ['ACCOUNT', `${ACCOUNTS}/oidc/accounts/${DEMO_ACCOUNT_ID}`]);
  const first = cache.tokens.ACCOUNT!.access_token;
  assert.equal(ws.state.tokens[first]?.audience, 'account');

  // A refresh (forced, as after a 401) goes to the account's token endpoint, whose refresh tokens are account-scoped.
  const config = resolveConfig(ctx, 'ACCOUNT');
  assert.equal(config.isAccount, true);
  const fresh = await createTokenSource(ctx, config).getToken({ forceRefresh: true });
  assert.notEqual(fresh.token, first);
  assert.equal(ws.state.tokens[fresh.token]?.audience, 'account');
  assert.ok(ws.requests.some((q) => q.path === `/oidc/accounts/${DEMO_ACCOUNT_ID}/v1/token` && q.status === 200));
});
