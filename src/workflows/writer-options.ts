/**
 * The options `init`, every `add` and `sync` share (contract: Commands), validated with zod,
 * and the pieces derived from them: which clients, which launcher, which auth settings.
 */
import type { z } from 'zod';
import { clientIds, detectClients, isClientId } from '../clients/index.js';
import type { AuthMode, ClientId, ServerSpec } from '../clients/types.js';
import type { Ctx } from '../context.js';
import { DbxMcpError, UsageError } from '../errors.js';
import { launcherFor } from '../manifest/specs.js';
import { parseMeta } from '../util/meta.js';
import { WRITER_FLAGS } from './flags.js';
import { optionsSchema } from './parse-options.js';

export { parseOptions } from './parse-options.js';

/** The writer flags' schema, from their one declaration (flags.ts: WRITER_FLAGS). */
export const WriterOptions = optionsSchema(WRITER_FLAGS);
export type WriterOptions = z.infer<typeof WriterOptions>;

/** `--client` ids validated; default: every detected client (error with the fix when none is). */
export async function resolveClients(ctx: Ctx, requested: string[] | undefined): Promise<ClientId[]> {
  if (requested && requested.length) {
    const bad = requested.filter((c) => !isClientId(c));
    if (bad.length) throw new UsageError(`Unknown client${bad.length > 1 ? 's' : ''}: ${bad.join(', ')}`, { hint: `Use ${clientIds.join(', ')}.` });
    return [...new Set(requested as ClientId[])];
  }
  const found = (await detectClients(ctx)).filter((d) => d.detected).map((d) => d.id);
  if (found.length === 0) {
    throw new DbxMcpError('No MCP client was detected on this machine', {
      code: 'NO_CLIENTS',
      hint: `Name the clients to write with --client (${clientIds.join(', ')}); dbx-mcp creates their config files.`,
    });
  }
  return found;
}

/**
 * Flag combinations that are wrong whatever the workspace says (UsageError, exit 2). Call it
 * before the first network request, so bad input never waits on a sign-in.
 */
export function checkWriterOptions(o: WriterOptions): void {
  if ((o.auth ?? 'proxy') === 'oauth' && !o.clientId) {
    throw new UsageError('--auth oauth needs an OAuth client id', {
      hint: 'Pass --client-id <id> (an account admin can create one with `dbx-mcp oauth register`), or use --auth proxy.',
    });
  }
}

/**
 * Everything of a ServerSpec that comes from flags and the installation, not the target. A
 * project file gets what `sync --scope project` writes: the pinned npx launcher and no profile
 * (each teammate's proxy picks their own profile for the URL's workspace).
 */
export function specBase(ctx: Ctx, o: WriterOptions, profile: string | undefined, literal?: string): Omit<ServerSpec, 'name' | 'url' | 'kind'> {
  checkWriterOptions(o);
  const auth: AuthMode = o.auth ?? 'proxy';
  return {
    auth,
    profile: o.scope === 'project' ? undefined : profile,
    tokenEnvVar: o.tokenEnv,
    literalToken: literal,
    oauth: o.clientId ? { clientId: o.clientId, callbackPort: o.callbackPort } : undefined,
    launcher: launcherFor(ctx, { scope: o.scope, proxyCommand: o.proxyCommand }),
    // The schema above has already refused pairs without a key.
    meta: parseMeta(o.meta, 'add'),
  };
}
