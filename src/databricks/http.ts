/**
 * The API client: JSON requests over the shared transport (transport.ts: timeouts, HTTPS_PROXY
 * and NO_PROXY, NODE_EXTRA_CA_CERTS or a CA bundle), a user agent, bounded retries of 429/503
 * that honour Retry-After, and typed errors. Timeouts and resets are never retried here: the
 * request may have been processed.
 */
import type { z } from 'zod';
import { DbxMcpError, isDbxMcpError } from '../errors.js';
import { registerSecret } from '../secrets.js';
import { classifyApiError, DatabricksApiError } from './api-errors.js';
import { classifyNetworkError } from './network.js';
import { createTransport, readText, type Transport } from './transport.js';

export interface HttpRequest<T = unknown> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  token?: string;
  /** JSON body. */
  body?: unknown;
  /** application/x-www-form-urlencoded body (OAuth token endpoint). */
  form?: Record<string, string>;
  /** Basic auth (client credentials). */
  basic?: { user: string; password: string };
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  schema?: z.ZodType<T, z.ZodTypeDef, unknown>;
  timeoutMs?: number;
  /** Retry 429/503 with Retry-After within this many milliseconds in total (default 20 s; 0 = never). */
  retryBudgetMs?: number;
  /** The profile the call is made with, named in the fix of an API error (never sent). */
  profile?: string;
  /** Optional custom hint for API errors of this call. */
  hint?: (e: DatabricksApiError) => string | undefined;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export interface HttpClient {
  /** Parsed JSON on 2xx; throws DatabricksApiError / NetworkError / DbxMcpError otherwise. */
  request<T = unknown>(req: HttpRequest<T>): Promise<T>;
  /** Any status, no retries, no throwing on status (network failures still throw NetworkError). */
  raw(req: HttpRequest): Promise<RawResponse>;
}

export interface HttpClientOptions {
  env: NodeJS.ProcessEnv;
  version: string;
  caBundlePath?: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export function userAgent(version: string): string {
  return `dbx-mcp/${version} node/${process.versions.node} os/${process.platform}`;
}

/** A web page (a sign-in page) rather than an API answer. */
export function isHtml(res: Pick<RawResponse, 'headers' | 'text'>): boolean {
  const type = res.headers['content-type'];
  return /text\/html/i.test(Array.isArray(type) ? type.join(',') : (type ?? '')) || /^\s*<(!doctype|html)/i.test(res.text);
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  let transport: Transport | undefined;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;

  async function send(req: HttpRequest): Promise<RawResponse> {
    transport ??= createTransport(opts.env, opts.caBundlePath);
    registerSecret(req.token);
    if (req.basic) registerSecret(req.basic.password);
    const url = new URL(req.url);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      'user-agent': userAgent(opts.version),
      accept: 'application/json',
      ...req.headers,
    };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    if (req.basic) headers.authorization = `Basic ${Buffer.from(`${req.basic.user}:${req.basic.password}`).toString('base64')}`;
    let body: string | undefined;
    if (req.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    } else if (req.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.body);
    }
    const timeout = req.timeoutMs ?? 30_000;
    try {
      const res = await transport.send(url, { method: req.method, headers, body, timeoutMs: timeout });
      const text = await readText(res.body);
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, headers: res.headers as RawResponse['headers'], text, json };
    } catch (e) {
      if (isDbxMcpError(e)) throw e;
      throw classifyNetworkError(e, url.toString(), opts.env);
    }
  }

  return {
    raw: send,
    async request<T>(req: HttpRequest<T>): Promise<T> {
      const budget = req.retryBudgetMs ?? 20_000;
      const started = now();
      for (let attempt = 1; ; attempt++) {
        const res = await send(req);
        if (res.status >= 200 && res.status < 300) {
          if (res.json === undefined && isHtml(res)) {
            // A sign-in page, not an API answer: a unified host without routing does this (api.ts says so).
            throw new DbxMcpError(`${req.method} ${new URL(req.url).pathname} answered an HTML page where JSON was expected`, {
              code: 'HTML_RESPONSE',
              hint: 'Check that the host is the workspace URL; run again with --verbose and report it if it is.',
            });
          }
          if (!req.schema) return res.json as T;
          const parsed = req.schema.safeParse(res.json ?? {});
          if (!parsed.success) {
            throw new DbxMcpError(`Unexpected response from ${req.method} ${new URL(req.url).pathname}`, {
              code: 'API_SHAPE',
              hint: 'The workspace answered in a shape dbx-mcp does not know; run again with --verbose and report it.',
              cause: parsed.error,
            });
          }
          return parsed.data;
        }
        const info = classifyApiError(res.status, res.json ?? res.text, res.headers, now());
        const retriable = info.kind === 'rate-limited' || res.status === 503;
        if (retriable && attempt < 5) {
          // Jittered exponential backoff, at least what the server asked for.
          const backoff = Math.min(8_000, 500 * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
          const wait = Math.max(info.retryAfterMs ?? 0, backoff);
          if (now() - started + wait <= budget) {
            await sleep(wait);
            continue;
          }
        }
        const err = new DatabricksApiError(info, req.method, new URL(req.url).pathname, undefined, req.profile);
        const custom = req.hint?.(err);
        throw custom ? new DatabricksApiError(info, req.method, new URL(req.url).pathname, custom, req.profile) : err;
      }
    },
  };
}
