/**
 * Step 5: an OAuth client for every client that chose `oauth`. In order: `--client-id`;
 * Databricks' published public clients (`claude-code`, `cursor-desktop`) when the workspace
 * knows them (token-endpoint probe); registering the account's integration (`oauth register`
 * with an account profile); and for a caller who is not an account admin, the request for an
 * admin (written with the plan) while those clients fall back to another mode.
 */
import { adminRequestFile, getClient, listProfilesSafe } from './oauth-helpers.js';
import type { ClientId } from '../clients/types.js';
import type { FileChange } from '../config/file-plan.js';
import { readFileText } from '../config/file-plan.js';
import type { Ctx } from '../context.js';
import { createApi } from '../databricks/api.js';
import { resolveConfig, type ResolvedConfig } from '../databricks/profiles.js';
import { CancelledError, DbxMcpError, UsageError } from '../errors.js';
import { clientIdProblem } from '../oauth/client-id.js';
import { probeOAuthClient, PUBLISHED_CLIENTS } from '../oauth/probe.js';
import { AdminRequiredError, registerIntegration } from '../oauth/register.js';
import { AUTH_WHY } from './clients-step.js';
import type { ClientAuth, InitOptions } from './options.js';

export const INTEGRATION_NAME = 'dbx-mcp';

export interface OAuthOutcome {
  auths: ClientAuth[];
  /** The request for an account admin, written with the plan. */
  adminRequest?: FileChange;
  adminCommand?: string;
  registered?: { clientId: string; created: boolean; updated: boolean };
}

/** Clients in `oauth` mode that no flag or published client covers (for the non-interactive pre-check). */
export function needsCustomClient(o: InitOptions, auths: ClientAuth[]): ClientId[] {
  if (o.clientId) return [];
  return auths.filter((a) => a.auth === 'oauth' && !PUBLISHED_CLIENTS[a.client]).map((a) => a.client);
}

export async function oauthStep(ctx: Ctx, o: InitOptions, workspace: ResolvedConfig, auths: ClientAuth[]): Promise<OAuthOutcome> {
  const wanting = auths.filter((a) => a.auth === 'oauth');
  if (wanting.length === 0) return { auths };
  if (o.clientId) {
    return { auths: auths.map((a) => (a.auth === 'oauth' ? { ...a, oauth: { clientId: o.clientId!, callbackPort: o.callbackPort, source: 'flag' } } : a)) };
  }
  const result = new Map<ClientId, ClientAuth>(auths.map((a) => [a.client, a]));
  const probes = new Map<string, Promise<string>>();
  for (const a of wanting) {
    const pub = PUBLISHED_CLIENTS[a.client];
    if (!pub) continue;
    if (!probes.has(pub.clientId)) probes.set(pub.clientId, probeOAuthClient(ctx.http, workspace.host, pub.clientId));
    const r = await probes.get(pub.clientId)!;
    if (r === 'known') {
      ctx.log.success(`${getClient(a.client).displayName}: signs in with Databricks' published OAuth client "${pub.clientId}"`);
      result.set(a.client, { ...a, oauth: { clientId: pub.clientId, callbackPort: o.callbackPort ?? pub.callbackPort, source: 'published' } });
    } else {
      ctx.log.info(`${getClient(a.client).displayName}: the published OAuth client "${pub.clientId}" is ${r === 'unknown' ? 'not enabled in this workspace' : 'not reachable to check'}.`);
    }
  }
  const rest = [...result.values()].filter((a) => a.auth === 'oauth' && !a.oauth).map((a) => a.client);
  if (rest.length === 0) return { auths: [...result.values()] };

  const names = rest.map((c) => getClient(c).displayName).join(', ');
  const assign = (clientId: string, source: NonNullable<ClientAuth['oauth']>['source']) => {
    for (const c of rest) result.set(c, { ...result.get(c)!, oauth: { clientId, callbackPort: o.callbackPort, source } });
  };
  const fallback = async (): Promise<void> => {
    for (const c of rest) {
      const auth = ctx.prompt.interactive
        ? await ctx.prompt.select({ id: `oauth-fallback.${c}`, message: `Auth mode for ${getClient(c).displayName} instead`, flag: '--auth <mode>', choices: [{ value: 'proxy' as const, label: 'proxy (recommended)', hint: AUTH_WHY.proxy }, { value: 'header' as const, label: 'header', hint: AUTH_WHY.header }], initial: 'proxy' as const })
        : 'proxy';
      result.set(c, { client: c, auth });
    }
  };

  if (!ctx.prompt.interactive) {
    if (!o.oauthProfile) {
      throw new UsageError(`${names} need${rest.length === 1 ? 's' : ''} an OAuth client id for --auth oauth`, { code: 'NEEDS_INPUT', hint: 'Pass --client-id <id>, or --oauth-profile <account profile> to register one (dbx-mcp oauth register), or use --auth proxy.' });
    }
    return register(ctx, o.oauthProfile, o, rest, names, assign, fallback, result);
  }
  // In a terminal every way out of here can fail; a failure says why and asks again, so the
  // answers given so far are never lost.
  const accounts = listProfilesSafe(ctx).filter((p) => p.accountId);
  if (!accounts.length && !o.oauthProfile) {
    ctx.log.info('No account profile (one with account_id) to register an OAuth app with: paste a client id from an account admin, or sign in to the account console once (databricks auth login --host https://accounts.cloud.databricks.com --account-id <account-id> --profile ACCT) and rerun with --oauth-profile ACCT.');
  }
  let preset: string | undefined = o.oauthProfile;
  for (;;) {
    const how = preset
      ? 'register'
      : await ctx.prompt.select<'register' | 'client-id' | 'fallback'>({
          id: 'oauth-app',
          message: `${names} need${rest.length === 1 ? 's' : ''} an OAuth app registered in your Databricks account`,
          flag: '--client-id <id> or --oauth-profile <account profile>',
          choices: [
            // Registering needs an account profile: without one the choice would only fail.
            ...(accounts.length ? [{ value: 'register' as const, label: 'Register it now', hint: 'needs an account-admin profile with account_id' }] : []),
            { value: 'client-id', label: 'I have a client id', hint: 'from an admin or an earlier `dbx-mcp oauth register`' },
            { value: 'fallback', label: 'Use proxy for these clients instead', hint: AUTH_WHY.proxy },
          ],
          initial: accounts.length ? 'register' : 'client-id',
        });
    if (how === 'client-id') {
      const id = await ctx.prompt.text({ id: 'client-id', message: 'OAuth client id', flag: '--client-id <id>', placeholder: '5e1f0c6a-1b2c-4d3e-8f90-a1b2c3d4e5f6', validate: clientIdProblem });
      assign(id.trim(), 'flag');
      return { auths: [...result.values()] };
    }
    if (how === 'fallback') {
      await fallback();
      return { auths: [...result.values()] };
    }
    try {
      return await register(ctx, preset, o, rest, names, assign, fallback, result);
    } catch (e) {
      if (!(e instanceof DbxMcpError) || e instanceof CancelledError) throw e;
      ctx.log.warn(`Registering the OAuth app failed: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}`);
      preset = undefined;
    }
  }
}

/** Registers (or reuses) the account's integration; a caller who is not an admin gets the request for one. */
async function register(
  ctx: Ctx,
  profile: string | undefined,
  o: InitOptions,
  rest: ClientId[],
  names: string,
  assign: (clientId: string, source: NonNullable<ClientAuth['oauth']>['source']) => void,
  fallback: () => Promise<void>,
  result: Map<ClientId, ClientAuth>,
): Promise<OAuthOutcome> {
  const account = await accountProfile(ctx, profile);
  const api = createApi(ctx, account);
  try {
    const r = await registerIntegration(api, account.accountId!, { name: INTEGRATION_NAME, clients: rest, callbackPort: o.callbackPort, dryRun: ctx.globals.dryRun }, account.profile);
    const verb = r.created ? 'Created' : r.updated ? `Updated (+${r.added.length} redirect URLs)` : 'Reusing';
    ctx.log.success(`${r.dryRun ? 'Dry run: would use' : verb} the OAuth app integration "${r.name}"${r.clientId ? ` (client id ${r.clientId})` : ''}`);
    assign(r.clientId ?? '<client-id-from-oauth-register>', r.dryRun ? 'dry-run' : 'registered');
    return { auths: [...result.values()], registered: r.clientId ? { clientId: r.clientId, created: r.created, updated: r.updated } : undefined };
  } catch (e) {
    if (!(e instanceof AdminRequiredError)) throw e;
    const file = adminRequestFile(ctx);
    ctx.log.warn(`${e.message}. The request for an admin goes to ${file}; ${names} use another mode for now.`);
    ctx.log.info(`  Hand an account admin: ${e.adminCommand}`);
    const before = await readFileText(file);
    const adminRequest: FileChange = { path: file, before, after: JSON.stringify(e.body, null, 2) + '\n', holdsSecret: false, summary: ['+ OAuth app request for an account admin'] };
    await fallback();
    return { auths: [...result.values()], adminRequest, adminCommand: e.adminCommand };
  }
}

/** The account profile to register with: `--oauth-profile`, or picked among those with account_id. Local only. */
export async function accountProfile(ctx: Ctx, flag: string | undefined): Promise<ResolvedConfig> {
  let name = flag;
  if (!name) {
    const accounts = listProfilesSafe(ctx).filter((p) => p.accountId);
    if (accounts.length === 0) {
      throw new UsageError('No account profile (one with account_id) to register the OAuth app with', {
        hint: 'Sign in to the account console once: databricks auth login --host https://accounts.cloud.databricks.com --account-id <account-id> --profile ACCT, then rerun with --oauth-profile ACCT (or use --auth proxy).',
      });
    }
    name = await ctx.prompt.select({ id: 'oauth-profile', message: 'Account profile to register the OAuth app with', flag: '--oauth-profile <name>', choices: accounts.map((p) => ({ value: p.name, label: p.name, hint: `${p.host} · account ${p.accountId}` })), initial: accounts[0]!.name });
  }
  const config = resolveConfig(ctx, name);
  if (!config.accountId) throw new UsageError(`Profile "${name}" has no account_id`, { hint: 'Add account_id = <uuid> to it, or sign in with databricks auth login --account-id <id>.' });
  return config;
}
