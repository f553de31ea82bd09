/**
 * The few JSON-RPC / MCP shapes the handshake needs. Hand-written on purpose: the CLI ships
 * no MCP SDK, and a handshake is three messages.
 */

/** Protocol version the handshake offers (Databricks' own clients send this one). */
export const PROTOCOL_VERSION = '2025-06-18';

export interface JsonRpcMessage {
  jsonrpc?: string;
  id?: string | number | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code?: number; message?: string; data?: unknown };
}

/** The first modern revision (MCP 2026-07-28): no initialize, no session, the version in every request. */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** Modern revisions are dated 2026-07-28 or later (ISO dates compare as strings). */
export const isModernVersion = (v: unknown): boolean => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= MODERN_PROTOCOL_VERSION;

/** UnsupportedProtocolVersionError: the server does not speak the requested revision (`data.supported` lists what it does). */
export const UNSUPPORTED_PROTOCOL_VERSION = -32022;

/** True when a refused legacy `initialize` says the server speaks only modern revisions. */
export function refusedAsModernOnly(code: unknown, data: unknown): boolean {
  const supported = (data as { supported?: unknown } | undefined)?.supported;
  return code === UNSUPPORTED_PROTOCOL_VERSION && Array.isArray(supported) && supported.length > 0 && supported.every(isModernVersion);
}

/** The `_meta` every modern request carries (protocol version, capabilities, identity). */
export function modernEnvelope(clientVersion: string): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL_VERSION,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': { name: 'dbx-mcp-doctor', version: clientVersion },
  };
}

export function discoverRequest(id: number, clientVersion: string): JsonRpcMessage {
  return { jsonrpc: '2.0', id, method: 'server/discover', params: { _meta: modernEnvelope(clientVersion) } };
}

/** serverInfo, the versions and the instructions of a server/discover result. */
export function readDiscover(result: unknown): { serverInfo?: ServerInfo; supportedVersions: string[] } {
  const r = (result ?? {}) as { supportedVersions?: unknown; _meta?: Record<string, unknown> };
  const info = r._meta?.['io.modelcontextprotocol/serverInfo'] as ServerInfo | undefined;
  return {
    ...(info && typeof info === 'object' ? { serverInfo: { name: info.name, version: info.version } } : {}),
    supportedVersions: Array.isArray(r.supportedVersions) ? r.supportedVersions.filter((v): v is string => typeof v === 'string') : [],
  };
}

export function initializeRequest(id: number, clientVersion: string): JsonRpcMessage {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'dbx-mcp-doctor', version: clientVersion } },
  };
}

export const initializedNotification: JsonRpcMessage = { jsonrpc: '2.0', method: 'notifications/initialized' };

export function toolsListRequest(id: number, cursor?: string): JsonRpcMessage {
  return { jsonrpc: '2.0', id, method: 'tools/list', params: cursor ? { cursor } : {} };
}

/** Parses one JSON value that may be a message or a batch; non-objects are dropped. */
export function messagesOf(value: unknown): JsonRpcMessage[] {
  const arr = Array.isArray(value) ? value : [value];
  return arr.filter((m): m is JsonRpcMessage => typeof m === 'object' && m !== null);
}

export interface ServerInfo {
  name?: string;
  version?: string;
}

/** Reads serverInfo/protocolVersion out of an initialize result. */
export function readInitialize(result: unknown): { serverInfo?: ServerInfo; protocolVersion?: string } {
  const r = (result ?? {}) as { serverInfo?: ServerInfo; protocolVersion?: string };
  return {
    ...(r.serverInfo && typeof r.serverInfo === 'object' ? { serverInfo: { name: r.serverInfo.name, version: r.serverInfo.version } } : {}),
    ...(typeof r.protocolVersion === 'string' ? { protocolVersion: r.protocolVersion } : {}),
  };
}

/** Tool names and the pagination cursor of a tools/list result. */
export function readTools(result: unknown): { names: string[]; nextCursor?: string } {
  const r = (result ?? {}) as { tools?: Array<{ name?: unknown }>; nextCursor?: unknown };
  const names = Array.isArray(r.tools) ? r.tools.map((t) => t?.name).filter((n): n is string => typeof n === 'string') : [];
  return { names, ...(typeof r.nextCursor === 'string' && r.nextCursor ? { nextCursor: r.nextCursor } : {}) };
}
