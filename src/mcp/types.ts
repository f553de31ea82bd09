/** Public types of the MCP handshake (used by doctor and by init's verify step). */
import type { ApiErrorInfo } from '../databricks/api-errors.js';
import type { HttpClient } from '../databricks/http.js';
import type { NetworkKind } from '../databricks/network.js';
import type { ServerInfo } from './protocol.js';

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

export type HandshakeErrorKind = 'http' | 'network' | 'rpc' | 'protocol' | 'timeout' | 'spawn' | 'exit';

export interface HandshakeError {
  kind: HandshakeErrorKind;
  /** One line, redacted. */
  message: string;
  /** Which step failed. */
  step: 'initialize' | 'initialized' | 'tools/list' | 'spawn';
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
}
