/**
 * Immutable edits of a parsed document by key path, for codecs whose library patches a whole
 * document (TOML) rather than one location: copy the spine, change one leaf.
 */

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `doc` with `value` at `path` (missing or non-object parents become objects). */
export function withPath(doc: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return isRecord(value) ? value : doc;
  const child = doc[head];
  return { ...doc, [head]: rest.length === 0 ? value : withPath(isRecord(child) ? child : {}, rest, value) };
}

/** `doc` without the value at `path`; the same object when there is nothing to take out. */
export function withoutPath(doc: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined || !Object.prototype.hasOwnProperty.call(doc, head)) return doc;
  if (rest.length === 0) {
    const { [head]: _gone, ...others } = doc;
    return others;
  }
  const child = doc[head];
  if (!isRecord(child)) return doc;
  const next = withoutPath(child, rest);
  return next === child ? doc : { ...doc, [head]: next };
}
