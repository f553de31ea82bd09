/**
 * The OS keyring (macOS Keychain, Windows Credential Manager, Linux Secret Service) through
 * `@napi-rs/keyring`, a maintained native binding with prebuilt binaries per platform, loaded
 * only when a token is looked up. A binding that does not load (no prebuilt binary for the
 * platform, not installed) is an unreachable keyring: the store falls back to the file where
 * the Databricks CLI would.
 *
 * `DBX_MCP_TEST_KEYRING` replaces the OS keyring in tests, which must never touch the user's:
 * a JSON file path (a fake keyring, `{"<service>/<account>": "<secret>"}`), `unreachable`
 * (every call fails, like a container without D-Bus) or `hang` (calls never answer).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The OS keyring as the token store uses it: promise-returning, `undefined` for a missing entry. */
export interface KeyringBackend {
  get(service: string, account: string): Promise<string | undefined>;
  set(service: string, account: string, secret: string): Promise<void>;
  delete(service: string, account: string): Promise<void>;
}

interface NapiEntry {
  getPassword(): Promise<string | null | undefined> | string | null | undefined;
  setPassword(secret: string): Promise<void> | void;
  deletePassword?(): Promise<boolean> | boolean;
  deleteCredential?(): Promise<boolean> | boolean;
}
type EntryClass = (new (service: string, account: string, options?: { linux?: { store?: 'secret-service' | 'keyutils' } }) => NapiEntry) & { withTarget?(target: string, service: string, account: string): NapiEntry };

/** "No entry" is an answer, not a failure (the binding throws it on some platforms). */
const isMissing = (e: unknown) => /no (matching )?entry|not found|NoEntry/i.test(String((e as Error)?.message ?? e));

/**
 * Where the Databricks CLI (zalando/go-keyring, Secret Service over the D-Bus session bus) finds
 * no keyring on Linux, neither may dbx-mcp: the binding would fall back to the kernel keyring
 * (keyutils), which the CLI never reads. No session bus address and no `$XDG_RUNTIME_DIR/bus`
 * socket (godbus's places) means no keyring, as in a container.
 */
function linuxSessionBus(env: NodeJS.ProcessEnv): boolean {
  if (env.DBUS_SESSION_BUS_ADDRESS) return true;
  return Boolean(env.XDG_RUNTIME_DIR && existsSync(join(env.XDG_RUNTIME_DIR, 'bus')));
}

async function napiKeyring(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<KeyringBackend> {
  if (platform === 'linux' && !linuxSessionBus(env)) throw new Error('no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): no Secret Service to talk to');
  // A native package: external to the bundle (esbuild.config.mjs), an optional dependency, loaded
  // only when a token is needed; a platform without its prebuilt binary falls back like no keyring.
  const m = (await import('@napi-rs/keyring')) as unknown as { AsyncEntry?: EntryClass; Entry: EntryClass };
  // AsyncEntry runs on the thread pool, so the 3 s bound can interrupt a keyring that hangs.
  const E = m.AsyncEntry ?? m.Entry;
  // go-keyring names a Windows credential "<service>:<account>"; the binding's default differs.
  const entry = (service: string, account: string): NapiEntry =>
    platform === 'win32' && E.withTarget
      ? E.withTarget(`${service}:${account}`, service, account)
      : // go-keyring on Linux is the Secret Service only; the binding would else fall back to the kernel keyring, which the CLI never reads.
        new E(service, account, platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined);
  return {
    async get(service, account) {
      try {
        return (await entry(service, account).getPassword()) ?? undefined;
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    },
    async set(service, account, secret) {
      await entry(service, account).setPassword(secret);
    },
    async delete(service, account) {
      const e = entry(service, account);
      try {
        await (e.deleteCredential ?? e.deletePassword)!.call(e);
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
    },
  };
}

function fakeKeyring(spec: string): KeyringBackend {
  if (spec === 'unreachable') {
    const fail = () => Promise.reject(new Error('The name org.freedesktop.secrets was not provided by any .service files'));
    return { get: fail, set: fail, delete: fail };
  }
  if (spec === 'hang') {
    const never = () => new Promise<never>(() => undefined);
    return { get: never, set: never, delete: never };
  }
  const load = (): Record<string, string> => {
    try {
      return JSON.parse(readFileSync(spec, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const save = (v: Record<string, string>) => writeFileSync(spec, JSON.stringify(v, null, 2), { mode: 0o600 });
  return {
    get: async (s, a) => load()[`${s}/${a}`],
    set: async (s, a, secret) => save({ ...load(), [`${s}/${a}`]: secret }),
    async delete(s, a) {
      const v = load();
      delete v[`${s}/${a}`];
      save(v);
    },
  };
}

export async function loadKeyring(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Promise<KeyringBackend> {
  return env.DBX_MCP_TEST_KEYRING ? fakeKeyring(env.DBX_MCP_TEST_KEYRING) : napiKeyring(env, platform);
}
