/**
 * The options of one `fleet` run, by precedence: flags, then the manifest's `fleet` key, then
 * defaults (fixed mode, every OS, the manifest's `clients` that have managed files, else every
 * client that has them).
 */
import type { ClientId } from '../clients/catalog/index.js';
import { UsageError } from '../errors.js';
import type { Manifest } from '../manifest/index.js';
import { FLEET_CLIENT_IDS, FLEET_OSES, type FleetMode, type FleetOs } from './catalog.js';

export interface FleetFlags {
  mode?: string;
  os?: readonly string[];
  client?: readonly string[];
}

function pick<T extends string>(given: readonly string[] | undefined, allowed: readonly T[], flag: string): T[] | undefined {
  if (given === undefined || given.length === 0) return undefined;
  const bad = given.filter((g) => !allowed.includes(g as T));
  if (bad.length) throw new UsageError(`${flag} ${bad.join(', ')}: not one of ${allowed.join(', ')}`, { hint: `Pass ${flag} with any of ${allowed.join(', ')}.` });
  return [...new Set(given)] as T[];
}

export function resolveFleetOptions(manifest: Manifest, flags: FleetFlags): { mode: FleetMode; oses: FleetOs[]; clients: ClientId[] } {
  const f = manifest.fleet ?? {};
  const preferred = manifest.clients?.filter((c) => FLEET_CLIENT_IDS.includes(c));
  return {
    mode: (flags.mode as FleetMode | undefined) ?? f.mode ?? 'fixed',
    oses: pick(flags.os, FLEET_OSES, '--os') ?? f.os ?? [...FLEET_OSES],
    clients: pick(flags.client, FLEET_CLIENT_IDS, '--client') ?? f.clients ?? (preferred?.length ? preferred : [...FLEET_CLIENT_IDS]),
  };
}
