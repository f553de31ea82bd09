/**
 * From the team manifest to the folder an admin hands to device management: per OS and client
 * the managed files as a fresh laptop gets them, the install plan the install scripts apply
 * (merge, never replace), the scripts themselves and a README. Pure: the same manifest and
 * options give the same bytes, which is what `fleet --check` compares.
 */
import { clientDefinition, type ClientId } from '../clients/catalog/index.js';
import type { ServerSpec } from '../clients/types.js';
import { loadCodec } from '../config/codecs/index.js';
import { normalizeHost } from '../databricks/host.js';
import { kindDef } from '../databricks/server-kinds/index.js';
import { UsageError } from '../errors.js';
import { manifestToSpecs, serverName, type Manifest } from '../manifest/index.js';
import { managedFacts, managedFilePath, type FleetMode, type FleetOp, type FleetOs } from './catalog.js';
import { fleetOps } from './entries.js';
import { applyOps } from './merge.js';
import { adminReadme } from './readme.js';
import { installPs1, installSh } from './scripts.js';

export interface FleetOptions {
  mode: FleetMode;
  oses: readonly FleetOs[];
  clients: readonly ClientId[];
  /** The dbx-mcp version managed entries pin (`npx -y dbx-mcp@<version>`). */
  version: string;
}

/** One file of the install plan: where it goes and what is merged into it. */
export interface PlannedFile {
  client: ClientId;
  /** The generated copy, relative to the OS folder (`claude-code/managed-mcp.json`). */
  file: string;
  /** The system path on the laptop. */
  target: string;
  format: 'jsonc' | 'toml';
  trailingCommas?: 'never';
  ops: FleetOp[];
}

/** `<os>/fleet-plan.json`: what the install scripts apply. */
export interface InstallPlan {
  version: 1;
  generator: string;
  os: FleetOs;
  files: PlannedFile[];
}

export interface FleetBundle {
  /** Every file of the output folder, relative to it, with `/` separators, sorted. */
  files: { path: string; text: string }[];
  specs: ServerSpec[];
  /** Clients skipped on an OS, with why (Codex has no Windows path). */
  skipped: { client: ClientId; os: FleetOs; reason: string }[];
}

/** Managed entries: the portable proxy form, or the client's native OAuth with the manifest's public client. */
export function fleetSpecs(manifest: Manifest, version: string): ServerSpec[] {
  const needUrl = manifest.servers.filter((s) => kindDef(s.type).resolvesUrl);
  if (needUrl.length) {
    throw new UsageError(`fleet cannot deploy ${needUrl.map(serverName).join(', ')}: an app's URL is known only to its workspace, and fleet works offline`, {
      code: 'FLEET_UNSUPPORTED',
      hint: 'Remove the app servers from the manifest used for fleet (each user can still add them with `dbx-mcp add app`).',
    });
  }
  const specs = manifestToSpecs({ execPath: '', argv: [], version }, manifest, undefined, { scope: 'project' });
  // Header and mcp-remote entries need a token in each user's environment; a managed file gets the proxy instead.
  return specs.map((s) => ({ ...s, auth: s.auth === 'oauth' ? 'oauth' : 'proxy' }));
}

export async function buildFleet(manifest: Manifest, o: FleetOptions): Promise<FleetBundle> {
  const specs = fleetSpecs(manifest, o.version);
  const files: { path: string; text: string }[] = [];
  const skipped: FleetBundle['skipped'] = [];
  const plans: InstallPlan[] = [];
  for (const os of o.oses) {
    const plan: InstallPlan = { version: 1, generator: `dbx-mcp@${o.version}`, os, files: [] };
    for (const client of o.clients) {
      const fileOps = fleetOps(client, specs, os, o.mode);
      if (fileOps.length === 0) {
        skipped.push({ client, os, reason: `${clientDefinition(client).displayName} has no documented system file on ${os}` });
        continue;
      }
      for (const { file, ops } of fileOps) {
        const spec = managedFacts(client).files.find((f) => f.name === file)!;
        const target = managedFilePath(spec, os)!;
        const trailingCommas = clientDefinition(client).formatOptions?.trailingCommas === 'never' ? ('never' as const) : undefined;
        const codec = await loadCodec(spec.format, trailingCommas ? { trailingCommas } : {});
        const rel = `${client}/${file}`;
        files.push({ path: `${os}/${rel}`, text: applyOps(codec, '', ops, rel) });
        plan.files.push({ client, file: rel, target, format: spec.format, ...(trailingCommas ? { trailingCommas } : {}), ops });
      }
    }
    plans.push(plan);
    files.push({ path: `${os}/fleet-plan.json`, text: `${JSON.stringify(plan, null, 2)}\n` });
    if (os === 'windows') files.push({ path: `${os}/install.ps1`, text: installPs1(o.version) });
    else files.push({ path: `${os}/install.sh`, text: installSh(o.version) });
  }
  files.push({ path: 'README.md', text: adminReadme({ host: normalizeHost(manifest.workspace.host), mode: o.mode, version: o.version, plans, specs, skipped }) });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, specs, skipped };
}
