/**
 * Signing in with the browser and saving the sign-in as `databricks auth login` saves it, so
 * the CLI and dbx-mcp share it: the tokens in the CLI's store (the OS keyring, or
 * ~/.databricks/token-cache.json), the profile in ~/.databrickscfg with
 * `auth_type = databricks-cli` and the credential keys of other methods removed (source:
 * Databricks CLI cmd/auth/login.go, libs/databrickscfg/ops.go SaveToProfile). The file's other
 * bytes stay as they were. Used by `dbx-mcp login` and by init's "Sign in with your browser".
 */
import { applyPlan, readFileText } from '../config/file-plan.js';
import type { Ctx } from '../context.js';
import { browserSignIn } from '../databricks/auth-methods/browser-sign-in.js';
import { storeForLogin } from '../databricks/auth-methods/cli-token-store.js';
import { METHOD_ATTRS } from '../databricks/auth-methods/index.js';
import { cacheKey, hostCacheKey } from '../databricks/auth-methods/u2m.js';
import { getHostMetadata } from '../databricks/host-metadata.js';
import { canonicalHost, isAccountHost, parseHostInput } from '../databricks/host.js';
import { parseIni } from '../databricks/ini-file.js';
import { suggestProfileName } from '../databricks/profile-match.js';
import { configFilePath } from '../databricks/profiles.js';
import { UsageError } from '../errors.js';
import { planSetProfile, PROFILE_NAME } from './databrickscfg.js';

/** Keys that hold another method's credential: removed on sign-in, as the CLI's oauthLoginClearKeys does. */
const CLEARED_KEYS = [...Object.keys(METHOD_ATTRS), 'username', 'password'];

export interface LoginResult {
  profile: string;
  host: string;
  accountId?: string;
}

/** Signs in and saves; also the wizard's "Sign in with your browser". */
export async function browserLogin(ctx: Ctx, o: { host?: string; profile?: string; accountId?: string; browser?: boolean }): Promise<LoginResult & { store: string }> {
  const file = configFilePath(ctx);
  const sections = parseIni((await readFileText(file)) ?? '', file);
  const profileFlag = o.profile;
  if (profileFlag !== undefined && (profileFlag === '__settings__' || !PROFILE_NAME.test(profileFlag))) {
    throw new UsageError(`"${profileFlag}" cannot be a profile name`, { hint: 'Use letters, digits, ".", "-" and "_" (e.g. --profile dev).' });
  }
  const existing = profileFlag ? sections.get(profileFlag)?.values : undefined;
  const rawHost = o.host ?? existing?.host;
  if (!rawHost) {
    throw new UsageError(profileFlag ? `Profile "${profileFlag}" does not exist yet, so dbx-mcp login needs its host` : 'dbx-mcp login needs the workspace to sign in to', {
      code: 'LOGIN_NO_HOST',
      hint: `Pass it: dbx-mcp login --host https://<workspace-host>${profileFlag ? ` --profile ${profileFlag}` : ' --profile <name>'}`,
    });
  }
  const input = parseHostInput(rawHost);
  const host = input.host;
  // As CLI 1.13's login: the host's metadata (public, no token, 1 s, never fatal) supplies the
  // account and workspace ids the user did not give, and tells a unified host apart.
  const meta = await getHostMetadata(ctx.http, host);
  const isAccount = isAccountHost(host) || meta?.hostType === 'ACCOUNT_HOST';
  const accountId = o.accountId ?? input.accountId ?? (isAccount ? existing?.account_id : undefined) ?? (meta?.hostType === 'UNIFIED_HOST' || isAccount ? meta?.accountId : undefined);
  if (isAccount && !accountId) {
    throw new UsageError(`${host} is an account host; signing in to it needs the account id`, { code: 'NO_ACCOUNT_ID', hint: `Pass it: dbx-mcp login --host ${host} --account-id <account-id> (Account console → your avatar → account ID).` });
  }
  const workspaceId = input.workspaceId ?? (o.host ? undefined : existing?.workspace_id) ?? (isAccount ? undefined : meta?.workspaceId);
  if (meta?.hostType === 'UNIFIED_HOST' && !workspaceId) {
    ctx.log.warn(`${host} is a unified host (one host for an account and its workspaces), and no workspace was named: set workspace_id in the profile, or sign in with dbx-mcp login --host "${host}?w=<workspace-id>"${profileFlag ? ` --profile ${profileFlag}` : ''}.`);
  }
  // Without --profile: the profile that already points at this host, else a name from the host (as the CLI does).
  const profile =
    profileFlag ??
    [...sections.values()].find((s) => s.name !== '__settings__' && s.values.host && canonicalHost(s.values.host) === host && (s.values.account_id ?? '') === (isAccount ? accountId : (s.values.account_id ?? '')))?.name ??
    suggestProfileName(host, [...sections.keys()]);

  const target = { host, isAccount, profile, ...(accountId ? { accountId } : {}) };
  const tokens = await browserSignIn(ctx, target, { noBrowser: o.browser === false });

  const write = async (name: string, set: Record<string, string>, clear: string[], summary: string) => {
    await applyPlan({ changes: [await planSetProfile(file, name, set, clear, summary)], notes: [] }, { now: ctx.now, ...(ctx.writeFs ? { fs: ctx.writeFs } : {}) });
  };
  // The CLI's login fallback: no keyring reachable → the file, remembered in [__settings__].
  const store = await storeForLogin({ home: ctx.home, env: ctx.env, configFile: file }, () => write('__settings__', { auth_storage: 'plaintext' }, [], '(auth_storage = plaintext: no OS keyring here)'));
  await store.put(cacheKey(target), tokens, hostCacheKey(target));
  // The first profile of the file becomes the default, as `databricks auth login` makes it (SaveToProfile).
  const first = ![...parseIni((await readFileText(file)) ?? '', file).values()].some((s) => s.name !== '__settings__' && s.values.host);
  await write(
    profile,
    { host, auth_type: 'databricks-cli', ...(accountId ? { account_id: accountId } : {}), ...(workspaceId ? { workspace_id: workspaceId } : {}) },
    CLEARED_KEYS,
    `(OAuth sign-in for ${host})`,
  );
  if (first) await write('__settings__', { default_profile: profile }, [], `(default_profile = ${profile})`);
  return { profile, host, ...(accountId ? { accountId } : {}), store: store.description };
}

