/**
 * Locating and reading a client's config file for planning: which file a (client, scope)
 * means for this context, its current text, and the servers object inside it.
 */
import { PROJECT_CLIENT_IDS } from './catalog/index.js';
import type { Ctx } from '../context.js';
import { DbxMcpError, UsageError } from '../errors.js';
import { loadCodec, type ConfigCodec } from '../config/codecs/index.js';
import { pathInputOf } from './detect.js';
import { getClient } from './registry.js';
import type { ClientAdapter, ClientId, Scope } from './types.js';
import { findProjectRoot } from '../util/paths.js';
import { readUserFile } from '../util/regular-file.js';

/** The adapter and file for a client and scope; UsageError when the client has no such file. */
export function resolveTarget(
  ctx: Ctx,
  client: ClientId,
  scope: Scope,
  projectRoot?: string,
): { adapter: ClientAdapter; file: string } {
  const adapter = getClient(client);
  const root = scope === 'project' ? (projectRoot ?? findProjectRoot(ctx)) : ctx.cwd;
  const file = adapter.configPath(pathInputOf(ctx, root), scope);
  if (file === undefined) {
    throw new UsageError(`${adapter.displayName} has no ${scope}-scoped config file`, {
      hint:
        scope === 'project'
          ? `Use --scope user for ${adapter.id}, or pick clients with a project file: ${PROJECT_CLIENT_IDS.join(', ')}.`
          : `Use --scope project for ${adapter.id}.`,
    });
  }
  return { adapter, file };
}

/**
 * The config file a (client, scope) means for this context, exactly as planUpsert/planRemove
 * resolve it (project scope: the repository root around cwd); undefined when unsupported.
 * Use it to key pending changes per file.
 */
export function configFileFor(ctx: Ctx, client: ClientId, scope: Scope, projectRoot?: string): string | undefined {
  try {
    return resolveTarget(ctx, client, scope, projectRoot).file;
  } catch {
    return undefined;
  }
}

/** The file's text, or null when it does not exist. */
export async function readConfigText(file: string): Promise<string | null> {
  const unreadable = (e: Error) =>
    new DbxMcpError(`Cannot read ${file}: ${e.message}`, { code: 'CONFIG_READ', hint: `Check that ${file} is a readable file, then run the command again.`, cause: e });
  return (await readUserFile(file, 'config file', unreadable))?.toString('utf8') ?? null;
}

/** The codec of a client's file format (loaded on first use). */
export function codecOf(adapter: Pick<ClientAdapter, 'format' | 'formatOptions'>): Promise<ConfigCodec> {
  return loadCodec(adapter.format, adapter.formatOptions);
}

/**
 * Parses the text with the file's codec (throws ConfigParseError, exit 2) and returns the
 * servers object at `serversPath` ({} when absent). A servers key that is not an object is a shape error.
 */
export function readServers(codec: ConfigCodec, text: string | null, file: string, serversPath: string[]): Record<string, unknown> {
  if (text === null) return {};
  const { topIsObject, value: node } = codec.parseAt(text, serversPath, file);
  if (!topIsObject) {
    throw new DbxMcpError(`${file} does not hold ${codec.documentNoun} at the top level; the file was not changed`, {
      code: 'CONFIG_SHAPE',
      exitCode: 2,
      hint: `Fix ${file} so that it is ${codec.documentNoun} (or move it aside), then run the command again.`,
    });
  }
  if (node === undefined || node === null) return {};
  if (typeof node !== 'object' || Array.isArray(node)) {
    throw new DbxMcpError(`"${serversPath.join('.')}" in ${file} is not an object; the file was not changed`, {
      code: 'CONFIG_SHAPE',
      exitCode: 2,
      hint: `Make "${serversPath.join('.')}" an object of servers in ${file}, then run the command again.`,
    });
  }
  return node as Record<string, unknown>;
}
