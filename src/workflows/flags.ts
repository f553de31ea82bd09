/**
 * Command flags declared once: each flag's commander syntax, help text, default and the rule
 * its value must follow. program.ts builds the commander options from these (cli-flags.ts:
 * optionOf) and the commands validate what commander parsed with the zod schema built from the
 * same declaration (parse-options.ts: optionsSchema), so a flag and its check cannot drift.
 *
 * No zod here: program.ts reads this module to print `--help`.
 */
import { addKinds, initFlagSyntax, initOptionKey, kindDef, type ServerFlagTypes } from '../databricks/server-kinds/index.js';
import { CLIENT_IDS } from '../clients/catalog/index.js';
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_ID_RULE } from '../oauth/client-id.js';

interface FlagBase {
  /** Commander syntax: `--client <ids>`, `--force`. The option key is its camel-cased long name. */
  flags: string;
  description: string;
}
/** A flag without a value (`--force`); `negatable`: declared `--no-<key>`, true unless given. */
export interface BooleanFlag extends FlagBase {
  type: 'boolean';
  negatable?: true;
}
/** One value, free or from `choices`, or following `pattern`; `required`: the command needs it. */
export interface StringFlag extends FlagBase {
  type: 'string';
  choices?: readonly [string, ...string[]];
  default?: string;
  required?: true;
  pattern?: { regex: RegExp; message: string };
  maxLength?: number;
}
/** A flag whose value may be left out (`--save-manifest [path]`): the value, or true. */
export interface OptionalValueFlag extends FlagBase {
  type: 'optional-value';
}
/** A repeatable, comma-separated list (cli-flags.ts: listFlag); `pattern` applies to each item. */
export interface ListFlag extends FlagBase {
  type: 'list';
  pattern?: { regex: RegExp; message: string };
}
/** A number in [min, max] (cli-flags.ts: numberFlag). */
export interface NumberFlag extends FlagBase {
  type: 'number';
  range: { min: number; max: number; integer?: boolean; unit?: string };
  default?: number;
  /**
   * The domain checks the range itself, in its own words and with rules across flags (oauth
   * register's TTLs: tokenPolicy): the schema asks only for a number, so it does not pre-empt it.
   */
  rangeCheckedByDomain?: true;
}
export type FlagSpec = BooleanFlag | StringFlag | OptionalValueFlag | ListFlag | NumberFlag;

/** A command's flags by option key (what commander's `opts()` names them), in help order. */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The value a flag parses to. */
export type ValueOf<F extends FlagSpec> = F extends BooleanFlag
  ? boolean
  : F extends ListFlag
    ? string[]
    : F extends NumberFlag
      ? number
      : F extends OptionalValueFlag
        ? string | true
        : F extends { choices: readonly (infer C)[] }
          ? C
          : string;

/** A flag's parsed value: a flag with a default (or required) always has one; the others may be absent. */
export type FlagValue<F extends FlagSpec> = F extends { default: string | number } | { negatable: true } | { required: true } ? ValueOf<F> : ValueOf<F> | undefined;

const SERVER_NAME = { regex: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, message: 'a server name is letters, digits, "-" and "_" (at most 64 characters)' };

/** Flags shared by `init` and every `add` (contract: Commands). */
export const WRITER_FLAGS = {
  client: {
    flags: '--client <ids>',
    description: `clients to write (comma-separated or repeated): ${CLIENT_IDS.join(', ')}; default: every detected client`,
    type: 'list',
  },
  scope: { flags: '--scope <scope>', description: "user (the client's per-user file) or project (a file in this repository)", type: 'string', choices: ['user', 'project'], default: 'user' },
  auth: { flags: '--auth <mode>', description: 'how the client authenticates', type: 'string', choices: ['proxy', 'header', 'oauth', 'mcp-remote'] },
  name: { flags: '--name <name>', description: 'server name to write (default: derived from the target)', type: 'string', pattern: SERVER_NAME },
  clientId: { flags: '--client-id <id>', description: 'OAuth client id (auth mode oauth)', type: 'string', pattern: { regex: OAUTH_CLIENT_ID, message: OAUTH_CLIENT_ID_RULE } },
  callbackPort: { flags: '--callback-port <port>', description: 'OAuth callback port for clients that pin one (1024..65535)', type: 'number', range: { min: 1024, max: 65535, integer: true } },
  tokenEnv: {
    flags: '--token-env <name>',
    description: 'environment variable the header entry references',
    type: 'string',
    default: 'DATABRICKS_TOKEN',
    pattern: { regex: /^[A-Za-z_][A-Za-z0-9_]*$/, message: 'an environment variable name' },
  },
  // Says what happens, not what one might hope: the contract's mcp-remote form carries
  // `Bearer <token>` in the entry's env in user scope (the clients it serves, Claude Desktop
  // first, start it without the shell's variables), so the flag only switches header mode.
  literalToken: {
    flags: '--literal-token',
    description: 'header: write the token itself into a user-scoped file (mode 0600) instead of an environment reference. mcp-remote entries carry the token in user scope with or without it (project scope: a reference)',
    type: 'boolean',
  },
  proxyCommand: { flags: '--proxy-command <cmd>', description: 'command that launches dbx-mcp in proxy entries (default: this installation)', type: 'string' },
  meta: {
    flags: '--meta <key=value>',
    description: 'proxy: add _meta fields to tools/call (repeatable)',
    type: 'list',
    pattern: { regex: /^[^=\s]+=.*$/, message: 'expected key=value, e.g. --meta warehouse_id=abcdef1234567890' },
  },
  force: { flags: '--force', description: 'take over a same-named entry that dbx-mcp did not write', type: 'boolean' },
} as const satisfies FlagSpecs;

/** Flags every command takes (commander adds `-V, --version` itself). */
export const GLOBAL_FLAGS = {
  profile: { flags: '--profile <name>', description: 'Databricks profile (default: DATABRICKS_CONFIG_PROFILE, [__settings__] default_profile, [DEFAULT])', type: 'string' },
  json: { flags: '--json', description: 'machine-readable output on stdout', type: 'boolean' },
  yes: { flags: '-y, --yes', description: 'accept the plan without asking', type: 'boolean' },
  dryRun: { flags: '--dry-run', description: 'print the plan (a diff of every file) and change nothing', type: 'boolean' },
  verbose: { flags: '--verbose', description: 'more output on stderr', type: 'boolean' },
  quiet: { flags: '--quiet', description: 'less output on stderr', type: 'boolean' },
} as const satisfies FlagSpecs;

/** One flag per kind of the server-kind table: `--genie <space_id>` (repeatable), `--sql`, … */
function serverKindFlags(): { [K in keyof ServerFlagTypes]: ServerFlagTypes[K] extends 'list' ? ListFlag : BooleanFlag } {
  return Object.fromEntries(
    addKinds.map((k) => {
      const { value, description } = kindDef(k).initFlag;
      return [initOptionKey(k), { flags: initFlagSyntax(k), description, type: value ? 'list' : 'boolean' }];
    }),
  ) as never;
}

/** `init`'s own flags, after the writer flags. */
export const INIT_FLAGS = {
  demo: { flags: '--demo [host]', description: 'run against a built-in emulated workspace with a temporary HOME (touches nothing of yours); `--demo unified`: behind an emulated unified host', type: 'optional-value' },
  ...serverKindFlags(),
  from: { flags: '--from <manifest>', description: 'take servers, clients and auth mode from a team manifest (dbx-mcp.json)', type: 'string' },
  saveManifest: { flags: '--save-manifest [path]', description: 'write the choices as a team manifest (default ./dbx-mcp.json)', type: 'optional-value' },
  oauthProfile: { flags: '--oauth-profile <name>', description: 'account profile used to register the OAuth app (auth mode oauth)', type: 'string' },
  verify: { flags: '--no-verify', description: 'skip the MCP handshake after writing', type: 'boolean', negatable: true },
  install: { flags: '--no-install', description: 'when run from npx, do not offer a permanent install', type: 'boolean', negatable: true },
} as const satisfies FlagSpecs;

export const REMOVE_FLAGS = {
  client: { flags: '--client <ids>', description: 'clients (default: all)', type: 'list' },
  scope: { flags: '--scope <scope>', description: 'user or project', type: 'string', choices: ['user', 'project'], default: 'user' },
  force: { flags: '--force', description: 'also remove a same-named entry dbx-mcp did not write', type: 'boolean' },
} as const satisfies FlagSpecs;

export const LIST_FLAGS = {
  client: { flags: '--client <ids>', description: 'clients (default: all)', type: 'list' },
  scope: { flags: '--scope <scope>', description: 'user or project', type: 'string', choices: ['user', 'project'] },
} as const satisfies FlagSpecs;

export const TOKEN_FLAGS = {
  headers: { flags: '--headers', description: 'print {"Authorization":"Bearer …"} (a Claude Code headersHelper)', type: 'boolean' },
} as const satisfies FlagSpecs;

export const LOGIN_FLAGS = {
  host: { flags: '--host <url>', description: 'workspace or account URL (default: the profile\'s host)', type: 'string' },
  accountId: { flags: '--account-id <id>', description: 'account id, for an account host (accounts.cloud.databricks.com)', type: 'string' },
  browser: { flags: '--no-browser', description: 'print the sign-in URL instead of opening a browser', type: 'boolean', negatable: true },
} as const satisfies FlagSpecs;

export const DOCTOR_FLAGS = {
  client: { flags: '--client <ids>', description: 'clients to inspect (default: all detected)', type: 'list' },
  strict: { flags: '--strict', description: 'exit 1 on warnings too', type: 'boolean' },
  timeout: { flags: '--timeout <seconds>', description: 'overall deadline (1..3600)', type: 'number', range: { min: 1, max: 3600, unit: 'seconds' }, default: 60 },
  only: { flags: '--only <ids>', description: 'run only these checks (ids or prefixes, comma-separated)', type: 'list' },
  skip: { flags: '--skip <ids>', description: 'skip these checks (ids or prefixes)', type: 'list' },
  format: { flags: '--format <format>', description: 'output format', type: 'string', choices: ['human', 'json', 'github'] },
  trustProject: { flags: '--trust-project', description: "also start this repository's own stdio entries (runs commands the repository chose)", type: 'boolean' },
} as const satisfies FlagSpecs;

export const OAUTH_REGISTER_FLAGS = {
  name: { flags: '--name <name>', description: 'integration name', type: 'string', default: 'dbx-mcp', maxLength: 100 },
  client: { flags: '--client <ids>', description: 'clients whose redirect URLs to register (default: all)', type: 'list' },
  connector: { flags: '--connector <ids>', description: 'also register web connectors: claude-ai, chatgpt (repeatable)', type: 'list' },
  callbackPort: { flags: '--callback-port <port>', description: 'pinned loopback callback port (1024..65535)', type: 'number', range: { min: 1024, max: 65535, integer: true } },
  confidential: { flags: '--confidential', description: 'create a confidential client (a secret is printed once)', type: 'boolean' },
  secretFile: { flags: '--secret-file <path>', description: 'with --confidential: write the secret to this file (mode 0600) instead of printing it', type: 'string' },
  scopes: { flags: '--scopes <scopes>', description: 'comma-separated scopes', type: 'string', default: 'all-apis,offline_access' },
  accessTokenTtl: { flags: '--access-token-ttl <minutes>', description: 'access token lifetime (5..1440)', type: 'number', range: { min: 5, max: 1440, integer: true, unit: 'minutes' }, rangeCheckedByDomain: true },
  refreshTokenTtl: { flags: '--refresh-token-ttl <minutes>', description: 'refresh token lifetime (5..129600)', type: 'number', range: { min: 5, max: 129600, integer: true, unit: 'minutes' }, rangeCheckedByDomain: true },
} as const satisfies FlagSpecs;

export const SYNC_FLAGS = {
  check: { flags: '--check', description: 'exit 1 with the diff when this machine does not match (changes nothing)', type: 'boolean' },
  manifest: { flags: '--manifest <path>', description: 'manifest file (default: dbx-mcp.json in this directory or an ancestor)', type: 'string' },
  client: { flags: '--client <ids>', description: "clients (default: the manifest's, else detected)", type: 'list' },
  scope: { flags: '--scope <scope>', description: 'user or project', type: 'string', choices: ['user', 'project'] },
  force: { flags: '--force', description: 'take over same-named entries dbx-mcp did not write', type: 'boolean' },
  proxyCommand: { flags: '--proxy-command <cmd>', description: 'command that launches dbx-mcp in proxy entries', type: 'string' },
} as const satisfies FlagSpecs;

export const ONBOARDING_SCRIPT_FLAGS = {
  shell: { flags: '--shell <shell>', description: 'script language', type: 'string', choices: ['bash', 'powershell'], default: 'bash' },
  manifest: { flags: '--manifest <path>', description: 'manifest file (default: dbx-mcp.json in this directory or an ancestor)', type: 'string' },
  out: { flags: '--out <file>', description: 'write to a file instead of stdout', type: 'string' },
  force: { flags: '--force', description: 'replace an --out file that is not an onboarding script dbx-mcp generated (a backup is kept)', type: 'boolean' },
} as const satisfies FlagSpecs;

/** `fleet`'s flags (the manifest's `fleet` key gives the same defaults). */
export const FLEET_FLAGS = {
  manifest: { flags: '--manifest <path>', description: 'manifest file (default: dbx-mcp.json in this directory or an ancestor)', type: 'string' },
  mode: { flags: '--mode <mode>', description: 'fixed (exactly these servers) or catalog (an allowlist users add from)', type: 'string', choices: ['fixed', 'catalog'] },
  out: { flags: '--out <dir>', description: 'output folder (default: dbx-mcp-fleet next to the manifest)', type: 'string' },
  os: { flags: '--os <oses>', description: 'macos, windows, linux (default: all three)', type: 'list' },
  client: { flags: '--client <ids>', description: 'clients with managed files: claude-code, codex, gemini (default: all)', type: 'list' },
  check: { flags: '--check', description: 'exit 1 with the diff when the folder does not match the manifest (changes nothing)', type: 'boolean' },
  force: { flags: '--force', description: 'write into an --out folder whose README.md dbx-mcp fleet did not generate', type: 'boolean' },
} as const satisfies FlagSpecs;

/** `fleet install`'s flags. */
export const FLEET_INSTALL_FLAGS = {
  root: { flags: '--root <dir>', description: 'install under this prefix instead of / (images, tests)', type: 'string' },
} as const satisfies FlagSpecs;

/** `proxy`'s flags; proxy/argv.ts parses them on the fast path (a test keeps its list equal to these keys). */
export const PROXY_FLAGS = {
  url: { flags: '--url <mcp-url>', description: 'the MCP server URL', type: 'string', required: true },
  meta: { flags: '--meta <key=value>', description: 'add _meta fields to tools/call (repeatable)', type: 'list' },
  caBundle: { flags: '--ca-bundle <file>', description: 'extra CA certificates (PEM)', type: 'string' },
  logLevel: { flags: '--log-level <level>', description: 'stderr log level: error, warn, info, debug', type: 'string', default: 'warn' },
} as const satisfies FlagSpecs;
