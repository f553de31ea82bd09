/**
 * A big text (a 28 MB ~/.claude.json) a piece at a time: encoding or hashing it whole makes one
 * more Buffer of the file's size, on top of the text itself.
 */
import { createHash } from 'node:crypto';

/** Characters per piece. */
export const TEXT_CHUNK = 1 << 20;

/** A text as pieces in order (SplicedText gives its own). */
interface Pieces {
  chunks(size: number): Iterable<string>;
}

/**
 * `text` in pieces of at most `size` characters, never split inside a surrogate pair (each piece
 * is valid UTF-16 on its own; with `size` 1 a pair is one piece of two).
 */
export function* textChunks(text: string | Pieces, size = TEXT_CHUNK): Generator<string> {
  if (typeof text !== 'string') return yield* text.chunks(size);
  for (let at = 0; at < text.length; ) {
    let end = Math.min(at + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end = end - 1 > at ? end - 1 : end + 1;
    yield text.slice(at, end);
    at = end;
  }
}

/** sha256 (hex) of the text's UTF-8 encoding, a piece at a time: equal to hashing Buffer.from(text). */
export function sha256OfText(text: string | Pieces): string {
  const hash = createHash('sha256');
  for (const piece of textChunks(text)) hash.update(piece, 'utf8');
  return hash.digest('hex');
}
