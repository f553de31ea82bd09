/**
 * The server-kind table: one entry per kind of Databricks MCP server that `add`, `init` and
 * the manifest can name. Everything a kind means to the CLI is here: its `add` subcommand and
 * argument, its `init` flag and picker label, how a typed or pasted target is parsed (before
 * the network), its MCP URL (source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp)
 * and its default server name. Commands, init and the manifest are generated from this table
 * or switch over `AddKind` exhaustively (workspace validation: validate-target.ts; doctor's
 * grants: doctor/checks/server-grants.ts), so the compiler names every place a new kind needs.
 *
 * Kept free of heavy imports: program.ts reads it to build `--help` at startup.
 */
import { UsageError } from '../errors.js';

/** A parsed target: its kind and the path parts after the kind, e.g. ['main','tools'] or ['<space_id>']. */
export interface KindTarget<K extends string> {
  kind: K;
  parts: string[];
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
  /** MCP URL of the target on the workspace `host`. */
  url(host: string, parts: readonly string[]): string;
  /** Default server name; `title` is what validation found (absent for a manifest, which names without network). */
  defaultName(parts: readonly string[], title?: string): string;
}

const IDENT = /^[A-Za-z0-9_][A-Za-z0-9_\-]*$/;
const SPACE_ID = /^[0-9a-f]{32}$/i;
/** A Genie space id inside a pasted URL: the space's page (…/genie/rooms/<id>?o=…) or its MCP URL. */
const SPACE_ID_IN_URL = /\/(?:genie\/rooms|api\/2\.0\/mcp\/genie)\/([0-9a-f]{32})(?=[/?#]|$)/i;

/** The managed-server URL: <host>/api/2.0/mcp/<segment>/<parts…>. */
const managedUrl = (segment: string) => (host: string, parts: readonly string[]) => [host, 'api/2.0/mcp', segment, ...parts.map(encodeURIComponent)].join('/');

/** Recognises <any host>/api/2.0/mcp/<one of segments>[/<parts…>] (a trailing slash is ignored). */
const managedPath =
  (...segments: string[]) =>
  (url: URL): string[] | undefined => {
    const m = /^\/api\/2\.0\/mcp\/([^/]+)(?:\/(.*))?$/.exec(url.pathname.replace(/\/+$/, ''));
    if (!m || !segments.includes(m[1]!)) return undefined;
    return m[2] ? m[2].split('/').map(decodeURIComponent) : [];
  };

/** <catalog>.<schema>[.<leaf>] for the Unity Catalog kinds. */
function ucParts(kind: string, leaf: string, example: string) {
  return (t: string, raw: string): string[] => {
    const parts = t.split('.');
    if (parts.length < 2 || parts.length > 3 || !parts.every((p) => IDENT.test(p))) {
      throw new UsageError(`"${raw}" is not <catalog>.<schema>[.<${leaf}>]`, { hint: `For example: dbx-mcp add ${kind} ${example}` });
    }
    return parts;
  };
}

export function slugify(s: string, max = 40): string {
  const slug = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || 'server';
}

const partsName = (kind: string) => (parts: readonly string[]) => `databricks-${kind}-${slugify(parts.join('-'))}`;

/** Kinds `add`, `init` and the manifest can name, in the order help and pickers list them. */
export const SERVER_KINDS = {
  genie: {
    add: { argument: { name: 'space_id', description: 'Genie space id (32 hex characters, from the space URL)' }, description: 'a Genie space: /api/2.0/mcp/genie/{space_id}' },
    initFlag: { value: '<space_id>', description: 'a Genie space (repeatable)' },
    picker: { label: 'Genie spaces', hint: 'ask questions about your data in plain language' },
    fromUrl: managedPath('genie'),
    parse(t, raw) {
      if (!SPACE_ID.test(t)) {
        throw new UsageError(`"${raw}" is not a Genie space id`, {
          hint: 'A space id is 32 hexadecimal characters: open the space and copy it (or the whole URL) from the address bar (…/genie/rooms/<space_id>).',
        });
      }
      return [t.toLowerCase()];
    },
    targetOfPage: (url) => SPACE_ID_IN_URL.exec(url)?.[1],
    url: managedUrl('genie'),
    // Named after the space's title when validation found it, else after the id's first 8 characters.
    defaultName: (parts, title) => `databricks-genie-${slugify(title || parts[0]!.slice(0, 8))}`,
  },
  'vector-search': {
    add: { argument: { name: 'target', description: '<catalog>.<schema>[.<index>]' }, description: 'Vector Search indexes: /api/2.0/mcp/vector-search/{c}/{s}[/{index}]' },
    initFlag: { value: '<c.s[.index]>', description: 'Vector Search indexes (repeatable)' },
    picker: { label: 'Vector Search indexes', hint: 'semantic search over documents' },
    // The legacy `vector-search` and the 2026 `ai-search` paths are both recognised.
    fromUrl: managedPath('vector-search', 'ai-search'),
    parse: ucParts('vector-search', 'index', 'main.tools.product_docs'),
    url: managedUrl('vector-search'),
    defaultName: partsName('vector-search'),
  },
  functions: {
    add: { argument: { name: 'target', description: '<catalog>.<schema>[.<function>]' }, description: 'Unity Catalog functions: /api/2.0/mcp/functions/{c}/{s}[/{function}]' },
    initFlag: { value: '<c.s[.function]>', description: 'Unity Catalog functions (repeatable)' },
    picker: { label: 'Unity Catalog functions', hint: 'your SQL/Python functions as tools' },
    fromUrl: managedPath('functions'),
    parse: ucParts('functions', 'function', 'main.tools'),
    url: managedUrl('functions'),
    defaultName: partsName('functions'),
  },
  sql: {
    add: { description: 'Databricks SQL: /api/2.0/mcp/sql' },
    initFlag: { description: 'Databricks SQL' },
    picker: { label: 'Databricks SQL', hint: 'run SQL on a warehouse' },
    fromUrl: managedPath('sql'),
    parse: () => [],
    url: managedUrl('sql'),
    defaultName: () => 'databricks-sql',
  },
  external: {
    add: { argument: { name: 'connection', description: 'Unity Catalog connection name' }, description: 'external MCP through a UC connection: /api/2.0/mcp/external/{connection}' },
    initFlag: { value: '<connection>', description: 'external MCP via a UC connection (repeatable)' },
    picker: { label: 'External MCP servers', hint: 'through Unity Catalog connections' },
    fromUrl: managedPath('external'),
    parse(t, raw) {
      if (!IDENT.test(t)) throw new UsageError(`"${raw}" is not a connection name`, { hint: 'Use the Unity Catalog connection name, e.g. github_conn (Catalog → External data → Connections).' });
      return [t];
    },
    url: managedUrl('external'),
    defaultName: partsName('external'),
  },
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
