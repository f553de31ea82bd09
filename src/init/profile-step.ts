/**
 * Step 1: which Databricks profile. Lists the profiles with host and auth type and pre-selects
 * the one the CLI would resolve. It offers "Sign in with your browser" (dbx-mcp's own OAuth
 * sign-in, no Databricks CLI needed; first when no profile is usable), `databricks auth login`
 * (when the Databricks CLI is installed) or a new PAT profile, which is only planned here and
 * written with the rest of the plan. Ends by checking who the profile signs in as.
 */
import type { FileChange } from '../config/file-plan.js';
import type { Ctx } from '../context.js';
import { createApi, type Api } from '../databricks/api.js';
import { isAccountHost, normalizeHost, parseHostInput, type HostInput } from '../databricks/host.js';
import { configFilePath, listProfiles, loginCommand, resolveConfig, type ResolvedConfig } from '../databricks/profiles.js';
import { getCurrentUser, userNameOf } from '../databricks/workspace.js';
import { DatabricksApiError } from '../databricks/api-errors.js';
import { CancelledError, DbxMcpError } from '../errors.js';
import type { Choice } from '../ui/prompter.js';
import { registerSecret } from '../secrets.js';
import { browserLogin } from './browser-login.js';
import { existingSections, planAppendPatProfile, PROFILE_NAME, suggestProfileName } from './databrickscfg.js';
import { findOnPath } from '../util/paths.js';

export interface ProfileChoice {
  config: ResolvedConfig;
  api: Api;
  user: string;
  /** A new PAT profile to append to ~/.databrickscfg when the plan is applied. */
  pendingProfile?: FileChange;
}

/** Picker values that are not profile names. */
export const NEW_PAT = '\u0000new-pat';
export const LOGIN = '\u0000login';
export const BROWSER = '\u0000browser';

function tryResolve(ctx: Ctx, name?: string): ResolvedConfig | undefined {
  try {
    return resolveConfig(ctx, name);
  } catch {
    return undefined;
  }
}

/** Whether the profile can be used without asking (used by the non-interactive pre-check). */
export function resolvableProfile(ctx: Ctx): boolean {
  const c = tryResolve(ctx, ctx.globals.profile);
  return c !== undefined && !c.isAccount;
}

export async function profileStep(ctx: Ctx): Promise<ProfileChoice> {
  const flag = ctx.globals.profile;
  const envOnly = !flag && !ctx.env.DATABRICKS_CONFIG_PROFILE && Boolean(ctx.env.DATABRICKS_HOST);
  if (flag || envOnly || !ctx.prompt.interactive) {
    const config = resolveConfig(ctx, flag); // throws with the fix when the profile is missing or broken
    return signIn(ctx, requireWorkspace(config));
  }
  // In a terminal, a profile that fails (account profile, sign-in refused, login failed) says
  // why and goes back to the list, keeping the choice as the pre-selected answer.
  let last: string | undefined;
  for (;;) {
    try {
      const r = await pickProfile(ctx, last);
      last = r.picked;
      if (r.pendingProfile) return await signInNewPat(ctx, r.config, r.pendingProfile);
      return await signIn(ctx, requireWorkspace(r.config));
    } catch (e) {
      if (!(e instanceof DbxMcpError) || e instanceof CancelledError) throw e;
      ctx.log.warn(`${e.message}${e.hint ? `\n  ${e.hint}` : ''}`);
      ctx.log.info('Pick another profile, or add one.');
    }
  }
}

async function pickProfile(ctx: Ctx, last: string | undefined): Promise<{ picked: string; config: ResolvedConfig; pendingProfile?: FileChange }> {
  // Only workspace profiles: an account-level one (an accounts.* host, or an account_id, the
  // mark the OAuth step's "Account profile" list uses) answers workspace APIs with a 403.
  const usable = listProfiles(ctx).filter((p) => p.host && !p.accountId && !safeIsAccount(p.host));
  const resolved = tryResolve(ctx);
  const cli = findOnPath(ctx, 'databricks');
  const choices: Choice<string>[] = usable.map((p) => ({ value: p.name, label: p.name, hint: `${p.host} · ${p.authType ?? 'unknown auth'}${p.isDefault ? ' · default' : ''}` }));
  const browser: Choice<string> = { value: BROWSER, label: 'Sign in with your browser', hint: 'OAuth, no Databricks CLI needed (dbx-mcp login)' };
  if (usable.length === 0) choices.unshift(browser);
  else choices.push(browser);
  if (cli) choices.push({ value: LOGIN, label: 'Sign in to another workspace', hint: 'runs databricks auth login (OAuth in your browser)' });
  choices.push({ value: NEW_PAT, label: 'Add a personal access token profile', hint: `appended to ${configFilePath(ctx)}` });
  if (usable.length === 0 && last === undefined) ctx.prompt.note(`No usable workspace profile in ${configFilePath(ctx)}. Let's add one.`, 'Databricks profile');
  const initial = last !== undefined && choices.some((c) => c.value === last) ? last : resolved && usable.some((p) => p.name === resolved.profile) ? resolved.profile : choices[0]!.value;
  const picked = await ctx.prompt.select({ id: 'profile', message: 'Which Databricks workspace profile?', flag: '--profile <name>', choices, initial });
  if (picked === LOGIN) return { picked, config: await loginWithCli(ctx) };
  if (picked === BROWSER) return { picked, config: await loginWithBrowser(ctx) };
  if (picked === NEW_PAT) return { picked, ...(await newPatProfile(ctx)) };
  return { picked, config: resolveConfig(ctx, picked) };
}

function requireWorkspace(config: ResolvedConfig): ResolvedConfig {
  if (config.isAccount) {
    throw new DbxMcpError(`Profile "${config.profile}" is an account profile (${config.host}); init needs a workspace profile`, {
      code: 'ACCOUNT_PROFILE',
      hint: `Pick a workspace profile with --profile, or sign in to a workspace: ${loginCommand(undefined, 'DEFAULT')}`,
    });
  }
  return config;
}

/** Checks who the profile signs in as. */
async function signIn(ctx: Ctx, config: ResolvedConfig, pendingProfile?: FileChange): Promise<ProfileChoice> {
  const api = createApi(ctx, config);
  const spin = ctx.log.spinner(`Signing in to ${config.host}`);
  try {
    const user = userNameOf(await getCurrentUser(api));
    spin.stop();
    ctx.log.success(`Signed in to ${config.host} as ${user}${config.profile ? ` (profile ${config.profile})` : ''}`);
    return { config, api, user, pendingProfile };
  } catch (e) {
    spin.stop(undefined, false);
    throw e;
  }
}

/**
 * A new PAT profile: a token the workspace rejects is asked for again (host and name are
 * kept); any other failure goes back to the profile list.
 */
async function signInNewPat(ctx: Ctx, config: ResolvedConfig, pendingProfile: FileChange): Promise<ProfileChoice> {
  for (;;) {
    try {
      return await signIn(ctx, config, pendingProfile);
    } catch (e) {
      if (!(e instanceof DatabricksApiError) || (e.kind !== 'invalid-token' && e.kind !== 'no-credentials')) throw e;
      ctx.log.warn(`${config.host} rejected that token (${e.info.status}${e.info.errorCode ? ` ${e.info.errorCode}` : ''}). Paste it again, or create a new one.`);
      const token = await tokenQuestion(ctx, config.host);
      config = { ...config, token };
      pendingProfile = await planAppendPatProfile(config.configFile, config.profile!, config.host, token, config.workspaceId);
    }
  }
}

function safeIsAccount(host: string): boolean {
  try {
    return isAccountHost(normalizeHost(host));
  } catch {
    return true; // a host that does not parse is not usable either
  }
}

function hostQuestion(ctx: Ctx): Promise<HostInput> {
  return ctx.prompt
    .text({
      id: 'host',
      message: 'Workspace URL',
      flag: '--profile <name>',
      placeholder: 'https://dbc-a1b2c3d4-e5f6.cloud.databricks.com',
      validate: (v) => {
        try {
          normalizeHost(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    })
    .then(parseHostInput);
}

async function nameQuestion(ctx: Ctx): Promise<string> {
  const taken = await existingSections(configFilePath(ctx));
  return ctx.prompt.text({
    id: 'profile-name',
    message: 'Name of the new profile',
    flag: '--profile <name>',
    // A placeholder, not pre-filled text: typing replaces it, Enter accepts it.
    placeholder: suggestProfileName(taken),
    defaultValue: suggestProfileName(taken),
    validate: (v) => (!PROFILE_NAME.test(v) ? 'letters, digits, ".", "-" and "_"' : taken.has(v) ? `[${v}] already exists` : undefined),
  });
}

async function tokenQuestion(ctx: Ctx, host: string): Promise<string> {
  const token = (
    await ctx.prompt.password({
      id: 'token',
      message: `Personal access token (${host}/settings/user/developer/access-tokens)`,
      flag: '--profile <name>',
      validate: (v) => (v.trim().length < 8 ? 'paste the whole token' : /\s/.test(v.trim()) ? 'a token has no spaces' : undefined),
    })
  ).trim();
  registerSecret(token);
  return token;
}

async function newPatProfile(ctx: Ctx): Promise<{ config: ResolvedConfig; pendingProfile: FileChange }> {
  const { host, workspaceId } = await hostQuestion(ctx);
  const token = await tokenQuestion(ctx, host);
  const name = await nameQuestion(ctx);
  const file = configFilePath(ctx);
  const pendingProfile = await planAppendPatProfile(file, name, host, token, workspaceId);
  const config: ResolvedConfig = {
    profile: name, host, authType: 'pat', token, isAccount: false, configFile: file,
    ...(workspaceId ? { workspaceId } : {}),
    sources: { host: { kind: 'flag', name: 'wizard' }, ...(workspaceId ? { workspace_id: { kind: 'host-query' as const, name: 'the pasted URL' } } : {}) },
  };
  return { config, pendingProfile };
}

async function loginWithBrowser(ctx: Ctx): Promise<ResolvedConfig> {
  const input = await hostQuestion(ctx);
  const name = await nameQuestion(ctx);
  const r = await browserLogin(ctx, { host: input.workspaceId ? `${input.host}?w=${input.workspaceId}` : input.host, profile: name, browser: true });
  return resolveConfig(ctx, r.profile);
}

async function loginWithCli(ctx: Ctx): Promise<ResolvedConfig> {
  const input = await hostQuestion(ctx);
  const host = input.host;
  const name = await nameQuestion(ctx);
  ctx.log.step(`Running: ${loginCommand(host, name)} (finish signing in in your browser)`);
  // CLI 1.13 takes `--host "https://<host>?w=<id>"` and writes workspace_id itself.
  const hostArg = input.workspaceId ? `${host}?w=${input.workspaceId}` : host;
  let r;
  try {
    r = await ctx.exec('databricks', ['auth', 'login', '--host', hostArg, '--profile', name], { timeoutMs: 300_000 });
  } catch (e) {
    throw new DbxMcpError(`databricks auth login failed: ${(e as Error).message}`, { hint: `Run it yourself, then rerun dbx-mcp init: ${loginCommand(host, name)}` });
  }
  if (r.exitCode !== 0) {
    throw new DbxMcpError(`databricks auth login failed: ${r.stderr.trim().split('\n')[0] ?? `exit ${r.exitCode}`}`, { hint: `Run it yourself, then rerun dbx-mcp init --profile ${name}: ${loginCommand(host, name)}` });
  }
  return resolveConfig(ctx, name);
}
