/**
 * What one MCP client is, as data: everything dbx-mcp knows about a client lives in its
 * definition under catalog/<id>.ts. Adding a client is one such file plus its test; the
 * compiler checks every member, so nothing is "quietly undefined".
 */
import type { CodecOptions, ConfigFormat } from '../../config/codecs/codec.js';
import type { PathInput } from '../types.js';
import type { McpEra } from '../../mcp/types.js';
import type { Fact, ManagedFacts } from './managed.js';

/**
 * How a client writes environment references inside its file (`none`: it cannot):
 * `env-colon` `${env:NAME}`, `shell` `${NAME}`, `env-brace` `{env:NAME}` (OpenCode).
 */
export type EnvRefSyntax = 'none' | 'env-colon' | 'shell' | 'env-brace';

/** A command line as the client spawns it. */
export interface StdioCommand {
  command: string;
  args: string[];
}

/**
 * One entry of a client's file, normalised (the inverse of the dialect's entry functions):
 * how the client starts or calls the server, whatever the keys are called in its file.
 */
export type ReadEntry = (
  | { transport: 'stdio'; command: string; args: string[]; env: Record<string, unknown>; cwd?: string }
  | {
      transport: 'http';
      url: string;
      headers: Record<string, unknown>;
      oauth?: Record<string, unknown>;
      /** The variable the client sends as `Authorization: Bearer <value>` (Codex's `bearer_token_env_var`). */
      tokenEnvVar?: string;
    }
) & {
  /** The client will not start it (`disabled: true`; Goose's `enabled: false`). */
  disabled?: boolean;
};

/**
 * The entry dialect: one function per entry shape, so a client whose entries look different
 * (a command array, `cmd`/`envs`, `uri`…) is a new function, not a new flag in the renderer.
 */
export interface ClientDialect {
  /** A stdio entry (the proxy, mcp-remote); `env` only when the entry needs one. */
  stdioEntry: (cmd: StdioCommand, env?: Record<string, string>) => Record<string, unknown>;
  /** Native streamable-HTTP entry with headers; undefined: the client cannot (Claude Desktop). */
  httpEntry?: (url: string, headers: Record<string, string>) => Record<string, unknown>;
  /**
   * Native streamable-HTTP entry that names the variable holding the bearer token, for clients
   * that read it themselves instead of interpolating `${…}` in a header; undefined: none.
   */
  envTokenEntry?: (url: string, tokenEnvVar: string, staticHeaders?: Record<string, string>) => Record<string, unknown>;
  /** Native OAuth entry with a pre-registered client; undefined: use mcp-remote. */
  oauthEntry?: (url: string, clientId: string, callbackPort: number) => Record<string, unknown>;
  /**
   * Top-level keys of the file an OAuth entry needs besides itself (Codex's
   * `mcp_oauth_callback_port`); written only where the file has no such key yet.
   */
  oauthFileKeys?: (callbackPort: number) => Record<string, unknown>;
  /** The entry with its own name inside (Goose repeats the map key as `name`); omitted: entries carry no name. */
  namedEntry?: (entry: Record<string, unknown>, name: string) => Record<string, unknown>;
  /**
   * Reads one entry back (list, doctor, ownership); undefined: not an MCP entry this client
   * understands. Omitted: today's JSON shapes (`command`/`args`/`env`, `url`/`serverUrl`/`httpUrl`
   * + `headers`, `oauth`/`auth`), see readJsonEntry.
   */
  readEntry?: (entry: unknown) => ReadEntry | undefined;
}

/** What doctor's shape rule sees of one remote entry in the client's file. */
export interface ShapeInput {
  name: string;
  entry: Record<string, unknown>;
  /** The entry's URL points at a Databricks workspace. */
  isDatabricks: boolean;
  /** dbx-mcp wrote this entry (so a re-add needs no --force). */
  owned: boolean;
}

/** One problem a shape rule found: doctor reports it as a failing `config-invalid` finding. */
export interface ShapeIssue {
  message: string;
  fix: string;
}

/**
 * Which MCP era (mcp/types.ts) the client's own streamable-HTTP entries (header, OAuth) speak.
 * A stdio entry speaks whatever its command speaks (the proxy bridges both). Doctor handshakes a
 * native entry in this era and diagnoses `protocol-mismatch` when the server speaks only the other.
 */
export interface EraFacts {
  /** What the newest version known speaks. */
  speaks: McpEra;
  /** The first version known to speak 2026-07-28, where older ones are legacy-only (the fix names it). */
  modernSince?: string;
  /** The versions before modernSince were measured (bisected) and speak only the legacy era; absent: they were not measured. */
  olderMeasured?: true;
  fact: Fact;
}

/** One MCP client. */
export interface ClientDefinition<Id extends string = string> {
  readonly id: Id;
  readonly displayName: string;
  /** CLIs whose presence on PATH means the client is installed. */
  readonly binaries: readonly string[];
  /** Directories (or files) whose presence means the client is (or was) installed, most specific first. */
  detectionDirs(p: PathInput): string[];
  /** The per-user config file. */
  userPath(p: PathInput): string;
  /** The project config file under `cwd`; null: the client has no project file. */
  readonly projectPath: ((p: PathInput, cwd: string) => string) | null;
  /** The file format: a codec id (config/codecs/). */
  readonly format: ConfigFormat;
  /** How the codec must edit this client's file (e.g. never introduce a trailing comma); omitted: the codec's defaults. */
  readonly formatOptions?: CodecOptions;
  /** Where servers live inside the file, e.g. ['mcpServers']. */
  readonly serversPath: readonly string[];
  /** What a server name must match in this client's file; omitted: any name. */
  readonly namePattern?: RegExp;
  /** Why `--literal-token` in header mode is refused for this client; omitted: it is allowed. */
  readonly literalTokenRefusal?: string;
  readonly dialect: ClientDialect;
  readonly envRefs: EnvRefSyntax;
  /** A caveat of the client's env references, added to the notes of every entry that uses one (Kiro's approval). */
  readonly envRefNote?: string;
  /** A warning about a server name the client handles badly (Gemini's `_`); undefined: the name is fine. */
  nameWarning?(name: string): string | undefined;
  /** VS Code's `${input:…}` references: prompts doctor cannot resolve. */
  readonly promptInputs?: boolean;
  /** A GUI app launched from the Dock / Start menu: it does not see the shell's PATH. */
  readonly gui: boolean;
  /** Redirect URLs it uses with a pre-registered OAuth client; `port` is the pinned callback port. */
  oauthRedirects(port: number): string[];
  /** True when the client uses every one of its redirect URLs (so all must be registered). */
  readonly needsAllRedirects: boolean;
  /** A Databricks-published OAuth client it can use without a custom app. */
  readonly publishedOAuth?: { clientId: string; callbackPort?: number };
  /** Doctor's shape rules for a remote entry (one with a URL). */
  shapeRules(e: ShapeInput): ShapeIssue[];
  /** Doctor's rules for the whole parsed file (`file` is the path as shown to the user). */
  fileRules(doc: unknown, file: string): ShapeIssue[];
  /** The MCP era its native entries speak, and how sure that is. */
  readonly mcpEra: EraFacts;
  /** What an IT admin can deploy for this client system-wide (catalog/managed.ts); `fleet` and doctor read it. */
  readonly managed: ManagedFacts;
  /** What the user does so the client picks up the change. */
  readonly restartHint: string;
  /** What to do after an OAuth entry was written, shown by `init`. */
  readonly oauthSignInHint: string;
}

/** Declares a client; keeps the id's literal type so ClientId can be derived from the catalog. */
export function defineClient<const Id extends string>(def: ClientDefinition<Id>): ClientDefinition<Id> {
  return def;
}
