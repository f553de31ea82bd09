/**
 * An edit as the ranges it replaces. A 28 MB ~/.claude.json that gains one entry is its old text
 * plus a few hundred bytes: kept as the old text and its splices, the new text is never a second
 * flat copy of the file. The diff, the intent record's fingerprint and the temp-file write read
 * it through SplicedText; anything else may ask for the whole string (toString).
 */

/** text[offset, offset + length) replaced by `content`. */
export interface Splice {
  offset: number;
  length: number;
  content: string;
  /**
   * Where the content sits in the document, so its secrets can be found without scanning the
   * whole new text (redact-text.ts): the path of the object it is inside, and whether it is
   * members of that object or the value of the path's last key; 'document': it can only be
   * judged with the whole text around it.
   */
  within: { path: readonly string[]; as: 'members' | 'value' | 'document' };
}

/** One run of the new text: text[from, to) of `source`, starting at `at` in the new text. */
interface Segment {
  at: number;
  source: string;
  from: number;
  to: number;
  /** The run is the old text's own (not a splice's content). */
  old: boolean;
}

/**
 * The old text with its splices made (sorted by offset, not overlapping), read in place: every
 * run is a slice of the old text or a splice's content. The methods the diff needs (length,
 * slice, charCodeAt, indexOf) behave as on the string it stands for.
 */
export class SplicedText {
  readonly length: number;
  private readonly segments: Segment[] = [];
  /** Where each splice's content is in the new text: [start, end). */
  private readonly contents: [number, number][] = [];
  private last = 0;

  constructor(readonly old: string, readonly splices: readonly Splice[]) {
    let at = 0;
    let from = 0;
    const push = (source: string, a: number, b: number, old: boolean) => {
      if (b > a) this.segments.push({ at, source, from: a, to: b, old });
      at += b - a;
    };
    for (const s of splices) {
      if (s.offset < from || s.offset + s.length > old.length) throw new RangeError('splices must be sorted, inside the text and not overlapping');
      push(old, from, s.offset, true);
      this.contents.push([at, at + s.content.length]);
      push(s.content, 0, s.content.length, false);
      from = s.offset + s.length;
    }
    push(old, from, old.length, true);
    this.length = at;
  }

  /** The segment holding position i (0 <= i < length); sequential reads are O(1). */
  private seg(i: number): number {
    const segs = this.segments;
    const hit = (k: number) => (segs[k] as Segment).at <= i && i < (segs[k] as Segment).at + (segs[k] as Segment).to - (segs[k] as Segment).from;
    if (hit(this.last)) return this.last;
    if (this.last + 1 < segs.length && hit(this.last + 1)) return ++this.last;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segs[mid] as Segment).at <= i) lo = mid;
      else hi = mid - 1;
    }
    this.last = lo;
    return lo;
  }

  charCodeAt(i: number): number {
    if (!(i >= 0 && i < this.length)) return NaN;
    const s = this.segments[this.seg(i)] as Segment;
    return s.source.charCodeAt(s.from + i - s.at);
  }

  slice(start = 0, end = this.length): string {
    const a = Math.max(0, Math.min(start, this.length));
    const b = Math.max(a, Math.min(end, this.length));
    let out = '';
    for (let k = a < this.length ? this.seg(a) : this.segments.length; k < this.segments.length; k++) {
      const s = this.segments[k] as Segment;
      if (s.at >= b) break;
      out += s.source.slice(s.from + Math.max(a, s.at) - s.at, s.from + Math.min(b, s.at + s.to - s.from) - s.at);
    }
    return out;
  }

  /** indexOf of one character, as on the string. */
  indexOf(ch: string, from = 0): number {
    const start = Math.max(0, from);
    if (start >= this.length) return -1;
    for (let k = this.seg(start); k < this.segments.length; k++) {
      const s = this.segments[k] as Segment;
      const found = s.source.indexOf(ch, s.from + Math.max(0, start - s.at));
      if (found !== -1 && found < s.to) return s.at + found - s.from;
    }
    return -1;
  }

  /** includes, as on the string: in one run of the old text, or found in the new text around a splice. */
  includes(needle: string): boolean {
    if (needle === '') return true;
    for (const s of this.segments) {
      const found = s.old ? s.source.indexOf(needle, s.from) : -1;
      if (found !== -1 && found + needle.length <= s.to) return true;
    }
    // Any other occurrence overlaps a splice's content or the seam where a deletion was.
    const n = needle.length;
    return this.contents.some(([a, b]) => this.slice(a - n + 1, b + n - 1).includes(needle));
  }

  /**
   * Where [start, end) of the new text is in the old one, when it is all the old text's own
   * (one run, no splice in it); undefined otherwise. An unchanged line is then the old line.
   */
  oldOffset(start: number, end: number): number | undefined {
    if (start >= this.length) return start === end ? start - this.length + this.old.length : undefined;
    const s = this.segments[this.seg(start)] as Segment;
    return s.old && end <= s.at + s.to - s.from ? s.from + start - s.at : undefined;
  }

  /** The new text in order, as pieces of at most `size` characters (never a surrogate pair split). */
  *chunks(size: number): Generator<string> {
    for (const s of this.segments) {
      for (let at = s.from; at < s.to; ) {
        let end = Math.min(at + size, s.to);
        const lastUnit = s.source.charCodeAt(end - 1);
        if (end < s.to && lastUnit >= 0xd800 && lastUnit <= 0xdbff) end = end - 1 > at ? end - 1 : end + 1;
        yield s.source.slice(at, end);
        at = end;
      }
    }
  }

  /** The whole new text as one string (V8 keeps it as slices until it is read). */
  toString(): string {
    return this.slice(0, this.length);
  }
}

/** A planned change's new text, read in place when it is splices of the old one (file-plan.ts's FileChange). */
export function newContent(change: { before: string | null; after: string; splices?: readonly Splice[] }): string | SplicedText {
  return change.splices && change.before !== null ? new SplicedText(change.before, change.splices) : change.after;
}

/** `text` with the splices made. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  return new SplicedText(text, splices).toString();
}

/** The splices change nothing: each puts back what it replaces. */
export function splicesAreNoop(text: string, splices: readonly Splice[]): boolean {
  return splices.every((s) => text.slice(s.offset, s.offset + s.length) === s.content);
}
