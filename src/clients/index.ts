/** Public surface of the client adapters (see each module for the contracts). */
export type { AuthMode, ClientId } from './types.js';
export { clientIds, detectClients, getClient, isClientId } from './registry.js';
export { oauthRedirectUrisFor } from './oauth-redirects.js';
export { loadOwnership } from './ownership.js';
export { planRemove, planUpsert } from './plan.js';
export { listServers } from './list.js';
export { configFileFor } from './target.js';
