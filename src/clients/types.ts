/**
 * Types shared by the client adapters: what a server is (ServerSpec), how an adapter
 * describes one MCP client (ClientAdapter), and what rendering an entry produces (Rendered).
 */
import type { CodecOptions, ConfigFormat } from '../config/codecs/codec.js';
import type { Ctx } from '../context.js';
import type { ServerKind as McpServerKind } from '../databricks/mcp-urls.js';

/** Stable client ids (contract: Clients), derived from the catalog. */
export type { ClientId } from './catalog/index.js';
import type { ClientId } from './catalog/index.js';

/** Contract "Auth modes". */
export type AuthMode = 'proxy' | 'header' | 'oauth' | 'mcp-remote';

/** `user`: the client's per-user file; `project`: the file inside the current repository. */
export type Scope = 'user' | 'project';

/** How a client starts dbx-mcp for `proxy` entries (absolute node + script, or npx + exact version). */
export interface Launcher {
  command: string;
  args: string[];
}

/** The kind of server an entry points at: a kind from the server-kind table, an app, or anything else (`other`). */
export type ServerKind = McpServerKind | 'other';

/** One server to write into a client. */
export interface ServerSpec {
  name: string;
  url: string;
  kind: ServerKind;
  auth: AuthMode;
  /** Databricks profile passed to `dbx-mcp proxy --profile`; omitted for environment-only auth. */
  profile?: string;
  /** Variable referenced by header / mcp-remote entries; default DATABRICKS_TOKEN. */
  tokenEnvVar?: string;
  /** `header --literal-token`, or the token for `mcp-remote`: written into the file as is. */
  literalToken?: string;
  /** Pre-registered OAuth client for `oauth` mode. */
  oauth?: { clientId: string; callbackPort?: number };
  /** How to start dbx-mcp for `proxy` entries. */
  launcher: Launcher;
  /** `--meta key=value` pairs forwarded by the proxy into tools/call `_meta`. */
  meta?: Record<string, string>;
  /**
   * The workspace routing header of a unified host (databricks/routing.ts), for entries that
   * call the server themselves (header, mcp-remote); proxy entries need none (the proxy adds it).
   */
  routingHeaders?: Record<string, string>;
}

/** Environment the pure path table needs; `listDir` lets it resolve globs without touching disk itself. */
export interface PathInput {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv | Record<string, string | undefined>;
  home: string;
  /** Project root for `project` scope; without it project paths are undefined. */
  cwd?: string;
  /** Names inside a directory, [] when it does not exist. Used for MSIX and windsurf-next. */
  listDir?: (dir: string) => string[];
}

/** Result of detecting one client. Never thrown: `reason` says why it was or was not found. */
export interface Detection {
  id: ClientId;
  detected: boolean;
  /** The user-scope config file dbx-mcp would write. */
  configPath?: string;
  configExists: boolean;
  reason: string;
  /** Not detected: what was looked for and not found (`no ~/.cursor and no \`cursor\` on PATH`). */
  missing?: string;
}

/** A rendered client entry and facts about it. */
export interface Rendered {
  entry: Record<string, unknown>;
  /** The mode actually written (e.g. Claude Desktop turns `header` into `proxy`). */
  effectiveAuth: AuthMode;
  /** The entry contains a literal token: the file must be user-scoped and mode 0600. */
  holdsSecret: boolean;
  /** Human-readable explanations, e.g. why Claude Desktop got proxy instead of header. */
  notes: string[];
  /** Top-level keys of the file the entry needs (Codex's OAuth callback port); set only where absent. */
  fileKeys?: Record<string, unknown>;
}

/** One MCP client: where its file is, how to detect it, how to write an entry for it. */
export interface ClientAdapter {
  readonly id: ClientId;
  readonly displayName: string;
  /** Where servers live inside the file: ['mcpServers'] or ['servers']. */
  readonly serversPath: string[];
  /** The file format (a codec id). */
  readonly format: ConfigFormat;
  /** How the codec edits this client's file (the definition's `formatOptions`). */
  readonly formatOptions?: CodecOptions;
  /** The config file for a scope; undefined when the client has no file for that scope. */
  configPath(p: PathInput, scope: Scope): string | undefined;
  /** Never throws; says why in `reason`. */
  detect(ctx: Ctx): Promise<Detection>;
  /** Pure. Throws UsageError only for impossible input (e.g. oauth without a client id). */
  render(spec: ServerSpec, platform: NodeJS.Platform): Rendered;
  /** What the user does so the client picks up the change. */
  readonly restartHint: string;
}
