/**
 * A small authenticated client for one workspace (or account) host: every API-family module
 * (genie.ts, uc.ts, …) takes an `Api`. A 401/403 "invalid token" from an OAuth source gets
 * one forced refresh and a retry; PATs cannot be refreshed, so their error goes straight up.
 */
import type { z } from 'zod';
import type { Ctx } from '../context.js';
import { DatabricksApiError } from './api-errors.js';
import { DbxMcpError } from '../errors.js';
import { AUTH_METHODS } from './auth-methods/index.js';
import { createTokenSource, type TokenSource } from './auth.js';
import { isHtml, type HttpClient, type HttpRequest, type RawResponse } from './http.js';
import type { ResolvedConfig } from './profiles.js';
import { unroutedHostError } from './unrouted.js';
import { workspaceRouting, type HostRouting } from './routing.js';

/**
 * For raw callers: the unrouted-host error when `res` is a sign-in page (HTML or a redirect)
 * and no workspace id is known; undefined otherwise.
 */
export async function signInPageError(res: RawResponse, api: Pick<Api, 'routing' | 'config'>): Promise<DbxMcpError | undefined> {
  const page = (res.status >= 200 && res.status < 300 && res.json === undefined && isHtml(res)) || (res.status >= 300 && res.status < 400);
  if (!page) return undefined;
  const r = await api.routing();
  return r.workspaceId ? undefined : unroutedHostError(api.config, r);
}

/**
 * A sign-in page (HTML, or a redirect to one) where a workspace API answers JSON means the
 * request reached a unified host without a workspace to route to: say that, with the fix.
 */
async function unroutedOr(e: unknown, routing: () => Promise<HostRouting>, config: ResolvedConfig): Promise<unknown> {
  const htmlOrRedirect = (e instanceof DbxMcpError && e.code === 'HTML_RESPONSE') || (e instanceof DatabricksApiError && e.info.status >= 300 && e.info.status < 400);
  if (!htmlOrRedirect) return e;
  const r = await routing();
  return r.workspaceId ? e : unroutedHostError(config, r);
}

export interface CallOptions<T> {
  query?: HttpRequest['query'];
  body?: unknown;
  schema?: z.ZodType<T, z.ZodTypeDef, unknown>;
  timeoutMs?: number;
  retryBudgetMs?: number;
  hint?: HttpRequest['hint'];
}

export interface Api {
  readonly host: string;
  readonly config: ResolvedConfig;
  readonly tokens: TokenSource;
  call<T = unknown>(method: HttpRequest['method'], path: string, opts?: CallOptions<T>): Promise<T>;
  get<T = unknown>(path: string, opts?: CallOptions<T>): Promise<T>;
  /** No throwing on status, no retries: for diagnostics that inspect the response. */
  raw(method: HttpRequest['method'], path: string, opts?: { query?: HttpRequest['query']; body?: unknown; timeoutMs?: number; auth?: boolean }): Promise<RawResponse>;
  /** How the host routes workspace-scoped requests (unified hosts), resolved once per Api. */
  routing(): Promise<HostRouting>;
}

/** Account APIs are account-scoped: no workspace routing header (Go SDK: only workspace services set it). */
function isAccountPath(path: string): boolean {
  return path.startsWith('/api/2.0/accounts/') || path.startsWith('/api/2.1/accounts/');
}

/**
 * `config.host + path`, for a path that starts with `/` only: `@other.host/…` or `.other.host/…`
 * appended to the host would name another host, and the token goes only to the workspace
 * (token-destination.ts). Every caller passes a literal path with encoded parts; this keeps it so.
 */
function workspaceUrl(config: ResolvedConfig, path: string): string {
  if (!path.startsWith('/')) throw new DbxMcpError(`Internal error: the API path ${JSON.stringify(path)} does not start with /; nothing was sent`, { code: 'INTERNAL', hint: 'Report this with the command you ran.' });
  return config.host + path;
}

export function createApi(ctx: Pick<Ctx, 'http' | 'exec' | 'env' | 'now'>, config: ResolvedConfig, tokens?: TokenSource): Api {
  const http: HttpClient = ctx.http;
  const source = tokens ?? createTokenSource(ctx, config);
  let routed: Promise<HostRouting> | undefined;
  const routing = (): Promise<HostRouting> => (routed ??= workspaceRouting(http, config));
  const headersFor = async (path: string) => (isAccountPath(path) ? {} : (await routing()).headers);
  const call = async <T>(method: HttpRequest['method'], path: string, opts: CallOptions<T> = {}): Promise<T> => {
    const headers = await headersFor(path);
    const send = async (forceRefresh: boolean) => {
      const { token } = await source.getToken({ forceRefresh });
      return http.request<T>({ method, url: workspaceUrl(config, path), token, headers, profile: config.profile, ...opts });
    };
    try {
      return await retryWithFreshToken(source, send, (outcome) => ('error' in outcome && outcome.error instanceof DatabricksApiError ? outcome.error.kind : undefined));
    } catch (e) {
      throw await unroutedOr(e, routing, config);
    }
  };
  return {
    host: config.host,
    config,
    tokens: source,
    call,
    get: (path, opts) => call('GET', path, opts),
    async raw(method, path, opts = {}) {
      const token = opts.auth === false ? undefined : (await source.getToken()).token;
      const headers = await headersFor(path);
      return http.raw({ method, url: workspaceUrl(config, path), token, headers, query: opts.query, body: opts.body, timeoutMs: opts.timeoutMs });
    },
    routing,
  };
}

/**
 * Runs `attempt`; when the token was refused (an OAuth token revoked since it was cached) and
 * the source can refresh, runs it once more with a forced refresh. PATs cannot be refreshed.
 * `refusal` reads the error kind from the outcome: a thrown error, or a returned response.
 */
export async function retryWithFreshToken<T>(
  source: Pick<TokenSource, 'kind'>,
  attempt: (forceRefresh: boolean) => Promise<T>,
  refusal: (outcome: { value: T } | { error: unknown }) => string | undefined,
): Promise<T> {
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: await attempt(false) };
  } catch (error) {
    outcome = { error };
  }
  const kind = refusal(outcome);
  if (AUTH_METHODS[source.kind].refreshable && (kind === 'invalid-token' || kind === 'no-credentials')) return attempt(true);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

/** Follows `next_page_token` until it is empty (with a hard page cap so a buggy server can't loop us). */
export async function listAllPages<T>(fetchPage: (pageToken: string | undefined) => Promise<{ items: T[]; next?: string | null }>, maxPages = 100): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage(token);
    out.push(...page.items);
    if (!page.next) return out;
    token = page.next;
  }
  return out;
}
