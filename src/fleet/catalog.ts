/**
 * Fleet's view of the client catalog: each client's admin controls are its definition's
 * `managed` field (clients/catalog/managed.ts and <id>-managed.ts); this module only derives
 * the lists fleet, the manifest and doctor need from it.
 */
import { CLIENTS, clientDefinition, type ClientId } from '../clients/catalog/index.js';
import type { FleetOs, ManagedFacts } from '../clients/catalog/managed.js';

export { FLEET_OSES } from '../clients/catalog/managed.js';
export { systemPathOf as managedFilePath, underRoot } from '../clients/managed-scope.js';
export type { FleetMode, FleetOp, FleetOs, ManagedFacts } from '../clients/catalog/managed.js';

/** Node's platform id of each fleet OS (for per-OS entry rendering: `cmd /c npx` on Windows). */
export const OS_PLATFORM = { macos: 'darwin', windows: 'win32', linux: 'linux' } as const satisfies Record<FleetOs, NodeJS.Platform>;

/** The clients fleet generates files for: those whose definition says how (`managed.generate`), in catalog order. */
export const FLEET_CLIENT_IDS: readonly ClientId[] = CLIENTS.filter((c) => c.managed.generate !== undefined).map((c) => c.id);

/** The managed facts of a client. */
export function managedFacts(id: ClientId): ManagedFacts {
  return clientDefinition(id).managed;
}
