/**
 * The options `init`, every `add` and `sync` share (contract: Commands), validated with zod,
 * and the pieces derived from them: which clients, which launcher, which auth settings.
 */
import { z } from 'zod';
import { clientIds, detectClients, isClientId } from '../clients/index.js';
import type { AuthMode, ClientId, ServerSpec } from '../clients/types.js';
import type { Ctx } from '../context.js';
import { DbxMcpError, UsageError } from '../errors.js';
import { launcherFor } from '../manifest/specs.js';
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_ID_RULE } from '../oauth/client-id.js';
import { parseMeta } from '../util/meta.js';

export { parseOptions } from './parse-options.js';

export const WriterOptions = z.object({
  client: z.array(z.string()).optional(),
  scope: z.enum(['user', 'project']).default('user'),
  auth: z.enum(['proxy', 'header', 'oauth', 'mcp-remote']).optional(),
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a server name is letters, digits, "-" and "_" (at most 64 characters)')
    .optional(),
  clientId: z.string().regex(OAUTH_CLIENT_ID, OAUTH_CLIENT_ID_RULE).optional(),
  callbackPort: z.number().int().min(1024).max(65535).optional(),
  tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').default('DATABRICKS_TOKEN'),
  literalToken: z.boolean().optional(),
  proxyCommand: z.string().optional(),
  meta: z.array(z.string().regex(/^[^=\s]+=.*$/, 'expected key=value, e.g. --meta warehouse_id=abcdef1234567890')).optional(),
  force: z.boolean().optional(),
});
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
