/**
 * The one diagnosis for a unified host that was reached without a workspace to route to
 * (its workspace APIs then answer the sign-in page): what happened and the exact fix.
 */
import { DbxMcpError } from '../errors.js';
import { loginCommand } from './auth-methods/login.js';
import type { ResolvedConfig } from './profiles.js';
import type { HostRouting } from './routing.js';

export const UNROUTED_HOST = 'UNROUTED_HOST';

export function unroutedHostFix(config: Pick<ResolvedConfig, 'host' | 'profile' | 'configFile'>): string {
  const where = config.profile ? `[${config.profile}] in ${config.configFile}` : 'the environment (DATABRICKS_WORKSPACE_ID)';
  // `databricks auth login` where the CLI is installed, else `dbx-mcp login` (same flags).
  const login = loginCommand(`"${config.host}?w=<workspace-id>"`, config.profile);
  return `Set workspace_id = <workspace-id> in ${where} (the number after ?o= or ?w= in the workspace's URL), or sign in again: ${login}`;
}

export function unroutedHostError(config: Pick<ResolvedConfig, 'host' | 'profile' | 'configFile'>, routing: Pick<HostRouting, 'hostType'>): DbxMcpError {
  const what = routing.hostType === 'UNIFIED_HOST' ? `${config.host} is a unified host and` : `${config.host} answered a sign-in page where the API answers JSON:`;
  return new DbxMcpError(`${what} ${config.profile ? `profile "${config.profile}"` : 'the configuration'} names no workspace to route to`, {
    code: UNROUTED_HOST,
    hint: unroutedHostFix(config),
  });
}
