/**
 * What a server kind is, as data: one `ServerKindDef` per kind, one file each, collected in
 * index.ts. Everything the CLI does with a kind reads its definition: `add`/`init`/manifest,
 * the workspace check (validate-target.ts), doctor's 404 wording, the auth restriction, the
 * team-manifest member (manifest/schema.ts builds the zod schema from it).
 *
 * Type-only imports here: program.ts reads the table at startup, so anything heavy a definition
 * needs (the workspace API) is `import()`ed inside the function that uses it.
 */
import type { Api } from '../api.js';
import type { AuthType } from '../auth-methods/index.js';

/** What validating a target found: the title the user recognises and anything worth a warning. */
export interface KindValidation {
  title: string;
  warnings: string[];
  /** The MCP URL, when the workspace had to tell it (`resolvesUrl`). */
  url?: string;
}

/** Turns a workspace "not found / no permission" into one clear error naming `what` and the fix; rethrows anything else. */
export type RefusedAs = (what: string, fix: string) => (e: unknown) => never;

/** What the user's profile signs in with, for a kind that only works with some auth methods. */
export interface KindAuth {
  type: AuthType;
  /** The method yields OAuth tokens (auth-methods table: `oauth`). */
  oauth: boolean;
  /** The profile's workspace, for a fix that names it (`databricks auth login --host …`). */
  host?: string;
}

export interface ServerKindDef {
  /** `add <kind>`: the positional argument (none for a kind without a target) and the description. */
  add: { argument?: { name: string; description: string }; description: string };
  /** `init --<kind>`: value syntax (none for a boolean flag, one server) and description. Repeatable when it takes a value. */
  initFlag: { value?: string; description: string };
  /** The init wizard's kind picker. */
  picker: { label: string; hint: string };
  /** The target's parts when `url` is this kind's MCP URL (recognising pasted URLs and client entries); undefined otherwise. */
  fromUrl(url: URL): string[] | undefined;
  /**
   * Parts of a typed target (already trimmed, a pasted URL already reduced to its parts).
   * Throws UsageError naming `raw`, what the user typed.
   */
  parse(t: string, raw: string): string[];
  /** The target inside a pasted URL that is not the kind's MCP URL (e.g. the Genie space's page). */
  targetOfPage?: (url: string) => string | undefined;
  /**
   * MCP URL of the target on the workspace `host`. A kind whose server is not on the workspace
   * (an app on its own host) cannot build it: it sets `resolvesUrl` and returns the URL from
   * `validate`; callers use `validated.url` first.
   */
  url(host: string, parts: readonly string[]): string;
  /** The URL is only known once `validate` has asked the workspace (see `url`). */
  resolvesUrl?: true;
  /** Default server name; `title` is what validation found (absent for a manifest, which names without network). */
  defaultName(parts: readonly string[], title?: string): string;
  /**
   * Checks the target exists and this identity can read it, before anything is written (add,
   * init, sync). Import the workspace API inside: this runs after startup, the table at it.
   */
  validate(api: Api, parts: readonly string[], refusedAs: RefusedAs): Promise<KindValidation>;
  /**
   * The team manifest's member for this kind (`{"type": "<kind>", "<key>": …}`): its target
   * field, absent for a kind without a target. `pattern` has no flags (JSON Schema cannot say
   * them); `normalize` is what `init` writes (default: as typed).
   */
  manifest?: { key: string; pattern: string; message: string; description: string; needs: string; normalize?: (t: string) => string };
  /**
   * A URL of this kind that no longer works (e.g. Genie One's space-less path, sunset in favour
   * of an MCP service): the error line and what to use instead; `add url` refuses it and doctor
   * reports it. Undefined for a live target.
   */
  retired?(parts: readonly string[]): { message: string; hint: string } | undefined;
  /** Doctor's wording when the server answers 404/403 for this target; undefined: the generic "no MCP server at <url>". */
  noAccess?(parts: readonly string[]): { what: string; fix: string; kind?: string } | undefined;
  /**
   * Refuses a profile whose auth method this kind cannot use (checked before the network, so
   * nothing is written): the error line and its fix; undefined when the method is fine.
   */
  refuseAuth?(auth: KindAuth, profile: string | undefined): { message: string; hint: string } | undefined;
}
