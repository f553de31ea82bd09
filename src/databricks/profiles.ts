/**
 * Databricks configuration resolution, read-only on ~/.databrickscfg, following the SDKs'
 * unified auth (source: Go SDK config/config_file.go; Go SDK config/config.go EnsureResolved):
 * - profile: `--profile`, then DATABRICKS_CONFIG_PROFILE, then `[__settings__] default_profile`,
 *   then `[DEFAULT]`; the file is DATABRICKS_CONFIG_FILE or ~/.databrickscfg;
 * - environment variables fill attributes before the profile does;
 * - when no profile is named and DATABRICKS_HOST (or another auth variable) is set, the file
 *   is skipped entirely: environment-only auth;
 * - no inheritance from [DEFAULT];
 * - two auth methods without `auth_type` is an error, worded like the SDK's.
 * Every value records where it came from, like `databricks auth describe`.
 */
import { readUserFileSync } from '../util/regular-file.js';
import { join } from 'node:path';
import type { Ctx } from '../context.js';
import { DbxMcpError, UsageError } from '../errors.js';
import { registerSecret } from '../secrets.js';
import { AUTH_METHODS, AUTH_TYPES, defaultAuthType, isAuthType, METHOD_ATTRS, METHOD_SETTINGS, SECRET_ATTRS, type AuthType } from './auth-methods/index.js';
import { loginCommand } from './auth-methods/login.js';
import { isAccountHost, parseHostInput } from './host.js';
import { parseIni, type IniSection } from './ini-file.js';

export type { AuthType } from './auth-methods/index.js';
export { loginCommand } from './auth-methods/login.js';

export interface ValueSource {
  /**
   * `flag`, `env` (name = variable), `file` (name = "path [profile]"), `host-query` (promoted
   * from the host's `?w=`/`?o=`/`?a=`; name = where the host came from) or `discovery` (name =
   * the host metadata URL; see host-metadata.ts).
   */
  kind: 'flag' | 'env' | 'file' | 'host-query' | 'discovery';
  name: string;
}

export interface ResolvedConfig {
  /** Profile name, or undefined for environment-only auth. */
  profile: string | undefined;
  host: string;
  authType: AuthType;
  token?: string;
  clientId?: string;
  clientSecret?: string;
  accountId?: string;
  /** The workspace a unified host routes to (`workspace_id` / DATABRICKS_WORKSPACE_ID / the host's `?w=`). */
  workspaceId?: string;
  /** OAuth scopes the profile names (`scopes`, comma- or space-separated; file only, as in the SDKs). */
  scopes?: string[];
  cliPath?: string;
  /** Every attribute that was set, by config-file key (a method reads its own keys here). */
  values?: Readonly<Partial<Record<string, string>>>;
  isAccount: boolean;
  configFile: string;
  /** Source of every attribute that was set (values of secrets are never stored here). */
  sources: Record<string, ValueSource>;
}

/**
 * Attribute ⇄ environment variable (SDK config struct tags): the common ones, basic auth's
 * (recognised only to refuse it), and every auth method's own (auth-methods/).
 */
const COMMON_ATTRS = {
  host: 'DATABRICKS_HOST',
  account_id: 'DATABRICKS_ACCOUNT_ID',
  workspace_id: 'DATABRICKS_WORKSPACE_ID',
  auth_type: 'DATABRICKS_AUTH_TYPE',
} as const;
/** Attributes the SDKs read from the file only (no environment variable): Go SDK config.go `Scopes … name:"scopes"`. */
const FILE_ONLY_ATTRS = ['scopes'] as const;
const BASIC_ATTRS = { username: 'DATABRICKS_USERNAME', password: 'DATABRICKS_PASSWORD' } as const;
const ATTRS: Readonly<Record<string, string>> = { ...COMMON_ATTRS, ...METHOD_ATTRS, ...BASIC_ATTRS, ...METHOD_SETTINGS };
type Attr = string;
/** The attributes that, set in the environment without a named profile, mean environment-only auth. */
const AUTH_ENV_ATTRS: readonly Attr[] = ['host', 'auth_type', ...Object.keys(METHOD_ATTRS), ...Object.keys(BASIC_ATTRS)];
/** The environment variables that, without a named profile, mean environment-only auth. */
export const AUTH_ENV_VARS: readonly string[] = AUTH_ENV_ATTRS.map((a) => ATTRS[a]!);

export function configFilePath(ctx: Pick<Ctx, 'env' | 'home'>): string {
  const fromEnv = ctx.env.DATABRICKS_CONFIG_FILE;
  if (fromEnv) return fromEnv.startsWith('~') ? join(ctx.home, fromEnv.slice(1)) : fromEnv;
  return join(ctx.home, '.databrickscfg');
}

/** Reads and parses the config file; a missing file is an empty map. */
export function readConfigFile(ctx: Pick<Ctx, 'env' | 'home'>): { path: string; sections: Map<string, IniSection> } {
  const path = configFilePath(ctx);
  const unreadable = (e: Error) => new DbxMcpError(`Cannot read ${path}: ${e.message}`, { hint: `Check the file's permissions (ls -l ${path}).` });
  const text = readUserFileSync(path, 'Databricks config file', unreadable)?.toString('utf8') ?? '';
  return { path, sections: parseIni(text, path) };
}

export interface ProfileSummary {
  name: string;
  host?: string;
  authType?: string;
  accountId?: string;
  isDefault: boolean;
}

/** Every profile in the config file with its host and auth type (for pickers and messages). */
export function listProfiles(ctx: Pick<Ctx, 'env' | 'home'>): ProfileSummary[] {
  const { sections } = readConfigFile(ctx);
  const def = defaultProfileName(sections);
  return [...sections.values()]
    .filter((s) => s.name !== '__settings__')
    .filter((s) => s.name !== 'DEFAULT' || Object.keys(s.values).length > 0)
    .map((s) => ({
      name: s.name,
      host: s.values.host,
      authType: s.values.auth_type ?? defaultAuthType(s.values, s.values.host ?? '', ctx.env),
      accountId: s.values.account_id,
      isDefault: s.name === def,
    }));
}

function defaultProfileName(sections: Map<string, IniSection>): string {
  return sections.get('__settings__')?.values.default_profile || 'DEFAULT';
}

/**
 * Resolves the Databricks configuration for a command. `profileFlag` is `--profile`.
 * Throws UsageError for a named profile that does not exist or an ambiguous configuration,
 * DbxMcpError when nothing is configured (with the command that fixes it).
 */
export function resolveConfig(ctx: Pick<Ctx, 'env' | 'home'>, profileFlag?: string): ResolvedConfig {
  const env = ctx.env;
  const sources: Record<string, ValueSource> = {};
  const values: Partial<Record<Attr, string>> = {};
  const file = configFilePath(ctx);

  let profile: string | undefined = profileFlag || undefined;
  let profileSource: ValueSource | undefined = profile ? { kind: 'flag', name: '--profile' } : undefined;
  if (!profile && env.DATABRICKS_CONFIG_PROFILE) {
    profile = env.DATABRICKS_CONFIG_PROFILE;
    profileSource = { kind: 'env', name: 'DATABRICKS_CONFIG_PROFILE' };
  }

  for (const [attr, envVar] of Object.entries(ATTRS)) {
    const v = env[envVar];
    if (v) {
      values[attr] = v;
      sources[attr] = { kind: 'env', name: envVar };
    }
  }
  const envOnly = !profile && AUTH_ENV_ATTRS.some((a) => values[a] !== undefined);

  if (!envOnly) {
    const { sections } = readConfigFile(ctx);
    const named = profile !== undefined;
    if (!profile) {
      profile = defaultProfileName(sections);
      profileSource = { kind: 'file', name: `${file} (${profile === 'DEFAULT' ? '[DEFAULT]' : '[__settings__] default_profile'})` };
    }
    const section = sections.get(profile);
    if (!section || (profile === 'DEFAULT' && Object.keys(section.values).length === 0)) {
      const available = listProfiles(ctx).map((p) => p.name);
      if (named) {
        throw new UsageError(`Profile "${profile}" was not found in ${file}`, {
          code: 'PROFILE_NOT_FOUND',
          hint: available.length
            ? `Use one of: ${available.join(', ')} (--profile <name>), or create it: ${loginCommand(undefined, profile)}`
            : `Create it: ${loginCommand(undefined, profile)}`,
        });
      }
      if (profile !== 'DEFAULT') {
        // The default was named by [__settings__] default_profile: say which section is missing.
        // Exit 2 like an unknown --profile: the input names a profile that is not there.
        throw new UsageError(`[__settings__] default_profile in ${file} names the profile "${profile}", which is not in the file`, {
          code: 'PROFILE_NOT_FOUND',
          hint: available.length
            ? `Set default_profile to one of ${available.join(', ')}, or pass --profile <name>, or create it: ${loginCommand(undefined, profile)}`
            : `Create it: ${loginCommand(undefined, profile)}`,
        });
      }
      // Profiles but none chosen is a missing answer (exit 2, like an unknown or ambiguous profile);
      // no profile at all is a machine not signed in yet (exit 1: nothing to choose from).
      if (available.length) {
        throw new UsageError(`No default Databricks profile in ${file}, and none was named`, {
          code: 'NO_DEFAULT_PROFILE',
          hint: `Pick one with --profile (${available.join(', ')}), or set [__settings__] default_profile in ${file}.`,
        });
      }
      throw new DbxMcpError(`No Databricks configuration found (${file} has no profiles and DATABRICKS_HOST is not set)`, {
        code: 'NO_CONFIG',
        hint: `Sign in once: ${loginCommand(undefined, 'DEFAULT')} (or run dbx-mcp init).`,
      });
    }
    for (const attr of [...Object.keys(ATTRS), ...FILE_ONLY_ATTRS] as Attr[]) {
      const v = section.values[attr];
      if (v && values[attr] === undefined) {
        values[attr] = v;
        sources[attr] = { kind: 'file', name: `${file} [${profile}]` };
      }
    }
  } else {
    profile = undefined;
  }
  if (profileSource && profile) sources.profile = profileSource;

  if (!values.host && envOnly) {
    // An auth variable alone (ARM_CLIENT_ID left from Terraform, say) skips the file, as in the SDKs: name it, or the profile seems ignored.
    const set = AUTH_ENV_ATTRS.filter((a) => sources[a]?.kind === 'env').map((a) => ATTRS[a]!);
    throw new DbxMcpError(`DATABRICKS_HOST is not set, and ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} (environment-only auth: ${file} is not read)`, {
      code: 'NO_HOST',
      hint: `Set DATABRICKS_HOST=https://<workspace-host>, or pass --profile <name> (or unset ${set.join(', ')}) to use a profile of ${file}.`,
    });
  }
  if (!values.host) {
    throw new DbxMcpError(profile ? `Profile "${profile}" in ${file} has no host` : 'DATABRICKS_HOST is not set', {
      code: 'NO_HOST',
      hint: `Add "host = https://<workspace-host>" to [${profile ?? 'profile'}], or run ${loginCommand(undefined, profile)}`,
    });
  }
  const parsed = parseHostInput(values.host);
  const host = parsed.host;
  // The SDKs promote a pasted host's routing ids before dropping its query; an explicit attribute wins.
  for (const [attr, id] of [['workspace_id', parsed.workspaceId], ['account_id', parsed.accountId]] as const) {
    if (id && values[attr] === undefined) {
      values[attr] = id;
      sources[attr] = { kind: 'host-query', name: `the query of host (${sources.host?.name ?? 'host'})` };
    }
  }
  values.host = host;
  const authType = pickAuthType(values, host, profile, env);
  for (const a of SECRET_ATTRS) registerSecret(values[a]);
  registerSecret(values.password);

  return {
    profile,
    host,
    authType,
    token: values.token,
    clientId: values.client_id,
    clientSecret: values.client_secret,
    accountId: values.account_id,
    ...(values.workspace_id ? { workspaceId: values.workspace_id } : {}),
    ...(values.scopes ? { scopes: values.scopes.split(/[\s,]+/).filter(Boolean) } : {}),
    cliPath: values.databricks_cli_path,
    values: { ...values },
    isAccount: isAccountHost(host),
    configFile: file,
    sources,
  };
}

function pickAuthType(values: Partial<Record<Attr, string>>, host: string, profile: string | undefined, env: NodeJS.ProcessEnv): AuthType {
  const explicit = values.auth_type;
  const where = profile ? `profile "${profile}"` : 'the environment';
  if (explicit) {
    if (isAuthType(explicit)) {
      AUTH_METHODS[explicit].validate(values, where);
      return explicit;
    }
    throw new UsageError(`auth_type = ${explicit} in ${where} is not supported by dbx-mcp`, {
      code: 'AUTH_UNSUPPORTED',
      hint: `Use one of ${AUTH_TYPES.join(', ')} (auth_type), e.g. OAuth via the Databricks CLI: ${loginCommand(host, profile)}`,
    });
  }
  // The SDK's validate step: more than one credential configured and no auth_type to choose.
  // Basic auth comes right after pat in the SDKs' order; dbx-mcp only recognises it to refuse it.
  const hasBasic = Boolean(values.username && values.password);
  // Names, not methods: azure-msi and azure-client-secret are both the SDK's one `azure` credential.
  const methods = [...new Set(AUTH_TYPES.flatMap((t) => (AUTH_METHODS[t].credentialName && AUTH_METHODS[t].detect?.(values, host, env) ? [AUTH_METHODS[t].credentialName] : [])))];
  if (hasBasic) methods.splice(methods[0] === 'pat' ? 1 : 0, 0, 'basic');
  if (methods.length > 1) {
    const names = AUTH_TYPES.slice(0, -1).join(', ') + ` or ${AUTH_TYPES.at(-1)}`;
    throw new UsageError(`validate: more than one authorization method configured: ${methods.slice(0, -1).join(', ')} and ${methods.at(-1)}`, {
      code: 'AUTH_AMBIGUOUS',
      hint: `Set auth_type (${names}) in ${where}, or remove the attributes of the method you don't use.`,
    });
  }
  if (hasBasic) {
    throw new UsageError(`Basic (username/password) auth in ${where} is not supported for MCP servers`, { hint: `Use a PAT or ${loginCommand(host, profile)}.` });
  }
  const picked = defaultAuthType(values, host, env);
  if (!picked) {
    // Unreachable while databricks-cli accepts any host; a future table without such a fallback must say so.
    throw new UsageError(`No auth method is configured in ${where}`, { code: 'AUTH_UNSUPPORTED', hint: `Sign in: ${loginCommand(host, profile)}` });
  }
  return picked;
}

