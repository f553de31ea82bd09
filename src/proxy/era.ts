/**
 * MCP eras on the wire. Legacy (2025-11-25 and earlier) negotiates once with `initialize` and
 * a session; modern (2026-07-28 and later) carries its protocol version in every request's
 * `params._meta` and, on HTTP, in the `MCP-Protocol-Version`, `Mcp-Method` and (for named
 * calls) `Mcp-Name` headers, which a modern server requires and checks against the body
 * (400 `-32020` otherwise; source: MCP 2026-07-28 basic/transports, and
 * `@modelcontextprotocol/client` 2.4.0 `_applyBodyDerivedHeaders`, whose rules this mirrors).
 */
import type { JsonRpcMessage } from './framing.js';

export const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';

/** The params field `Mcp-Name` mirrors, per method. */
const NAME_SOURCE: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';

/** Header-safe value: printable ASCII as is, anything else base64 in the spec's sentinel. */
export function encodeHeaderValue(s: string): string {
  const plain = s.length > 0 && s === s.trim() && !(s.startsWith(SENTINEL_PREFIX) && s.endsWith(SENTINEL_SUFFIX))
    && [...s].every((c) => c === '\t' || (c >= ' ' && c <= '~'));
  return plain ? s : `${SENTINEL_PREFIX}${Buffer.from(s, 'utf8').toString('base64')}${SENTINEL_SUFFIX}`;
}

/** The modern protocol version a message claims in its `_meta`, if any. */
export function modernVersionOf(m: JsonRpcMessage): string | undefined {
  const meta = (m.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
  const v = meta && typeof meta === 'object' ? meta[PROTOCOL_VERSION_META_KEY] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/**
 * The per-request headers of a modern request (a single request, not a batch: batches are
 * legacy-only), or undefined for anything else, which then goes out exactly as before.
 */
export function modernHeaders(msgs: JsonRpcMessage[], batch: boolean): Record<string, string> | undefined {
  if (batch || msgs.length !== 1) return undefined;
  const m = msgs[0]!;
  if (typeof m.method !== 'string' || m.id === undefined || m.id === null) return undefined;
  const version = modernVersionOf(m);
  if (version === undefined) return undefined;
  const headers: Record<string, string> = { 'mcp-protocol-version': version, 'mcp-method': m.method };
  const field = NAME_SOURCE[m.method];
  const value = field ? (m.params as Record<string, unknown> | undefined)?.[field] : undefined;
  if (typeof value === 'string') headers['mcp-name'] = encodeHeaderValue(value);
  return headers;
}
