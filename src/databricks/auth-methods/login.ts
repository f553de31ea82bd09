/**
 * The exact sign-in command for a host/profile: the fix for most auth problems. With the
 * Databricks CLI on PATH it is `databricks auth login` (the CLI and dbx-mcp share the sign-in);
 * without it, `dbx-mcp login`, which needs nothing but Node. The command's process records its
 * environment once (`noteSignInEnvironment`, at the boundary); until then (unit tests, library
 * use) the CLI's command is named.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

let signInEnv: { env: NodeJS.ProcessEnv; platform: NodeJS.Platform } | undefined;
let cliPresent: boolean | undefined;

export function noteSignInEnvironment(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): void {
  signInEnv = { env, platform };
  cliPresent = undefined;
}

/** Whether `databricks` is an executable on PATH (checked once per process, when a fix needs it). */
export function databricksCliOnPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  const names = platform === 'win32' ? ['databricks.exe', 'databricks.cmd', 'databricks.bat'] : ['databricks'];
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      try {
        accessSync(join(dir, n), platform === 'win32' ? constants.F_OK : constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

function cliAvailable(): boolean {
  if (!signInEnv) return true;
  cliPresent ??= databricksCliOnPath(signInEnv.env, signInEnv.platform);
  return cliPresent;
}

/** `dbx-mcp login …`: the profile alone names its host; without one, the host (and account). */
export function dbxLoginCommand(host: string | undefined, profile: string | undefined, accountId?: string): string {
  const acct = accountId ? ` --account-id ${accountId}` : '';
  return `dbx-mcp login --host ${host ?? 'https://<workspace-host>'}${acct}${profile ? ` --profile ${profile}` : ''}`;
}

export function loginCommand(host: string | undefined, profile: string | undefined, accountId?: string): string {
  if (!cliAvailable()) return dbxLoginCommand(host, profile, accountId);
  const acct = accountId ? ` --account-id ${accountId}` : '';
  return `databricks auth login --host ${host ?? 'https://<workspace-host>'}${acct}${profile ? ` --profile ${profile}` : ''}`;
}
