/**
 * The TOML codec (Codex's config.toml). Parsing is @decimalturn/toml-patch's (maintained, pure
 * JS, TOML 1.0/1.1, errors with line and column). An entry at `[<table>.<name>]` is written as
 * its own section, spliced in and out as whole lines (line-splice.ts), so every other byte stays
 * as the user wrote it; anything else (a top-level key, an entry the user wrote inline) goes
 * through toml-patch's `patch`, which re-renders only what changed.
 */
import { parse, patch, TomlFormat } from '@decimalturn/toml-patch';
import { isDeepStrictEqual } from 'node:util';
import { ConfigParseError } from '../../errors.js';
import { scrubParseMessage } from '../../redact-text.js';
import { partOf, type ConfigCodec } from './codec.js';
import { appendBlock, blockRange, eolOf, lineAt, lineStarts, reEscape, removeLines } from './line-splice.js';
import { withoutPath, withPath } from './object-path.js';
import { lastOpener, offsetAt, positionAt, unmatchedOpener, type TextPosition } from './parse-position.js';

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
    // Its message repeats the position and the source line; keep the reason (the last line).
    const reason = String(err.message ?? 'invalid TOML').split('\n').filter((l) => l.trim() !== '').pop() ?? 'invalid TOML';
    // toml-patch counts columns from 0; ours (like every editor) from 1.
    const noticed = { line: typeof err.line === 'number' ? err.line : 1, column: typeof err.column === 'number' ? err.column + 1 : 1 };
    const { line, column } = tomlErrorStart(text.replace(/^\uFEFF/, ''), noticed, reason);
    // Its reasons quote values (`Invalid float "sk-live-…"`): a secret's is masked.
    throw new ConfigParseError(file, line, column, scrubParseMessage(reason, text, 'toml'));
  }
}

/**
 * Where the construct toml-patch choked on starts: it notices an unclosed table header or
 * string at the next line (or the end of the file), one line below the `[` or the quotes.
 */
function tomlErrorStart(text: string, noticed: TextPosition, reason: string): TextPosition {
  const at = offsetAt(text, noticed);
  let start = -1;
  if (/Table header|Table array header/i.test(reason)) start = unmatchedOpener(text, at, '[', ']');
  else if (/Unterminated multiline/i.test(reason)) start = Math.max(lastOpener(text, at, '"""'), lastOpener(text, at, "'''"));
  else if (/not allowed in basic strings/i.test(reason)) start = lastOpener(text, at, '"');
  else if (/not allowed in literal strings/i.test(reason)) start = lastOpener(text, at, "'");
  else return noticed;
  return start === -1 ? noticed : positionAt(text, start);
}

/** A key as TOML writes it: bare when it can be. */
function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

/** A value inline (JSON's string escapes are all valid in a TOML basic string). */
function tomlValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(', ')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined && x !== null);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${tomlKey(k)} = ${tomlValue(x)}`).join(', ')} }`;
  }
  throw new TypeError(`cannot write ${String(v)} as TOML`);
}

/** `[a.b]` and its keys, nested tables inline (Codex's documented shape). */
function section(path: readonly string[], value: Record<string, unknown>, eol: string): string {
  const lines = [`[${path.map(tomlKey).join('.')}]`];
  for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) lines.push(`${tomlKey(k)} = ${tomlValue(v)}`);
  return lines.join(eol);
}

/** A header line naming exactly `path` (bare or quoted keys, spaces allowed). */
function headerRe(path: readonly string[]): RegExp {
  const key = (k: string) => `(?:${reEscape(k)}|"${reEscape(k)}"|'${reEscape(k)}')`;
  return new RegExp(`^[ \\t]*\\[[ \\t]*${path.map(key).join('[ \\t]*\\.[ \\t]*')}[ \\t]*\\][ \\t]*(?:#.*)?$`);
}

/** The lines of the section `[path]` and its sub-tables; undefined: no such header. */
function findSection(text: string, path: readonly string[]): { from: number; to: number } | undefined {
  const starts = lineStarts(text);
  const re = headerRe(path);
  const first = starts.findIndex((_, i) => re.test(lineAt(text, starts, i)));
  if (first === -1) return undefined;
  const child = new RegExp(`^[ \\t]*\\[\\[?[ \\t]*${path.map((k) => `(?:${reEscape(k)}|"${reEscape(k)}")`).join('[ \\t]*\\.[ \\t]*')}[ \\t]*\\.`);
  const inside = (line: string) => !/^[ \t]*\[/.test(line) || child.test(line);
  return blockRange(text, starts, first, inside, (line) => /^[ \t]*(#.*)?$/.test(line));
}

/** The document a splice produced; undefined when it does not parse (a section that ends inside a multi-line string): then patch edits instead. */
function readBack(text: string): TomlDoc | undefined {
  try {
    return parseToml(text, '');
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** toml-patch's whole-document patch, in the file's own line endings. */
function patched(text: string, doc: TomlDoc): string {
  const format = TomlFormat.autoDetectFormat(text);
  format.inlineTableStart = 2;
  // toml-patch console.warn()s (e.g. "Mixed line endings detected"); a domain module never
  // prints, and the call is synchronous, so its warnings are muted for just this call.
  const io = globalThis.console;
  const warn = io.warn;
  io.warn = () => undefined;
  let out: string;
  try {
    out = patch(text, doc, format);
  } finally {
    io.warn = warn;
  }
  return (text === '' || text.endsWith('\n')) && out !== '' && !out.endsWith('\n') ? `${out}${eolOf(text)}` : out;
}

function setToml(text: string, path: readonly string[], value: unknown, file: string): string {
  const doc = parseToml(text, file);
  const want = withPath(doc, path, value);
  let out: string | undefined;
  if (path.length === 2 && isRecord(value)) {
    const eol = eolOf(text);
    const at = findSection(text, path);
    const block = section(path, value, eol);
    const parent = doc[path[0] as string];
    if (at !== undefined) out = text.slice(0, at.from) + block + eol + text.slice(at.to);
    else if (!(isRecord(parent) && (path[1] as string) in parent)) out = appendBlock(text, block, eol);
    if (at !== undefined && out !== undefined && at.to === text.length && !text.endsWith('\n')) out = out.slice(0, -eol.length);
  }
  // The splice must mean exactly the document asked for; otherwise (an inline or dotted entry) patch.
  if (out !== undefined && isDeepStrictEqual(readBack(out), want)) return out;
  return patched(text, want);
}

function removeToml(text: string, path: readonly string[], file: string): string {
  const doc = parseToml(text, file);
  const want = withoutPath(doc, path);
  if (want === doc) return text;
  const at = findSection(text, path);
  if (at !== undefined) {
    const out = removeLines(text, at.from, at.to);
    if (isDeepStrictEqual(readBack(out), want)) return out;
  }
  return patched(text, want);
}

export const tomlCodec: ConfigCodec = {
  id: 'toml',
  documentNoun: 'a TOML document',
  parse: parseToml,
  parseAt: (text, path, file) => partOf(parseToml(text, file), path),
  hasDocument: (text) => {
    try {
      return Object.keys(parseToml(text, '')).length > 0;
    } catch {
      return true;
    }
  },
  set: setToml,
  remove: removeToml,
  // TOML has no empty-document token: a text with no keys left is "empty" from where its trailing whitespace starts.
  trailingEmptyDocument: (text) => (tomlCodec.hasDocument(text) ? undefined : text.trimEnd().length),
  serialize: (doc) => patched('', doc),
};
