/**
 * The team manifest around init: `--from dbx-mcp.json` fills the answers from a manifest, and
 * the choices can be saved as one (`--save-manifest [path]`, or the offer at the end) so a
 * teammate gets the same servers with `dbx-mcp sync`. The manifest never holds a secret.
 */
import type { FileChange } from '../config/file-plan.js';
import type { Ctx } from '../context.js';
import { findManifest, loadManifest, manifestFromChoices, MANIFEST_FILE, serverName, serverTarget, writeManifestPlan, type ServerChoice } from '../manifest/index.js';
import { canonicalHost } from '../databricks/host.js';
import { addKinds, initOptionKey, kindDef } from '../databricks/server-kinds/index.js';
import { hasServerFlags, type ChosenServer, type ClientAuth, type InitOptions, type WizardDefaults } from './options.js';
import { pathFor } from '../util/paths.js';

/** The options with the manifest's answers filled in where no flag gave one. */
export function optionsFromManifest(ctx: Ctx, o: InitOptions): { o: InitOptions; d: WizardDefaults; host?: string } {
  if (!o.from) return { o, d: {} };
  const file = findManifest(ctx, o.from)!;
  const m = loadManifest(ctx, file);
  const names: Record<string, string> = {};
  for (const s of m.servers) {
    const t = serverTarget(s);
    names[`${t.kind}:${t.parts.join('.')}`] = serverName(s);
  }
  // Each kind's init flag, from the manifest members of that kind (their target field as written).
  const servers = hasServerFlags(o)
    ? {}
    : Object.fromEntries(
        addKinds.map((kind) => {
          const def = kindDef(kind);
          const members = m.servers.filter((s) => s.type === kind) as Record<string, unknown>[];
          return [initOptionKey(kind), def.initFlag.value ? members.map((s) => (def.manifest ? String(s[def.manifest.key]) : '')) : members.length > 0];
        }),
      );
  if (m.servers.some((s) => s.type === 'app')) ctx.log.warn(`init skips Databricks App servers from ${file}; dbx-mcp sync writes them.`);
  ctx.log.info(`Using the team manifest ${file} (${m.servers.length} server${m.servers.length === 1 ? '' : 's'}).`);
  return {
    o: {
      ...o,
      ...servers,
      client: o.client?.length ? o.client : m.clients,
      auth: o.auth ?? m.auth,
      clientId: o.clientId ?? m.oauth?.clientId,
      callbackPort: o.callbackPort ?? m.oauth?.callbackPort,
    },
    d: { names },
    host: m.workspace.host,
  };
}

/** Warns when the profile points at another workspace than the manifest. */
export function checkManifestHost(ctx: Ctx, manifestHost: string | undefined, host: string): void {
  if (manifestHost && canonicalHost(manifestHost) !== canonicalHost(host)) {
    ctx.log.warn(`The manifest is for ${manifestHost}, and this profile signs in to ${host}: pick the profile of that workspace with --profile.`);
  }
}

function choicesOf(servers: ChosenServer[]): ServerChoice[] {
  return servers.map((s) => ({
    type: s.target.kind === 'app' ? 'app' : s.target.kind,
    ...(s.target.kind === 'sql' ? {} : { target: s.target.parts.join('.') }),
    // Names are written out: sync has no titles to derive the same names from.
    name: s.name,
  }));
}

/** The FileChange that writes the manifest for these choices. */
export async function manifestChange(ctx: Ctx, path: string | true, host: string, servers: ChosenServer[], auths: ClientAuth[]): Promise<FileChange | null> {
  const file = pathFor(ctx.platform).resolve(ctx.cwd, path === true ? MANIFEST_FILE : path);
  const modes = [...new Set(auths.map((a) => a.auth))];
  // Published clients are per client (claude-code, cursor-desktop): only a shared client id belongs in the manifest.
  const oauth = auths.find((a) => a.oauth && (a.oauth.source === 'flag' || a.oauth.source === 'registered' || a.oauth.source === 'manifest'))?.oauth;
  const m = manifestFromChoices({
    host,
    servers: choicesOf(servers),
    clients: auths.map((a) => a.client),
    auth: modes.length === 1 ? modes[0] : undefined,
    oauth: modes.length === 1 && oauth ? { clientId: oauth.clientId, callbackPort: oauth.callbackPort } : undefined,
  });
  return writeManifestPlan(ctx, file, m);
}
