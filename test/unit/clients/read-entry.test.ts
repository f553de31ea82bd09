import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENTS } from '../../../src/clients/catalog/index.js';
import { defineClient, type ReadEntry } from '../../../src/clients/catalog/definition.js';
import { cursor } from '../../../src/clients/catalog/cursor.js';
import { classifyEntry } from '../../../src/clients/list.js';
import { isDisabledEntry, readJsonEntry, readerFor } from '../../../src/clients/read-entry.js';
import { isPortableProxyEntry, renderFor, unwrapCmd } from '../../../src/clients/render.js';
import type { ServerSpec } from '../../../src/clients/types.js';
import { stdioCommandOf } from '../../../src/doctor/checks/environment.js';
import { resolveRefsIn } from '../../../src/doctor/env-refs.js';
import { urlOfEntry } from '../../../src/doctor/facts.js';

const URL_ = 'https://adb-1.azuredatabricks.net/api/2.0/mcp/genie/01ef';
const node = { command: '/usr/bin/node', args: ['/abs/dbx-mcp/bin/dbx-mcp.js'] };
const spec = (o: Partial<ServerSpec> = {}): ServerSpec => ({ name: 'databricks-genie-sales', url: URL_, kind: 'genie', auth: 'proxy', profile: 'DEFAULT', launcher: node, ...o });

const MODES: Array<[string, Partial<ServerSpec>]> = [
  ['proxy', { auth: 'proxy' }],
  ['header (variable)', { auth: 'header', tokenEnvVar: 'DBX_TOKEN' }],
  ['header (literal)', { auth: 'header', literalToken: 'dapi0123' }],
  ['oauth', { auth: 'oauth', oauth: { clientId: 'cid-1', callbackPort: 3334 } }],
  ['mcp-remote (variable)', { auth: 'mcp-remote' }],
  ['mcp-remote (literal)', { auth: 'mcp-remote', literalToken: 'dapi0123' }],
];

test('round trip: every client × auth mode × platform reads back what was rendered (transport, command, url, auth)', () => {
  for (const def of CLIENTS) {
    for (const [mode, o] of MODES) {
      for (const platform of ['linux', 'win32'] as const) {
        const what = `${def.id} ${mode} ${platform}`;
        // Refused for this client (Codex: no inline bearer token), tested in render.test.ts.
        if (o.auth === 'header' && o.literalToken !== undefined && def.literalTokenRefusal !== undefined) continue;
        const r = renderFor(def, spec(o), platform);
        const read = readerFor(def.id)(r.entry);
        assert.ok(read !== undefined, `${what}: not read back`);
        const entry = r.entry as Record<string, unknown>;
        if (read.transport === 'stdio') {
          // The reader is the inverse of the dialect's stdio shape (OpenCode: a command array, `environment`).
          const env = Object.keys(read.env).length > 0 ? (read.env as Record<string, string>) : undefined;
          // (Goose repeats the server's name inside the entry: namedEntry.)
          const rebuilt = def.dialect.stdioEntry({ command: read.command, args: read.args }, env);
          assert.deepEqual(def.dialect.namedEntry !== undefined ? def.dialect.namedEntry(rebuilt, spec(o).name) : rebuilt, entry, what);
          assert.ok([read.command, ...read.args].includes(URL_), `${what}: the URL is in the command line`);
        } else {
          assert.equal(read.url, URL_, what);
          assert.deepEqual(read.headers, entry.headers ?? {}, what);
        }
        // list's classification agrees with the auth the renderer says it wrote.
        assert.deepEqual(classifyEntry(r.entry, false, readerFor(def.id)), { auth: r.effectiveAuth, url: URL_ }, what);
        assert.equal(urlOfEntry(entry, classifyEntry(r.entry, false, readerFor(def.id)).url, readerFor(def.id)), URL_, what);
      }
    }
  }
});

test('not an MCP entry: the default reader says undefined, list says stdio-other', () => {
  for (const junk of [null, 'x', [], {}, { command: 5 }, { url: 1 }]) {
    assert.equal(readJsonEntry(junk), undefined, JSON.stringify(junk));
    assert.deepEqual(classifyEntry(junk), { auth: 'stdio-other' });
  }
});

// Dialects of clients issue 13 adds, defined here: list and doctor must read them through
// readEntry alone, without any change to list.ts or doctor.
function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const gooseLike = defineClient({
  ...cursor,
  id: 'goose-like',
  envRefs: 'none',
  dialect: {
    stdioEntry: (c, env) => ({ type: 'stdio', cmd: c.command, args: c.args, enabled: true, ...(env && { envs: env }) }),
    httpEntry: (uri, headers) => ({ type: 'streamable_http', uri, headers, enabled: true }),
    readEntry: (en): ReadEntry | undefined => {
      const e = record(en);
      const disabled = e.enabled === false ? { disabled: true } : {};
      if (e.type === 'stdio' && typeof e.cmd === 'string') return { transport: 'stdio', command: e.cmd, args: strs(e.args), env: record(e.envs), ...disabled };
      if (e.type === 'streamable_http' && typeof e.uri === 'string') return { transport: 'http', url: e.uri, headers: record(e.headers) };
      return undefined;
    },
  },
});
const opencodeLike = defineClient({
  ...cursor,
  id: 'opencode-like',
  envRefs: 'env-brace',
  dialect: {
    stdioEntry: (c, env) => ({ type: 'local', command: [c.command, ...c.args], ...(env && { environment: env }) }),
    httpEntry: (url, headers) => ({ type: 'remote', url, headers, oauth: false }),
    readEntry: (en): ReadEntry | undefined => {
      const e = record(en);
      const [command, ...args] = strs(e.command);
      if (e.type === 'local' && command !== undefined) return { transport: 'stdio', command, args, env: record(e.environment) };
      if (e.type === 'remote' && typeof e.url === 'string') return { transport: 'http', url: e.url, headers: record(e.headers), ...(e.oauth !== false && typeof e.oauth === 'object' ? { oauth: record(e.oauth) } : {}) };
      return undefined;
    },
  },
});

test('list classification and doctor command/url extraction work for Goose- and OpenCode-like dialects through readEntry', () => {
  for (const def of [gooseLike, opencodeLike]) {
    const read = def.dialect.readEntry!;
    for (const [mode, o] of MODES.filter(([m]) => m !== 'oauth')) {
      for (const platform of ['linux', 'win32'] as const) {
        const what = `${def.id} ${mode} ${platform}`;
        // Refused for this client (Codex: no inline bearer token), tested in render.test.ts.
        if (o.auth === 'header' && o.literalToken !== undefined && def.literalTokenRefusal !== undefined) continue;
        const r = renderFor(def, spec(o), platform);
        const c = classifyEntry(r.entry, false, read);
        assert.deepEqual(c, { auth: r.effectiveAuth, url: URL_ }, what);
        assert.equal(urlOfEntry(r.entry as Record<string, unknown>, c.url, read), URL_, what);
        const e = read(r.entry);
        if (e?.transport === 'stdio') assert.equal(stdioCommandOf(r.entry as Record<string, unknown>, read), unwrapCmd(e.command, e.args).command, what);
        else assert.equal(stdioCommandOf(r.entry as Record<string, unknown>, read), undefined, what);
      }
    }
    // The default (JSON) reader does not understand these shapes: the reader is what makes it work.
    const proxy = renderFor(def, spec(), 'linux').entry;
    assert.equal(classifyEntry(proxy).auth, 'stdio-other', def.id);
    assert.equal(stdioCommandOf(proxy), undefined, def.id);
    // The portable project-scope proxy form is recognised through the reader too.
    const portable = renderFor(def, spec({ profile: undefined, launcher: { command: 'npx', args: ['-y', 'dbx-mcp@0.2.0'] } }), 'win32').entry;
    assert.ok(isPortableProxyEntry(portable, read), def.id);
    assert.ok(!isPortableProxyEntry(portable), def.id);
  }
});

test('env-brace ({env:VAR}, OpenCode): rendered in headers and resolved by doctor', () => {
  const h = renderFor(opencodeLike, spec({ auth: 'header', tokenEnvVar: 'DBX_TOKEN' }), 'linux');
  assert.deepEqual(h.entry, { type: 'remote', url: URL_, headers: { Authorization: 'Bearer {env:DBX_TOKEN}' }, oauth: false });
  assert.deepEqual(resolveRefsIn(opencodeLike, 'Bearer {env:DBX_TOKEN}', { DBX_TOKEN: 'dapiX' }), { value: 'Bearer dapiX', missing: [], unresolvable: [] });
  assert.deepEqual(resolveRefsIn(opencodeLike, 'Bearer {env:NOPE}', {}), { value: 'Bearer ', missing: ['NOPE'], unresolvable: [] });
  assert.deepEqual(resolveRefsIn(opencodeLike, 'a {env:NOPE} b', {}, { keepUnset: true }).value, 'a {env:NOPE} b');
  // Other syntaxes leave it alone.
  assert.equal(resolveRefsIn({ envRefs: 'shell' }, 'Bearer {env:DBX_TOKEN}', { DBX_TOKEN: 'x' }).value, 'Bearer {env:DBX_TOKEN}');
});

test('disabled is read through the dialect too (Goose-like `enabled: false`; JSON `disabled: true`)', () => {
  const goose = renderFor(gooseLike, spec(), 'linux').entry;
  const read = gooseLike.dialect.readEntry!;
  assert.equal(isDisabledEntry(goose, read), false);
  assert.equal(isDisabledEntry({ ...goose, enabled: false }, read), true);
  assert.equal(isDisabledEntry({ ...goose, disabled: true }, read), false, 'Goose has no `disabled` key');
  assert.equal(isDisabledEntry({ command: 'x', disabled: true }, readJsonEntry), true);
  assert.equal(isDisabledEntry({ disabled: true }, readJsonEntry), true, 'an entry of no known shape keeps the plain test');
  assert.equal(isDisabledEntry({ url: 'https://x', disabled: false }, readJsonEntry), false);
});

test('the portable project-scope proxy entry is recognised in every client\'s dialect (OpenCode\'s command array too)', () => {
  for (const def of CLIENTS) {
    const r = renderFor(def, spec({ profile: undefined, launcher: { command: 'npx', args: ['-y', 'dbx-mcp@0.2.0'] } }), 'linux');
    assert.equal(isPortableProxyEntry(r.entry, readerFor(def.id)), true, def.id);
  }
});
