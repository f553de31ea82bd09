/**
 * Facts gathered once per doctor run and shared by every check: the resolved profile, its
 * token, the signed-in user (memoized promises, so two checks never make the same call twice),
 * and every server in every inspected client's files (read from disk up front; cheap).
 * Databricks servers are found by URL, whether dbx-mcp wrote them or not, including stdio
 * entries whose args carry the URL (proxy, mcp-remote, anything else).
 */
import { statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import type { Ctx } from '../context.js';
import { ConfigParseError, DbxMcpError } from '../errors.js';
import { classifyApiError, DatabricksApiError } from '../databricks/api-errors.js';
import { createApi, retryWithFreshToken, signInPageError, type Api } from '../databricks/api.js';
import { createTokenSource, type AccessToken, type TokenSource } from '../databricks/auth.js';
import { parseMcpUrl, type McpTarget } from '../databricks/mcp-urls.js';
import { appNameCandidates } from '../databricks/token-destination.js';
import { listProfiles, resolveConfig, type ProfileSummary, type ResolvedConfig } from '../databricks/profiles.js';
import { CurrentUser } from '../databricks/workspace.js';
import { workspaceAppVouch, type AppVouch } from '../databricks/token-destination.js';
import { classifyEntry, isDatabricksUrl, type DetectedAuth } from '../clients/list.js';
import { isDisabledEntry, readerFor, readJsonEntry, type EntryReader } from '../clients/read-entry.js';
import { restorableBackup } from '../clients/backup-secrets.js';
import { isOwned, loadOwnership, type OwnershipState } from '../clients/ownership.js';
import { detectClients, getClient } from '../clients/registry.js';
import { codecOf, readConfigText, readServers, resolveTarget } from '../clients/target.js';
import type { ClientId, Detection, Scope } from '../clients/types.js';
import { findProjectRoot } from '../util/paths.js';
import { readManagedDocs, type ManagedDocs } from './managed-facts.js';

/** One entry of a client's file. */
export interface EntryFact {
  client: ClientId;
  scope: Scope;
  file: string;
  name: string;
  entry: Record<string, unknown>;
  auth: DetectedAuth;
  url?: string;
  owned: boolean;
  disabled: boolean;
  /** The parsed Databricks MCP URL, when it is one. */
  target?: McpTarget & { host: string };
  /** From a system-wide managed file the admin deployed (trusted like user scope: not a cloned repository's). */
  managed?: true;
}

export interface ClientFileFact {
  client: ClientId;
  scope: Scope;
  file: string;
  exists: boolean;
  /** File mode bits (POSIX), when the file exists. */
  mode?: number;
  text: string | null;
  /** The parsed document, when the file parsed. */
  doc?: unknown;
  /** Why the file could not be read or parsed (ConfigParseError etc.). */
  error?: DbxMcpError;
  entries: EntryFact[];
  /** A system-wide managed file (clients/managed-scope.ts); `file` is where it was read. */
  managed?: true;
}

export interface ClientFact {
  id: ClientId;
  detection: Detection;
  files: ClientFileFact[];
  /** The client's managed files that exist on this machine, parsed (policy and servers alike). */
  managed: ManagedDocs;
}

/** A Databricks server, possibly configured in several clients. */
export interface ServerFact {
  /** Unique among servers; the name, or `name@client` when the same name means different URLs. */
  key: string;
  name: string;
  url: string;
  target?: McpTarget & { host: string };
  entries: EntryFact[];
}

export interface Facts {
  profileFlag?: string;
  /** Resolved configuration (memoized; rethrows the resolution error). */
  config(): ResolvedConfig;
  tokens(): TokenSource;
  token(): Promise<AccessToken>;
  api(): Api;
  /** SCIM Me plus the workspace id header; throws DatabricksApiError / NetworkError. */
  currentUser(): Promise<{ user: CurrentUser; workspaceId?: string }>;
  clients: ClientFact[];
  servers: ServerFact[];
  /** A profile that can call the account API (for oauth.redirects), if any. */
  accountProfile(): ProfileSummary | undefined;
  /** --trust-project: project-scope stdio entries may be started although dbx-mcp did not write their command. */
  trustProject: boolean;
  /**
   * The app origin `config`'s workspace vouches for at `url` (its Apps API; token-destination.ts),
   * or undefined. One lookup per app name and workspace per run.
   */
  appVouch(config: ResolvedConfig, url: string): Promise<string | undefined>;
}

function memo<T>(fn: () => T): () => T {
  let done = false;
  let value: T;
  let error: unknown;
  return () => {
    if (!done) {
      try {
        value = fn();
      } catch (e) {
        error = e;
      }
      done = true;
    }
    if (error !== undefined) throw error;
    return value;
  };
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The Databricks URL an entry talks to: its url, or an http(s) arg of a stdio entry. */
export function urlOfEntry(entry: Record<string, unknown>, classified?: string, read: EntryReader = readJsonEntry): string | undefined {
  if (classified && isDatabricksUrl(classified)) return classified;
  const e = read(entry);
  const args = e?.transport === 'stdio' ? e.args : [];
  return args.find((a) => /^https?:\/\//i.test(a) && isDatabricksUrl(a)) ?? classified;
}

async function readClientFile(ctx: Ctx, client: ClientId, scope: Scope, projectRoot: string, ownership: OwnershipState, managed?: { file: string; serversPath: readonly string[] }): Promise<ClientFileFact | undefined> {
  let file: string;
  try {
    file = managed?.file ?? resolveTarget(ctx, client, scope, projectRoot).file;
  } catch {
    return undefined; // no file for this scope
  }
  const fact: ClientFileFact = { client, scope, file, exists: false, text: null, entries: [], ...(managed ? { managed: true as const } : {}) };
  try {
    fact.text = await readConfigText(file);
  } catch (e) {
    fact.exists = true;
    fact.error = e instanceof DbxMcpError ? e : new DbxMcpError(String(e));
    return fact;
  }
  if (fact.text === null) return scope === 'project' || managed ? undefined : fact;
  fact.exists = true;
  try {
    fact.mode = statSync(file).mode & 0o777;
  } catch {
    // unknown mode
  }
  let servers: Record<string, unknown>;
  const adapter = getClient(client);
  const codec = await codecOf(adapter);
  const serversPath = [...(managed?.serversPath ?? adapter.serversPath)];
  try {
    fact.doc = codec.parse(fact.text, file);
    servers = readServers(codec, fact.text, file, serversPath);
  } catch (e) {
    fact.error = e instanceof DbxMcpError ? e : new DbxMcpError(String(e));
    // The fix may offer a backup only when it is worth restoring (non-empty, parses): never a broken one.
    if (e instanceof ConfigParseError && !e.backup && !managed) {
      const backup = await restorableBackup(codec, await realpath(file).catch(() => file), serversPath);
      if (backup) fact.error = new ConfigParseError(e.file, e.line, e.column, e.detail, backup);
    }
    return fact;
  }
  for (const [name, raw] of Object.entries(servers)) {
    const entry = asRecord(raw);
    const read = readerFor(client);
    const owned = isOwned(ownership, { file, name, current: raw, reader: read }, ctx.platform);
    const c = classifyEntry(entry, owned, read);
    const url = urlOfEntry(entry, c.url, read);
    const target = url ? (parseMcpUrl(url) ?? (owned ? servedApp(url) : undefined)) : undefined;
    fact.entries.push({
      client, scope, file, name, entry, auth: c.auth, owned, disabled: isDisabledEntry(entry, read), ...(managed ? { managed: true as const } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(target ? { target } : {}),
    });
  }
  return fact;
}

/**
 * An entry dbx-mcp wrote whose URL is an app served under a path (`<apps host>/<name>/mcp`: a
 * custom domain, the emulator's apps server) rather than `<name>-<id>.databricksapps.com/mcp`:
 * it wrote it for `add app <name>`, so it is that app (its grants check asks the Apps API).
 */
function servedApp(url: string): (McpTarget & { host: string }) | undefined {
  try {
    const u = new URL(url);
    const [name] = appNameCandidates(u);
    return name ? { kind: 'app', parts: [name], host: u.origin } : undefined;
  } catch {
    return undefined;
  }
}

/** Groups Databricks entries into servers by name (split by client when URLs differ). */
export function groupServers(entries: EntryFact[]): ServerFact[] {
  const byName = new Map<string, EntryFact[]>();
  for (const e of entries) {
    // An entry dbx-mcp wrote is a Databricks server even when its URL does not say so (an app
    // on a host of its own, e.g. behind a custom domain).
    if (!e.url || (!isDatabricksUrl(e.url) && !e.owned)) continue;
    byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
  }
  const out: ServerFact[] = [];
  for (const [name, list] of byName) {
    const urls = new Set(list.map((e) => e.url));
    if (urls.size === 1) {
      out.push({ key: name, name, url: list[0]!.url!, ...(list[0]!.target ? { target: list[0]!.target } : {}), entries: list });
      continue;
    }
    for (const e of list) {
      out.push({ key: `${name}@${e.client}${e.scope === 'project' ? '-project' : ''}`, name, url: e.url!, ...(e.target ? { target: e.target } : {}), entries: [e] });
    }
  }
  return out;
}

/** Gathers the local facts (client files) and prepares the lazy remote ones. */
export async function gatherFacts(ctx: Ctx, opts: { profile?: string; clients?: ClientId[]; trustProject?: boolean } = {}): Promise<Facts> {
  const config = memo(() => resolveConfig(ctx, opts.profile));
  const tokens = memo(() => createTokenSource(ctx, config()));
  let tokenP: Promise<AccessToken> | undefined;
  const token = (): Promise<AccessToken> => (tokenP ??= Promise.resolve().then(() => tokens().getToken()));
  const api = memo(() => createApi(ctx, config(), tokens()));
  let meP: Promise<{ user: CurrentUser; workspaceId?: string }> | undefined;
  const currentUser = (): Promise<{ user: CurrentUser; workspaceId?: string }> =>
    (meP ??= (async () => {
      await token();
      const path = '/api/2.0/preview/scim/v2/Me';
      // Raw, to keep the org id header; refused tokens get one forced refresh, like Api.call.
      const { res, info } = await retryWithFreshToken(
        tokens(),
        async (forceRefresh) => {
          if (forceRefresh) await tokens().getToken({ forceRefresh: true });
          const res = await api().raw('GET', path, { timeoutMs: 15_000 });
          return { res, info: res.status >= 300 ? classifyApiError(res.status, res.json ?? res.text, res.headers) : undefined };
        },
        (outcome) => ('value' in outcome ? outcome.value.info?.kind : undefined),
      );
      const unrouted = await signInPageError(res, api());
      if (unrouted) throw unrouted;
      if (info) throw new DatabricksApiError(info, 'GET', path, undefined, api().config.profile);
      const parsed = CurrentUser.safeParse(res.json ?? {});
      // A body of another shape is reported like any API's (http.ts), never with zod's wording.
      if (!parsed.success) throw new DbxMcpError(`Unexpected response from GET ${path}`, { code: 'API_SHAPE', hint: 'The workspace answered in a shape dbx-mcp does not know; run again with --verbose and report it.', cause: parsed.error });
      const user = parsed.data;
      const org = res.headers['x-databricks-org-id'];
      const workspaceId = Array.isArray(org) ? org[0] : org;
      return { user, ...(workspaceId ? { workspaceId } : {}) };
    })());

  const detections = await detectClients(ctx);
  const chosen = opts.clients?.length ? detections.filter((d) => opts.clients!.includes(d.id)) : detections.filter((d) => d.detected || d.configExists);
  const ownership: OwnershipState = await loadOwnership(ctx).catch(() => ({ version: 1 as const, entries: [] }));
  const projectRoot = findProjectRoot(ctx);
  const clients: ClientFact[] = [];
  for (const d of chosen) {
    const files: ClientFileFact[] = [];
    for (const scope of ['user', 'project'] as const) {
      const f = await readClientFile(ctx, d.id, scope, projectRoot, ownership);
      // Run from the home directory, a project file can be the user file itself.
      if (f && !files.some((x) => x.file === f.file)) files.push(f);
    }
    const managed = await readManagedDocs(ctx, d.id);
    for (const m of managed.servers) {
      const f = await readClientFile(ctx, d.id, 'user', projectRoot, ownership, m);
      if (f) files.push(f);
    }
    clients.push({ id: d.id, detection: d, files, managed });
  }
  const servers = groupServers(clients.flatMap((c) => c.files.flatMap((f) => f.entries)));

  const accountProfile = memo(() => {
    let profiles: ProfileSummary[] = [];
    try {
      profiles = listProfiles(ctx);
    } catch {
      return undefined;
    }
    const withAccount = profiles.filter((p) => p.accountId && p.host);
    return withAccount.find((p) => /^https?:\/\/accounts(-dod)?\./i.test(p.host!)) ?? withAccount[0];
  });

  const vouches = new Map<string, AppVouch>();
  const appVouch = (c: ResolvedConfig, url: string): Promise<string | undefined> => {
    const key = `${c.profile ?? ''}@${c.host}`;
    let v = vouches.get(key);
    if (!v) {
      const own = (() => {
        try {
          return config().host === c.host && config().profile === c.profile;
        } catch {
          return false;
        }
      })();
      const a = own ? api() : createApi(ctx, c, createTokenSource(ctx, c));
      vouches.set(key, (v = workspaceAppVouch(a)));
    }
    return v(new URL(url));
  };

  return { ...(opts.profile ? { profileFlag: opts.profile } : {}), config, tokens, token, api, currentUser, clients, servers, accountProfile, trustProject: opts.trustProject === true, appVouch };
}
