/** Small re-exports for the OAuth step, so it reads without a long import block. */
import { pathInputOf } from '../clients/detect.js';
import type { PathInput } from '../clients/types.js';
import type { Ctx } from '../context.js';
import { listProfiles, type ProfileSummary } from '../databricks/profiles.js';

import { dbxMcpConfigDir } from '../clients/paths.js';
import { pathFor } from '../util/paths.js';
export { getClient } from '../clients/registry.js';

/** Where init writes the OAuth app request for an account admin. */
export function adminRequestFile(ctx: Ctx): string {
  const p: PathInput = pathInputOf(ctx);
  return pathFor(ctx.platform).join(dbxMcpConfigDir(p), 'oauth-app-request.json');
}

/** Profiles, or none when the file cannot be read. */
export function listProfilesSafe(ctx: Ctx): ProfileSummary[] {
  try {
    return listProfiles(ctx);
  } catch {
    return [];
  }
}
