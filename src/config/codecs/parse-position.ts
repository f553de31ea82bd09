/**
 * Where a parse error points. The parsers report where they noticed the problem, which for an
 * unclosed construct (a table header, a string, a flow collection) or a missing separator is the
 * next token: often the first character of the next line, or the end of the file, one line or
 * more below what the user has to fix. These helpers move the position back to where the broken
 * construct starts (its opener) or to just after the token the missing piece belongs to.
 * Lines and columns count from 1; offsets index the text the parser saw (BOM removed).
 */

export interface TextPosition {
  line: number;
  column: number;
}

/** The offset of a 1-based line and column (clamped to the text). */
export function offsetAt(text: string, pos: TextPosition): number {
  let offset = 0;
  for (let line = 1; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1) return text.length;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + Math.max(0, pos.column - 1));
}

/** The 1-based line and column of an offset. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, offset));
  const lastNl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNl };
}

/**
 * When only whitespace with a line break (or nothing but the end of the text) separates the
 * previous token from `offset`, the position just after that token: a missing comma, value or
 * closing bracket belongs there, not before the next line's first token. Otherwise `offset`.
 */
export function afterPreviousToken(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && /\s/.test(text[i - 1] as string)) i--;
  if (i === 0) return offset;
  return offset >= text.length || text.slice(i, offset).includes('\n') ? i : offset;
}

/** The last `opener` before `offset` (an unterminated string's opening quote); -1: none. */
export function lastOpener(text: string, offset: number, opener: string): number {
  return text.lastIndexOf(opener, Math.max(0, offset - opener.length));
}

/**
 * The nearest `open` before `offset` that no `close` between them matches (an unclosed `[` or
 * `{`); -1: none. Quotes are not tracked: good enough to point at a line, never used to edit.
 */
export function unmatchedOpener(text: string, offset: number, open: string, close: string): number {
  let depth = 0;
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    if (text[i] === close) depth++;
    else if (text[i] === open) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}
