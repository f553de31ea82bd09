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
import { readFileSync, writeFileSync } from 'node:fs';

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
type EntryClass = new (service: string, account: string) => NapiEntry;

/** "No entry" is an answer, not a failure (the binding throws it on some platforms). */
const isMissing = (e: unknown) => /no (matching )?entry|not found|NoEntry/i.test(String((e as Error)?.message ?? e));

async function napiKeyring(): Promise<KeyringBackend> {
  // A variable specifier: the native package stays outside the bundle and is resolved at run time.
  const name = '@napi-rs/keyring';
  const m = (await import(name)) as { AsyncEntry?: EntryClass; Entry: EntryClass };
  // AsyncEntry runs on the thread pool, so the 3 s bound can interrupt a keyring that hangs.
  const E = m.AsyncEntry ?? m.Entry;
  return {
    async get(service, account) {
      try {
        return (await new E(service, account).getPassword()) ?? undefined;
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    },
    async set(service, account, secret) {
      await new E(service, account).setPassword(secret);
    },
    async delete(service, account) {
      const entry = new E(service, account);
      try {
        await (entry.deleteCredential ?? entry.deletePassword)!.call(entry);
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

export async function loadKeyring(env: NodeJS.ProcessEnv): Promise<KeyringBackend> {
  return env.DBX_MCP_TEST_KEYRING ? fakeKeyring(env.DBX_MCP_TEST_KEYRING) : napiKeyring();
}
