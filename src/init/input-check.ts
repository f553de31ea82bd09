/**
 * Everything about init's flags that can be wrong without asking the workspace, checked before
 * the first network request (the sign-in), so a malformed id or an unknown client is exit 2 at
 * once instead of after a login.
 */
import { resolveClients } from '../workflows/writer-options.js';
import type { Ctx } from '../context.js';
import { accountProfile } from './oauth-step.js';
import { hasServerFlags, type InitOptions } from './options.js';
import { checkNameFitsOne, targetsFrom } from './servers-step.js';

export async function checkInitFlags(ctx: Ctx, o: InitOptions): Promise<void> {
  if (hasServerFlags(o)) checkNameFitsOne(o.name, targetsFrom(o).length); // targetsFrom throws on a malformed id
  if (o.client?.length) await resolveClients(ctx, o.client); // named clients are only checked, never detected
  if (o.oauthProfile) await accountProfile(ctx, o.oauthProfile); // exists and has account_id (a local read)
}
