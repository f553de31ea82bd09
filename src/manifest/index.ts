/**
 * The team manifest `dbx-mcp.json` (contract: Team manifest): schema, finding and loading,
 * writing, and turning it into ServerSpecs. Nothing here prints or exits.
 */
export { MANIFEST_FILE, MANIFEST_SCHEMA_URL } from './schema.js';
export type { Manifest } from './schema.js';
export { findManifest, loadManifest, parseManifest } from './load.js';
export { manifestFromChoices, renderManifest, writeManifestPlan, type ServerChoice } from './render.js';
export { manifestToSpecs, serverName, serverTarget } from './specs.js';
