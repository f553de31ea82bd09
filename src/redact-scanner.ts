/**
 * The tokenizer behind redact-text.ts: JSON/JSONC documents, TOML inline values and YAML flow
 * collections, scanned tolerantly (a broken file still gets its secrets masked) into the ranges
 * of secret values, by the key rule of secret-keys.ts.
 */
import { isSecretFlag, masksValue, secretInArgument, secretScope, visiblePrefix } from './secret-keys.js';

export type Range = [number, number];
type Mode = 'json' | 'toml' | 'yaml';
interface Tok { kind: 'str' | 'bare' | 'punct' | 'nl' | 'eof'; start: number; end: number; text: string; inner: Range }

const JSON_STRING = /"((?:[^"\\\n]|\\.)*)"?/y;
const JSON_BARE = /[^\s{}[\]:,"]+/y;
const TOML_BARE = /[^\s{}[\],="'#]+/y;

/** Nesting past this is not followed (values deeper are masked wholesale by the caller's scope). */
const MAX_DEPTH = 64;

export class Scanner {
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

  /** An object's members from the cursor on (a splice's content inside an object), to its end or the text's. */
  members(secret: boolean, depth: number): void {
    this.object(secret, depth);
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
export function maskArgument(sc: Scanner, t: Tok, secret: boolean, afterSecretFlag: boolean): void {
  if (masksValue(secret || afterSecretFlag, null, t.text)) return sc.maskValue(t);
  const at = secretInArgument(t.text);
  if (at >= 0) sc.mask([t.inner[0] + at, t.inner[1]]);
}

export function lineEnd(s: string, i: number): number {
  const n = s.indexOf('\n', i);
  return n < 0 ? s.length : n;
}
