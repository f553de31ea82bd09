/**
 * Layout facts about an existing JSONC text (line ending, indentation unit, where lines start)
 * and a value printer that matches them. Kept apart from the edit logic so that the editor can
 * reason about offsets while this module knows about whitespace.
 */
import type { Node } from 'jsonc-parser';

export const BOM = '\uFEFF';

export interface Layout {
  /** The file's line ending: CRLF only if the file already uses it. */
  eol: '\n' | '\r\n';
  /** One level of indentation: a tab or N spaces. */
  unit: string;
  /** Never end a new member with a comma (the client rejects trailing commas). */
  noTrailingComma?: boolean;
}

/** The first line ending in the text decides; a text without one gets '\n'. */
export function detectEol(text: string): '\n' | '\r\n' {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * The indentation unit, read from the first property of the root object when it starts its own
 * line: that line is exactly one level deep, which is more reliable than sampling lines (block
 * comments and odd hand edits would skew a statistical guess). Defaults to two spaces.
 */
export function detectIndentUnit(text: string, root: Node | undefined): string {
  const first = root?.type === 'object' || root?.type === 'array' ? root.children?.[0] : undefined;
  if (first) {
    const indent = ownLineIndent(text, first.offset);
    if (indent !== undefined && indent.length > 0) return indent[0] === '\t' ? '\t' : ' '.repeat(indent.length);
  }
  return '  ';
}

/** Offset of the first character of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The leading whitespace of the line holding `offset`. */
export function lineIndent(text: string, offset: number): string {
  const start = lineStart(text, offset);
  let end = start;
  while (text[end] === ' ' || text[end] === '\t') end++;
  return text.slice(start, end);
}

/** The indentation before `offset` if only whitespace precedes it on its line, else undefined. */
export function ownLineIndent(text: string, offset: number): string | undefined {
  const start = lineStart(text, offset);
  const before = text.slice(start, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/** True when the text between two offsets contains a line break. */
export function spansLines(text: string, from: number, to: number): boolean {
  const nl = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  return (nl !== -1 && nl < to) || (cr !== -1 && cr < to);
}

/**
 * Skips spaces, tabs and block comments that stay on the current line.
 * Returns the offset of the first other character (possibly a line break or end of text).
 */
export function skipInlineTrivia(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close === -1 || spansLines(text, i, close)) return i;
      i = close + 2;
      continue;
    }
    return i;
  }
}

/**
 * Looks at what follows a value on its line. `comma` is the offset of a comma right after it
 * (trivia aside); `lineEnd` is the offset of the line break (or end of text) when nothing but
 * trivia (a comma, comments) follows on the line, else undefined.
 */
export function scanLineTail(text: string, offset: number): { comma?: number; lineEnd?: number } {
  let i = skipInlineTrivia(text, offset);
  let comma: number | undefined;
  if (text[i] === ',') {
    comma = i;
    i = skipInlineTrivia(text, i + 1);
  }
  if (text.startsWith('//', i)) {
    while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  }
  const atEol = i >= text.length || text[i] === '\n' || text[i] === '\r';
  return { ...(comma === undefined ? {} : { comma }), ...(atEol ? { lineEnd: i } : {}) };
}

/** Offset just past the line break at `offset` (which must be a line break or end of text). */
export function pastEol(text: string, offset: number): number {
  if (text[offset] === '\r' && text[offset + 1] === '\n') return offset + 2;
  if (text[offset] === '\n' || text[offset] === '\r') return offset + 1;
  return offset;
}

/**
 * Prints a value pretty with the file's unit and line ending, continuation lines prefixed by
 * `baseIndent` so it sits at the nesting depth where it is inserted. JSON.stringify escapes
 * newlines inside strings, so splitting its output on '\n' is safe.
 */
export function printValue(value: unknown, baseIndent: string, layout: Layout): string {
  const json = JSON.stringify(value, null, layout.unit);
  if (json === undefined) throw new TypeError('value is not representable as JSON');
  return json.split('\n').join(layout.eol + baseIndent);
}

/** Compact JSON for single-line (minified) objects, where a pretty block would look foreign. */
export function printCompact(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('value is not representable as JSON');
  return json;
}
