/**
 * One HTTP exchange with the MCP server (the shared transport directly: no SDK transport in
 * between, so every byte and header is ours to see) and the streaming decoding of its answer:
 * a JSON body or a `text/event-stream` read incrementally, each JSON-RPC message handed on as
 * soon as its event is complete.
 */
import { discard as discardBody, readText, type Response, type Transport } from '../databricks/transport.js';
import type { Abort } from '../util/abort.js';
import type { JsonRpcMessage } from './framing.js';
import { SseParser } from './sse.js';

export interface UpstreamConfig {
  url: URL;
  transport: Transport;
  userAgent: string;
  /** Sent on every request: the workspace routing header on a unified host (databricks/routing.ts). */
  routingHeaders?: Record<string, string>;
  /** Headers and body timeouts of POSTs (ms). Long: a Genie call can take minutes. */
  requestTimeoutMs: number;
}

export interface SendOptions {
  method: 'POST' | 'GET' | 'DELETE';
  body?: string;
  authorization?: string;
  sessionId?: string;
  protocolVersion?: string;
  lastEventId?: string;
  abort?: Abort;
  /** Overrides requestTimeoutMs (0 = none, for the long-lived GET stream). */
  timeoutMs?: number;
  /** Per-request protocol headers (modern era: MCP-Protocol-Version, Mcp-Method, Mcp-Name); win over the session's. */
  protocolHeaders?: Record<string, string>;
}

export type UpstreamResponse = Response;

/** Sends one request. Network failures throw (the caller decides whether it was sent). */
export function send(cfg: UpstreamConfig, o: SendOptions): Promise<UpstreamResponse> {
  const headers: Record<string, string> = {
    ...cfg.routingHeaders,
    'user-agent': cfg.userAgent,
    accept: o.method === 'GET' ? 'text/event-stream' : 'application/json, text/event-stream',
  };
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (o.authorization) headers.authorization = o.authorization;
  if (o.sessionId) headers['mcp-session-id'] = o.sessionId;
  if (o.protocolVersion) headers['mcp-protocol-version'] = o.protocolVersion;
  if (o.lastEventId !== undefined) headers['last-event-id'] = o.lastEventId;
  if (o.protocolHeaders) Object.assign(headers, o.protocolHeaders);
  return cfg.transport.send(cfg.url, { method: o.method, headers, body: o.body, abort: o.abort, timeoutMs: o.timeoutMs ?? cfg.requestTimeoutMs });
}

export function header(res: UpstreamResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function isEventStream(res: UpstreamResponse): boolean {
  return /^\s*text\/event-stream/i.test(header(res, 'content-type') ?? '');
}

/** What reading a response body produced, for resumption and error decisions. */
export interface BodyResult {
  /** Last SSE event id (resume with GET + Last-Event-ID). */
  lastEventId?: string;
  /** Server-requested reconnection delay (SSE `retry:`). */
  retryMs?: number;
  /** Set when the body broke off (reset, timeout) before it ended normally. */
  error?: unknown;
}

/** A decoded message plus its raw JSON text when that text can be written as it is. */
export type OnMessage = (msg: JsonRpcMessage, raw: string | undefined) => void | Promise<void>;

/** Hands every message of a JSON-RPC payload (object or batch array) to `onMessage`. */
export async function emitPayload(text: string, onMessage: OnMessage, onBadJson: (text: string) => void): Promise<void> {
  const trimmed = text.trim();
  if (!trimmed) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    onBadJson(trimmed);
    return;
  }
  if (Array.isArray(parsed)) {
    for (const m of parsed) if (m && typeof m === 'object') await onMessage(m as JsonRpcMessage, undefined);
  } else if (parsed && typeof parsed === 'object') {
    await onMessage(parsed as JsonRpcMessage, trimmed);
  }
}

/**
 * Reads a 2xx body to its end, JSON or SSE, calling `onMessage` for each JSON-RPC message.
 * `parser` may be passed in so that a resumed stream continues the same event-id sequence.
 */
export async function readBody(res: UpstreamResponse, onMessage: OnMessage, onBadJson: (text: string) => void, parser?: SseParser): Promise<BodyResult> {
  if (!isEventStream(res)) {
    try {
      const text = await readText(res.body);
      await emitPayload(text, onMessage, onBadJson);
      return {};
    } catch (error) {
      return { error };
    }
  }
  const p = parser ?? new SseParser();
  try {
    for await (const chunk of res.body) {
      for (const ev of p.push(chunk as Uint8Array)) {
        if (ev.event !== 'message') continue; // other event types are not MCP messages
        await emitPayload(ev.data, onMessage, onBadJson);
      }
    }
    for (const ev of p.end()) if (ev.event === 'message') await emitPayload(ev.data, onMessage, onBadJson);
    return { lastEventId: p.lastEventId, retryMs: p.retryMs };
  } catch (error) {
    return { lastEventId: p.lastEventId, retryMs: p.retryMs, error };
  }
}

/** Reads a (small) error body as text, bounded, never throwing. */
export async function readErrorText(res: UpstreamResponse, limit = 64 * 1024): Promise<string> {
  try {
    return (await readText(res.body, limit)).slice(0, limit);
  } catch {
    return '';
  }
}

/** Discards a body so the connection returns to the pool. */
export function discard(res: UpstreamResponse): void {
  discardBody(res.body);
}
