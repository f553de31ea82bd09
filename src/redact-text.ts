/**
 * File text for display with every secret value as `***` (the key rule of secret-keys.ts), in
 * JSON/JSONC, TOML, YAML and INI. A small tolerant scanner, not the codecs' parsers: it must
 * work on a file that does not parse (an error quoting it, a diff of a broken file), it runs
 * synchronously inside renderPlan, and it needs to know only which key and table a value sits
 * under. Line breaks are kept exactly, so a masked text has the same lines as the original and
 * a diff of it still says which line changed.
 */
import { isSecretFlag, isSecretKey, isSecretTable, masksValue, secretInArgument, secretScope, visiblePrefix } from './secret-keys.js';

export type TextFormat = 'json' | 'toml' | 'yaml' | 'ini';

/** A file's format by its name: .json/.jsonc/.json5, .toml, .yaml/.yml; anything else (~/.databrickscfg) INI. */
export function formatOfPath(path: string): TextFormat {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path.replace(/.*[\\/]/, ''))?.[1]?.toLowerCase();
  if (ext === 'json' || ext === 'jsonc' || ext === 'json5') return 'json';
  if (ext === 'toml') return 'toml';
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  return 'ini';
}

type Range = [number, number];
type Mode = 'json' | 'toml' | 'yaml';
interface Tok { kind: 'str' | 'bare' | 'punct' | 'nl' | 'eof'; start: number; end: number; text: string; inner: Range }

const JSON_STRING = /"((?:[^"\\\n]|\\.)*)"?/y;
const JSON_BARE = /[^\s{}[\]:,"]+/y;
const TOML_BARE = /[^\s{}[\],="'#]+/y;

/** Nesting past this is not followed (values deeper are masked wholesale by the caller's scope). */
const MAX_DEPTH = 64;

class Scanner {
  pos: number;
  constructor(readonly src: string, readonly mode: Mode, start: number, readonly ranges: Range[]) {
    this.pos = start;
  }

  /** The next token, comments and spaces skipped; newlines are tokens (TOML and YAML lines end values). */
  private cached: { pos: number; tok: Tok } | undefined;

  peek(): Tok {
    if (this.cached?.pos !== this.pos) this.cached = { pos: this.pos, tok: this.scan() };
    return this.cached.tok;
  }

  private scan(): Tok {
    const s = this.src;
    let i = this.pos;
    for (;;) {
      while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\r')) i++;
      if (s.startsWith('//', i) && this.mode === 'json') i = lineEnd(s, i);
      else if (s.startsWith('/*', i) && this.mode === 'json') i = s.indexOf('*/', i + 2) < 0 ? s.length : s.indexOf('*/', i + 2) + 2;
      else if (s[i] === '#' && (this.mode !== 'yaml' || i === 0 || /\s/.test(s[i - 1] as string))) i = lineEnd(s, i);
      else break;
    }
    if (i >= s.length) return { kind: 'eof', start: i, end: i, text: '', inner: [i, i] };
    const c = s[i] as string;
    if (c === '\n') return { kind: 'nl', start: i, end: i + 1, text: '\n', inner: [i, i + 1] };
    if ('{}[],'.includes(c) || (c === ':' && this.mode !== 'toml') || (c === '=' && this.mode === 'toml')) return { kind: 'punct', start: i, end: i + 1, text: c, inner: [i, i + 1] };
    if (c === '"' || c === "'") return this.string(i, c);
    let j = i;
    if (this.mode === 'yaml') {
      // A plain flow scalar runs to a flow indicator, ': ', ' #' or the line's end, spaces included.
      while (j < s.length && !',[]{}\n'.includes(s[j] as string) && !(s[j] === ':' && /[\s,\]}]|$/.test(s[j + 1] ?? '')) && !(s[j] === '#' && /\s/.test(s[j - 1] ?? ''))) j++;
      while (j > i && /\s/.test(s[j - 1] as string)) j--;
    } else {
      const bare = this.mode === 'json' ? JSON_BARE : TOML_BARE;
      bare.lastIndex = i;
      j = bare.test(s) ? bare.lastIndex : i;
    }
    if (j === i) j = i + 1;
    return { kind: 'bare', start: i, end: j, text: s.slice(i, j), inner: [i, j] };
  }

  private string(i: number, q: string): Tok {
    const s = this.src;
    if (q === '"' && this.mode !== 'yaml' && !s.startsWith('"""', i)) {
      // The common case (every JSON string), by one sticky regex: a character loop is 5× slower on a 3 MB ~/.claude.json.
      JSON_STRING.lastIndex = i;
      const m = JSON_STRING.exec(s) as RegExpExecArray;
      const close = i + 1 + (m[1] as string).length;
      return { kind: 'str', start: i, end: JSON_STRING.lastIndex, text: m[1] as string, inner: [i + 1, close] };
    }
    const triple = this.mode === 'toml' && s.startsWith(q.repeat(3), i);
    const open = triple ? 3 : 1;
    let j = i + open;
    for (; j < s.length; j++) {
      if (triple ? s.startsWith(q.repeat(3), j) : s[j] === q) {
        if (this.mode === 'yaml' && q === "'" && s[j + 1] === "'") { j++; continue; }
        break;
      }
      if (s[j] === '\\' && q === '"') j++;
      else if (s[j] === '\n' && !triple && this.mode !== 'yaml') break;
    }
    const close = Math.min(j, s.length);
    const end = Math.min(s.length, close + (s.startsWith(q, close) ? open : 0));
    return { kind: 'str', start: i, end, text: s.slice(i + open, close), inner: [i + open, close] };
  }

  next(): Tok {
    const t = this.peek();
    this.pos = t.end;
    return t;
  }

  skip(kinds: string): void {
    for (let t = this.peek(); t.kind === 'nl' || (t.kind === 'punct' && kinds.includes(t.text)); t = this.peek()) this.pos = t.end;
  }

  mask(r: Range): void {
    if (r[1] > r[0]) this.ranges.push(r);
  }

  /** A secret value masked, its auth scheme (`Bearer `) kept. */
  maskValue(t: Tok): void {
    this.mask([t.inner[0] + visiblePrefix(t.text), t.inner[1]]);
  }

  /** One value at the cursor, under `key` in a scope that is secret or not. */
  value(secret: boolean, key: string | null, depth: number): void {
    const t = this.peek();
    if (t.kind === 'punct' && (t.text === '{' || t.text === '[')) {
      this.pos = t.end;
      const inner = secretScope(secret, key);
      if (depth >= MAX_DEPTH) return this.maskRest(t.text === '{' ? '}' : ']');
      if (t.text === '{') this.object(inner, depth + 1);
      else this.array(inner, depth + 1);
    } else if (t.kind === 'str' || t.kind === 'bare') {
      this.pos = t.end;
      if (masksValue(secret, key, t.text)) this.maskValue(t);
    }
  }

  private object(secret: boolean, depth: number): void {
    for (;;) {
      this.skip(',');
      const t = this.peek();
      if (t.kind === 'eof') return;
      this.pos = t.end;
      if (t.kind === 'punct' && (t.text === '}' || t.text === ']')) return;
      if (t.kind !== 'str' && t.kind !== 'bare') continue;
      this.skip('');
      const sep = this.peek();
      if (sep.kind === 'punct' && (sep.text === ':' || sep.text === '=')) {
        this.pos = sep.end;
        this.skip('');
        this.value(secret, t.text, depth);
      }
    }
  }

  private array(secret: boolean, depth: number): void {
    let flag = false;
    for (;;) {
      this.skip(',');
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (t.kind === 'punct' && (t.text === '}' || t.text === ']')) {
        this.pos = t.end;
        return;
      }
      if (t.kind === 'str' || t.kind === 'bare') {
        this.pos = t.end;
        maskArgument(this, t, secret, flag);
        flag = isSecretFlag(t.text);
      } else {
        this.value(secret, null, depth);
        flag = false;
        if (this.peek().start === t.start) this.pos = t.end;
      }
    }
  }

  /** Past MAX_DEPTH: everything up to the closing bracket is masked, structure or not. */
  private maskRest(close: string): void {
    const end = this.src.indexOf(close, this.pos);
    const stop = end < 0 ? this.src.length : end;
    this.mask([this.pos, stop]);
    this.pos = stop;
  }
}

/** One element of an argument list: masked in a secret scope, after a secret flag, or its `--token=`/`X-Api-Key:` part. */
function maskArgument(sc: Scanner, t: Tok, secret: boolean, afterSecretFlag: boolean): void {
  if (masksValue(secret || afterSecretFlag, null, t.text)) return sc.maskValue(t);
  const at = secretInArgument(t.text);
  if (at >= 0) sc.mask([t.inner[0] + at, t.inner[1]]);
}

function lineEnd(s: string, i: number): number {
  const n = s.indexOf('\n', i);
  return n < 0 ? s.length : n;
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
    const kv = /^\s*((?:"(?:[^"\\]|\\.)*"|'[^']*'|[\w.-]+|\s*\.\s*)+?)\s*=/.exec(line);
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
    const kv = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[?][^#]*?)[ \t]*:(?=\s|$)[ \t]*/.exec(line.slice(keyCol));
    const key = kv ? (kv[1] as string).replace(/^["']|["']$/g, '') : null;
    const afterKey = keyCol + (kv?.[0].length ?? 0);
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
        const plain = value.replace(/\s+#.*$/, '').trimEnd();
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

/** `key = value` (or `key: value`) lines; an indented line continues the value before it. */
function maskIni(text: string, ranges: Range[]): void {
  let pos = 0;
  let lastMasked = false;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const line = text.slice(pos, end).replace(/\r$/, '');
    const kv = /^\s*([^=:\s;#[][^=:]*?)\s*[=:]\s*/.exec(line);
    if (/^\s+\S/.test(line) && lastMasked && !kv) {
      ranges.push([pos + (/^\s*/.exec(line)?.[0].length ?? 0), pos + line.length]);
    } else if (kv) {
      const key = (kv[1] as string).replace(/^["']|["']$/g, '');
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
  const ranges: Range[] = [];
  MASKERS[format](text, ranges);
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [s, e] of ranges) {
    if (e <= at) continue;
    const from = Math.max(s, at);
    out += text.slice(at, from) + text.slice(from, e).split('\n').map((part) => (part.replace(/\r$/, '') === '' ? part : `***${part.endsWith('\r') ? '\r' : ''}`)).join('\n');
    at = e;
  }
  // URL passwords and secret query parameters are redact()'s, on every printed line.
  return out + text.slice(at);
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
