/**
 * What a server kind is, as data: one `ServerKindDef` per kind, one file each, collected in
 * index.ts. Everything the CLI does with a kind reads its definition: `add`/`init`/manifest,
 * the workspace check (validate-target.ts), doctor's 404 wording, the auth restriction, the
 * team-manifest member (manifest/schema.ts builds the zod schema from it).
 *
 * Type-only imports here: program.ts reads the table at startup, so anything heavy a definition
 * needs (the workspace API) is `import()`ed inside the function that uses it.
 *
 * A kind also declares how doctor checks its access (`access`) and how the init wizard lists its
 * candidates (`pick`). Both get what they need from their caller (`AccessProbe`, `PickKit`):
 * doctor and init sit above this table and import it, so a kind file imports neither.
 */
import type { Ctx } from '../../context.js';
import type { Api } from '../api.js';
import type { AuthType } from '../auth-methods/index.js';

/** What a kind's access check found: doctor's check result (a warn or fail names its fix). */
export type AccessFinding =
  | { status: 'pass' | 'skip'; summary: string; fix?: string; data?: Record<string, unknown> }
  | { status: 'warn' | 'fail'; summary: string; fix: string; data?: Record<string, unknown> };

/** A Unity Catalog privilege on one securable, e.g. USE_SCHEMA on SCHEMA main.tools. */
export interface UcRequirement {
  type: string;
  name: string;
  privilege: string;
}

/** The wording of "not there, or not yours" for one target (doctor's 404/403). */
export interface NoAccess {
  what: string;
  fix: string;
  kind?: string;
}

/**
 * What doctor's grants check hands a kind (doctor/checks/server-grants.ts builds it): the
 * workspace, who is signed in, and doctor's readers of grants, so every kind words the same
 * problem the same way.
 */
export interface AccessProbe {
  api: Api;
  /** The signed-in user (SCIM userName). */
  user: string;
  /**
   * The best Permissions-API level the user (or one of their groups) holds on the object at
   * `path` (`/api/2.0/permissions/<type>/<id>`): undefined when none, null when the ACL cannot
   * be read (no verdict).
   */
  level(path: string): Promise<string | undefined | null>;
  /** `level` is at least `min` in the Permissions-API order (CAN_VIEW < CAN_RUN < CAN_USE < … < IS_OWNER). */
  atLeast(level: string | undefined | null, min: string): boolean;
  /** The first requirement the user does not meet, in order (ownership of a parent counts as all), or undefined. */
  unmet(reqs: UcRequirement[]): Promise<UcRequirement | undefined>;
  /** The user's effective Unity Catalog privileges on one securable (with their groups'). */
  held(type: string, name: string): Promise<Set<string>>;
  /** A missing Unity Catalog privilege as a finding, with the GRANT to ask for. */
  missing(r: UcRequirement): AccessFinding;
  /** A workspace error as a finding; a 404/403 reads as `notFound` (default: the kind's `noAccess`). */
  refused(e: unknown, notFound?: NoAccess): AccessFinding;
}

/** One candidate the user picked in the wizard: the target's parts, its title, anything worth a warning. */
export interface PickedTarget {
  parts: string[];
  title: string;
  warnings?: string[];
  /** The MCP URL, for a kind whose URL the listing told (`resolvesUrl`). */
  url?: string;
}

/** What the init wizard hands a kind's picker (init/servers-step.ts builds it). */
export interface PickKit {
  api: Api;
  /** The targets this kind's init flag named (pre-ticked when listed). */
  initial: string[];
  prompt: Ctx['prompt'];
  warn(message: string): void;
  info(message: string): void;
  /** Runs `fn` behind a spinner that says `text`. */
  listing<T>(text: string, fn: () => Promise<T>): Promise<T>;
  /** The first items of a long list, saying how many `what` were left out. */
  shortList<T>(items: T[], what: string): T[];
}

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
  /**
   * The init wizard, once this kind is ticked: list the workspace's candidates and let the user
   * pick (none visible: warn and return none). The wizard refuses a profile `refuseAuth` refuses
   * before calling it.
   */
  pick(kit: PickKit): Promise<PickedTarget[]>;
  /**
   * doctor's `server.<name>.grants`: what the signed-in user needs on this target, and whether
   * they have it. A workspace error may be thrown: doctor words it (`probe.refused`).
   */
  access(probe: AccessProbe, parts: readonly string[]): Promise<AccessFinding>;
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
  noAccess?(parts: readonly string[]): NoAccess | undefined;
  /**
   * Refuses a profile whose auth method this kind cannot use (checked before the network, so
   * nothing is written): the error line and its fix; undefined when the method is fine.
   */
  refuseAuth?(auth: KindAuth, profile: string | undefined): { message: string; hint: string } | undefined;
}
