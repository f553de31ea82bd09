/**
 * Unified diffs of config files, hand-written so the plan preview needs no dependency. Config
 * edits are small changes inside possibly large files (~/.claude.json), so the common prefix and
 * suffix are trimmed first and Myers' O(ND) algorithm runs only on what is left.
 * jsdiff (`diff` 9.0.0) was weighed: +12.5 KB in the lazy plan chunk, same speed on a 3.5 MB
 * file, but its hunks differ from diff(1)'s numbering (a new file is `-1,0`, not `-0,0`) and,
 * adapted, failed the apply-the-hunks property test; so this minimal diff stays.
 */
import { formatOfPath, maskSlice, secretRanges } from '../redact-text.js';
import type { Range } from '../redact-scanner.js';
import { redact } from '../secrets.js';

export interface DiffOptions {
  /** Lines of unchanged context around each change; default 3. */
  context?: number;
  /**
   * Where a text's secrets are (redact-text.ts's secretRanges): the diff is computed on the real
   * lines, so a changed secret is still a changed line, and only what it prints is masked.
   */
  secrets?: (text: string) => Range[];
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

/**
 * Lines keep their '\n', so a missing final newline counts as a difference, as in diff(1).
 * Slices, not copies: V8 shares a long substring with its parent, so a big file is in memory once.
 */
function splitLines(text: string): { lines: string[]; starts: number[] } {
  const lines: string[] = [];
  const starts: number[] = [];
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl + 1;
    starts.push(at);
    lines.push(text.slice(at, end));
    at = end;
  }
  return { lines, starts };
}

/** One side of the diff: its text, lines, where each line starts, and where its secrets are. */
interface Side {
  text: string;
  lines: string[];
  starts: number[];
  secrets: Range[];
}

function side(text: string, secrets: DiffOptions['secrets']): Side {
  return { text, ...splitLines(text), secrets: secrets ? secrets(text) : [] };
}

/** Characters of line `p` in [from, to) as shown (secrets masked). */
function piece(s: Side, p: number, from: number, to: number): string {
  const start = s.starts[p] as number;
  return maskSlice(s.text, s.secrets, start + from, start + to);
}

/** Myers' greedy forward search over a[aLo, aHi) and b[bLo, bHi); null past the limit. */
function myers(a: string[], b: string[], aLo: number, aHi: number, bLo: number, bHi: number): Block[] | null {
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
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
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

function diffBlocks(a: string[], b: string[]): Block[] {
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
  let aHi = a.length;
  let bHi = b.length;
  while (aHi > lo && bHi > lo && a[aHi - 1] === b[bHi - 1]) {
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
const WORD = /[A-Za-z0-9_\-.~+/=%]/;

/** `at` moved by `step` (-1 or +1) while inside a word, so a cut there would split it. */
function wordEdge(line: string, at: number, step: -1 | 1, lo: number, hi: number): number {
  let i = at;
  for (let n = 0; n < WORD_LIMIT && i > lo && i < hi && WORD.test(line[i - 1] as string) && WORD.test(line[i] as string); n++) i += step;
  return i;
}

/**
 * Line `p` of `s` from `from` to `to`, with what is left out on either side named as cut; a
 * region still longer than `max` keeps its two ends. Cuts move out of words. The '\n' stays.
 */
function elide(s: Side, p: number, from: number, to: number, max: number): string {
  const line = s.lines[p] as string;
  const eol = line.endsWith('\n') ? '\n' : '';
  const len = line.length - eol.length;
  from = wordEdge(line, Math.max(0, Math.min(from, len)), -1, 0, len);
  to = wordEdge(line, Math.max(from, Math.min(to, len)), 1, from, len);
  let middle: string;
  if (to - from <= max) middle = piece(s, p, from, to);
  else {
    const half = Math.floor(max / 2);
    const headEnd = wordEdge(line, from + half, 1, from, to);
    const tailStart = Math.max(headEnd, wordEdge(line, to - half, -1, headEnd, to));
    middle = tailStart - headEnd <= 0 ? piece(s, p, from, to) : `${piece(s, p, from, headEnd)}${cut(tailStart - headEnd)}${piece(s, p, tailStart, to)}`;
  }
  return `${from > 0 ? cut(from) : ''}${middle}${to < len ? cut(len - to) : ''}${eol}`;
}

/** Line `p` as shown: whole, or its first `max` characters when it is too long. */
function shortLine(s: Side, p: number, max: number): string {
  const line = s.lines[p] as string;
  return line.length - (line.endsWith('\n') ? 1 : 0) > max ? elide(s, p, 0, max, max) : piece(s, p, 0, line.length);
}

/**
 * Line `p` of `a` and its replacement, line `q` of `b`, both shown around the region where they
 * differ (their common start and end cut down to LINE_CONTEXT characters) when either is too long.
 */
function changedPair(a: Side, p: number, b: Side, q: number, max: number): [string, string] {
  const x = a.lines[p] as string;
  const y = b.lines[q] as string;
  if (x.length <= max && y.length <= max) return [piece(a, p, 0, x.length), piece(b, q, 0, y.length)];
  const limit = Math.min(x.length, y.length);
  let pre = 0;
  while (pre < limit && x.charCodeAt(pre) === y.charCodeAt(pre)) pre++;
  let suf = 0;
  while (suf < limit - pre && x.charCodeAt(x.length - 1 - suf) === y.charCodeAt(y.length - 1 - suf)) suf++;
  const from = pre - LINE_CONTEXT;
  return [elide(a, p, from, x.length - suf + LINE_CONTEXT, max), elide(b, q, from, y.length - suf + LINE_CONTEXT, max)];
}

/**
 * A unified diff of `before` → `after` for display: `--- a/<path>` / `+++ b/<path>` headers
 * (`--- /dev/null` when `before` is null, i.e. a new file) and `@@ -l,s +l,s @@` hunks with
 * `context` lines (default 3) around changes. '' when the texts are equal. A leading '/' of an
 * absolute path is dropped after the `a/`/`b/` prefix. Lines keep their own '\r' if any. A line
 * longer than `maxLineLength` is elided (see changedPair), so such a diff is for reading, not `patch`.
 */
export function unifiedDiff(path: string, before: string | null, after: string, opts: DiffOptions = {}): string {
  if (before === after) return '';
  const context = Math.max(0, opts.context ?? 3);
  const max = Math.max(1, opts.maxLineLength ?? LONG_LINE);
  const sa = side(before ?? '', opts.secrets);
  const sb = side(after, opts.secrets);
  const a = sa.lines;
  const b = sb.lines;
  const shown = path.replace(/^\/+/, '');
  const out: string[] = [before === null ? '--- /dev/null\n' : `--- a/${shown}\n`, `+++ b/${shown}\n`];
  const blocks = diffBlocks(a, b);
  let i = 0;
  while (i < blocks.length) {
    let j = i;
    while (j + 1 < blocks.length && (blocks[j + 1] as Block).a0 - (blocks[j] as Block).a1 <= 2 * context) j++;
    const first = blocks[i] as Block;
    const last = blocks[j] as Block;
    const aStart = Math.max(0, first.a0 - context);
    const aEnd = Math.min(a.length, last.a1 + context);
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
export function redactedDiff(path: string, before: string | null, after: string, opts: Omit<DiffOptions, 'secrets'> = {}): string {
  const format = formatOfPath(path);
  return redact(unifiedDiff(path, before, after, { ...opts, secrets: (text) => secretRanges(text, format) }));
}
