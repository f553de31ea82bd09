/**
 * Create-or-update of the account's OAuth app integration for MCP clients (contract: oauth
 * register). Idempotent: an integration of that name is reused, missing redirect URLs and
 * scopes are added to the merged list (PATCH replaces lists, so nothing registered is ever
 * dropped), and a rerun with nothing new sends no PATCH. A caller who is not an account admin
 * gets an error carrying the exact request to hand to one.
 */
import { oauthRedirectUrisFor, type ClientId } from '../clients/index.js';
import type { Api } from '../databricks/api.js';
import { DatabricksApiError } from '../databricks/api-errors.js';
import { DbxMcpError, UsageError } from '../errors.js';
import {
  createCustomApp, findCustomAppByName, updateCustomApp,
  type CreateBody, type CustomAppIntegration, type TokenAccessPolicy, type UpdateBody,
} from './integrations.js';

export type ConnectorId = 'claude-ai' | 'chatgpt';
export const CONNECTOR_IDS: readonly ConnectorId[] = ['claude-ai', 'chatgpt'];

/** Web connectors sign in from the vendor's cloud; these are their callbacks (the vendors' connector docs). */
export const CONNECTOR_REDIRECTS: Record<ConnectorId, string[]> = {
  'claude-ai': ['https://claude.ai/api/mcp/auth_callback', 'https://claude.com/api/mcp/auth_callback'],
  chatgpt: ['https://chatgpt.com/connector_platform_oauth_redirect'],
};

export const DEFAULT_SCOPES = ['all-apis', 'offline_access'];

export interface RegisterRequest {
  name: string;
  clients: readonly ClientId[];
  connectors?: readonly ConnectorId[];
  callbackPort?: number;
  confidential?: boolean;
  scopes?: string[];
  accessTokenTtl?: number;
  refreshTokenTtl?: number;
  /** Plan only: list and compare, never POST or PATCH. */
  dryRun?: boolean;
}

export interface RegisterResult {
  integrationId: string | undefined;
  clientId: string | undefined;
  name: string;
  redirectUrls: string[];
  confidential: boolean;
  created: boolean;
  updated: boolean;
  /** Redirect URLs this run added (all of them on create). */
  added: string[];
  scopesAdded: string[];
  /** Only on create of a confidential client: shown once by Databricks, never again. */
  clientSecret?: string;
  /** The existing integration is public/confidential and the flag asked otherwise (not updatable). */
  confidentialMismatch?: boolean;
  dryRun: boolean;
}

/** Thrown for a 403 from the account API: carries the request an admin can run. */
export class AdminRequiredError extends DbxMcpError {
  constructor(
    readonly body: CreateBody | (UpdateBody & { integration_id: string }),
    readonly adminCommand: string,
    cause: unknown,
  ) {
    super('Only an account admin can create or change OAuth app integrations, and this profile is not one', {
      code: 'OAUTH_ADMIN_REQUIRED',
      hint: `Hand this to an account admin:\n  ${adminCommand}\nThen pass the client id it prints: dbx-mcp init --auth oauth --client-id <client_id>`,
      cause,
    });
    this.name = 'AdminRequiredError';
  }
}

/** Redirect URLs for the chosen clients and connectors, deduplicated, in a stable order. */
export function redirectUrlsFor(clients: readonly ClientId[], connectors: readonly ConnectorId[] = [], port?: number): string[] {
  return [...new Set([...oauthRedirectUrisFor(clients, port), ...connectors.flatMap((c) => CONNECTOR_REDIRECTS[c])])];
}

/** TTL flags checked against the ranges of Go SDK service/oauth2/model.go TokenAccessPolicy (UsageError → exit 2 before any request). */
export function tokenPolicy(access?: number, refresh?: number): TokenAccessPolicy | undefined {
  const bad: string[] = [];
  if (access !== undefined && !(Number.isInteger(access) && access >= 5 && access <= 1440)) bad.push('--access-token-ttl must be a whole number of minutes from 5 to 1440');
  if (refresh !== undefined && !(Number.isInteger(refresh) && refresh >= 5 && refresh <= 129600)) bad.push('--refresh-token-ttl must be a whole number of minutes from 5 to 129600');
  if (!bad.length && access !== undefined && refresh !== undefined && refresh < access) bad.push('--refresh-token-ttl must not be shorter than --access-token-ttl');
  if (bad.length) throw new UsageError(bad.join('; '), { hint: 'Defaults: 60 minutes for access tokens, 10080 (7 days) for refresh tokens.' });
  if (access === undefined && refresh === undefined) return undefined;
  return { ...(access !== undefined && { access_token_ttl_in_minutes: access }), ...(refresh !== undefined && { refresh_token_ttl_in_minutes: refresh }) };
}

/** Single-quotes a string for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The equivalent Databricks CLI command, for an admin to run. */
export function adminCommandFor(body: CreateBody | (UpdateBody & { integration_id: string }), profile: string | undefined): string {
  const p = ` --profile ${profile ?? '<account-profile>'}`;
  if ('integration_id' in body) {
    const { integration_id, ...rest } = body;
    return `databricks account custom-app-integration update ${integration_id} --json ${shellQuote(JSON.stringify(rest))}${p}`;
  }
  return `databricks account custom-app-integration create --json ${shellQuote(JSON.stringify(body))}${p}`;
}

/** The create body for a request (also used when the caller cannot create it). */
export function createBodyFor(req: RegisterRequest): CreateBody {
  const policy = tokenPolicy(req.accessTokenTtl, req.refreshTokenTtl);
  return {
    name: req.name,
    redirect_urls: redirectUrlsFor(req.clients, req.connectors, req.callbackPort),
    confidential: Boolean(req.confidential),
    scopes: req.scopes?.length ? [...new Set(req.scopes)] : DEFAULT_SCOPES,
    ...(policy && { token_access_policy: policy }),
  };
}

function policyChanged(have: TokenAccessPolicy | undefined, want: TokenAccessPolicy | undefined): boolean {
  if (!want) return false;
  return (
    (want.access_token_ttl_in_minutes !== undefined && want.access_token_ttl_in_minutes !== have?.access_token_ttl_in_minutes) ||
    (want.refresh_token_ttl_in_minutes !== undefined && want.refresh_token_ttl_in_minutes !== have?.refresh_token_ttl_in_minutes)
  );
}

/** Creates or updates the integration. Throws AdminRequiredError on 403. */
export async function registerIntegration(api: Api, accountId: string, req: RegisterRequest, profile?: string): Promise<RegisterResult> {
  const want = createBodyFor(req);
  const onDenied = (body: CreateBody | (UpdateBody & { integration_id: string })) => (e: unknown): never => {
    if (e instanceof DatabricksApiError && e.kind === 'no-access') throw new AdminRequiredError(body, adminCommandFor(body, profile), e);
    throw e;
  };
  const existing: CustomAppIntegration | undefined = await findCustomAppByName(api, accountId, req.name).catch(onDenied(want));
  const dryRun = Boolean(req.dryRun);

  if (!existing) {
    const base = { integrationId: undefined, clientId: undefined, name: want.name, redirectUrls: want.redirect_urls, confidential: want.confidential, created: true, updated: false, added: want.redirect_urls, scopesAdded: want.scopes, dryRun };
    if (dryRun) return base;
    const out = await createCustomApp(api, accountId, want).catch(onDenied(want));
    return { ...base, integrationId: out.integration_id, clientId: out.client_id, ...(out.client_secret && { clientSecret: out.client_secret }) };
  }

  const have = existing.redirect_urls ?? [];
  const added = want.redirect_urls.filter((u) => !have.includes(u));
  const haveScopes = existing.scopes ?? [];
  const scopesAdded = req.scopes?.length ? want.scopes.filter((s) => !haveScopes.includes(s)) : [];
  const patch: UpdateBody = {};
  if (added.length) patch.redirect_urls = [...have, ...added];
  if (scopesAdded.length) patch.scopes = [...haveScopes, ...scopesAdded];
  if (policyChanged(existing.token_access_policy, want.token_access_policy)) patch.token_access_policy = { ...existing.token_access_policy, ...want.token_access_policy };
  const updated = Object.keys(patch).length > 0;
  if (updated && !dryRun) {
    await updateCustomApp(api, accountId, existing.integration_id, patch).catch(onDenied({ integration_id: existing.integration_id, ...patch }));
  }
  const confidential = Boolean(existing.confidential);
  return {
    integrationId: existing.integration_id,
    clientId: existing.client_id,
    name: req.name,
    redirectUrls: patch.redirect_urls ?? have,
    confidential,
    created: false,
    updated,
    added,
    scopesAdded,
    ...(req.confidential !== undefined && req.confidential !== confidential && { confidentialMismatch: true }),
    dryRun,
  };
}
