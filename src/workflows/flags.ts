/**
 * Command flags declared once: each flag's commander syntax, help text, default and the rule
 * its value must follow. program.ts builds the commander options from these (cli-flags.ts:
 * optionOf) and the commands validate what commander parsed with the zod schema built from the
 * same declaration (parse-options.ts: optionsSchema), so a flag and its check cannot drift.
 *
 * No zod here: program.ts reads this module to print `--help`.
 */
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_ID_RULE } from '../oauth/client-id.js';

interface FlagBase {
  /** Commander syntax: `--client <ids>`, `--force`. The option key is its camel-cased long name. */
  flags: string;
  description: string;
}
/** A flag without a value (`--force`). */
export interface BooleanFlag extends FlagBase {
  type: 'boolean';
}
/** One value, free or from `choices`, or following `pattern`. */
export interface StringFlag extends FlagBase {
  type: 'string';
  choices?: readonly [string, ...string[]];
  default?: string;
  pattern?: { regex: RegExp; message: string };
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
}
export type FlagSpec = BooleanFlag | StringFlag | ListFlag | NumberFlag;

/** A command's flags by option key (what commander's `opts()` names them). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The value a flag parses to. */
export type ValueOf<F extends FlagSpec> = F extends BooleanFlag
  ? boolean
  : F extends ListFlag
    ? string[]
    : F extends NumberFlag
      ? number
      : F extends { choices: readonly (infer C)[] }
        ? C
        : string;

/** A flag's parsed value: a flag with a default always has one; the others may be absent. */
export type FlagValue<F extends FlagSpec> = F extends { default: string } ? ValueOf<F> : ValueOf<F> | undefined;

const SERVER_NAME = { regex: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, message: 'a server name is letters, digits, "-" and "_" (at most 64 characters)' };

/** Flags shared by `init` and every `add` (contract: Commands). */
export const WRITER_FLAGS = {
  client: {
    flags: '--client <ids>',
    description: 'clients to write (comma-separated or repeated): claude-desktop, cursor, claude-code, windsurf, vscode; default: every detected client',
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
  literalToken: { flags: '--literal-token', description: 'header/mcp-remote: write the token itself into a user-scoped file (mode 0600)', type: 'boolean' },
  proxyCommand: { flags: '--proxy-command <cmd>', description: 'command that launches dbx-mcp in proxy entries (default: this installation)', type: 'string' },
  meta: {
    flags: '--meta <key=value>',
    description: 'proxy: add _meta fields to tools/call (repeatable)',
    type: 'list',
    pattern: { regex: /^[^=\s]+=.*$/, message: 'expected key=value, e.g. --meta warehouse_id=abcdef1234567890' },
  },
  force: { flags: '--force', description: 'take over a same-named entry that dbx-mcp did not write', type: 'boolean' },
} as const satisfies FlagSpecs;
