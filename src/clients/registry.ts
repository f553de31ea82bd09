/**
 * Every client adapter, looked up by id. `renderEntry` is the pure entry point for callers
 * (sync --check, doctor) that need an entry without planning a file change.
 */
import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import { CLIENT_IDS, CLIENTS, type ClientDefinition, type ClientId } from './catalog/index.js';
import { detectClient } from './detect.js';
import { configPathFor } from './paths.js';
import { renderFor } from './render.js';
import type { ClientAdapter, Detection, Rendered, ServerSpec } from './types.js';

/** The adapter of a catalog definition: its data plus the shared path, detect and render code. */
function adapterOf(def: ClientDefinition<ClientId>): ClientAdapter {
  return {
    id: def.id,
    displayName: def.displayName,
    serversPath: [...def.serversPath],
    format: def.format,
    ...(def.formatOptions !== undefined ? { formatOptions: def.formatOptions } : {}),
    configPath: (p, scope) => configPathFor(def.id, p, scope),
    detect: (ctx) => detectClient(ctx, def.id, [...def.binaries]),
    render: (spec, platform) => renderFor(def, spec, platform),
    restartHint: def.restartHint,
  };
}

/** All adapters, in the order the CLI lists them (the catalog's order). */
export const ALL_CLIENTS: readonly ClientAdapter[] = CLIENTS.map(adapterOf);

/** All client ids (contract: Clients). */
export const clientIds: readonly ClientId[] = CLIENT_IDS;

/** Type guard for a user-supplied client id. */
export function isClientId(s: string): s is ClientId {
  return (clientIds as readonly string[]).includes(s);
}

/** The adapter for an id; throws UsageError (exit 2) listing the valid ids for anything else. */
export function getClient(id: string): ClientAdapter {
  const found = ALL_CLIENTS.find((c) => c.id === id);
  if (found === undefined) {
    throw new UsageError(`Unknown client "${id}"`, { hint: `Use one of: ${clientIds.join(', ')}.` });
  }
  return found;
}

/** Pure: the entry `clientId` gets for `spec` on `platform`. */
export function renderEntry(clientId: ClientId, spec: ServerSpec, platform: NodeJS.Platform): Rendered {
  return getClient(clientId).render(spec, platform);
}

/** Detects every client (or the given ones) concurrently; never throws. */
export function detectClients(ctx: Ctx, ids: readonly ClientId[] = clientIds): Promise<Detection[]> {
  return Promise.all(ids.map((id) => getClient(id).detect(ctx)));
}
