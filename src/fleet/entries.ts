/**
 * What each managed client gets, as edit operations on its system files: the servers rendered
 * in the client's own dialect for one OS (render.ts), handed to the client's `managed.generate`.
 */
import { clientDefinition, type ClientId } from '../clients/catalog/index.js';
import type { FileOps, ManagedServer } from '../clients/catalog/managed.js';
import { readerFor } from '../clients/read-entry.js';
import { renderFor } from '../clients/render.js';
import type { ServerSpec } from '../clients/types.js';
import { OS_PLATFORM, type FleetMode, type FleetOs } from './catalog.js';

/** The servers as `client` writes them on `os`, with what an allowlist can name them by. */
export function managedServers(client: ClientId, specs: readonly ServerSpec[], os: FleetOs): ManagedServer[] {
  const def = clientDefinition(client);
  const read = readerFor(client);
  return specs.map((spec) => {
    const r = renderFor(def, spec, OS_PLATFORM[os]);
    const e = read(r.entry);
    return {
      name: spec.name,
      entry: r.entry,
      ...(r.fileKeys ? { fileKeys: r.fileKeys } : {}),
      ...(e?.transport === 'stdio' ? { stdio: { command: e.command, args: e.args } } : {}),
      ...(e?.transport === 'http' ? { url: e.url } : {}),
    };
  });
}

/** The operations for one client on one OS in one mode ([]: the client has no file there). */
export function fleetOps(client: ClientId, specs: readonly ServerSpec[], os: FleetOs, mode: FleetMode): FileOps[] {
  return clientDefinition(client).managed.generate?.(managedServers(client, specs, os), os, mode) ?? [];
}
