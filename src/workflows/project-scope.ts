/**
 * What `--scope` means for the writer commands (`add`, `init`, `remove`). Project files are
 * committed and shared with teammates, so they get portable entries only (the launcher and
 * profile rules live in manifest/specs.ts, shared with `sync --scope project`), never a token,
 * and only clients that have a project file take part.
 */
import { clientIds, detectClients, getClient } from '../clients/index.js';
import { configFileFor } from '../clients/target.js';
import type { AuthMode, ClientId, Scope } from '../clients/types.js';
import type { Ctx } from '../context.js';
import { DbxMcpError, UsageError } from '../errors.js';
import { resolveClients } from './writer-options.js';

/** A client left out of this run, and why. */
export interface SkippedClient {
  client: ClientId;
  reason: string;
}

/** Clients with a file for project scope (Cursor, Claude Code, VS Code). */
export function projectClients(ctx: Ctx, ids: readonly ClientId[], projectRoot?: string): ClientId[] {
  return ids.filter((id) => configFileFor(ctx, id, 'project', projectRoot) !== undefined);
}

/** Pre-chosen clients (detected, from a manifest, the demo's) split into those with a file for the scope and the skipped rest. */
export function withFileFor(ctx: Ctx, ids: readonly ClientId[], scope: Scope, projectRoot?: string): { clients: ClientId[]; skipped: SkippedClient[] } {
  if (scope === 'user') return { clients: [...ids], skipped: [] };
  const clients = projectClients(ctx, ids, projectRoot);
  const skipped = ids.filter((c) => !clients.includes(c)).map((client) => ({ client, reason: 'no project file; its servers go into your own file with --scope user' }));
  return { clients, skipped };
}

/**
 * Refuses what can never go into a project file, before any network call: a literal token.
 * (mcp-remote entries in project scope reference the token variable instead.)
 */
export function checkScopeFlags(o: { scope: Scope; literalToken?: boolean }): void {
  if (o.scope === 'project' && o.literalToken) {
    throw new UsageError('--literal-token cannot be used with --scope project: project files are committed and shared, so they never hold a token', {
      code: 'SECRET_IN_PROJECT',
      hint: 'Drop --literal-token (the entry then references $DATABRICKS_TOKEN, or --token-env <VAR>), use --auth proxy, or write it into your own file with --scope user.',
    });
  }
}

/**
 * Whether the command fetches the token to write it into the entry: header `--literal-token`,
 * and mcp-remote in user scope (Claude Desktop cannot reference a variable). Never for project
 * scope, where mcp-remote entries reference the token variable.
 */
export function writesLiteralToken(auth: AuthMode, o: { scope: Scope; literalToken?: boolean }): boolean {
  if (o.scope === 'project') return false;
  return auth === 'mcp-remote' || (auth === 'header' && Boolean(o.literalToken));
}

function noProjectFile(ctx: Ctx, without: ClientId[]): UsageError {
  const names = without.map((c) => getClient(c).displayName).join(' and ');
  return new UsageError(`${names} ha${without.length > 1 ? 've' : 's'} no project file, so --scope project cannot write ${without.length > 1 ? 'them' : 'it'}`, {
    code: 'NO_PROJECT_FILE',
    hint: `Drop ${without.join(', ')} from --client (project files exist for ${projectClients(ctx, clientIds).join(', ')}), or run the command again with --scope user for ${without.length > 1 ? 'them' : 'it'}.`,
  });
}

/**
 * The clients a writer command writes for this scope. User scope: `--client`, else the detected
 * ones. Project scope: a named client without a project file is an error (exit 2, nothing
 * written: the user asked for something impossible); by default the detected clients that have
 * one, the others skipped with the reason. `candidates: 'all'` (remove) looks in every client.
 */
export async function clientsForScope(
  ctx: Ctx,
  requested: string[] | undefined,
  scope: Scope,
  o: { candidates?: 'detected' | 'all'; projectRoot?: string } = {},
): Promise<{ clients: ClientId[]; skipped: SkippedClient[] }> {
  const named = Boolean(requested?.length);
  if (scope === 'user') {
    return { clients: named || o.candidates !== 'all' ? await resolveClients(ctx, requested) : [...clientIds], skipped: [] };
  }
  if (named) {
    const ids = await resolveClients(ctx, requested);
    const without = ids.filter((c) => !projectClients(ctx, [c], o.projectRoot).length);
    if (without.length) throw noProjectFile(ctx, without);
    return { clients: ids, skipped: [] };
  }
  if (o.candidates === 'all') return { clients: projectClients(ctx, clientIds, o.projectRoot), skipped: [] };
  const detected = (await detectClients(ctx)).filter((d) => d.detected).map((d) => d.id);
  const { clients, skipped } = withFileFor(ctx, detected, scope, o.projectRoot);
  if (clients.length === 0) {
    throw new DbxMcpError(detected.length ? `None of the detected clients (${detected.join(', ')}) has a project file` : 'No MCP client was detected on this machine', {
      code: 'NO_CLIENTS',
      hint: `Name the clients to write with --client (project files exist for ${projectClients(ctx, clientIds).join(', ')}); dbx-mcp creates the files.`,
    });
  }
  return { clients, skipped };
}

/** One line per skipped client (stderr; --json output carries them instead). */
export function reportSkipped(ctx: Ctx, skipped: SkippedClient[]): void {
  if (ctx.globals.json) return;
  for (const s of skipped) ctx.log.info(`Skipping ${getClient(s.client).displayName}: ${s.reason}.`);
}
