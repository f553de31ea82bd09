/**
 * Every client adapter, looked up by id. `renderEntry` is the pure entry point for callers
 * (sync --check, doctor) that need an entry without planning a file change.
 */
import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import { claudeCode } from './claude-code.js';
import { claudeDesktop } from './claude-desktop.js';
import { cursor } from './cursor.js';
import type { ClientAdapter, ClientId, Detection, Rendered, ServerSpec } from './types.js';
import { vscode } from './vscode.js';
import { windsurf } from './windsurf.js';

/** All adapters, in the order the CLI lists them. */
export const ALL_CLIENTS: readonly ClientAdapter[] = [claudeDesktop, cursor, claudeCode, windsurf, vscode];

/** All client ids (contract: Clients). */
export const clientIds: readonly ClientId[] = ALL_CLIENTS.map((c) => c.id);

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
