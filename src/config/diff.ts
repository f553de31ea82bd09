/**
 * Unified diffs of config files, hand-written so the plan preview needs no dependency. Config
 * edits are small changes inside possibly large files (~/.claude.json), so the common prefix and
 * suffix are trimmed first and Myers' O(ND) algorithm runs only on what is left.
 * jsdiff (`diff` 9.0.0) was weighed: +12.5 KB in the lazy plan chunk, same speed on a 3.5 MB
 * file, but its hunks differ from diff(1)'s numbering (a new file is `-1,0`, not `-0,0`) and,
 * adapted, failed the apply-the-hunks property test; so this minimal diff stays.
 */
import { formatOfPath, maskSlice, secretRanges, splicedSecretRanges } from '../redact-text.js';
import { SplicedText } from './splice.js';
import type { Range } from '../redact-scanner.js';
import { redact } from '../secrets.js';

/**
 * Where a side's secrets are. The new side gets the old side's ranges too: a SplicedText's are
 * found from them and its splices, without scanning its whole text.
 */
type Secrets = (text: Text, old?: Range[]) => Range[];

export interface DiffOptions {
  /** Lines of unchanged context around each change; default 3. */
  context?: number;
  /**
   * Where a text's secrets are (redact-text.ts's secretRanges): the diff is computed on the real
   * lines, so a changed secret is still a changed line, and only what it prints is masked.
   */
  secrets?: Secrets;
  /**
   * Longest line shown whole; default LONG_LINE. A longer line (a minified config is one line of
   * megabytes) shows only the changed region with some context and says how much was cut.
   */
  maxLineLength?: number;
}

/** Past this a line is elided: one changed key in a 28 MB one-line file must not print 57 MB. */
export const LONG_LINE = 400;
/** Characters kept on each side of the changed region of an elided line. */
const LINE_CONTEXT = 80;

/** A run of changed lines: a[a0, a1) is replaced by b[b0, b1) (0-based, end exclusive). */
interface Block { a0: number; a1: number; b0: number; b1: number }

/**
 * Past this many differences Myers' trace (O(D²) memory) is not worth it: the middle is shown
 * as one replaced block, still a correct diff, just not a minimal one.
 */
const MAX_EDIT_DISTANCE = 2000;

/** What the diff reads a side from: the text itself, or a SplicedText standing for it. */
type Text = string | SplicedText;

/**
 * One side of the diff: its text, where each line starts (a line keeps its '\n', so a missing
 * final newline counts as a difference, as in diff(1)), and where its secrets are. Lines are
 * offsets, not strings: a big file's lines are never copied, and a spliced side's unchanged
 * lines are recognised as the old side's own without being compared.
 */
interface Side {
  text: Text;
  starts: number[];
  secrets: Range[];
}

function lineStarts(text: Text): number[] {
  const starts: number[] = [];
  for (let at = 0; at < text.length; ) {
    starts.push(at);
    const nl = text.indexOf('\n', at);
    at = nl === -1 ? text.length : nl + 1;
  }
  return starts;
}

function side(text: Text, secrets: Range[]): Side {
  return { text, starts: lineStarts(text), secrets };
}

const startOf = (s: Side, p: number): number => s.starts[p] as number;
const endOf = (s: Side, p: number): number => s.starts[p + 1] ?? s.text.length;
const hasEol = (s: Side, p: number): boolean => s.text.charCodeAt(endOf(s, p) - 1) === 10;
/** Line `p`'s length without its '\n'. */
const lengthOf = (s: Side, p: number): number => endOf(s, p) - startOf(s, p) - (hasEol(s, p) ? 1 : 0);

/** Characters compared at a time: equal runs of a long line are compared as slices, not one by one. */
const RUN = 4096;

/** Line p of `a` equals line q of `b`. */
function sameLine(a: Side, p: number, b: Side, q: number): boolean {
  const as = startOf(a, p);
  const bs = startOf(b, q);
  const n = endOf(a, p) - as;
  if (endOf(b, q) - bs !== n) return false;
  if (b.text instanceof SplicedText && b.text.old === a.text && b.text.oldOffset(bs, bs + n) === as) return true;
  return commonPrefix(a.text, as, b.text, bs, n) === n;
}

/** How many characters from a[i] and b[j] on are equal, up to `limit`. */
function commonPrefix(a: Text, i: number, b: Text, j: number, limit: number): number {
  let n = 0;
  while (n + RUN <= limit && a.slice(i + n, i + n + RUN) === b.slice(j + n, j + n + RUN)) n += RUN;
  while (n < limit && a.charCodeAt(i + n) === b.charCodeAt(j + n)) n++;
  return n;
}

/** How many characters before a[i] and b[j] are equal, up to `limit`. */
function commonSuffix(a: Text, i: number, b: Text, j: number, limit: number): number {
  let n = 0;
  while (n + RUN <= limit && a.slice(i - n - RUN, i - n) === b.slice(j - n - RUN, j - n)) n += RUN;
  while (n < limit && a.charCodeAt(i - 1 - n) === b.charCodeAt(j - 1 - n)) n++;
  return n;
}

/** Characters of line `p` in [from, to) as shown (secrets masked). */
function piece(s: Side, p: number, from: number, to: number): string {
  const start = startOf(s, p);
  return maskSlice(s.text, s.secrets, start + from, start + to);
}

/** Myers' greedy forward search over a[aLo, aHi) and b[bLo, bHi); null past the limit. */
function myers(a: Side, b: Side, aLo: number, aHi: number, bLo: number, bHi: number): Block[] | null {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(n + m, MAX_EDIT_DISTANCE); d++) {
    const prev = trace[d - 1];
    const cur = new Int32Array(2 * d + 1);
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (!prev) x = 0;
      else if (k === -d || (k !== d && (prev[k - 1 + d - 1] as number) < (prev[k + 1 + d - 1] as number))) x = prev[k + 1 + d - 1] as number;
      else x = (prev[k - 1 + d - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && sameLine(a, aLo + x, b, bLo + y)) {
        x++;
        y++;
      }
      cur[k + d] = x;
      if (x >= n && y >= m) {
        trace.push(cur);
        return backtrack(trace, n, m, aLo, bLo);
      }
    }
    trace.push(cur);
  }
  return null;
}

function backtrack(trace: Int32Array[], n: number, m: number, aLo: number, bLo: number): Block[] {
  // Edits are collected end-first as single-line steps, then merged into blocks.
  const steps: { x: number; y: number; del: boolean }[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (prev[k - 1 + d - 1] as number) < (prev[k + 1 + d - 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = prev[prevK + d - 1] as number;
    const prevY = prevX - prevK;
    steps.push({ x: prevX, y: prevY, del: !down });
    x = prevX;
    y = prevY;
  }
  const blocks: Block[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i] as (typeof steps)[number];
    const last = blocks[blocks.length - 1];
    const a0 = aLo + s.x;
    const b0 = bLo + s.y;
    const block = last && last.a1 === a0 && last.b1 === b0 ? last : { a0, a1: a0, b0, b1: b0 };
    if (block !== last) blocks.push(block);
    if (s.del) block.a1++;
    else block.b1++;
  }
  return blocks;
}

function diffBlocks(a: Side, b: Side): Block[] {
  const na = a.starts.length;
  const nb = b.starts.length;
  let lo = 0;
  while (lo < na && lo < nb && sameLine(a, lo, b, lo)) lo++;
  let aHi = na;
  let bHi = nb;
  while (aHi > lo && bHi > lo && sameLine(a, aHi - 1, b, bHi - 1)) {
    aHi--;
    bHi--;
  }
  if (lo === aHi && lo === bHi) return [];
  return myers(a, b, lo, aHi, lo, bHi) ?? [{ a0: lo, a1: aHi, b0: lo, b1: bHi }];
}

function range(start: number, count: number): string {
  // diff(1) convention: an empty range names the line before it; a count of 1 is implied.
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}

function emit(out: string[], prefix: string, line: string): void {
  out.push(line.endsWith('\n') ? prefix + line : `${prefix}${line}\n\\ No newline at end of file\n`);
}

const cut = (n: number) => `…[${n.toLocaleString('en-US')} characters cut]…`;

/**
 * A cut never splits a word (a token, a URL's part) for up to this many characters: redact()
 * recognises a token only whole, so half of one must not be printed.
 */
const WORD_LIMIT = 8192;
/** A character a token or a URL's part is made of: [A-Za-z0-9_\-.~+/=%]. */
function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46 || c === 126 || c === 43 || c === 47 || c === 61 || c === 37;
}

/** `at` (in line `p`) moved by `step` (-1 or +1) while inside a word, so a cut there would split it. */
function wordEdge(s: Side, p: number, at: number, step: -1 | 1, lo: number, hi: number): number {
  const base = startOf(s, p);
  let i = at;
  for (let n = 0; n < WORD_LIMIT && i > lo && i < hi && isWord(s.text.charCodeAt(base + i - 1)) && isWord(s.text.charCodeAt(base + i)); n++) i += step;
  return i;
}

/**
 * Line `p` of `s` from `from` to `to`, with what is left out on either side named as cut; a
 * region still longer than `max` keeps its two ends. Cuts move out of words. The '\n' stays.
 */
function elide(s: Side, p: number, from: number, to: number, max: number): string {
  const eol = hasEol(s, p) ? '\n' : '';
  const len = lengthOf(s, p);
  from = wordEdge(s, p, Math.max(0, Math.min(from, len)), -1, 0, len);
  to = wordEdge(s, p, Math.max(from, Math.min(to, len)), 1, from, len);
  let middle: string;
  if (to - from <= max) middle = piece(s, p, from, to);
  else {
    const half = Math.floor(max / 2);
    const headEnd = wordEdge(s, p, from + half, 1, from, to);
    const tailStart = Math.max(headEnd, wordEdge(s, p, to - half, -1, headEnd, to));
    middle = tailStart - headEnd <= 0 ? piece(s, p, from, to) : `${piece(s, p, from, headEnd)}${cut(tailStart - headEnd)}${piece(s, p, tailStart, to)}`;
  }
  return `${from > 0 ? cut(from) : ''}${middle}${to < len ? cut(len - to) : ''}${eol}`;
}

/** Line `p` as shown: whole, or its first `max` characters when it is too long. */
function shortLine(s: Side, p: number, max: number): string {
  return lengthOf(s, p) > max ? elide(s, p, 0, max, max) : piece(s, p, 0, endOf(s, p) - startOf(s, p));
}

/**
 * Line `p` of `a` and its replacement, line `q` of `b`, both shown around the region where they
 * differ (their common start and end cut down to LINE_CONTEXT characters) when either is too long.
 */
function changedPair(a: Side, p: number, b: Side, q: number, max: number): [string, string] {
  const xl = endOf(a, p) - startOf(a, p);
  const yl = endOf(b, q) - startOf(b, q);
  if (xl <= max && yl <= max) return [piece(a, p, 0, xl), piece(b, q, 0, yl)];
  const limit = Math.min(xl, yl);
  const pre = commonPrefix(a.text, startOf(a, p), b.text, startOf(b, q), limit);
  const suf = commonSuffix(a.text, endOf(a, p), b.text, endOf(b, q), limit - pre);
  const from = pre - LINE_CONTEXT;
  return [elide(a, p, from, xl - suf + LINE_CONTEXT, max), elide(b, q, from, yl - suf + LINE_CONTEXT, max)];
}

/**
 * A unified diff of `before` → `after` for display: `--- a/<path>` / `+++ b/<path>` headers
 * (`--- /dev/null` when `before` is null, i.e. a new file) and `@@ -l,s +l,s @@` hunks with
 * `context` lines (default 3) around changes. '' when the texts are equal. A leading '/' of an
 * absolute path is dropped after the `a/`/`b/` prefix. Lines keep their own '\r' if any. A line
 * longer than `maxLineLength` is elided (see changedPair), so such a diff is for reading, not `patch`.
 */
export function unifiedDiff(path: string, before: string | null, after: Text, opts: DiffOptions = {}): string {
  if (before === after) return '';
  const context = Math.max(0, opts.context ?? 3);
  const max = Math.max(1, opts.maxLineLength ?? LONG_LINE);
  const oldSecrets = opts.secrets?.(before ?? '') ?? [];
  const sa = side(before ?? '', oldSecrets);
  const sb = side(after, opts.secrets?.(after, oldSecrets) ?? []);
  const blocks = diffBlocks(sa, sb);
  // Equal texts show nothing; a new empty file still shows that it is created.
  if (blocks.length === 0 && before !== null) return '';
  const shown = path.replace(/^\/+/, '');
  const out: string[] = [before === null ? '--- /dev/null\n' : `--- a/${shown}\n`, `+++ b/${shown}\n`];
  let i = 0;
  while (i < blocks.length) {
    let j = i;
    while (j + 1 < blocks.length && (blocks[j + 1] as Block).a0 - (blocks[j] as Block).a1 <= 2 * context) j++;
    const first = blocks[i] as Block;
    const last = blocks[j] as Block;
    const aStart = Math.max(0, first.a0 - context);
    const aEnd = Math.min(sa.starts.length, last.a1 + context);
    const bStart = first.b0 - (first.a0 - aStart);
    const bEnd = last.b1 + (aEnd - last.a1);
    out.push(`@@ -${range(aStart, aEnd - aStart)} +${range(bStart, bEnd - bStart)} @@\n`);
    let pos = aStart;
    for (let k = i; k <= j; k++) {
      const blk = blocks[k] as Block;
      for (; pos < blk.a0; pos++) emit(out, ' ', shortLine(sa, pos, max));
      // Lines replaced one for one are shown around what changed in them; the rest are cut short.
      const paired = Math.min(blk.a1 - blk.a0, blk.b1 - blk.b0);
      const pairs = Array.from({ length: paired }, (_, p) => changedPair(sa, blk.a0 + p, sb, blk.b0 + p, max));
      for (let p = blk.a0; p < blk.a1; p++) emit(out, '-', p - blk.a0 < paired ? (pairs[p - blk.a0] as [string, string])[0] : shortLine(sa, p, max));
      for (let p = blk.b0; p < blk.b1; p++) emit(out, '+', p - blk.b0 < paired ? (pairs[p - blk.b0] as [string, string])[1] : shortLine(sb, p, max));
      pos = blk.a1;
    }
    for (; pos < aEnd; pos++) emit(out, ' ', shortLine(sa, pos, max));
    i = j + 1;
  }
  return out.join('');
}

/**
 * The diff a user sees: every secret masked by key (headers, env, token/secret/password-like
 * keys, in the file's format) and by value (known and token-shaped secrets, secrets.ts), for
 * every entry and profile in the file, not only dbx-mcp's. Every printed diff goes through here.
 */
export function redactedDiff(path: string, before: string | null, after: Text, opts: Omit<DiffOptions, 'secrets'> = {}): string {
  const format = formatOfPath(path);
  const secrets: Secrets = (text, old) => {
    if (typeof text === 'string') return secretRanges(text, format);
    return (old && splicedSecretRanges(text, old, format)) ?? secretRanges(text.toString(), format);
  };
  return redact(unifiedDiff(path, before, after, { ...opts, secrets }));
}
