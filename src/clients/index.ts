/** Public surface of the client adapters (see each module for the contracts). */
export type {
  AuthMode, ClientAdapter, ClientId, Detection, Launcher, PathInput, Rendered, Scope, ServerKind, ServerSpec,
} from './types.js';
export { ALL_CLIENTS, clientIds, detectClients, getClient, isClientId, renderEntry } from './registry.js';
export { oauthRedirectUris, oauthRedirectUrisFor } from './oauth-redirects.js';
export {
  AUTH_HEADER_ENV_VAR, DEFAULT_OAUTH_CALLBACK_PORT, DEFAULT_TOKEN_ENV_VAR, MCP_REMOTE_PACKAGE, MCP_REMOTE_VERSION,
  isLoopbackHttp, proxyArgs, stdioCommand,
} from './render.js';
export { configPathFor, dbxMcpConfigDir } from './paths.js';
export { pathInputOf } from './detect.js';
export {
  forgetRemoved, isOwned, loadOwnership, ownershipFile, recordWritten,
  type OwnershipRecord, type OwnershipState,
} from './ownership.js';
export { planRemove, planUpsert, type RemoveRequest, type RemoveResult, type UpsertRequest, type UpsertResult } from './plan.js';
export { classifyEntry, isDatabricksUrl, listServers, type DetectedAuth, type ServerListing } from './list.js';
export { configFileFor } from './target.js';
