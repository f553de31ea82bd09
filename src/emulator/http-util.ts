/**
 * Small HTTP helpers shared by the route modules: the per-request context, JSON replies,
 * the Databricks error bodies (source: UC responses observed on real workspaces; Go SDK apierr/errors.go) and bounded body reading.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OAuthStore } from './oauth.js';
import type { Scenario } from './scenario.js';
import type { TokenRecord, WorkspaceState } from './types.js';

/** Bodies above this are refused with 413: the emulator never needs more. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The authenticated principal of a request. */
export interface Caller {
  kind: 'user' | 'service-principal';
  /** userName or applicationId; the UC principal name. */
  name: string;
  id: string;
  displayName: string;
  groups: string[];
  accountAdmin: boolean;
  token: TokenRecord;
}

/** What the server shares with every route module. */
export interface Internals {
  state: WorkspaceState;
  scenario: Scenario;
  workspaceId: string;
  accountId: string;
  /** Pending authorization codes and refresh tokens. */
  oauth: OAuthStore;
  /** `http://127.0.0.1:<port>` once listening. */
  baseUrl(): string;
  /** `http://127.0.0.1:<port>` of the apps server (standing in for `*.databricksapps.com`). */
  appsBaseUrl(): string;
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON, a form as an object, a string, or undefined. */
  body: unknown;
  ws: Internals;
  /** Set by the auth step on authenticated routes. */
  caller?: Caller;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    // Databricks' front end tags responses with a request id (what support asks for); errors here carry one.
    ...(status >= 400 ? { 'x-request-id': randomUUID() } : {}),
    ...headers,
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Length': '0', ...headers });
  res.end();
}

/**
 * Standard Databricks error (source: UC responses observed on real workspaces): string `error_code`, message, and a `details` array that
 * always ends with a RequestInfo, like the real API.
 */
export function sendError(
  res: ServerResponse,
  status: number,
  errorCode: string,
  message: string,
  details: object[] = [],
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    status,
    {
      error_code: errorCode,
      message,
      details: [...details, { '@type': 'type.googleapis.com/google.rpc.RequestInfo', request_id: randomUUID(), serving_data: '' }],
    },
    headers,
  );
}

/** 404 for a missing object: `code` is `RESOURCE_DOES_NOT_EXIST` or a legacy UC code (source: UC responses observed on real workspaces). */
export function notFound(res: ServerResponse, message: string, code = 'RESOURCE_DOES_NOT_EXIST'): void {
  sendError(res, 404, code, message);
}

export function badParam(res: ServerResponse, message: string): void {
  sendError(res, 400, 'INVALID_PARAMETER_VALUE', message);
}

const PRIV_TYPE_WORD: Record<string, string> = {
  CATALOG: 'Catalog', SCHEMA: 'Schema', FUNCTION: 'Function', TABLE: 'Table', CONNECTION: 'Connection',
};

/**
 * UC permission denial exactly as observed (source: UC responses observed on real workspaces):
 * `User does not have USE CATALOG on Catalog 'main'.` plus ErrorInfo + RequestInfo details.
 */
export function permissionDenied(res: ServerResponse, privilege: string, type: string, name: string): void {
  const priv = privilege.replace(/_/g, ' ');
  const word = PRIV_TYPE_WORD[type.toUpperCase()] ?? type;
  sendError(res, 403, 'PERMISSION_DENIED', `User does not have ${priv} on ${word} '${name}'.`, [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'PERMISSION_DENIED',
      domain: 'unity-catalog.databricks.com',
      metadata: { principalName: 'User', msg: priv, resourceType: word, resourceName: name },
    },
  ]);
}

/** Reads the whole body, at most MAX_BODY_BYTES; returns undefined when too large. */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** JSON or form bodies become objects; anything else stays text; empty is undefined. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  if (ct.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** Narrowing helper for handler bodies. */
export function asRecord(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** `page_size`-style integer query param, clamped; NaN/absent ⇒ default. */
export function intParam(q: URLSearchParams, name: string, def: number, max: number): number {
  const raw = q.get(name);
  const n = raw === null || raw === '' ? def : Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n <= 0) return def;
  return Math.min(n, max);
}

/**
 * Offset-based paging with opaque tokens (base64 of the offset), like the real APIs' opaque
 * `next_page_token`. The token is omitted on the last page (clients stop on absent/empty, source: Go SDK service/oauth2/impl.go).
 */
export function paginate<T>(items: T[], pageSize: number, pageToken: string | null): { page: T[]; next?: string } {
  let offset = 0;
  if (pageToken) {
    const n = Number.parseInt(Buffer.from(pageToken, 'base64url').toString('utf8').replace(/^o:/, ''), 10);
    offset = Number.isFinite(n) && n > 0 ? n : 0;
  }
  const page = items.slice(offset, offset + pageSize);
  const nextOffset = offset + pageSize;
  return nextOffset < items.length ? { page, next: Buffer.from(`o:${nextOffset}`).toString('base64url') } : { page };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
