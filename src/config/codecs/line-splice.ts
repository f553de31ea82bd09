/**
 * Line-level splicing shared by the TOML and YAML codecs: an entry is a run of whole lines, added
 * at the end of the file (or of its parent block) and taken out again, so every other byte —
 * comments, blank lines, quoting, indentation, CRLF — stays exactly as the user wrote it. The
 * libraries only parse (and check the result); they never re-print the user's text.
 */

/** The file's line ending: CRLF when its first line ends in one. */
export function eolOf(text: string): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** Start offsets of every line (a final line without a newline included). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) if (i + 1 < text.length) starts.push(i + 1);
  return text === '' ? [] : starts;
}

/** Line `i` without its line ending. */
export function lineAt(text: string, starts: number[], i: number): string {
  const end = i + 1 < starts.length ? (starts[i + 1] as number) : text.length;
  return text.slice(starts[i], end).replace(/\r?\n$/, '');
}

/**
 * `block` (lines joined with the file's EOL, no final one) appended after `text`, one blank line
 * apart; it ends in a line ending only when the file did (or was empty), so `removeTrailingBlock`
 * can give back the exact bytes.
 */
export function appendBlock(text: string, block: string, eol: string): string {
  if (text === '') return `${block}${eol}`;
  const endsWithEol = text.endsWith('\n');
  return `${text}${endsWithEol ? '' : eol}${eol}${block}${endsWithEol ? eol : ''}`;
}

/**
 * `text` without the lines [from, to) (offsets at line starts; `to` may be the text's end). When
 * they were the last lines, the blank-line separator appendBlock put before them goes too.
 */
export function removeLines(text: string, from: number, to: number): string {
  const before = text.slice(0, from);
  const after = text.slice(to);
  const eol = eolOf(text);
  // Between other lines: the blank line that set it apart goes with it.
  if (after.trim() !== '') return (before.endsWith(eol + eol) ? before.slice(0, -eol.length) : before) + after;
  // appendBlock wrote "<eol>" + block + "<eol>" after a text that ended in a newline, and
  // "<eol><eol>" + block (no final newline) after one that did not.
  const endedWithEol = text.slice(0, to).endsWith('\n');
  if (endedWithEol && before.endsWith(eol + eol)) return before.slice(0, -eol.length) + after;
  if (!endedWithEol && before.endsWith(eol + eol)) return before.slice(0, -2 * eol.length) + after;
  if (!endedWithEol && before.endsWith(eol)) return before.slice(0, -eol.length) + after;
  return before + after;
}

/** Escapes `s` for a RegExp. */
export function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The lines [start, end) of a block that begins at line `first` and runs while `inside(line)`
 * holds, without the blank and comment lines at its end (they belong to what follows).
 */
export function blockRange(text: string, starts: number[], first: number, inside: (line: string) => boolean, isFiller: (line: string) => boolean): { from: number; to: number; lastLine: number } {
  let last = first;
  for (let i = first + 1; i < starts.length; i++) {
    const line = lineAt(text, starts, i);
    if (!inside(line)) break;
    if (!isFiller(line)) last = i;
  }
  const to = last + 1 < starts.length ? (starts[last + 1] as number) : text.length;
  return { from: starts[first] as number, to, lastLine: last };
}
