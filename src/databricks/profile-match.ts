/**
 * Which of the user's own Databricks profiles serves the manifest's workspace. Profiles are
 * matched by canonical host, so `https://X/`, `X` and `https://x` are the same workspace.
 * Nothing here prints; the caller asks (or fails) when several match.
 */
import type { Ctx } from '../context.js';
import { DbxMcpError, UsageError } from '../errors.js';
import { canonicalHost } from './host.js';
import { listProfiles, loginCommand, type ProfileSummary } from './profiles.js';

/** The profiles whose host is the manifest's host (account profiles never match a workspace). */
export function profilesForHost(profiles: ProfileSummary[], host: string): ProfileSummary[] {
  const want = canonicalHost(host);
  return profiles.filter((p) => p.host !== undefined && canonicalHost(p.host) === want && !p.accountId);
}

/** A profile name for `databricks auth login` derived from the host: `dbc-1234abcd-5678`, … */
export function suggestProfileName(host: string, taken: string[] = []): string {
  let base: string;
  try {
    const h = new URL(canonicalHost(host)).hostname;
    base = (/^[\d.]+$/.test(h) || h === 'localhost' ? h : h.split('.')[0]!).replace(/[^A-Za-z0-9_-]+/g, '-');
  } catch {
    base = 'workspace';
  }
  base = base || 'workspace';
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}-${i}`;
  return name;
}

/** The outcome of choosing: a profile name, or undefined for environment-only auth. */
export interface ProfileChoice {
  profile: string | undefined;
  /** Why this one: shown in --verbose and --json. */
  reason: 'flag' | 'env' | 'only-match' | 'default' | 'asked' | 'environment';
  authType?: string;
}

/**
 * Chooses the profile for `host`: `--profile` (or DATABRICKS_CONFIG_PROFILE) when it is for
 * this host, environment-only auth when DATABRICKS_HOST is this host, the only match, the
 * default profile among several, else a question (a terminal) or exit 2 listing them.
 * No match: exit 1 with the exact login command (code NO_PROFILE).
 */
export async function chooseProfileForHost(ctx: Ctx, host: string, flag?: string): Promise<ProfileChoice> {
  const all = listProfiles(ctx);
  const matches = profilesForHost(all, host);
  const named = flag || ctx.env.DATABRICKS_CONFIG_PROFILE || undefined;
  if (named) {
    const p = all.find((x) => x.name === named);
    const from = flag ? '--profile' : 'DATABRICKS_CONFIG_PROFILE';
    if (!p) {
      throw new UsageError(`Profile "${named}" (${from}) was not found`, {
        code: 'PROFILE_NOT_FOUND',
        hint: matches.length ? `Profiles for ${host}: ${matches.map((m) => m.name).join(', ')}.` : `Create it: ${loginCommand(host, named)}`,
      });
    }
    if (!matches.includes(p)) {
      throw new UsageError(`Profile "${named}" (${from}) is for ${p.host ?? 'no host'}, but the manifest is for ${host}`, {
        code: 'PROFILE_HOST_MISMATCH',
        hint: matches.length ? `Use one of: ${matches.map((m) => m.name).join(', ')} (--profile <name>).` : `Sign in to ${host}: ${loginCommand(host, suggestProfileName(host, all.map((x) => x.name)))}`,
      });
    }
    return { profile: p.name, reason: flag ? 'flag' : 'env', authType: p.authType };
  }
  if (ctx.env.DATABRICKS_HOST && canonicalHost(ctx.env.DATABRICKS_HOST) === canonicalHost(host)) {
    // CI with a service principal: no profile file, only DATABRICKS_* variables.
    return { profile: undefined, reason: 'environment' };
  }
  if (matches.length === 1) return { profile: matches[0]!.name, reason: 'only-match', authType: matches[0]!.authType };
  if (matches.length === 0) {
    const suggested = suggestProfileName(host, all.map((x) => x.name));
    throw new DbxMcpError(`No Databricks profile for ${host} on this machine`, {
      code: 'NO_PROFILE',
      hint: `Sign in once with your own account: ${loginCommand(host, suggested)} (then run the command again).`,
    });
  }
  const def = matches.find((m) => m.isDefault);
  if (def) return { profile: def.name, reason: 'default', authType: def.authType };
  if (!ctx.prompt.interactive) {
    throw new UsageError(`Several profiles are for ${host}: ${matches.map((m) => m.name).join(', ')}`, {
      code: 'AMBIGUOUS_PROFILE',
      hint: `Pick one with --profile <name> (e.g. --profile ${matches[0]!.name}).`,
    });
  }
  const picked = await ctx.prompt.select({
    id: 'profile',
    message: `Several profiles are for ${host}. Which one should the servers use?`,
    flag: '--profile <name>',
    choices: matches.map((m) => ({ value: m.name, label: m.name, hint: m.authType })),
  });
  return { profile: picked, reason: 'asked', authType: matches.find((m) => m.name === picked)?.authType };
}
