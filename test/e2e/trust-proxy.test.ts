/**
 * The token rule in the proxy (issue 18): with --profile, a --url that is not the profile's
 * workspace (another host, a look-alike IDN host, another port, plain http) gets nothing: every
 * request is answered with a JSON-RPC error naming both hosts and the fix, and the capture
 * server (a loopback server that records what reaches it) receives nothing. An app the
 * workspace vouches for still connects.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_APPS, DEMO_SP_CLIENT_ID, DEMO_SP_CLIENT_SECRET, startFakeWorkspace } from '../../src/emulator/index.js';
import { startCaptureServer } from '../support/capture-server.js';
import { startChild, tempHome } from '../support/proxy-harness.js';

const BUILT = existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url)));
const TOKEN = 'dapi-canary-trust-0000000000000000';

interface RpcError {
  message: string;
  data: { kind: string; reason: string; host: string; profileHost: string };
}

describe('proxy --profile: the token goes only to the profile workspace', { skip: BUILT ? false : 'run npm run build first' }, () => {
  const cases = (capture: { port: number; url: string }) => [
    { name: 'another host', profileHost: `http://127.0.0.1:${capture.port}`, url: `http://localhost:${capture.port}/api/2.0/mcp/sql`, reason: 'other-host', host: `http://localhost:${capture.port}` },
    { name: 'another port', profileHost: 'http://127.0.0.1:9', url: `${capture.url}/api/2.0/mcp/sql`, reason: 'other-port', host: capture.url },
    { name: 'an http downgrade', profileHost: `https://127.0.0.1:${capture.port}`, url: `${capture.url}/api/2.0/mcp/sql`, reason: 'http-downgrade', host: capture.url },
    // Through HTTPS_PROXY = the capture server, so a CONNECT to the look-alike would be seen.
    { name: 'a look-alike IDN host', profileHost: 'https://databricks.com', url: 'https://databrícks.com/api/2.0/mcp/sql', reason: 'look-alike', host: 'https://xn--databrcks-l5a.com', env: { HTTPS_PROXY: capture.url, HTTP_PROXY: capture.url } },
  ];

  for (const i of [0, 1, 2, 3]) {
    it(`refuses ${['another host', 'another port', 'an http downgrade', 'a look-alike IDN host'][i]}: nothing sent, a JSON-RPC error with both hosts and the fix`, async (t) => {
      const capture = await startCaptureServer();
      const c = cases(capture)[i]!;
      const { home, cleanup } = tempHome(`[team]\nhost = ${c.profileHost}\ntoken = ${TOKEN}\n`);
      t.after(async () => {
        await capture.close();
        cleanup();
      });
      const p = startChild({ home, args: ['--url', c.url, '--profile', 'team'], env: { ...(c.env ?? {}) } });
      const init = await p.rpc.initialize();
      const error = init.error as RpcError;
      assert.ok(error, JSON.stringify(init));
      assert.equal(error.data.kind, 'foreign-host', JSON.stringify(init));
      assert.equal(error.data.reason, c.reason);
      assert.equal(error.data.host, c.host);
      assert.equal(error.data.profileHost, c.profileHost);
      assert.ok(error.message.includes(c.host) && error.message.includes(c.profileHost), error.message);
      assert.match(error.message, /Fix: .*databricks auth login --host/);
      const list = await p.rpc.request('tools/list');
      assert.equal((list.error as RpcError).data.kind, 'foreign-host', 'every request gets the refusal');
      assert.equal(await p.end(), 0);
      assert.deepEqual(capture.received, [], 'nothing reached the foreign host');
      assert.doesNotMatch(p.stderr(), new RegExp(TOKEN));
    });
  }

  it('an app the workspace vouches for (its Apps API url) connects with the OAuth token', async (t) => {
    const ws = await startFakeWorkspace();
    const { home, cleanup } = tempHome(`[oauth]\nhost = ${ws.url}\nclient_id = ${DEMO_SP_CLIENT_ID}\nclient_secret = ${DEMO_SP_CLIENT_SECRET}\n`);
    t.after(async () => {
      await ws.close();
      cleanup();
    });
    const appUrl = ws.mcpUrl('app', DEMO_APPS.sales);
    assert.notEqual(new URL(appUrl).host, new URL(ws.url).host);
    const p = startChild({ home, args: ['--url', appUrl, '--profile', 'oauth'] });
    const init = await p.rpc.initialize();
    assert.ok(init.result, JSON.stringify(init));
    assert.equal(await p.end(), 0);
    assert.ok(ws.requests.some((q) => q.path === `/api/2.0/apps/${DEMO_APPS.sales}`), 'looked the app up in the workspace');
  });

  it('an app URL the workspace does not vouch for (another path on the apps host) is refused', async (t) => {
    const ws = await startFakeWorkspace();
    const { home, cleanup } = tempHome(`[oauth]\nhost = ${ws.url}\nclient_id = ${DEMO_SP_CLIENT_ID}\nclient_secret = ${DEMO_SP_CLIENT_SECRET}\n`);
    t.after(async () => {
      await ws.close();
      cleanup();
    });
    const appUrl = ws.mcpUrl('app', DEMO_APPS.sales).replace(`/${DEMO_APPS.sales}/`, '/no-such-app/');
    const p = startChild({ home, args: ['--url', appUrl, '--profile', 'oauth'] });
    const init = await p.rpc.initialize();
    assert.equal((init.error as RpcError).data.kind, 'foreign-host', JSON.stringify(init));
    assert.equal(await p.end(), 0);
    assert.ok(!ws.requests.some((q) => q.path.startsWith('/no-such-app')), 'nothing reached the app host');
  });
});
