/**
 * The Databricks CLI's token store as dbx-mcp reads and writes it (source: Databricks CLI v1.13
 * libs/auth/storage: mode.go, cache.go, keyring.go, filestore.go), against a fake keyring
 * backend: the mode rules, where reading and signing in fall back to the file, the 3 s bound,
 * the keyring entry's format and the file's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { resolveStorageMode, storeForLogin, storeForRead, tokenCachePath, type StoredToken } from '../../../src/databricks/auth-methods/cli-token-store.js';
import type { KeyringBackend } from '../../../src/databricks/auth-methods/keyring.js';

const TOKEN: StoredToken = { access_token: 'eyJaccess-canary', token_type: 'Bearer', refresh_token: 'doau-refresh-canary', expiry: '2030-01-01T00:00:00Z' };

function home(t: TestContext): string {
  const d = mkdtempSync(join(tmpdir(), 'dbx-store-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function fakeKeyring(mode: 'ok' | 'fail' | 'hang' = 'ok') {
  const entries = new Map<string, string>();
  const calls: string[] = [];
  const act = async <T>(what: string, fn: () => T): Promise<T> => {
    calls.push(what);
    if (mode === 'fail') throw new Error('The name org.freedesktop.secrets was not provided by any .service files');
    if (mode === 'hang') return new Promise<T>(() => undefined);
    return fn();
  };
  const backend: KeyringBackend = {
    get: (s, a) => act(`get ${s}/${a}`, () => entries.get(`${s}/${a}`)),
    set: (s, a, v) => act(`set ${s}/${a}`, () => void entries.set(`${s}/${a}`, v)),
    delete: (s, a) => act(`delete ${s}/${a}`, () => void entries.delete(`${s}/${a}`)),
  };
  return { entries, calls, keyring: async () => backend };
}

test('mode: DATABRICKS_AUTH_STORAGE first, then auth_storage in [__settings__], else secure (not explicit); anything else is refused', () => {
  const cfg = '[__settings__]\nauth_storage = plaintext\n';
  assert.deepEqual(resolveStorageMode({}, undefined, 'f'), { mode: 'secure', explicit: false });
  assert.deepEqual(resolveStorageMode({}, cfg, 'f'), { mode: 'plaintext', explicit: true });
  assert.deepEqual(resolveStorageMode({ DATABRICKS_AUTH_STORAGE: 'Secure' }, cfg, 'f'), { mode: 'secure', explicit: true });
  assert.deepEqual(resolveStorageMode({}, '[DEFAULT]\nauth_storage = plaintext\n', 'f'), { mode: 'secure', explicit: false }, 'only [__settings__] counts');
  assert.throws(() => resolveStorageMode({ DATABRICKS_AUTH_STORAGE: 'vault' }, undefined, 'f'), /DATABRICKS_AUTH_STORAGE: unknown storage mode "vault" \(want plaintext or secure\)/);
});

test('secure: the keyring entry is {"token": …} under service databricks-cli, account = the cache key; the host key is not written', async (t) => {
  const h = home(t);
  const k = fakeKeyring();
  const store = await storeForRead({ home: h, env: { DATABRICKS_AUTH_STORAGE: 'secure' }, configFile: join(h, 'cfg'), keyring: k.keyring });
  assert.equal(store.location, 'keyring');
  await store.put('dev', TOKEN, 'https://dev.cloud.databricks.com');
  assert.deepEqual([...k.entries.keys()], ['databricks-cli/dev']);
  assert.deepEqual(JSON.parse(k.entries.get('databricks-cli/dev')!), { token: TOKEN });
  assert.deepEqual(await store.lookup('dev'), TOKEN);
  assert.equal(await store.lookup('other'), undefined);
  // An entry this version cannot read is a miss (the CLI re-mints), not an error.
  k.entries.set('databricks-cli/odd', 'not json');
  assert.equal(await store.lookup('odd'), undefined);
});

test('reading with the default mode: a keyring that fails the read probe means the file; a slow one stays the keyring', async (t) => {
  const h = home(t);
  const o = { home: h, env: {}, configFile: join(h, 'cfg'), keyringTimeoutMs: 50 };
  assert.equal((await storeForRead({ ...o, keyring: fakeKeyring('fail').keyring })).location, 'token-cache.json');
  const ok = fakeKeyring();
  assert.equal((await storeForRead({ ...o, keyring: ok.keyring })).location, 'keyring');
  assert.match(ok.calls[0]!, /^get databricks-cli\/__probe_[0-9a-f-]{36}$/, 'a read-only probe');
  const slow = await storeForRead({ ...o, keyring: fakeKeyring('hang').keyring });
  assert.equal(slow.location, 'keyring');
  await assert.rejects(slow.lookup('dev'), (e: Error & { code?: string; hint?: string }) => e.code === 'KEYRING_UNREACHABLE' && /did not answer in 0\.05 s/.test(e.message) && /DATABRICKS_AUTH_STORAGE=plaintext/.test(e.hint ?? ''));
  // Explicitly secure: no probe, no fallback; the lookup says why.
  const explicit = await storeForRead({ ...o, env: { DATABRICKS_AUTH_STORAGE: 'secure' }, keyring: fakeKeyring('fail').keyring });
  assert.equal(explicit.location, 'keyring');
  await assert.rejects(explicit.lookup('dev'), /The OS keyring is unreachable: The name org\.freedesktop\.secrets/);
});

test('signing in with the default mode: a keyring that fails the write probe means the file and auth_storage = plaintext is remembered; explicitly secure it is an error', async (t) => {
  const h = home(t);
  const o = { home: h, env: {}, configFile: join(h, 'cfg'), keyringTimeoutMs: 50 };
  let persisted = 0;
  const persist = async () => void persisted++;
  assert.equal((await storeForLogin({ ...o, keyring: fakeKeyring('fail').keyring }, persist)).location, 'token-cache.json');
  assert.equal(persisted, 1);
  const ok = fakeKeyring();
  assert.equal((await storeForLogin({ ...o, keyring: ok.keyring }, persist)).location, 'keyring');
  assert.deepEqual(ok.calls.map((c) => c.replace(/__probe_.*/, '__probe_')), ['set databricks-cli/__probe_', 'delete databricks-cli/__probe_'], 'a write probe, cleaned up');
  assert.equal(ok.entries.size, 0);
  assert.equal((await storeForLogin({ ...o, keyring: fakeKeyring('hang').keyring }, persist)).location, 'keyring', 'a timeout stays on the keyring');
  await assert.rejects(storeForLogin({ ...o, env: { DATABRICKS_AUTH_STORAGE: 'secure' }, keyring: fakeKeyring('fail').keyring }, persist), /Secure storage was requested but the OS keyring is not reachable/);
  assert.equal(persisted, 1);
});

test('plaintext: token-cache.json as the CLI writes it (version 1, 0600 in a 0700 folder, profile and host keys); a wrong version is refused', async (t) => {
  const h = home(t);
  const keyring = fakeKeyring();
  const store = await storeForRead({ home: h, env: { DATABRICKS_AUTH_STORAGE: 'plaintext' }, configFile: join(h, 'cfg'), keyring: keyring.keyring });
  assert.equal(store.location, 'token-cache.json');
  await store.put('dev', TOKEN, 'https://dev.cloud.databricks.com');
  const path = tokenCachePath(h);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { version: 1, tokens: { dev: TOKEN, 'https://dev.cloud.databricks.com': TOKEN } });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(join(h, '.databricks')).mode & 0o777, 0o700);
  assert.deepEqual(keyring.calls, [], 'plaintext never touches the keyring');
  // Another tool's entries stay.
  const f = JSON.parse(readFileSync(path, 'utf8')) as { tokens: Record<string, unknown> };
  f.tokens.other = { access_token: 'x' };
  writeFileSync(path, JSON.stringify({ version: 1, tokens: f.tokens }));
  await store.put('dev', { ...TOKEN, access_token: 'eyJnew' });
  assert.deepEqual(Object.keys((JSON.parse(readFileSync(path, 'utf8')) as { tokens: object }).tokens).sort(), ['dev', 'https://dev.cloud.databricks.com', 'other']);
  writeFileSync(path, JSON.stringify({ version: 2, tokens: {} }));
  await assert.rejects(store.lookup('dev'), /needs version 1, got version 2/);
});

test('Linux without a D-Bus session bus: no keyring (as for the CLI), so reading with the default mode is the file; the binding is not even loaded', { skip: process.platform !== 'linux' && 'Linux only' }, async (t) => {
  const h = home(t);
  const store = await storeForRead({ home: h, env: { XDG_RUNTIME_DIR: h }, configFile: join(h, 'cfg') });
  assert.equal(store.location, 'token-cache.json');
  await assert.rejects(
    storeForLogin({ home: h, env: { DATABRICKS_AUTH_STORAGE: 'secure' }, configFile: join(h, 'cfg') }, async () => undefined),
    /OS keyring is not reachable: no D-Bus session bus/,
  );
});
