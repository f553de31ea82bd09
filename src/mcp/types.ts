/** Public types of the MCP handshake (used by doctor and by init's verify step). */
import type { ApiErrorInfo } from '../databricks/api-errors.js';
import type { HttpClient } from '../databricks/http.js';
import type { NetworkKind } from '../databricks/network.js';
import type { ServerInfo } from './protocol.js';

/**
 * MCP eras (2026-07-28 basic/versioning): `legacy` (`initialize` and a session, 2025-11-25 and
 * earlier), `modern` (2026-07-28 and later: the version in every request, `server/discover`),
 * `dual` (both).
 */
export type McpEra = 'legacy' | 'modern' | 'dual';

/** The protocol a handshake found the server speaking. */
export interface ProtocolSeen {
  /** `dual` only when both eras were seen to work. */
  era: McpEra;
  /** The revision the handshake spoke with it. */
  version: string;
}

/** Where to talk to a server, exactly as a client would. */
export type HandshakeTarget =
  | {
      transport: 'http';
      url: string;
      /** Headers as the client sends them (env references already resolved). */
      headers?: Record<string, string>;
    }
  | {
      transport: 'stdio';
      command: string;
      args: string[];
      /**
       * The complete environment of the child. Callers build it like the client does (a GUI
       * client: a minimal PATH plus HOME plus the entry's own `env`); nothing is inherited.
       */
      env: Record<string, string>;
      cwd?: string;
    };

export type HandshakeErrorKind = 'http' | 'network' | 'rpc' | 'protocol' | 'timeout' | 'spawn' | 'exit' | 'protocol-mismatch';

export interface HandshakeError {
  kind: HandshakeErrorKind;
  /** One line, redacted. */
  message: string;
  /** Which step failed. */
  step: 'initialize' | 'initialized' | 'server/discover' | 'tools/list' | 'spawn';
  /** HTTP status (http transport). */
  status?: number;
  /** The classified Databricks error of an HTTP failure. */
  api?: ApiErrorInfo;
  network?: NetworkKind;
  /** Hint from the network classification. */
  hint?: string;
  /** JSON-RPC error code and data (from the server or a stdio proxy). */
  rpcCode?: number;
  rpcData?: unknown;
  /** The last lines the stdio child wrote to stderr (redacted). */
  stderr?: string;
  exitCode?: number | null;
}

export interface HandshakeResult {
  ok: boolean;
  tools: string[];
  serverInfo?: ServerInfo;
  protocolVersion?: string;
  /** The server's era as seen (for a `protocol-mismatch`: the era it does speak, and the tools it listed in it). */
  protocol?: ProtocolSeen;
  sessionId?: boolean;
  error?: HandshakeError;
}

export interface HandshakeOptions {
  /** Bound for the whole handshake. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** HTTP client (proxy/CA aware); required for http targets. */
  http?: HttpClient;
  /** Version sent in clientInfo. */
  clientVersion?: string;
  /**
   * The era the entry's client speaks (HTTP targets; default legacy): `dual` tries
   * `server/discover` first and falls back to `initialize`, as Claude Code 2.1.332 does.
   */
  era?: McpEra;
}
