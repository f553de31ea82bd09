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
