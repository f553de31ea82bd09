/**
 * The keyring path against a real Linux Secret Service: gnome-keyring in a private D-Bus session
 * (`dbus-run-session`), through `@napi-rs/keyring`. A login with the default mode stores the
 * token in the keyring as the Databricks CLI does (service `databricks-cli`, account = the profile,
 * value `{"token": …}`) and the read path finds it there. Skipped cleanly where any piece is
 * missing (not Linux, no dbus-run-session or gnome-keyring-daemon, the binding not installed):
 * CI can `apt-get install gnome-keyring dbus` to run it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../helpers/temp.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function missing(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  for (const bin of ['dbus-run-session', 'gnome-keyring-daemon']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) return `${bin} is not installed (apt-get install dbus gnome-keyring)`;
  }
  try {
    createRequire(join(ROOT, 'package.json')).resolve('@napi-rs/keyring');
  } catch {
    return '@napi-rs/keyring is not installed';
  }
  return undefined;
}

test('a real Secret Service: login stores the token in the keyring as the CLI does, the read path finds it', { skip: missing() ?? false, timeout: 60_000 }, (t) => {
  const home = tempDir(t);
  const script = join(home, 'probe.mts');
  const store = JSON.stringify(join(ROOT, 'src/databricks/auth-methods/cli-token-store.ts'));
  writeFileSync(
    script,
    `import { storeForLogin, storeForRead } from ${store};
const o = { home: ${JSON.stringify(home)}, env: process.env, configFile: ${JSON.stringify(join(home, '.databrickscfg'))} };
const token = { access_token: 'eyJsecret-service-test', token_type: 'Bearer', refresh_token: 'doau-secret-service', expiry: '2030-01-01T00:00:00Z' };
let persisted = false;
const login = await storeForLogin(o, async () => { persisted = true; });
await login.put('dev', token, 'https://dev.cloud.databricks.com');
const read = await storeForRead(o);
const { Entry } = (await import('node:module')).createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('@napi-rs/keyring');
console.log(JSON.stringify({ login: login.location, read: read.location, persisted, found: await read.lookup('dev'), raw: new Entry('databricks-cli', 'dev', { linux: { store: 'secret-service' } }).getPassword(), host: await read.lookup('https://dev.cloud.databricks.com') ?? null }));
`,
  );
  // A non-empty unlock password: with an empty one gnome-keyring creates no login collection, and every write answers "no result found".
  const inner = `printf 'dbx-mcp-test' | gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null 2>&1; cd ${JSON.stringify(ROOT)} && node --import tsx ${JSON.stringify(script)}`;
  const r = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home, XDG_RUNTIME_DIR: home, XDG_DATA_HOME: join(home, '.local/share') }, timeout: 50_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  assert.equal(out.login, 'keyring', r.stdout);
  assert.equal(out.read, 'keyring');
  assert.equal(out.persisted, false, 'no plaintext fallback');
  assert.deepEqual(out.found, { access_token: 'eyJsecret-service-test', token_type: 'Bearer', refresh_token: 'doau-secret-service', expiry: '2030-01-01T00:00:00Z' });
  assert.deepEqual(JSON.parse(out.raw as string), { token: out.found });
  assert.equal(out.host, null, 'secure mode writes the profile key only');
});
