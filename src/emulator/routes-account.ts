/**
 * Account API (source: Go SDK service/oauth2/model.go): custom OAuth app integrations, published apps, workspaces.
 *
 * Account auth, kept simple on purpose: any valid bearer whose principal has
 * `accountAdmin: true` may call these routes — a PAT of such a user, or an OAuth token from
 * either token endpoint (the account one, `/oidc/accounts/{id}/v1/token`, is the realistic
 * path). Other principals, or every caller while `scenario.accountNonAdmin` is set, get
 * 403 PERMISSION_DENIED (wording UNCONFIRMED in the reference). An account id that is not ours
 * is a 404. Both checks run in server.ts before these handlers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { asRecord, badParam, intParam, notFound, paginate, sendJson, type Ctx } from './http-util.js';
import { route, type Route } from './router.js';
import type { CustomAppIntegrationRecord, TokenAccessPolicy } from './types.js';

const ACCT = '^\\/api\\/2\\.0\\/accounts\\/([^/]+)';
const re = (s: string): RegExp => new RegExp(`${ACCT}${s}$`);

/** Validates a TokenAccessPolicy (source: Go SDK service/oauth2/model.go ranges); returns an error message or the policy. */
function checkPolicy(raw: unknown): string | TokenAccessPolicy | undefined {
  if (raw === undefined) return undefined;
  const p = asRecord(raw);
  const out: TokenAccessPolicy = {};
  const a = p.access_token_ttl_in_minutes;
  const r = p.refresh_token_ttl_in_minutes;
  if (a !== undefined) {
    if (!Number.isInteger(a) || (a as number) < 5 || (a as number) > 1440) {
      return 'access_token_ttl_in_minutes must be between 5 and 1440 minutes';
    }
    out.access_token_ttl_in_minutes = a as number;
  }
  if (r !== undefined) {
    if (!Number.isInteger(r) || (r as number) < 5 || (r as number) > 129600) {
      return 'refresh_token_ttl_in_minutes must be between 5 and 129600 minutes';
    }
    out.refresh_token_ttl_in_minutes = r as number;
  }
  if (out.access_token_ttl_in_minutes !== undefined && out.refresh_token_ttl_in_minutes !== undefined
    && out.refresh_token_ttl_in_minutes < out.access_token_ttl_in_minutes) {
    return 'refresh_token_ttl_in_minutes must not be shorter than access_token_ttl_in_minutes';
  }
  if (typeof p.enable_single_use_refresh_tokens === 'boolean') out.enable_single_use_refresh_tokens = p.enable_single_use_refresh_tokens;
  if (Number.isInteger(p.absolute_session_lifetime_in_minutes)) out.absolute_session_lifetime_in_minutes = p.absolute_session_lifetime_in_minutes as number;
  return out;
}

function strList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map(String) : undefined;
}

/** Get/list shape: never the secret (source: Go SDK service/oauth2/model.go: Get has no secret field). */
function appJson(a: CustomAppIntegrationRecord, withCreator: boolean): object {
  const { client_secret: _secret, creator_username, ...rest } = a;
  return withCreator ? { ...rest, creator_username } : rest;
}

function createApp(ctx: Ctx): void {
  const b = asRecord(ctx.body);
  if (typeof b.name !== 'string' || !b.name) return badParam(ctx.res, 'name is required');
  const policy = checkPolicy(b.token_access_policy);
  if (typeof policy === 'string') return badParam(ctx.res, policy);
  const scopes = strList(b.scopes) ?? ['all-apis'];
  const uas = strList(b.user_authorized_scopes);
  if (uas && uas.some((s) => !scopes.includes(s))) return badParam(ctx.res, 'user_authorized_scopes must be a subset of scopes');
  const confidential = b.confidential === true;
  const rec: CustomAppIntegrationRecord = {
    integration_id: randomUUID(),
    client_id: randomUUID(),
    ...(confidential ? { client_secret: `dose${randomBytes(16).toString('hex')}` } : {}),
    name: b.name,
    redirect_urls: strList(b.redirect_urls) ?? [],
    confidential,
    scopes,
    ...(uas ? { user_authorized_scopes: uas } : {}),
    token_access_policy: policy ?? { access_token_ttl_in_minutes: 60, refresh_token_ttl_in_minutes: 10080 },
    create_time: new Date().toISOString(),
    created_by: Number(ctx.caller!.id) || 0,
    creator_username: ctx.caller!.name,
  };
  ctx.ws.state.customAppIntegrations.push(rec);
  // The secret is returned here once and never again (source: Go SDK service/oauth2/model.go).
  sendJson(ctx.res, 200, { integration_id: rec.integration_id, client_id: rec.client_id, ...(rec.client_secret ? { client_secret: rec.client_secret } : {}) });
}

function findApp(ctx: Ctx, id: string): CustomAppIntegrationRecord | undefined {
  const a = ctx.ws.state.customAppIntegrations.find((x) => x.integration_id === id);
  if (!a) notFound(ctx.res, `OAuth app integration ${id} does not exist.`);
  return a;
}

/** PATCH replaces lists wholesale (source: Go SDK service/oauth2/model.go); `name` and `confidential` are not updatable and are ignored. */
function updateApp(ctx: Ctx, id: string): void {
  const a = findApp(ctx, id);
  if (!a) return;
  const b = asRecord(ctx.body);
  const policy = checkPolicy(b.token_access_policy);
  if (typeof policy === 'string') return badParam(ctx.res, policy);
  const redirects = strList(b.redirect_urls);
  const scopes = strList(b.scopes);
  const uas = strList(b.user_authorized_scopes);
  if (uas && uas.some((s) => !(scopes ?? a.scopes).includes(s))) return badParam(ctx.res, 'user_authorized_scopes must be a subset of scopes');
  if (redirects) a.redirect_urls = redirects;
  if (scopes) a.scopes = scopes;
  if (uas) a.user_authorized_scopes = uas;
  if (policy) a.token_access_policy = policy;
  sendJson(ctx.res, 200, {});
}

export const accountRoutes: Route[] = [
  route('GET', re('\\/oauth2\\/custom-app-integrations'), 'account', (ctx) => {
    const { page, next } = paginate(ctx.ws.state.customAppIntegrations, intParam(ctx.query, 'page_size', 100, 500), ctx.query.get('page_token'));
    const withCreator = ctx.query.get('include_creator_username') === 'true';
    sendJson(ctx.res, 200, { apps: page.map((a) => appJson(a, withCreator)), ...(next ? { next_page_token: next } : {}) });
  }),
  route('POST', re('\\/oauth2\\/custom-app-integrations'), 'account', createApp),
  route('GET', re('\\/oauth2\\/custom-app-integrations\\/([^/]+)'), 'account', (ctx, [, id]) => {
    const a = findApp(ctx, id!);
    if (a) sendJson(ctx.res, 200, appJson(a, true));
  }),
  route('PATCH', re('\\/oauth2\\/custom-app-integrations\\/([^/]+)'), 'account', (ctx, [, id]) => updateApp(ctx, id!)),
  route('DELETE', re('\\/oauth2\\/custom-app-integrations\\/([^/]+)'), 'account', (ctx, [, id]) => {
    if (!findApp(ctx, id!)) return;
    ctx.ws.state.customAppIntegrations = ctx.ws.state.customAppIntegrations.filter((x) => x.integration_id !== id);
    sendJson(ctx.res, 200, {});
  }),
  route('GET', re('\\/oauth2\\/published-apps'), 'account', (ctx) => {
    const { page, next } = paginate(ctx.ws.state.publishedApps, intParam(ctx.query, 'page_size', 100, 500), ctx.query.get('page_token'));
    sendJson(ctx.res, 200, { apps: page, ...(next ? { next_page_token: next } : {}) });
  }),
  // The CLI validates account auth with the workspaces list (source: Go SDK config/config.go (account hosts)); it returns a bare array.
  route('GET', re('\\/workspaces'), 'account', (ctx) => {
    sendJson(ctx.res, 200, [{
      workspace_id: Number(ctx.ws.workspaceId), workspace_name: 'demo-workspace', deployment_name: 'dbc-demo',
      workspace_status: 'RUNNING', account_id: ctx.ws.accountId, aws_region: 'us-west-2',
    }]);
  }),
  route('GET', re('\\/ip-access-lists'), 'account', (ctx) => sendJson(ctx.res, 200, { ip_access_lists: [] })),
];
