/**
 * api.ts sends only to `config.host + path`, and a path that does not start with `/` could name
 * another host (`@other.host/…`, `.other.host/…`): it is refused before anything is sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi } from '../../../src/databricks/api.js';
import type { HttpClient } from '../../../src/databricks/http.js';
import type { ResolvedConfig } from '../../../src/databricks/profiles.js';

test('an API path that would name another host is refused; nothing carries the token', async () => {
  const sent: { url: string; token?: string }[] = [];
  const http = {
    raw: async (req: { url: string; token?: string }) => {
      sent.push({ url: req.url, token: req.token });
      return { status: 404, headers: {}, text: '', json: undefined };
    },
    request: async (req: { url: string; token?: string }) => {
      sent.push({ url: req.url, token: req.token });
      return {};
    },
  } as unknown as HttpClient;
  const config = { profile: 'p', host: 'https://ws.example.com', authType: 'pat', token: 'dapi-secret', isAccount: false, configFile: '', sources: {} } as unknown as ResolvedConfig;
  const api = createApi({ http, exec: async () => ({ stdout: '', stderr: '', code: 0 }), env: {}, now: Date.now } as never, config, { kind: 'pat', getToken: async () => ({ token: 'dapi-secret' }) } as never);
  for (const path of ['@evil.example/x', '.evil.example/x']) {
    await assert.rejects(api.get(path), /does not start with \//);
    await assert.rejects(api.raw('GET', path), /does not start with \//);
  }
  assert.ok(sent.every((s) => new URL(s.url).host === 'ws.example.com'), JSON.stringify(sent));
  assert.ok(!sent.some((s) => s.token), 'no request carried the token');
});
