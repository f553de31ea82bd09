/**
 * The server-kind table: one definition per kind of Databricks MCP server that `add`, `init`
 * and the manifest can name, one file each (types.ts says what a definition carries: commands,
 * parsing, URLs (source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp), names,
 * the workspace check, doctor's 404 wording and grants check, the wizard's picker, an auth
 * restriction, the manifest member). Commands, init's flags and pickers, doctor's grants check and
 * the manifest are generated from it: a new kind is one file here plus its test rows, and the
 * compiler names every member it lacks.
 *
 * Kept free of heavy imports: program.ts reads it to build `--help` at startup; a definition
 * imports the workspace API inside `validate`.
 */
import { app } from './app.js';
import { external } from './external.js';
import { functions } from './functions.js';
import { genie } from './genie.js';
import { mcpService } from './mcp-service.js';
import { sql } from './sql.js';
import type { ServerKindDef } from './types.js';
import { vectorSearch } from './vector-search.js';

export type { AccessProbe, PickKit, RefusedAs, ServerKindDef } from './types.js';

/** A parsed target: its kind and the path parts after the kind, e.g. ['main','tools'] or ['<space_id>']. */
export interface KindTarget<K extends string> {
  kind: K;
  parts: string[];
}

/** Kinds `add`, `init` and the manifest can name, in the order help and pickers list them. */
export const SERVER_KINDS = {
  genie,
  'vector-search': vectorSearch,
  functions,
  sql,
  external,
  'mcp-service': mcpService,
  app,
} as const satisfies Record<string, ServerKindDef>;

/** A kind `add <kind>`, `init --<kind>` and the manifest can name. */
export type AddKind = keyof typeof SERVER_KINDS;
/** Every kind, in table order. */
export const addKinds = Object.keys(SERVER_KINDS) as AddKind[];

/** The kind's definition, typed as the interface (so optional members read as optional). */
export function kindDef(kind: AddKind): ServerKindDef {
  return SERVER_KINDS[kind];
}

/** `vector-search` → `vectorSearch`: the key commander gives the kind's init flag. */
export function initOptionKey(kind: AddKind): string {
  return kind.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `--genie <space_id>`, `--sql`: the kind's init flag as help and hints write it. */
export function initFlagSyntax(kind: AddKind): string {
  const v = kindDef(kind).initFlag.value;
  return v ? `--${kind} ${v}` : `--${kind}`;
}

/** The kind whose MCP URL `url` is, with the target's parts; undefined when no kind recognises it. */
export function kindOfUrl(url: URL): KindTarget<AddKind> | undefined {
  for (const kind of addKinds) {
    const parts = kindDef(kind).fromUrl(url);
    if (parts) return { kind, parts };
  }
  return undefined;
}

/** `genie <space_id>`, `sql`: the `dbx-mcp add` arguments that write this target again. */
export function addArguments(t: KindTarget<AddKind>): string {
  const arg = kindDef(t.kind).add.argument;
  return arg ? `${t.kind} ${t.parts.join('.') || `<${arg.name}>`}` : t.kind;
}

type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
/** Each kind's init flag by option key: a repeatable target list, or a boolean when the kind has no target. */
export type ServerFlagTypes = { [K in AddKind as Camel<K>]: (typeof SERVER_KINDS)[K]['initFlag'] extends { value: string } ? 'list' : 'boolean' };
/** `init`'s server flags as commander parses them: `{ genie?: string[], vectorSearch?: string[], sql?: boolean, … }`. */
export type ServerFlags = { [K in keyof ServerFlagTypes]?: ServerFlagTypes[K] extends 'list' ? string[] : boolean };

/** The targets each kind's init flag named (a boolean flag names its one target, ''). */
export function flagTargets(flags: ServerFlags): { kind: AddKind; raw: string }[] {
  return addKinds.flatMap((kind) => {
    const v = (flags as Record<string, string[] | boolean | undefined>)[initOptionKey(kind)];
    if (v === true) return [{ kind, raw: '' }];
    return Array.isArray(v) ? v.map((raw) => ({ kind, raw })) : [];
  });
}
