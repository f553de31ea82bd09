/**
 * JSON-RPC errors for requests the proxy could not forward. The client shows `message` to the
 * user (often the only thing they see of a stdio server), so it says what failed and the fix,
 * using the same classification as every other dbx-mcp command.
 */
import { classifyApiError, DatabricksApiError } from '../databricks/api-errors.js';
import { classifyNetworkError } from '../databricks/network.js';
import { deadTokenFix } from '../databricks/auth-methods/index.js';
import type { AuthType } from '../databricks/profiles.js';
import { isDbxMcpError } from '../errors.js';
import { redact } from '../secrets.js';

/** Server error range of JSON-RPC: the upstream (not the client's request) failed. */
export const UPSTREAM_ERROR = -32000;
/** JSON-RPC: the line on stdin was not JSON. */
export const PARSE_ERROR = -32700;

export interface ProxyFailure {
  code: number;
  message: string;
  /** An upstream JSON-RPC error's `data` is passed on as it came (any JSON value, typed as an object for the proxy's own). */
  data?: Record<string, unknown>;
}

/** What the proxy knows about where it is sending and as whom (for fixes). */
export interface Target {
  url: string;
  host: string | undefined;
  profile: string | undefined;
  authType: AuthType | undefined;
}

/** A non-2xx upstream answer that retrying (or refreshing the token) did not fix. */
export function httpFailure(status: number, bodyText: string, headers: Record<string, string | string[] | undefined>, t: Target): ProxyFailure {
  let body: unknown = bodyText;
  try {
    body = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    // not JSON: classify the text
  }
  // An MCP server's own JSON-RPC error (e.g. the SDK's 400 "Bad Request: …") passes through as
  // is: its `data` unchanged, since clients read it (UnsupportedProtocolVersionError's
  // `data.supported` names the versions to retry with); only a data-less error gets `{status}`.
  const rpcErr = (body as { error?: { code?: unknown; message?: unknown; data?: unknown } } | undefined)?.error;
  if (rpcErr && typeof rpcErr === 'object' && typeof rpcErr.code === 'number' && typeof rpcErr.message === 'string') {
    return { code: rpcErr.code, message: `${rpcErr.message} (HTTP ${status} from ${t.url})`, data: rpcErr.data === undefined ? { status } : (rpcErr.data as Record<string, unknown>) };
  }
  const info = classifyApiError(status, body, headers);
  const path = safePath(t.url);
  const what = `${status} ${info.errorCode ? `${info.errorCode}: ` : ''}${info.message}`;
  let message: string;
  switch (info.kind) {
    case 'invalid-token':
    case 'no-credentials':
      message = `Databricks rejected the token (${what}): ${deadTokenFix(t.authType, { host: t.host, profile: t.profile })}`;
      break;
    case 'not-found':
      message = `The MCP server at ${t.url} was not found (${what}): check --url (the path, e.g. the Genie space id or catalog.schema, and the workspace host)`;
      break;
    case 'rate-limited':
      message = `Databricks kept rate-limiting requests (${what}); the proxy retried within its budget: wait a minute and retry`;
      break;
    case 'unavailable':
      message = `The MCP server is temporarily unavailable (${what}); the proxy retried within its budget: retry in a minute`;
      break;
    default: {
      const hint = new DatabricksApiError(info, 'POST', path, undefined, t.profile ?? 'DEFAULT').hint;
      message = `The MCP server answered ${what}${hint ? `: ${hint}` : ''}`;
      if (info.kind === 'no-access' && !hint) message += ': ask the owner of the resource (or a workspace admin) for access, then retry';
    }
  }
  return { code: UPSTREAM_ERROR, message: redact(message), data: { status, kind: info.kind, ...(info.requestId ? { requestId: info.requestId } : {}) } };
}

/**
 * A network failure. `maybeProcessed`: the request was written, so it was not retried.
 * `tried`: the failures to connect that were retried before giving up.
 */
export function networkFailure(err: unknown, t: Target, maybeProcessed: boolean, tried?: { attempts: number; elapsedMs: number }): ProxyFailure {
  const ne = classifyNetworkError(err, t.url);
  const retried = tried && tried.attempts > 1 ? ` (${tried.attempts} attempts over ${(tried.elapsedMs / 1000).toFixed(1)} s)` : '';
  const tail = maybeProcessed
    ? ' The request may have reached the server, so it was not retried (a tool call could otherwise run twice); check its effect before retrying.'
    : '';
  return {
    code: UPSTREAM_ERROR,
    message: redact(`${ne.message}${retried}.${tail} Fix: ${ne.hint ?? 'retry'}`),
    data: { network: ne.network, maybeProcessed, ...(tried ? { attempts: tried.attempts } : {}) },
  };
}

/** Any other failure before or during forwarding (token source, configuration, …). */
export function genericFailure(err: unknown): ProxyFailure {
  if (isDbxMcpError(err)) {
    return { code: UPSTREAM_ERROR, message: redact(err.hint ? `${err.message}. Fix: ${err.hint}` : err.message), data: { code: err.code } };
  }
  return { code: UPSTREAM_ERROR, message: redact(`dbx-mcp proxy failed: ${(err as Error)?.message ?? String(err)}`) };
}

export function errorResponse(id: unknown, f: ProxyFailure): Record<string, unknown> {
  return { jsonrpc: '2.0', id, error: f.data !== undefined ? { code: f.code, message: f.message, data: f.data } : { code: f.code, message: f.message } };
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
