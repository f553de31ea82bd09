/**
 * `dbx-mcp login [--host …] [--profile …] [--account-id …] [--no-browser]`: OAuth sign-in in the
 * browser with nothing but Node (auth-methods/browser-sign-in.ts), saved the way
 * `databricks auth login` saves it (init/browser-login.ts), then who it signed in as.
 */
import type { Ctx } from '../context.js';
import { createApi } from '../databricks/api.js';
import { configFilePath, resolveConfig } from '../databricks/profiles.js';
import { getCurrentUser, userNameOf } from '../databricks/workspace.js';
import { ExitCode, UsageError } from '../errors.js';
import { browserLogin } from '../init/browser-login.js';
import { LOGIN_FLAGS } from '../workflows/flags.js';
import { optionsSchema, parseOptions } from '../workflows/parse-options.js';

const LoginOptions = optionsSchema(LOGIN_FLAGS);

export async function runLogin(ctx: Ctx, raw: object): Promise<ExitCode> {
  const o = parseOptions(LoginOptions, raw, 'login');
  if (ctx.globals.dryRun) {
    // A sign-in cannot be previewed: the profile it saves depends on the browser's answer.
    throw new UsageError('dbx-mcp login has no --dry-run: it signs in, then saves the profile and the tokens', { hint: 'Run it without --dry-run; it changes only the profile it names in ~/.databrickscfg and the Databricks CLI\'s token store.' });
  }
  const r = await browserLogin(ctx, { ...o, ...(ctx.globals.profile ? { profile: ctx.globals.profile } : {}) });
  const where = r.store.split(ctx.home).join('~');
  let user: string | undefined;
  if (!r.accountId) {
    try {
      user = userNameOf(await getCurrentUser(createApi(ctx, resolveConfig(ctx, r.profile))));
    } catch (e) {
      ctx.log.warn(`Signed in, but ${r.host} did not say who you are: ${(e as Error).message}`);
    }
  }
  ctx.log.success(`Signed in to ${r.host}${user ? ` as ${user}` : ''}: profile ${r.profile} saved in ${configFilePath(ctx).split(ctx.home).join('~')}, tokens in ${where}.`);
  if (ctx.globals.json) ctx.log.out(JSON.stringify({ profile: r.profile, host: r.host, ...(user ? { user } : {}), tokenStore: where }));
  else ctx.log.info(`  Next: dbx-mcp add sql --profile ${r.profile}   (or dbx-mcp init)`);
  return ExitCode.Ok;
}
