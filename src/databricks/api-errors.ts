/**
 * The one place that turns Databricks error responses into typed errors (databricks-api.md
 * source: responses observed on real workspaces; UC responses observed on real workspaces; Go SDK apierr/errors.go): status first, then `error_code` (a string, or a legacy integer that
 * means "absent"), then the message for the cases the status cannot tell apart (an invalid
 * token and an IP access list block are both 403).
 */
import { DbxMcpError } from '../errors.js';
import { redactedExcerpt } from '../secrets.js';

export type ApiErrorKind =
  | 'ip-acl'
  | 'invalid-token'
  | 'no-credentials'
  | 'wrong-workspace'
  | 'missing-entitlement'
  | 'no-access'
  | 'not-found'
  | 'rate-limited'
  | 'unavailable'
  | 'bad-request'
  | 'server-error'
  | 'redirect'
  | 'other';

export interface ApiErrorInfo {
  status: number;
  kind: ApiErrorKind;
  /** The string error code, or undefined when absent or a legacy integer. */
  errorCode: string | undefined;
  message: string;
  requestId?: string;
  /** Milliseconds to wait, from Retry-After (seconds or HTTP date) or RetryInfo. */
  retryAfterMs?: number;
  ipAcl?: { sourceIp: string; scope: 'workspace' | 'account'; id: string };
  /** A 3xx: where it pointed (origin and path only: a query may carry sign-in state). */
  location?: string;
  /** For "User does not have <PRIV> on <Type> '<name>'." */
  missingPrivilege?: { privilege: string; securableType: string; securable: string };
}

const IP_ACL = /Source IP address: (\S+) is blocked by Databricks IP ACL for (workspace|account): ([^\s.]+)\.?/;
const MISSING_PRIV = /User does not have ([A-Z_ ]+?) on (\w+) '([^']+)'/;

/** Parses `Retry-After` (delta-seconds or HTTP-date) relative to `now`. */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function stripReqId(message: string): { message: string; requestId?: string } {
  const m = /\s*\[ReqId: ([^\]]+)\]\s*$/.exec(message);
  return m ? { message: message.slice(0, m.index), requestId: m[1] } : { message };
}

/**
 * The words of an error body's message field. A JSON-RPC error object (an MCP endpoint's 400)
 * reads as "<code> <message>"; any other non-string is JSON, so nothing prints [object Object].
 */
function messageOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'object') return String(v);
  const o = v as { code?: unknown; message?: unknown };
  if (typeof o.message === 'string') return typeof o.code === 'number' || typeof o.code === 'string' ? `${o.code} ${o.message}` : o.message;
  return redactedExcerpt(JSON.stringify(v), 500);
}

/** Classifies a response. `body` is the parsed JSON (or text) of the error response. */
export function classifyApiError(status: number, body: unknown, headers: Record<string, string | string[] | undefined> = {}, now = Date.now()): ApiErrorInfo {
  let rawMessage = '';
  let errorCode: string | undefined;
  let requestId: string | undefined;
  let retryAfterMs = parseRetryAfter(headerValue(headers['retry-after']), now);
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.error_code === 'string' && !/^\d+$/.test(b.error_code)) errorCode = b.error_code;
    rawMessage = messageOf(b.message ?? b.detail ?? b.error_description ?? b.error);
    if (Array.isArray(b.details)) {
      for (const d of b.details as Record<string, unknown>[]) {
        if (typeof d?.request_id === 'string') requestId ??= d.request_id;
        if (typeof d?.retry_delay === 'string' && retryAfterMs === undefined) {
          const s = parseFloat(d.retry_delay);
          if (!Number.isNaN(s)) retryAfterMs = Math.round(s * 1000);
        }
      }
    }
  } else if (typeof body === 'string') {
    // Legacy HTML error pages put the message in <pre>; plain-text bodies are "CODE: message".
    const pre = /<pre>\s*([\s\S]*?)\s*<\/pre>/i.exec(body);
    rawMessage = pre ? pre[1]! : redactedExcerpt(body, 500);
  }
  const location = status >= 300 && status < 400 ? shownLocation(headerValue(headers.location)) : undefined;
  // A redirect has no error body: say where it pointed, not "307 HTTP 307".
  if (status >= 300 && status < 400) rawMessage = location ? `redirected to ${location} (not followed)` : 'a redirect without a Location (not followed)';
  if (!rawMessage) rawMessage = headerValue(headers['x-databricks-reason-phrase']) ?? `HTTP ${status}`;
  const split = stripReqId(rawMessage.trim());
  const message = split.message;
  requestId ??= split.requestId;
  // Databricks' front end tags every response (x-request-id); support asks for it.
  requestId ??= headerValue(headers['x-request-id']) ?? headerValue(headers['x-databricks-request-id']);

  const info: ApiErrorInfo = { status, kind: 'other', errorCode, message, requestId, retryAfterMs, ...(location && { location }) };
  const ipAcl = IP_ACL.exec(message);
  const priv = MISSING_PRIV.exec(message);
  if (ipAcl) {
    info.kind = 'ip-acl';
    info.ipAcl = { sourceIp: ipAcl[1]!, scope: ipAcl[2] as 'workspace' | 'account', id: ipAcl[3]! };
  } else if (status === 429 || errorCode === 'REQUEST_LIMIT_EXCEEDED' || errorCode === 'RESOURCE_EXHAUSTED') {
    info.kind = 'rate-limited';
  } else if (status === 401) {
    info.kind = /expired/i.test(message) ? 'invalid-token' : 'no-credentials';
  } else if (status === 403 && /Invalid access token|Invalid Token|Token is expired|expired/i.test(message)) {
    info.kind = 'invalid-token';
  } else if (status === 403 && /Invalid access to Org/i.test(message)) {
    info.kind = 'wrong-workspace';
  } else if (status === 403 && /entitlement/i.test(message)) {
    info.kind = 'missing-entitlement';
  } else if (status === 403) {
    info.kind = 'no-access';
  } else if (status === 404 || errorCode === 'RESOURCE_DOES_NOT_EXIST' || errorCode === 'NOT_FOUND' || /_DOES_NOT_EXIST$/.test(errorCode ?? '')) {
    info.kind = 'not-found';
  } else if (status === 503 || status === 502 || status === 504) {
    info.kind = 'unavailable';
  } else if (status >= 500) {
    info.kind = 'server-error';
  } else if (status === 400) {
    info.kind = 'bad-request';
  } else if (status >= 300 && status < 400) {
    info.kind = 'redirect';
  }
  if (priv) info.missingPrivilege = { privilege: priv[1]!.trim().replace(/ /g, '_'), securableType: priv[2]!.toUpperCase(), securable: priv[3]! };
  return info;
}

/** A Location as printed: absolute, origin and path only (no query, fragment or user info). */
function shownLocation(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw, 'http://relative.invalid');
    return u.origin === 'http://relative.invalid' ? u.pathname : `${u.origin}${u.pathname}`;
  } catch {
    return undefined;
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** A failed Databricks API call, classified, with the exact next step as `hint`. */
export class DatabricksApiError extends DbxMcpError {
  constructor(
    readonly info: ApiErrorInfo,
    readonly method: string,
    readonly path: string,
    hint?: string,
    /** The profile the call was made with: the fix names it instead of a placeholder. */
    profile?: string,
  ) {
    super(`${method} ${path} failed: ${info.status} ${info.errorCode ? `${info.errorCode}: ` : ''}${info.message}`, {
      code: `API_${info.kind.toUpperCase().replace(/-/g, '_')}`,
      hint: hint ?? defaultHint(info, profile),
    });
    this.name = 'DatabricksApiError';
  }
  get status(): number {
    return this.info.status;
  }
  get kind(): ApiErrorKind {
    return this.info.kind;
  }
}

/** The next step for a classified error; undefined when the kind has no general one. */
export function defaultHint(info: ApiErrorInfo, profile: string | undefined): string | undefined {
  const login = `databricks auth login${profile ? ` --profile ${profile}` : ''}`;
  switch (info.kind) {
    case 'ip-acl':
      return `Ask a ${info.ipAcl?.scope ?? 'workspace'} admin to add ${info.ipAcl?.sourceIp} to an ALLOW IP access list (databricks ip-access-lists create --json '{"label":"dbx-mcp","list_type":"ALLOW","ip_addresses":["${info.ipAcl?.sourceIp}/32"]}'), or connect from an allowed network/VPN.`;
    case 'invalid-token':
      return `The token is invalid or expired: sign in again with \`${login}\`, or create a new personal access token (User settings → Developer → Access tokens)${profile ? ` and put it in profile ${profile}` : ''}.`;
    case 'no-credentials':
      return `No usable credential was sent: check the profile (dbx-mcp doctor) or sign in with \`${login}\`.`;
    case 'wrong-workspace':
      return 'The token belongs to another workspace or to the account console: use a profile whose host matches this workspace.';
    case 'missing-entitlement':
      return 'Ask a workspace admin to grant you the workspace-access (or databricks-sql-access) entitlement.';
    case 'rate-limited':
      return 'Databricks is rate-limiting requests; wait a minute and retry.';
    case 'unavailable':
      return 'The workspace is temporarily unavailable; retry in a minute.';
    case 'redirect':
      // Following it would send the token to wherever it points; a workspace API never redirects.
      return `dbx-mcp does not follow redirects (the token must not go to another address). A workspace API redirects when the host is not the workspace URL: a vanity or sign-in (SSO) address, or a workspace that moved. Set host${profile ? ` in profile ${profile}` : ''} to the workspace URL (https://<workspace>.cloud.databricks.com, as shown in the browser after signing in)${info.location && /^https:\/\//.test(info.location) ? `; if ${new URL(info.location).origin} is your workspace, set host = ${new URL(info.location).origin}` : ''}, then run the command again.`;
    default:
      return undefined;
  }
}
