import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyEntry, isDatabricksUrl } from '../../../src/clients/list.js';
import { oauthRedirectUris, oauthRedirectUrisFor } from '../../../src/clients/oauth-redirects.js';
import { readerFor } from '../../../src/clients/read-entry.js';
import { clientIds, renderEntry } from '../../../src/clients/registry.js';
import type { AuthMode, ServerSpec } from '../../../src/clients/types.js';
import { clientDefinition } from '../../../src/clients/catalog/index.js';
import { UsageError } from '../../../src/errors.js';

const URL_ = 'https://adb-1.azuredatabricks.net/api/2.0/mcp/genie/01ef';

test('every rendered entry classifies back to its effective auth (all clients × modes × OS)', () => {
  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    for (const id of clientIds) {
      for (const auth of ['proxy', 'header', 'oauth', 'mcp-remote'] as AuthMode[]) {
        for (const launcher of [{ command: 'npx', args: ['-y', 'dbx-mcp@0.1.0'] }, { command: '/n/node', args: ['/x/dbx-mcp/bin/dbx-mcp.js'] }]) {
          const spec: ServerSpec = { name: 's', url: URL_, kind: 'genie', auth, launcher, oauth: { clientId: 'c' }, literalToken: 't' };
          if (auth === 'header' && clientDefinition(id).literalTokenRefusal !== undefined) {
            // Refused with the reason (Codex: no inline bearer token); the variable form is classified below.
            assert.throws(() => renderEntry(id, spec, platform), UsageError);
            const { literalToken: _t, ...viaVariable } = spec;
            assert.equal(classifyEntry(renderEntry(id, viaVariable, platform).entry, false, readerFor(id)).auth, 'header', `${platform} ${id} ${auth}`);
            continue;
          }
          const r = renderEntry(id, spec, platform);
          const c = classifyEntry(r.entry, false, readerFor(id));
          assert.equal(c.auth, r.effectiveAuth, `${platform} ${id} ${auth}`);
          assert.equal(c.url, URL_, `${platform} ${id} ${auth}`);
        }
      }
    }
  }
});

test('hand-written entries', () => {
  assert.deepEqual(classifyEntry({ command: 'uvx', args: ['mcp-server-git'] }), { auth: 'stdio-other' });
  assert.deepEqual(classifyEntry({ url: 'https://x.example/mcp' }), { auth: 'http-other', url: 'https://x.example/mcp' });
  assert.deepEqual(classifyEntry({ type: 'http', url: URL_, headers: { authorization: 'Bearer x' } }), { auth: 'header', url: URL_ });
  assert.deepEqual(classifyEntry({ httpUrl: URL_, oauth: { enabled: true } }), { auth: 'oauth', url: URL_ });
  assert.deepEqual(classifyEntry({ command: 'npx', args: ['mcp-remote', URL_] }), { auth: 'mcp-remote', url: URL_ });
  assert.deepEqual(classifyEntry('junk'), { auth: 'stdio-other' });
  assert.deepEqual(classifyEntry(null), { auth: 'stdio-other' });
  // A `proxy --url` from some other tool is not ours unless the registry says so.
  const other = { command: 'other-tool', args: ['proxy', '--url', URL_] };
  assert.deepEqual(classifyEntry(other), { auth: 'stdio-other' });
  assert.deepEqual(classifyEntry(other, true), { auth: 'proxy', url: URL_ });
});

test('Databricks URLs', () => {
  assert.ok(isDatabricksUrl(URL_));
  assert.ok(isDatabricksUrl('https://my-app-123.aws.databricksapps.com/mcp'));
  assert.ok(isDatabricksUrl('http://127.0.0.1:4000/api/2.0/mcp/sql'));
  assert.ok(!isDatabricksUrl('https://example.com/mcp'));
  assert.ok(!isDatabricksUrl(undefined));
});

test('AI Gateway MCP service URLs are Databricks URLs (list and doctor used to skip them)', () => {
  assert.ok(isDatabricksUrl('https://dbc-1.cloud.databricks.com/ai-gateway/mcp-services/system.ai.genie_one_mcp'));
  assert.ok(!isDatabricksUrl('https://example.com/gateway/ai-gateway/mcp-services/x'));
});

test('OAuth redirect URLs match what is written', () => {
  assert.deepEqual(oauthRedirectUris('claude-code', 8080), ['http://localhost:8080/callback', 'http://127.0.0.1:8080/callback']);
  assert.deepEqual(oauthRedirectUris('claude-desktop'), ['http://localhost:3334/oauth/callback']);
  const all = oauthRedirectUrisFor(['claude-desktop', 'windsurf', 'vscode', 'cursor']);
  assert.equal(all.filter((u) => u === 'http://localhost:3334/oauth/callback').length, 1);
  assert.ok(all.includes('cursor://anysphere.cursor-mcp/oauth/callback'));
  assert.ok(all.includes('http://127.0.0.1:33418/'));
});
