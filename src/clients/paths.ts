/**
 * Client config paths, answered by the catalog (each definition knows its per-OS user and
 * project file). Pure: it takes platform, env, home and cwd as data; separators follow the
 * *target* platform (path.win32 / path.posix), not the host.
 */
import path from 'node:path';
import { clientDefinition, type ClientId } from './catalog/index.js';
import { appData, xdgConfigHome } from './catalog/shared.js';
import type { PathInput, Scope } from './types.js';

export { claudeMsixPackageDir } from './catalog/claude-desktop.js';

/**
 * The config file of a client for a scope. Undefined only when the client has no project file
 * (its definition says `projectPath: null`) or no cwd was given for `project`.
 */
export function configPathFor(client: ClientId, p: PathInput, scope: Scope): string | undefined {
  const def = clientDefinition(client);
  if (scope === 'user') return def.userPath(p);
  if (p.cwd === undefined || def.projectPath === null) return undefined;
  return def.projectPath(p, p.cwd);
}

/**
 * Directories whose presence means the client is (or was) installed, most specific first.
 * Used by detection only; configPathFor decides where to write.
 */
export function detectionDirs(client: ClientId, p: PathInput): string[] {
  return clientDefinition(client).detectionDirs(p);
}

/**
 * dbx-mcp's own config dir (holds state.json): %APPDATA%\dbx-mcp on Windows,
 * $XDG_CONFIG_HOME/dbx-mcp or ~/.config/dbx-mcp elsewhere (macOS included, like most CLIs).
 */
export function dbxMcpConfigDir(p: PathInput): string {
  return p.platform === 'win32' ? path.win32.join(appData(p), 'dbx-mcp') : path.posix.join(xdgConfigHome(p), 'dbx-mcp');
}
