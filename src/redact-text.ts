/**
 * File text for display with every secret value as `***` (the key rule of secret-keys.ts), in
 * JSON/JSONC, TOML, YAML and INI. A small tolerant scanner, not the codecs' parsers: it must
 * work on a file that does not parse (an error quoting it, a diff of a broken file), it runs
 * synchronously inside renderPlan, and it needs to know only which key and table a value sits
 * under. Line breaks are kept exactly, so a masked text has the same lines as the original and
 * a diff of it still says which line changed.
 */
import { lineEnd, maskArgument, Scanner, type Range } from './redact-scanner.js';
import type { Splice, SplicedText } from './config/splice.js';
import { isSecretFlag, isSecretKey, isSecretTable, masksValue, secretScope, visiblePrefix } from './secret-keys.js';

export type TextFormat = 'json' | 'toml' | 'yaml' | 'ini';

/** A file's format by its name: .json/.jsonc/.json5, .toml, .yaml/.yml; anything else (~/.databrickscfg) INI. */
export function formatOfPath(path: string): TextFormat {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path.replace(/.*[\\/]/, ''))?.[1]?.toLowerCase();
  if (ext === 'json' || ext === 'jsonc' || ext === 'json5') return 'json';
  if (ext === 'toml') return 'toml';
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  return 'ini';
}

function maskJson(text: string, ranges: Range[]): void {
  const sc = new Scanner(text, 'json', 0, ranges);
  // A broken file may have several top-level values; each is scanned (bounded: each step advances).
  while (sc.peek().kind !== 'eof') {
    const before = sc.pos;
    sc.skip(',:}]');
    sc.value(false, null, 0);
    if (sc.pos === before) sc.next();
  }
}

/** TOML table headers set the scope; each `key = value` line's value is scanned in it. */
function maskToml(text: string, ranges: Range[]): void {
  let tableSecret = false;
  let pos = 0;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const line = text.slice(pos, end);
    const header = /^\s*\[\[?([^\]]*)\]/.exec(line);
    // Greedy, one character or one quoted key per step, no trailing `\s*`: nested or overlapping
    // quantifiers here backtrack exponentially (or quadratically) on a long line that is no key.
    const kv = /^[ \t]*((?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[\w.\- \t])+)=/.exec(line);
    if (header) {
      tableSecret = keyPath(header[1] as string).some((k) => isSecretKey(k) || isSecretTable(k));
    } else if (kv) {
      const path = keyPath(kv[1] as string);
      const key = path.pop() ?? null;
      const secret = path.reduce((s, k) => secretScope(s, k), tableSecret);
      const sc = new Scanner(text, 'toml', pos + kv[0].length, ranges);
      sc.value(secret, key, 0);
      pos = Math.max(sc.pos, end);
      continue;
    }
    pos = end + 1;
  }
}

/** `a."b.c".d` → ['a', 'b.c', 'd']. */
function keyPath(dotted: string): string[] {
  return [...dotted.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|([^.\s"']+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

interface YamlFrame { indent: number; secret: boolean; flag: boolean }

/** YAML block structure by indentation; flow collections and quoted scalars go to the scanner. */
function maskYaml(text: string, ranges: Range[]): void {
  const stack: YamlFrame[] = [];
  const top = (): YamlFrame | undefined => stack[stack.length - 1];
  let continuing: { indent: number; masked: boolean } | null = null;
  let pos = 0;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const line = text.slice(pos, end).replace(/\r$/, '');
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    if (/^\s*(#.*)?$/.test(line)) {
      pos = end + 1;
      continue;
    }
    if (continuing && indent > continuing.indent) {
      // A block scalar's or a multi-line plain scalar's next line.
      if (continuing.masked) ranges.push([pos + indent, pos + line.length]);
      pos = end + 1;
      continue;
    }
    continuing = null;
    if (/^(---|\.\.\.)(\s|$)/.test(line)) {
      stack.length = 0;
      pos = end + 1;
      continue;
    }
    // `- - key: v`: each dash opens an item; the content starts after the last one. A list may
    // sit at its key's own indent (`args:` then `- x`), so a dash pops only deeper frames.
    const dashes = /^[ \t]*-(?:[ \t]+-)*(?:[ \t]+|$)/.exec(line);
    while (stack.length > 0 && (dashes ? (top() as YamlFrame).indent > indent : (top() as YamlFrame).indent >= indent)) stack.pop();
    const keyCol = dashes ? dashes[0].length : indent;
    const parent = top();
    const secret = parent?.secret ?? false;
    const kv = yamlKey(line.slice(keyCol));
    const key = kv?.key ?? null;
    const afterKey = keyCol + (kv?.length ?? 0);
    const valueStart = afterKey + (/^(?:[&!]\S*[ \t]+)*/.exec(line.slice(afterKey))?.[0].length ?? 0);
    const value = line.slice(valueStart);
    const afterFlag = !kv && (parent?.flag ?? false);
    if (kv && /^(#.*)?$/.test(value.trim())) {
      stack.push({ indent: keyCol, secret: secretScope(secret, key), flag: false });
    } else if (/^[|>][-+0-9]*\s*(#.*)?$/.test(value)) {
      continuing = { indent: kv ? keyCol : indent, masked: masksValue(secret || afterFlag, key, 'block') };
    } else if (value !== '') {
      const sc = new Scanner(text, 'yaml', pos + valueStart, ranges);
      let t = sc.peek();
      if (t.kind === 'bare') {
        // A block plain scalar runs to the line's end (commas and brackets included), less a ` #` comment.
        const comment = value.search(/[ \t]#/);
        const plain = (comment < 0 ? value : value.slice(0, comment)).trimEnd();
        t = { ...t, end: pos + valueStart + plain.length, text: plain, inner: [pos + valueStart, pos + valueStart + plain.length] };
      }
      const before = ranges.length;
      if (!kv && t.kind !== 'punct') {
        sc.pos = t.end;
        maskArgument(sc, t, secret, afterFlag);
      } else if (t.kind === 'bare') {
        sc.pos = t.end;
        if (masksValue(secret, key, t.text)) sc.maskValue(t);
      } else sc.value(secret, key, 0);
      if (!kv && parent) parent.flag = t.kind !== 'punct' && isSecretFlag(t.text);
      if (t.kind === 'bare') continuing = { indent: kv ? keyCol : indent, masked: ranges.length > before };
      if (sc.pos > end) {
        pos = lineEnd(text, sc.pos) + 1;
        continue;
      }
    }
    pos = end + 1;
  }
}

/**
 * `key: ` at the start of `rest`: the key and the length through the colon and its spaces. By
 * search, not one regex: a lazy key pattern before `[ \t]*:` backtracks quadratically on long lines.
 */
function yamlKey(rest: string): { key: string; length: number } | undefined {
  let end: number;
  let key: string;
  const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')[ \t]*(?=:)/.exec(rest);
  if (quoted) {
    end = quoted[0].length;
    key = (quoted[1] as string).slice(1, -1);
  } else {
    if (/^[\s#'"{[?]/.test(rest)) return undefined;
    end = rest.search(/:(?=[ \t]|$)/);
    if (end < 0) return undefined;
    key = rest.slice(0, end).trimEnd();
    if (/\s#/.test(key)) return undefined;
  }
  if (rest[end] !== ':' || !/^(?:[ \t]|$)/.test(rest.slice(end + 1, end + 2))) return undefined;
  const spaces = /^[ \t]*/.exec(rest.slice(end + 1))?.[0].length ?? 0;
  return { key, length: end + 1 + spaces };
}

/** `key = value` (or `key: value`) lines; an indented line continues the value before it. */
function maskIni(text: string, ranges: Range[]): void {
  let pos = 0;
  let lastMasked = false;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const line = text.slice(pos, end).replace(/\r$/, '');
    // Greedy up to the first `=`/`:` (the key is trimmed after): a lazy key before `\s*` backtracks quadratically.
    const kv = /^\s*([^=:\s;#[][^=:]*)[=:][ \t]*/.exec(line);
    if (/^\s+\S/.test(line) && lastMasked && !kv) {
      ranges.push([pos + (/^\s*/.exec(line)?.[0].length ?? 0), pos + line.length]);
    } else if (kv) {
      const key = (kv[1] as string).trimEnd().replace(/^["']|["']$/g, '');
      const value = line.slice(kv[0].length);
      lastMasked = masksValue(false, key, value);
      if (lastMasked) ranges.push([pos + kv[0].length + visiblePrefix(value), pos + line.length]);
    } else lastMasked = false;
    pos = end + 1;
  }
}

const MASKERS: Record<TextFormat, (text: string, ranges: Range[]) => void> = { json: maskJson, toml: maskToml, yaml: maskYaml, ini: maskIni };

/** `text` with every secret value (secret-keys.ts) replaced by `***`; the same number of lines. */
export function maskSecrets(text: string, format: TextFormat): string {
  return maskSlice(text, secretRanges(text, format), 0, text.length);
}

/** Where `text`'s secret values are (secret-keys.ts), sorted and not overlapping. */
export function secretRanges(text: string, format: TextFormat): Range[] {
  const ranges: Range[] = [];
  MASKERS[format](text, ranges);
  return merged(ranges);
}

/** Ranges sorted, overlapping ones merged, empty ones dropped. */
function merged(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [s, e] of ranges) {
    const last = out[out.length - 1];
    if (last && s < last[1]) last[1] = Math.max(last[1], e);
    else if (e > s) out.push([s, e]);
  }
  return out;
}

/**
 * secretRanges of a spliced text (splice.ts) from its old text's ranges: those outside the
 * splices, moved, plus each splice's content scanned where it sits (Splice.within). The JSON
 * edits that make splices put whole members or values into an object, which leaves the scanner
 * exactly where the replaced text did, so this is what scanning the whole new text gives.
 * undefined when a splice can only be judged with the whole text (the caller scans it).
 */
export function splicedSecretRanges(text: SplicedText, oldRanges: readonly Range[], format: TextFormat): Range[] | undefined {
  const splices = text.splices;
  if (format !== 'json' || splices.some((sp) => sp.within.as === 'document')) return undefined;
  const ranges: Range[] = [];
  let delta = 0;
  for (const sp of splices) {
    for (const [s, e] of spliceContentRanges(sp)) ranges.push([s + sp.offset + delta, e + sp.offset + delta]);
    delta += sp.content.length - sp.length;
  }
  // The old ranges, less what the splices replace, moved by the splices before them.
  let k = 0;
  delta = 0;
  for (const [s0, e0] of oldRanges) {
    for (let a = s0; a < e0; ) {
      for (let sp = splices[k]; sp && sp.offset + sp.length <= a; sp = splices[++k]) delta += sp.content.length - sp.length;
      const next = splices[k];
      if (next && next.offset <= a) {
        a = next.offset + next.length;
        continue;
      }
      const stop = next ? Math.min(e0, next.offset) : e0;
      ranges.push([a + delta, stop + delta]);
      a = stop;
    }
  }
  return merged(ranges);
}

/** A splice's secrets, relative to its content, scanned in the scope of where it sits. */
function spliceContentRanges(sp: Splice): Range[] {
  const ranges: Range[] = [];
  const sc = new Scanner(sp.content, 'json', 0, ranges);
  const { path, as } = sp.within;
  const scope = (keys: readonly string[]) => keys.reduce((secret, k) => secretScope(secret, k), false);
  // Depths as maskJson counts them: the top-level object's members are scanned at depth 1.
  if (as === 'members') sc.members(scope(path), path.length + 1);
  else sc.value(scope(path.slice(0, -1)), path[path.length - 1] ?? null, path.length);
  return ranges;
}

/**
 * text[from, to) as maskSecrets shows it, given secretRanges(text): a big file's diff masks
 * only the lines it prints, never a second copy of the whole file. Each masked line part is
 * `***`, so line breaks stay.
 */
export function maskSlice(text: { slice(from: number, to: number): string }, ranges: readonly Range[], from: number, to: number): string {
  let out = '';
  let at = from;
  // Binary search for the first range ending after `from`: a diff asks for many small slices.
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid] as Range)[1] <= from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < ranges.length; i++) {
    const [s, e] = ranges[i] as Range;
    if (s >= to) break;
    const a = Math.max(s, at);
    const b = Math.min(e, to);
    out += text.slice(at, a) + text.slice(a, b).split('\n').map((part) => (part.replace(/\r$/, '') === '' ? part : `***${part.endsWith('\r') ? '\r' : ''}`)).join('\n');
    at = b;
  }
  // URL passwords and secret query parameters are redact()'s, on every printed line.
  return out + text.slice(at, to);
}

/**
 * A parser's message about `text` without the secrets it may quote (toml-patch's
 * `Invalid float "sk-live-…"`): a quoted fragment the masked text does not show becomes `***`.
 */
export function scrubParseMessage(message: string, text: string, format: TextFormat): string {
  let shown: string | undefined;
  return message.replace(/(["'`])([^"'`\n]{4,})\1/g, (m, q: string, inner: string) => {
    shown ??= maskSecrets(text, format);
    return text.includes(inner) && !shown.includes(inner) ? `${q}***${q}` : m;
  });
}
