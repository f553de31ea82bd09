/**
 * The team manifest `dbx-mcp.json` (contract: Team manifest): schema, finding and loading,
 * writing, and turning it into ServerSpecs. Nothing here prints or exits.
 */
export { ManifestSchema, ManifestServerSchema, MANIFEST_FILE, MANIFEST_SCHEMA_URL, checkManifest } from './schema.js';
export type { Manifest, ManifestServer, ManifestServerType, ManifestIssue } from './schema.js';
export { findManifest, loadManifest, parseManifest } from './load.js';
export { manifestFromChoices, renderManifest, writeManifestPlan, type ManifestChoices, type ServerChoice } from './render.js';
export { launcherFor, manifestToSpecs, serverName, serverTarget, type SpecOptions } from './specs.js';
export { findSecrets, type SecretFinding } from './secrets.js';
