/**
 * The TOML codec (Codex's config.toml), on @decimalturn/toml-patch: it re-renders only the
 * tables and keys that changed, so comments, blank lines, key order, CRLF and a BOM outside the
 * entry stay as the user wrote them. An entry is written as its own `[servers.<name>]` section
 * (nested tables such as `env` or `oauth` inline), the shape Codex's docs show.
 */
import { parse, patch, TomlFormat } from '@decimalturn/toml-patch';
import { ConfigParseError } from '../../errors.js';
import type { ConfigCodec } from './codec.js';
import { withoutPath, withPath } from './object-path.js';

type TomlDoc = Record<string, unknown>;

/** Plain objects and arrays (the parser's tables have their own prototype), so documents compare as data. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function parseToml(text: string, file: string): TomlDoc {
  try {
    return plain(parse(text.replace(/^\uFEFF/, ''))) as TomlDoc;
  } catch (e) {
    const err = e as { line?: unknown; column?: unknown; message?: unknown };
    const line = typeof err.line === 'number' ? err.line : 1;
    // toml-patch counts columns from 0; ours (like every editor) from 1.
    const column = typeof err.column === 'number' ? err.column + 1 : 1;
    // Its message repeats the position and the source line; keep the reason (the last line).
    const reason = String(err.message ?? 'invalid TOML').split('\n').filter((l) => l.trim() !== '').pop() ?? 'invalid TOML';
    throw new ConfigParseError(file, line, column, reason);
  }
}

/** The file's own line endings and BOM, with tables two levels deep (`[mcp_servers.<name>]`) as sections. */
function formatOf(text: string): TomlFormat {
  const format = TomlFormat.autoDetectFormat(text);
  format.inlineTableStart = 2;
  return format;
}

function patched(text: string, doc: TomlDoc): string {
  const out = patch(text, doc, formatOf(text));
  // A file dbx-mcp starts (or one that ended in a newline) ends in one.
  return (text === '' || /\n$/.test(text)) && out !== '' && !out.endsWith('\n') ? `${out}${text.includes('\r\n') ? '\r\n' : '\n'}` : out;
}

function hasDocument(text: string): boolean {
  return Object.keys(parseToml(text, '')).length > 0;
}

export const tomlCodec: ConfigCodec = {
  id: 'toml',
  documentNoun: 'a TOML document',
  parse: parseToml,
  hasDocument: (text) => {
    try {
      return hasDocument(text);
    } catch {
      return true;
    }
  },
  set: (text, path, value, file) => patched(text, withPath(parseToml(text, file), path, value)),
  remove: (text, path, file) => {
    const doc = parseToml(text, file);
    const next = withoutPath(doc, path);
    return next === doc ? text : patched(text, next);
  },
  // TOML has no empty-document token: a text with no keys left is "empty" from where its trailing whitespace starts.
  trailingEmptyDocument: (text) => (tomlCodec.hasDocument(text) ? undefined : text.trimEnd().length),
  serialize: (doc) => patched('', doc),
};
