/**
 * The Databricks CLI's OAuth token store, read and written the CLI's way so one sign-in works in
 * both tools (source: Databricks CLI v1.13 libs/auth/storage: mode.go, cache.go, filestore.go,
 * keyring.go, dual_writing_cache.go):
 *
 * - Mode: `DATABRICKS_AUTH_STORAGE`, else `auth_storage` under `[__settings__]` of the config
 *   file, else `secure` (the default since CLI 1.0); `plaintext` or `secure`, anything else is an
 *   error. Set either way the mode is "explicit".
 * - `secure`: the OS keyring, service `databricks-cli`, account = the cache key, the value
 *   `{"token": <token>}`; each call bounded at 3 s. Reading with the default mode, a keyring that
 *   fails a read probe (not a timeout) means the file; signing in with the default mode, one that
 *   fails a write probe means the file, and `auth_storage = plaintext` is written to
 *   `[__settings__]` so the next run reads the file without probing.
 * - `plaintext`: `~/.databricks/token-cache.json`, `{"version": 1, "tokens": {key: token}}`,
 *   file 0600, folder 0700, replaced atomically. A sign-in under a profile also stores the token
 *   under the host key (the CLI's "dual write" for older SDKs).
 *
 * A token is the JSON of Go's oauth2.Token: `access_token`, `token_type`, `refresh_token`,
 * `expiry` (RFC 3339).
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DbxMcpError, ExitCode, UsageError } from '../../errors.js';
import { registerSecret } from '../../secrets.js';
import { readUserFile } from '../../util/regular-file.js';
import { parseIni } from '../ini-file.js';
import { loadKeyring, type KeyringBackend } from './keyring.js';

export interface StoredToken {
  access_token: string;
  token_type?: string;
  refresh_token?: string;
  /** RFC 3339; absent for a token without a known expiry. */
  expiry?: string;
}

export type StorageMode = 'secure' | 'plaintext';

export interface StoreOptions {
  home: string;
  env: NodeJS.ProcessEnv;
  /** The config file whose `[__settings__]` may set `auth_storage`. */
  configFile: string;
  /** The keyring to use; default: the OS keyring through @napi-rs/keyring, loaded on first use. */
  keyring?: () => Promise<KeyringBackend>;
  /** Per-call bound (the CLI's 3 s); tests shorten it. */
  keyringTimeoutMs?: number;
}

/** Where the token of a store lives, for doctor and messages. */
export type StoreLocation = 'keyring' | 'token-cache.json';

export interface TokenStore {
  readonly location: StoreLocation;
  /** What to name in a message: "the OS keyring" or the file's path. */
  readonly description: string;
  lookup(key: string): Promise<StoredToken | undefined>;
  /** Stores under `key`; in plaintext mode also under `hostKey` (the CLI's dual write). */
  put(key: string, token: StoredToken, hostKey?: string): Promise<void>;
}

export const KEYRING_SERVICE = 'databricks-cli';
const KEYRING_TIMEOUT_MS = 3000;

export function tokenCachePath(home: string): string {
  return join(home, '.databricks', 'token-cache.json');
}

class KeyringTimeout extends Error {}

/** The mode and whether it was chosen (env or file) rather than defaulted. */
export function resolveStorageMode(env: NodeJS.ProcessEnv, configText: string | undefined, configFile: string): { mode: StorageMode; explicit: boolean } {
  const parse = (raw: string, where: string): StorageMode => {
    const m = raw.trim().toLowerCase();
    if (m === 'secure' || m === 'plaintext') return m;
    throw new UsageError(`${where}: unknown storage mode "${raw}" (want plaintext or secure)`, {
      code: 'AUTH_STORAGE_UNKNOWN',
      hint: `Set ${where} to plaintext (~/.databricks/token-cache.json) or secure (the OS keyring), as the Databricks CLI reads it.`,
    });
  };
  if (env.DATABRICKS_AUTH_STORAGE) return { mode: parse(env.DATABRICKS_AUTH_STORAGE, 'DATABRICKS_AUTH_STORAGE'), explicit: true };
  const raw = configText === undefined ? undefined : parseIni(configText, configFile).get('__settings__')?.values.auth_storage;
  if (raw) return { mode: parse(raw, `auth_storage in [__settings__] of ${configFile}`), explicit: true };
  return { mode: 'secure', explicit: false };
}

/** The file's text, undefined when there is none; a FIFO or folder there is refused (exit 2), never waited on. */
async function readText(path: string): Promise<string | undefined> {
  const unreadable = (e: NodeJS.ErrnoException) =>
    new DbxMcpError(`Cannot read the Databricks CLI's token cache ${path} (${e.code ?? e.message})`, {
      code: 'TOKEN_CACHE_UNREADABLE',
      exitCode: ExitCode.Usage,
      hint: `Make ${path} a readable file of yours (ls -l ${path}), or move it aside and sign in again (dbx-mcp login, or databricks auth login).`,
    });
  return (await readUserFile(path, 'token cache file', unreadable))?.toString('utf8');
}

/** A stored token's fields, or undefined when it is not one (treated as a miss, as the CLI does). */
function asToken(v: unknown): StoredToken | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.access_token !== 'string' || !o.access_token) return undefined;
  const str = (k: string) => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
  const t: StoredToken = { access_token: o.access_token };
  if (str('token_type')) t.token_type = str('token_type')!;
  if (str('refresh_token')) t.refresh_token = str('refresh_token')!;
  if (str('expiry')) t.expiry = str('expiry')!;
  registerSecret(t.access_token);
  if (t.refresh_token) registerSecret(t.refresh_token);
  return t;
}

function fileStore(home: string): TokenStore {
  const path = tokenCachePath(home);
  const load = async (): Promise<Record<string, unknown>> => {
    const text = await readText(path);
    if (text === undefined) return {};
    let f: { version?: unknown; tokens?: unknown };
    try {
      f = JSON.parse(text) as typeof f;
    } catch {
      throw new DbxMcpError(`${path} is not valid JSON`, { code: 'TOKEN_CACHE_BAD', hint: `Delete ${path} and sign in again: dbx-mcp login` });
    }
    if (f.version !== 1) {
      throw new DbxMcpError(`${path} needs version 1, got version ${String(f.version)}`, { code: 'TOKEN_CACHE_BAD', hint: 'Update dbx-mcp and the Databricks CLI, or delete the file and sign in again: dbx-mcp login' });
    }
    return typeof f.tokens === 'object' && f.tokens !== null ? (f.tokens as Record<string, unknown>) : {};
  };
  return {
    location: 'token-cache.json',
    description: path,
    lookup: async (key) => asToken((await load())[key]),
    async put(key, token, hostKey) {
      const tokens = await load();
      tokens[key] = token;
      if (hostKey && hostKey !== key) tokens[hostKey] = token;
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // As the CLI: a temp file in the same folder, 0600 before it gets content worth hiding, then rename.
      const tmp = join(dirname(path), `.token-cache-${randomUUID()}.tmp`);
      try {
        await writeFile(tmp, '', { mode: 0o600, flag: 'wx' });
        await chmod(tmp, 0o600);
        await writeFile(tmp, JSON.stringify({ version: 1, tokens }, null, 2));
        await rename(tmp, path);
      } finally {
        await rm(tmp, { force: true });
      }
    },
  };
}

async function bounded<T>(ms: number, p: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new KeyringTimeout(`the OS keyring did not answer in ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function keyringStore(backend: () => Promise<KeyringBackend>, ms: number): TokenStore {
  const call = <T>(fn: (b: KeyringBackend) => Promise<T>) => bounded(ms, async () => fn(await backend()));
  return {
    location: 'keyring',
    description: 'the OS keyring (service databricks-cli)',
    async lookup(key) {
      let raw: string | undefined;
      try {
        raw = await call((b) => b.get(KEYRING_SERVICE, key));
      } catch (e) {
        throw new DbxMcpError(`The OS keyring is unreachable: ${(e as Error).message}`, {
          code: 'KEYRING_UNREACHABLE',
          hint: 'Unlock the keyring, or set DATABRICKS_AUTH_STORAGE=plaintext and sign in again (dbx-mcp login) to keep the token in ~/.databricks/token-cache.json.',
        });
      }
      if (raw === undefined) return undefined;
      try {
        return asToken((JSON.parse(raw) as { token?: unknown }).token);
      } catch {
        return undefined;
      }
    },
    // Secure mode writes the profile's key only (source: Databricks CLI libs/auth/storage/storage.go).
    put: (key, token) => call((b) => b.set(KEYRING_SERVICE, key, JSON.stringify({ token }))),
  };
}

/** Read path: the store a token is looked up in (the CLI's ResolveStore). */
export async function storeForRead(o: StoreOptions): Promise<TokenStore> {
  const { mode, explicit } = resolveStorageMode(o.env, await readText(o.configFile), o.configFile);
  if (mode === 'plaintext') return fileStore(o.home);
  const ms = o.keyringTimeoutMs ?? KEYRING_TIMEOUT_MS;
  const backend = memoBackend(o);
  const store = keyringStore(backend, ms);
  if (explicit) return store;
  try {
    await bounded(ms, async () => (await backend()).get(KEYRING_SERVICE, `__probe_${randomUUID()}`));
  } catch (e) {
    // A slow keyring stays the keyring (the CLI's rule); an absent one means the file.
    if (!(e instanceof KeyringTimeout)) return fileStore(o.home);
  }
  return store;
}

/** Sign-in path: the store new tokens go to (the CLI's ResolveStoreForLogin), with its side effect. */
export async function storeForLogin(o: StoreOptions, persistPlaintext: () => Promise<void>): Promise<TokenStore> {
  const { mode, explicit } = resolveStorageMode(o.env, await readText(o.configFile), o.configFile);
  if (mode === 'plaintext') return fileStore(o.home);
  const ms = o.keyringTimeoutMs ?? KEYRING_TIMEOUT_MS;
  const backend = memoBackend(o);
  try {
    const probe = `__probe_${randomUUID()}`;
    await bounded(ms, async () => {
      const b = await backend();
      await b.set(KEYRING_SERVICE, probe, JSON.stringify({ token: { access_token: 'probe' } }));
      await b.delete(KEYRING_SERVICE, probe);
    });
  } catch (e) {
    if (!(e instanceof KeyringTimeout)) {
      if (explicit) {
        throw new DbxMcpError(`Secure storage was requested but the OS keyring is not reachable: ${(e as Error).message}`, {
          code: 'KEYRING_UNREACHABLE',
          hint: 'Unlock or start the keyring (on Linux: a Secret Service such as gnome-keyring), or set DATABRICKS_AUTH_STORAGE=plaintext to keep the token in ~/.databricks/token-cache.json.',
        });
      }
      await persistPlaintext();
      return fileStore(o.home);
    }
  }
  return keyringStore(backend, ms);
}

function memoBackend(o: StoreOptions): () => Promise<KeyringBackend> {
  let p: Promise<KeyringBackend> | undefined;
  return () => (p ??= (o.keyring ?? (() => loadKeyring(o.env)))());
}
