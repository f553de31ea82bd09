/**
 * Reading a client's entry back as a normalised ReadEntry, through the client's dialect: the
 * one place `list`, ownership and doctor learn what an entry runs or calls, so a client whose
 * keys differ (Goose `cmd`/`uri`, OpenCode's command array) needs only its own `readEntry`.
 */
import type { ClientDialect, ReadEntry } from './catalog/definition.js';
import { clientDefinition, type ClientId } from './catalog/index.js';

/** Reads one entry; undefined: not an MCP entry the reader understands. */
export type EntryReader = (entry: unknown) => ReadEntry | undefined;

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Today's JSON shapes: stdio `{command, args, env, cwd}`; remote `url` (Cursor, Claude Code,
 * VS Code), `serverUrl` (Windsurf) or `httpUrl` (Gemini) with `headers` and an `oauth`
 * (Claude Code, VS Code) or `auth` (Cursor) object.
 */
export function readJsonEntry(entry: unknown): ReadEntry | undefined {
  const e = asRecord(entry);
  if (e === undefined) return undefined;
  const disabled = e.disabled === true ? { disabled: true } : {};
  if (typeof e.command === 'string') {
    return { transport: 'stdio', command: e.command, args: strings(e.args), env: asRecord(e.env) ?? {}, ...(typeof e.cwd === 'string' ? { cwd: e.cwd } : {}), ...disabled };
  }
  const url = [e.url, e.serverUrl, e.httpUrl].find((v): v is string => typeof v === 'string');
  if (url === undefined) return undefined;
  const oauth = asRecord(e.oauth) ?? asRecord(e.auth);
  return { transport: 'http', url, headers: asRecord(e.headers) ?? {}, ...(oauth !== undefined ? { oauth } : {}), ...disabled };
}

/** The reader of a dialect (today's JSON shapes when it declares none). */
export function entryReader(dialect: Pick<ClientDialect, 'readEntry'>): EntryReader {
  return dialect.readEntry ?? readJsonEntry;
}

/** The reader of a catalog client. */
export function readerFor(client: ClientId): EntryReader {
  return entryReader(clientDefinition(client).dialect);
}

/**
 * True when the client will not start the entry. An entry no reader understands keeps the
 * plain `disabled: true` test (it is listed, not started, either way).
 */
export function isDisabledEntry(entry: unknown, read: EntryReader): boolean {
  const e = read(entry);
  if (e !== undefined) return e.disabled === true;
  return asRecord(entry)?.disabled === true;
}
