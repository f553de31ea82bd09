/**
 * Handshake over MCP streamable HTTP: POST initialize, POST notifications/initialized, POST
 * tools/list (following nextCursor), each answered as one JSON body or as an SSE stream; the
 * Mcp-Session-Id from initialize is sent back on every later request, then the session is
 * closed with DELETE (not awaited: it only frees the server's memory).
 */
import { classifyApiError } from '../databricks/api-errors.js';
import type { HttpClient, RawResponse } from '../databricks/http.js';
import { NetworkError } from '../databricks/network.js';
import { SseParser } from '../proxy/sse.js';
import { redact } from '../secrets.js';
import {
  initializedNotification, initializeRequest, messagesOf, PROTOCOL_VERSION, readInitialize, readTools, toolsListRequest,
  type JsonRpcMessage,
} from './protocol.js';
import type { HandshakeError, HandshakeOptions, HandshakeResult } from './types.js';

const MAX_TOOL_PAGES = 20;

class StepError extends Error {
  constructor(readonly detail: HandshakeError) {
    super(detail.message);
  }
}

function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The JSON-RPC messages of a response body (JSON or text/event-stream). */
export function parseBody(res: RawResponse): JsonRpcMessage[] {
  const type = (header(res, 'content-type') ?? '').toLowerCase();
  if (type.includes('text/event-stream')) {
    const p = new SseParser();
    const events = [...p.push(res.text), ...p.push('\n\n'), ...p.end()];
    return events.flatMap((e) => {
      try {
        return messagesOf(JSON.parse(e.data));
      } catch {
        return [];
      }
    });
  }
  return messagesOf(res.json);
}

/** Runs the handshake against `url` with `headers` as the client would send them. */
export async function httpHandshake(url: string, headers: Record<string, string>, opts: HandshakeOptions & { http: HttpClient }): Promise<HandshakeResult> {
  const endAt = Date.now() + opts.timeoutMs;
  let sessionId: string | undefined;
  let negotiated = PROTOCOL_VERSION;
  let nextId = 1;

  const send = async (step: HandshakeError['step'], msg: JsonRpcMessage): Promise<RawResponse> => {
    const left = endAt - Date.now();
    if (left <= 0 || opts.signal?.aborted) throw new StepError({ kind: 'timeout', step, message: `no answer to ${step} in time` });
    const h: Record<string, string> = {
      ...headers,
      accept: 'application/json, text/event-stream',
      ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
      ...(msg.method !== 'initialize' ? { 'mcp-protocol-version': negotiated } : {}),
    };
    try {
      return await opts.http.raw({ method: 'POST', url, headers: h, body: msg, timeoutMs: left });
    } catch (e) {
      if (e instanceof NetworkError) {
        if (e.network === 'timeout') throw new StepError({ kind: 'timeout', step, message: redact(e.message), network: 'timeout', hint: e.hint });
        throw new StepError({ kind: 'network', step, message: redact(e.message), network: e.network, hint: e.hint });
      }
      throw e;
    }
  };

  const request = async (step: 'initialize' | 'tools/list', msg: JsonRpcMessage): Promise<{ result: unknown; res: RawResponse }> => {
    const res = await send(step, msg);
    const messages = res.status < 300 ? parseBody(res) : [];
    const reply = messages.find((m) => m.id === msg.id && (m.result !== undefined || m.error !== undefined));
    if (res.status >= 300 || (!reply && res.status >= 400)) {
      // A JSON-RPC error body (e.g. the SDK's "Session not found") is reported as such.
      const rpc = messagesOf(res.json).find((m) => m.error);
      const api = classifyApiError(res.status, res.json ?? res.text, res.headers);
      throw new StepError({
        kind: 'http',
        step,
        status: res.status,
        api,
        message: redact(`HTTP ${res.status} ${api.errorCode ? `${api.errorCode}: ` : ''}${rpc?.error?.message ?? api.message}`),
      });
    }
    if (!reply) throw new StepError({ kind: 'protocol', step, message: `the server answered ${step} without a JSON-RPC response` });
    if (reply.error) {
      throw new StepError({
        kind: 'rpc',
        step,
        rpcCode: reply.error.code,
        rpcData: reply.error.data,
        message: redact(`${step} failed: ${reply.error.message ?? 'error'}${reply.error.code !== undefined ? ` (${reply.error.code})` : ''}`),
      });
    }
    return { result: reply.result, res };
  };

  try {
    const init = await request('initialize', initializeRequest(nextId++, opts.clientVersion ?? '0.0.0'));
    sessionId = header(init.res, 'mcp-session-id');
    const info = readInitialize(init.result);
    if (info.protocolVersion) negotiated = info.protocolVersion;
    const note = await send('initialized', initializedNotification);
    if (note.status >= 400) {
      const api = classifyApiError(note.status, note.json ?? note.text, note.headers);
      throw new StepError({ kind: 'http', step: 'initialized', status: note.status, api, message: redact(`HTTP ${note.status}: ${api.message}`) });
    }
    const tools: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page++) {
      const { result } = await request('tools/list', toolsListRequest(nextId++, cursor));
      const r = readTools(result);
      tools.push(...r.names);
      cursor = r.nextCursor;
      if (!cursor) break;
    }
    return { ok: true, tools, ...info, sessionId: sessionId !== undefined };
  } catch (e) {
    if (e instanceof StepError) return { ok: false, tools: [], error: e.detail };
    throw e;
  } finally {
    if (sessionId) {
      // Best effort, bounded, never awaited: a slow DELETE must not slow the report.
      void opts.http
        .raw({ method: 'DELETE', url, headers: { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': negotiated }, timeoutMs: 2_000 })
        .catch(() => undefined);
    }
  }
}
