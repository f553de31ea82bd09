/**
 * Planning `sync`: the manifest's servers into the chosen clients, plus removal of entries a
 * previous sync of the same manifest wrote that the manifest no longer lists. Ownership is
 * what keeps this safe: only registry records tagged `source: 'sync'` with this manifest's
 * path are ever removed, so hand-written entries and `add`-written ones are never touched.
 */
import { listIds, PROJECT_CLIENT_IDS } from '../clients/catalog/index.js';
import { realpathSync } from 'node:fs';
import { clientIds, configFileFor, detectClients, getClient, loadOwnership } from '../clients/index.js';
import { mergeUpdates, sameFile, type OwnershipRecord, type OwnershipState, type OwnershipUpdate } from '../clients/ownership.js';
import { codecOf, readConfigText, readServers } from '../clients/target.js';
import type { ClientId, Scope, ServerSpec } from '../clients/types.js';
import type { Ctx } from '../context.js';
import { DbxMcpError, UsageError } from '../errors.js';
import { canonicalHost } from '../databricks/host.js';
import { clientsForScope } from '../workflows/project-scope.js';
import type { Api } from '../databricks/api.js';
import { isTargetRefusal, validateTarget } from '../databricks/validate-target.js';
import { kindDef } from '../databricks/server-kinds/index.js';
import { applyWrites, planWrites, type EntryOutcome, type PlannedWrite } from '../workflows/write-flow.js';
import { manifestToSpecs, serverName, serverTarget, type Manifest } from '../manifest/index.js';
import { displayPath, findProjectRoot, pathFor } from '../util/paths.js';

/** Input of planSync. */
export interface SyncRequest {
  manifestPath: string;
  manifest: Manifest;
  scope: Scope;
  /** `--client`; default: the manifest's clients that are detected (user) or have a project file. */
  clients?: string[];
  /** The user's profile for the manifest's host (ignored for project scope). */
  profile: string | undefined;
  proxyCommand?: string;
  force?: boolean;
  /**
   * The user's workspace: every manifest server is checked against it the way `add` checks
   * its target, and one this identity cannot use is skipped (see SkippedTarget). Absent: no
   * check (project scope, whose files serve teammates with other grants).
   */
  api?: Api;
  /**
   * False: use `api` only to resolve the URLs of kinds the workspace must tell (apps), without
   * checking the other servers (project scope with an app in the manifest). Default true.
   */
  checkTargets?: boolean;
}

/** A manifest server left out because the workspace refused its target. */
export interface SkippedTarget {
  name: string;
  type: string;
  /** The target as the manifest names it: space id, <catalog>.<schema>[.<x>], connection, URL. */
  target: string;
  reason: string;
  fix?: string;
}

/** What planSync decided, and the plan itself. */
export interface SyncPlan {
  planned: PlannedWrite;
  clients: ClientId[];
  skipped: { client: ClientId; reason: string }[];
  /** Manifest servers the workspace refused: not written, and entries already there are kept. */
  skippedTargets: SkippedTarget[];
  /** The servers the plan writes (the manifest's, less skippedTargets). */
  specs: ServerSpec[];
  /** Project scope: the root the project files live under. */
  projectRoot?: string;
  /** Project scope: the files to commit. */
  projectFiles: string[];
}

/** A stable key for the manifest (symlinked temp dirs and relative paths give one key). */
export function manifestKey(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

async function chooseClients(ctx: Ctx, req: SyncRequest, root: string | undefined): Promise<{ clients: ClientId[]; skipped: SyncPlan['skipped'] }> {
  const skipped: SyncPlan['skipped'] = [];
  // Named clients: the same rules as `add` (unknown id, or no project file: exit 2).
  if (req.clients?.length) return { clients: (await clientsForScope(ctx, req.clients, req.scope, { projectRoot: root })).clients, skipped };
  const wanted = req.manifest.clients ?? [...clientIds];
  if (req.scope === 'project') {
    const clients = wanted.filter((c) => configFileFor(ctx, c, 'project', root) !== undefined);
    for (const c of wanted) if (!clients.includes(c) && req.manifest.clients) skipped.push({ client: c, reason: `${getClient(c).displayName} has no project file` });
    if (!clients.length) throw new UsageError('None of the manifest\'s clients has a project file', { hint: `Project files exist for ${listIds(PROJECT_CLIENT_IDS, ' and ')}: add one to "clients", or use --scope user.` });
    return { clients, skipped };
  }
  const detected = new Set((await detectClients(ctx)).filter((d) => d.detected).map((d) => d.id));
  const clients = wanted.filter((c) => detected.has(c));
  if (req.manifest.clients) {
    for (const c of wanted) if (!detected.has(c)) skipped.push({ client: c, reason: `${getClient(c).displayName} was not detected on this machine (pass --client ${c} to write it anyway)` });
  }
  if (!clients.length) {
    throw new DbxMcpError(req.manifest.clients ? `None of the manifest's clients (${wanted.join(', ')}) was detected on this machine` : 'No MCP client was detected on this machine', {
      code: 'NO_CLIENTS',
      hint: `Install one, or name the clients to write with --client (${wanted.join(', ')}); dbx-mcp creates their config files.`,
    });
  }
  return { clients, skipped };
}

/** Records a previous sync of this manifest wrote into `client`'s file for this scope. */
function syncRecords(ctx: Ctx, own: OwnershipState, key: string, client: ClientId, scope: Scope, root: string | undefined): OwnershipRecord[] {
  const file = configFileFor(ctx, client, scope, root);
  if (!file) return [];
  return own.entries.filter((r) => r.source === 'sync' && r.manifest === key && r.client === client && sameFile(r.file, file, ctx.platform));
}

/**
 * Project files are shared, so a teammate's registry does not know the entries another
 * teammate's sync wrote. A same-named entry pointing at the manifest's workspace is the
 * manifest's to update; anything else of that name stays a conflict.
 */
async function projectForce(ctx: Ctx, req: SyncRequest, clients: ClientId[], root: string | undefined, names: Set<string>): Promise<boolean> {
  const host = canonicalHost(req.manifest.workspace.host);
  for (const client of clients) {
    const file = configFileFor(ctx, client, 'project', root);
    if (!file) continue;
    const adapter = getClient(client);
    const servers = readServers(await codecOf(adapter), await readConfigText(file), file, adapter.serversPath);
    for (const [name, entry] of Object.entries(servers)) {
      if (!names.has(name)) continue;
      const text = JSON.stringify(entry);
      const urls = text.match(/https?:\/\/[^"\s/]+/g) ?? [];
      if (!urls.some((u) => canonicalHost(u) === host)) return false;
    }
  }
  return true;
}

function mergePlanned(ctx: Ctx, a: PlannedWrite, b: PlannedWrite | undefined): PlannedWrite {
  if (!b) return a;
  return {
    plan: { changes: [...a.plan.changes, ...b.plan.changes], notes: [...a.plan.notes, ...b.plan.notes.filter((n) => !a.plan.notes.includes(n))] },
    outcomes: [...a.outcomes, ...b.outcomes],
    ownership: mergeUpdates(a.ownership, b.ownership),
    apply: async () => {
      await applyWrites(ctx, [...a.plan.changes, ...b.plan.changes], mergeUpdates(a.ownership, b.ownership));
    },
  };
}

/** Plans the sync; nothing is written until `planned.apply()`. */
export async function planSync(ctx: Ctx, req: SyncRequest): Promise<SyncPlan> {
  const P = pathFor(ctx.platform);
  const root = req.scope === 'project' ? findProjectRoot({ cwd: P.dirname(P.resolve(ctx.cwd, req.manifestPath)), platform: ctx.platform }) : undefined;
  const { clients, skipped } = await chooseClients(ctx, req, root);
  const { skippedTargets, resolvedUrls } = req.api ? await checkTargets(req.api, req.manifest, req.checkTargets ?? true) : { skippedTargets: [], resolvedUrls: new Map<string, string>() };
  const allSpecs = manifestToSpecs(ctx, req.manifest, req.profile, { scope: req.scope, proxyCommand: req.proxyCommand, resolvedUrls });
  // A skipped server stays among the manifest's names: an entry an earlier sync wrote for it
  // is left alone (access may come back), never removed as stale.
  const names = new Set(allSpecs.map((s) => s.name));
  const specs = allSpecs.filter((s) => !skippedTargets.some((k) => k.name === s.name));
  const key = manifestKey(req.manifestPath);
  const own = await loadOwnership(ctx);

  const removals = clients.flatMap((client) => syncRecords(ctx, own, key, client, req.scope, root).filter((r) => !names.has(r.name)).map((r) => ({ client, name: r.name })));
  const force = req.force || (req.scope === 'project' && (await projectForce(ctx, req, clients, root, names)));
  let planned = await planWrites(ctx, { clients, scope: req.scope, upserts: specs, removals, force, projectRoot: root });

  // Clients the manifest's "clients" list dropped: take out everything this manifest put there.
  if (!req.clients?.length && req.manifest.clients && req.scope === 'user') {
    const dropped = clientIds.filter((c) => !clients.includes(c) && !req.manifest.clients!.includes(c));
    const extra = dropped.flatMap((client) => syncRecords(ctx, own, key, client, 'user', root).map((r) => ({ client, name: r.name })));
    if (extra.length) {
      const more = await planWrites(ctx, { clients: [...new Set(extra.map((x) => x.client))], scope: 'user', removals: extra });
      planned = mergePlanned(ctx, planned, more);
    }
  }

  const update = syncOwnership(ctx, planned, specs, key, own);
  const tagged: PlannedWrite = { ...planned, ownership: update, apply: async () => {
    await applyWrites(ctx, planned.plan.changes, update);
  } };
  const projectFiles = req.scope === 'project' ? [...new Set(clients.map((c) => configFileFor(ctx, c, 'project', root)).filter((f): f is string => f !== undefined))] : [];
  return { planned: tagged, clients, skipped, skippedTargets, specs, projectRoot: root, projectFiles };
}

/**
 * The manifest servers this identity cannot use, each with the workspace's reason, and the URLs
 * the workspace resolved (apps). Any other failure (workspace unreachable, token rejected) is
 * not about one target: it is thrown, and nothing is planned. With `all` false (project scope:
 * teammates have their own grants) only the kinds whose URL the workspace must tell are asked.
 */
async function checkTargets(api: Api, manifest: Manifest, all: boolean): Promise<{ skippedTargets: SkippedTarget[]; resolvedUrls: Map<string, string> }> {
  const resolvedUrls = new Map<string, string>();
  const results = await Promise.all(
    manifest.servers.map(async (s): Promise<SkippedTarget | undefined> => {
      const target = serverTarget(s);
      if (!all && !kindDef(target.kind).resolvesUrl) return undefined;
      try {
        const v = await validateTarget(api, target);
        if (v.url) resolvedUrls.set(serverName(s), v.url);
        return undefined;
      } catch (e) {
        if (!isTargetRefusal(e)) throw e;
        return { name: serverName(s), type: s.type, target: target.parts.join('.'), reason: e.message, ...(e.hint ? { fix: e.hint } : {}) };
      }
    }),
  );
  return { skippedTargets: results.filter((r): r is SkippedTarget => r !== undefined), resolvedUrls };
}

/**
 * The registry change of a sync: the manifest's entries are recorded as sync-written, and records
 * of entries the user already deleted by hand are forgotten. Planned here, written with the files.
 */
function syncOwnership(ctx: Ctx, planned: PlannedWrite, specs: ServerSpec[], key: string, own: OwnershipState): OwnershipUpdate {
  const outcomes = planned.outcomes;
  const now = new Date(ctx.now()).toISOString();
  const records: OwnershipRecord[] = [];
  for (const o of outcomes) {
    if (o.status !== 'added' && o.status !== 'updated' && o.status !== 'unchanged') continue;
    const spec = specs.find((s) => s.name === o.name);
    if (!spec) continue;
    // The fingerprint of what planUpsert rendered for it (the entry as written).
    const print = planned.ownership.written.find((r) => r.name === o.name && sameFile(r.file, o.file, ctx.platform))?.print;
    records.push({ file: o.file, client: o.client, name: o.name, url: spec.url, auth: (o.auth ?? spec.auth) as OwnershipRecord['auth'], writtenAt: now, source: 'sync', manifest: key, ...(print && { print }) });
  }
  // A stale record whose entry the user already deleted by hand: nothing to remove, drop the record.
  const absent = outcomes.filter((o) => o.status === 'absent' && own.entries.some((r) => r.source === 'sync' && r.name === o.name && sameFile(r.file, o.file, ctx.platform)));
  const tagged = (r: OwnershipRecord) => records.some((x) => x.name === r.name && sameFile(x.file, r.file, ctx.platform));
  return {
    ...planned.ownership,
    written: [...planned.ownership.written.filter((r) => !tagged(r)), ...records],
    forgotten: [...planned.ownership.forgotten, ...absent.map((o) => ({ file: o.file, name: o.name }))],
  };
}

/** One difference between this machine and the manifest. */
export interface DriftItem {
  client: ClientId;
  file: string;
  name: string;
  kind: 'missing' | 'changed' | 'stale' | 'conflict';
  message: string;
}

/** The differences a plan would fix (or could not: conflicts). Empty: in sync. */
export function driftOf(ctx: Pick<Ctx, 'home' | 'platform'>, outcomes: EntryOutcome[]): DriftItem[] {
  const kind: Partial<Record<EntryOutcome['status'], DriftItem['kind']>> = { added: 'missing', updated: 'changed', removed: 'stale', conflict: 'conflict' };
  return outcomes.flatMap((o) => {
    const k = kind[o.status];
    if (!k) return [];
    const where = `${getClient(o.client).displayName} (${displayPath(ctx, o.file)})`;
    const message = {
      missing: `"${o.name}" is missing from ${where}`,
      changed: `"${o.name}" in ${where} differs from the manifest`,
      stale: `"${o.name}" in ${where} is no longer in the manifest`,
      conflict: o.message,
    }[k];
    return [{ client: o.client, file: o.file, name: o.name, kind: k, message }];
  });
}
