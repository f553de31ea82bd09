/**
 * Handshake over MCP streamable HTTP. Legacy: POST initialize, POST notifications/initialized,
 * POST tools/list (following nextCursor), each answered as one JSON body or as an SSE stream;
 * the Mcp-Session-Id from initialize is sent back on every later request, then the session is
 * closed with DELETE (not awaited: it only frees the server's memory). Modern (2026-07-28):
 * POST server/discover, then tools/list, each with the version in `_meta` and in the
 * `MCP-Protocol-Version` / `Mcp-Method` headers, no session.
 */
import { classifyApiError } from '../databricks/api-errors.js';
import type { HttpClient, RawResponse } from '../databricks/http.js';
import { NetworkError } from '../databricks/network.js';
import { SseParser } from '../proxy/sse.js';
import { redact } from '../secrets.js';
import { modernHeaders } from '../proxy/era.js';
import {
  discoverRequest, initializedNotification, initializeRequest, isModernVersion, messagesOf, MODERN_PROTOCOL_VERSION, modernEnvelope, PROTOCOL_VERSION,
  readDiscover, readInitialize, readTools, refusedAsModernOnly, toolsListRequest, type JsonRpcMessage, type ServerInfo,
} from './protocol.js';
import type { HandshakeError, HandshakeOptions, HandshakeResult, ProtocolSeen } from './types.js';

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

/**
 * Runs the handshake against `url` with `headers` as the client would send them, in the era the
 * client speaks (`opts.era`). When the server refuses that era the way the spec says a server
 * of the other era does, the other era is tried too: if it works, the result is a
 * `protocol-mismatch` that names the era the server speaks (and what it listed in it).
 */
export async function httpHandshake(url: string, headers: Record<string, string>, opts: HandshakeOptions & { http: HttpClient }): Promise<HandshakeResult> {
  const endAt = Date.now() + opts.timeoutMs;
  const era = opts.era ?? 'legacy';
  if (era === 'legacy') {
    const l = await eraHandshake('legacy', url, headers, opts, endAt);
    if (l.ok || !refusedAsModernOnly(l.error?.rpcCode, l.error?.rpcData)) return l;
    const m = await eraHandshake('modern', url, headers, opts, endAt);
    return m.ok ? mismatch('legacy', l.error!, m) : l;
  }
  const m = await eraHandshake('modern', url, headers, opts, endAt);
  if (m.ok || !refusedAsLegacyOnly(m.error!)) return m;
  // A dual-era client falls back to initialize by itself; a modern-only one cannot.
  const l = await eraHandshake('legacy', url, headers, opts, endAt);
  return era === 'dual' || !l.ok ? l : mismatch('modern', m.error!, l);
}

/** How a legacy-only server answers `server/discover` (the proxy's era bridge reads it the same way). */
function refusedAsLegacyOnly(e: HandshakeError): boolean {
  if (e.step !== 'server/discover') return false;
  return (e.kind === 'http' && (e.status === 400 || e.status === 404 || e.status === 405)) || (e.kind === 'rpc' && e.rpcCode === -32601);
}

function mismatch(clientEra: 'legacy' | 'modern', refused: HandshakeError, other: HandshakeResult): HandshakeResult {
  const serverEra = other.protocol?.era ?? (clientEra === 'legacy' ? 'modern' : 'legacy');
  return {
    ok: false,
    tools: other.tools,
    ...(other.serverInfo ? { serverInfo: other.serverInfo } : {}),
    ...(other.protocol ? { protocol: other.protocol } : {}),
    error: {
      ...refused,
      kind: 'protocol-mismatch',
      message: clientEra === 'legacy'
        ? `the server speaks only MCP ${other.protocol?.version ?? 'modern'} (${serverEra}) and refused the legacy initialize this client sends`
        : `the server speaks only legacy MCP (initialize and a session) and refused the ${MODERN_PROTOCOL_VERSION} requests this client sends`,
    },
  };
}

/** One era's handshake: legacy initialize + initialized + tools/list, or modern server/discover + tools/list. */
async function eraHandshake(era: 'legacy' | 'modern', url: string, headers: Record<string, string>, opts: HandshakeOptions & { http: HttpClient }, endAt: number): Promise<HandshakeResult> {
  let sessionId: string | undefined;
  let negotiated = era === 'modern' ? MODERN_PROTOCOL_VERSION : PROTOCOL_VERSION;
  let nextId = 1;
  const clientVersion = opts.clientVersion ?? '0.0.0';

  const send = async (step: HandshakeError['step'], msg: JsonRpcMessage): Promise<RawResponse> => {
    const left = endAt - Date.now();
    if (left <= 0 || opts.signal?.aborted) throw new StepError({ kind: 'timeout', step, message: `no answer to ${step} in time` });
    const h: Record<string, string> = {
      ...headers,
      accept: 'application/json, text/event-stream',
      ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
      ...(msg.method !== 'initialize' ? { 'mcp-protocol-version': negotiated } : {}),
      ...(era === 'modern' ? modernHeaders([msg as Record<string, unknown>], false) : {}),
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

  const request = async (step: 'initialize' | 'server/discover' | 'tools/list', msg: JsonRpcMessage): Promise<{ result: unknown; res: RawResponse }> => {
    const res = await send(step, msg);
    const messages = res.status < 300 ? parseBody(res) : [];
    const reply = messages.find((m) => m.id === msg.id && (m.result !== undefined || m.error !== undefined));
    if (res.status >= 300 || (!reply && res.status >= 400)) {
      // A JSON-RPC error body (e.g. the SDK's "Session not found", -32022 with `data.supported`) is reported as such.
      const rpc = messagesOf(res.json).find((m) => m.error);
      const api = classifyApiError(res.status, res.json ?? res.text, res.headers);
      throw new StepError({
        kind: 'http',
        step,
        status: res.status,
        api,
        ...(rpc?.error?.code !== undefined ? { rpcCode: rpc.error.code } : {}),
        ...(rpc?.error?.data !== undefined ? { rpcData: rpc.error.data } : {}),
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
    let info: { serverInfo?: ServerInfo; protocolVersion?: string };
    let protocol: ProtocolSeen;
    if (era === 'modern') {
      const d = readDiscover((await request('server/discover', discoverRequest(nextId++, clientVersion))).result);
      info = { ...(d.serverInfo ? { serverInfo: d.serverInfo } : {}), protocolVersion: MODERN_PROTOCOL_VERSION };
      protocol = { era: d.supportedVersions.some((v) => !isModernVersion(v)) ? 'dual' : 'modern', version: MODERN_PROTOCOL_VERSION };
    } else {
      const init = await request('initialize', initializeRequest(nextId++, clientVersion));
      sessionId = header(init.res, 'mcp-session-id');
      info = readInitialize(init.result);
      if (info.protocolVersion) negotiated = info.protocolVersion;
      protocol = { era: 'legacy', version: negotiated };
      const note = await send('initialized', initializedNotification);
      if (note.status >= 400) {
        const api = classifyApiError(note.status, note.json ?? note.text, note.headers);
        throw new StepError({ kind: 'http', step: 'initialized', status: note.status, api, message: redact(`HTTP ${note.status}: ${api.message}`) });
      }
    }
    const tools: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page++) {
      const list = toolsListRequest(nextId++, cursor);
      if (era === 'modern') list.params = { ...(list.params as object), _meta: modernEnvelope(clientVersion) };
      const { result } = await request('tools/list', list);
      const r = readTools(result);
      tools.push(...r.names);
      cursor = r.nextCursor;
      if (!cursor) break;
    }
    return { ok: true, tools, ...info, protocol, sessionId: sessionId !== undefined };
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
