/**
 * `oauth.redirects`: for entries that sign in with a pre-registered OAuth client id, the
 * account's app integration for that id lists the redirect URLs the client will use.
 * Databricks ignores the port of loopback redirects but not the path (source: MCP endpoint and /oidc behaviour observed on real workspaces), so
 * loopback URLs are compared without their port. Needs an account profile; skipped otherwise.
 */
import { readerFor } from '../../clients/read-entry.js';
import { z } from 'zod';
import { createApi, listAllPages, type Api } from '../../databricks/api.js';
import { resolveConfig } from '../../databricks/profiles.js';
import { oauthRedirectUris } from '../../clients/oauth-redirects.js';
import { DEFAULT_OAUTH_CALLBACK_PORT } from '../../clients/render.js';
import { clientDefinition, type ClientId } from '../../clients/catalog/index.js';
import { diagnoseError } from '../diagnose.js';
import type { EntryFact, Facts } from '../facts.js';
import type { Check, CheckResult } from '../types.js';

export interface OAuthUse {
  client: ClientId;
  server: string;
  clientId: string;
  /** mcp-remote entries (Claude Desktop, Windsurf, or any other) use its callback path. */
  viaMcpRemote: boolean;
  port: number;
}

/** The OAuth client id an entry signs in with, if any. */
export function oauthUseOf(e: EntryFact): OAuthUse | undefined {
  const read = readerFor(e.client)(e.entry);
  // Cursor's `auth: {CLIENT_ID}` (fixed port 8787) or Claude Code / VS Code's `oauth: {clientId, callbackPort}`.
  const oauth = read?.transport === 'http' ? read.oauth : undefined;
  if (typeof oauth?.CLIENT_ID === 'string') return { client: e.client, server: e.name, clientId: oauth.CLIENT_ID, viaMcpRemote: false, port: 8787 };
  if (typeof oauth?.clientId === 'string') {
    const port = typeof oauth.callbackPort === 'number' ? oauth.callbackPort : DEFAULT_OAUTH_CALLBACK_PORT;
    return { client: e.client, server: e.name, clientId: oauth.clientId, viaMcpRemote: false, port };
  }
  const args = read?.transport === 'stdio' ? read.args : [];
  const i = args.indexOf('--static-oauth-client-info');
  if (i !== -1) {
    let id: unknown;
    try {
      id = (JSON.parse(args[i + 1] ?? '{}') as { client_id?: unknown }).client_id;
    } catch {
      id = undefined;
    }
    if (typeof id !== 'string') return undefined;
    const u = args.findIndex((a) => /^https?:\/\//.test(a));
    const port = /^\d+$/.test(args[u + 1] ?? '') ? Number(args[u + 1]) : DEFAULT_OAUTH_CALLBACK_PORT;
    return { client: e.client, server: e.name, clientId: id, viaMcpRemote: true, port };
  }
  return undefined;
}

/** The redirect URLs a use needs; `all`: every one must be registered, else any one. */
export function neededRedirects(u: OAuthUse): { urls: string[]; all: boolean } {
  if (u.viaMcpRemote) return { urls: [`http://localhost:${u.port}/oauth/callback`], all: true };
  const urls = oauthRedirectUris(u.client, u.port);
  return { urls, all: clientDefinition(u.client).needsAllRedirects };
}

/** Loopback redirects match regardless of port (RFC 8252 §7.3). */
export function redirectKey(url: string): string {
  try {
    const x = new URL(url);
    if (['localhost', '127.0.0.1', '[::1]'].includes(x.hostname)) return `${x.protocol}//${x.hostname}${x.pathname}`;
    return x.toString();
  } catch {
    return url;
  }
}

const Apps = z.object({
  apps: z.array(z.object({ client_id: z.string().optional(), name: z.string().optional(), redirect_urls: z.array(z.string()).optional() })).optional(),
  next_page_token: z.string().optional().nullable(),
});

async function registered(api: Api, accountId: string): Promise<Map<string, { name: string; redirects: string[] }>> {
  const list = async (kind: string) =>
    listAllPages(async (page_token) => {
      const r = await api.get(`/api/2.0/accounts/${accountId}/oauth2/${kind}`, { query: { page_token }, schema: Apps, retryBudgetMs: 3_000, timeoutMs: 15_000 });
      return { items: r.apps ?? [], next: r.next_page_token };
    }, 20);
  const [custom, published] = await Promise.all([list('custom-app-integrations'), list('published-apps').catch(() => [])]);
  const out = new Map<string, { name: string; redirects: string[] }>();
  for (const a of [...published, ...custom]) if (a.client_id) out.set(a.client_id, { name: a.name ?? a.client_id, redirects: a.redirect_urls ?? [] });
  return out;
}

export function oauthRedirectsCheck(entries: EntryFact[]): Check {
  return {
    id: 'oauth.redirects',
    title: 'OAuth redirect URLs',
    group: 'oauth',
    timeoutMs: 30_000,
    async run(ctx, facts: Facts): Promise<CheckResult> {
      const uses = entries.filter((e) => !e.disabled).map(oauthUseOf).filter((u): u is OAuthUse => u !== undefined);
      if (uses.length === 0) return { status: 'skip', summary: 'no entry signs in with a pre-registered OAuth client' };
      const acct = facts.accountProfile();
      if (!acct) {
        return {
          status: 'skip',
          summary: 'needs an account profile (host + account_id) to read the OAuth app integrations',
          fix: 'Add one: databricks auth login --host https://accounts.cloud.databricks.com --account-id <account-id> --profile ACCOUNT',
        };
      }
      const config = resolveConfig(ctx, acct.name);
      const api = createApi(ctx, config);
      let apps;
      try {
        apps = await registered(api, config.accountId!);
      } catch (e) {
        const r = diagnoseError(e, { profile: acct.name, host: config.host, authType: config.authType });
        if (r.data?.kind === 'no-access') return { ...r, summary: `cannot read the account's OAuth apps with profile ${acct.name}: ${r.summary}`, fix: 'Only account admins can read app integrations: run doctor with an account admin profile, or ask one to check the redirect URLs.' };
        return r;
      }
      const problems: string[] = [];
      const data: Array<Record<string, unknown>> = [];
      for (const u of uses) {
        const app = apps.get(u.clientId);
        if (!app) {
          problems.push(`${u.client}/${u.server}: OAuth client ${u.clientId} is not registered in account ${config.accountId}`);
          data.push({ client: u.client, server: u.server, clientId: u.clientId, kind: 'not-found' });
          continue;
        }
        const have = new Set(app.redirects.map(redirectKey));
        const need = neededRedirects(u);
        const missing = need.urls.filter((x) => !have.has(redirectKey(x)));
        const ok = need.all ? missing.length === 0 : missing.length < need.urls.length;
        if (!ok) {
          problems.push(`${u.client}/${u.server}: "${app.name}" (${u.clientId}) lacks ${missing.join(', ')}`);
          data.push({ client: u.client, server: u.server, clientId: u.clientId, kind: 'redirect-mismatch', missing });
        }
      }
      if (problems.length === 0) return { status: 'pass', summary: `${uses.length} OAuth entr${uses.length === 1 ? 'y' : 'ies'}: every redirect URL is registered` };
      const clients = [...new Set(uses.map((u) => u.client))].join(',');
      const kind = data.some((d) => d.kind === 'redirect-mismatch') ? 'redirect-mismatch' : 'not-found';
      return {
        status: 'fail',
        summary: problems[0]! + (problems.length > 1 ? ` (+${problems.length - 1} more)` : ''),
        fix: `Register the redirect URLs (account admin): dbx-mcp oauth register --client ${clients} --profile ${acct.name}`,
        details: problems,
        data: { kind, entries: data },
      };
    },
  };
}
