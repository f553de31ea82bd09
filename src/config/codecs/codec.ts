/**
 * The file-format seam: everything dbx-mcp does to a client's config text goes through a codec,
 * so a TOML or YAML client is a new codec, not a change to planning or doctor. A codec edits
 * surgically: every byte outside the one entry it touches stays as the user had it.
 */
import type { Splice } from '../splice.js';

/** Codec ids; a client definition names one as its `format`. */
export type ConfigFormat = 'jsonc' | 'toml' | 'yaml';

/** Per-client editing options a codec honours (the client's definition names them). */
export interface CodecOptions {
  /**
   * Never introduce a trailing comma, even where the file already uses them (Gemini CLI rejects
   * any); the default keeps a file's own trailing-comma style. JSONC only.
   */
  readonly trailingCommas?: 'keep-style' | 'never';
}

/** One file format. Parse errors are ConfigParseError (file, line, column; exit 2). */
export interface ConfigCodec {
  readonly id: ConfigFormat;
  /** What the top level must be, for errors: "a JSON object". */
  readonly documentNoun: string;
  /** The document; empty (or comment-only) text is an empty object. */
  parse(text: string, file: string): unknown;
  /**
   * What one part of the document needs, without the rest of a big file in memory (a 28 MB
   * ~/.claude.json): whether the top level is an object, and the value at `path` (undefined when
   * absent or when something on the way is not an object). Parse errors as `parse`.
   */
  parseAt(text: string, path: readonly string[], file: string): DocumentPart;
  /** The text holds a document (not just whitespace and comments). */
  hasDocument(text: string): boolean;
  /** `text` with the value at `path` inserted or replaced (missing parents created); nothing else changes. */
  set(text: string, path: readonly string[], value: unknown, file: string): string;
  /**
   * `set`'s change as splices of `text` (splice.ts), for a format whose big files (a 28 MB
   * ~/.claude.json) must not be copied whole; a codec without it is planned from `set`'s string.
   */
  setSplices?(text: string, path: readonly string[], value: unknown, file: string): Splice[];
  /** `text` without the value at `path` (unchanged when absent); nothing else changes. */
  remove(text: string, path: readonly string[], file: string): string;
  /** `remove`'s change as splices of `text`, as setSplices is `set`'s. */
  removeSplices?(text: string, path: readonly string[], file: string): Splice[];
  /**
   * Where the text ends in an empty document of the kind `set` writes into an empty file (JSON
   * `{}`), so "remove gives back the bytes the user had" can take it out again; undefined: it does not.
   */
  trailingEmptyDocument(text: string): number | undefined;
  /** A new file holding `doc`. */
  serialize(doc: Record<string, unknown>): string;
}

/** parseAt's answer. */
export interface DocumentPart {
  topIsObject: boolean;
  value: unknown;
}

/** parseAt for a codec that parses the whole document anyway. */
export function partOf(doc: unknown, path: readonly string[]): DocumentPart {
  let node: unknown = doc;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return { topIsObject: isObject(doc), value: node };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
