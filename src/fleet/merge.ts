/**
 * Applies fleet operations to a file's text through its codec: only the keys an operation names
 * change, every other byte stays as the admin wrote it, and an operation that is already true
 * changes nothing (so installing twice is a no-op).
 */
import { isDeepStrictEqual } from 'node:util';
import type { ConfigCodec } from '../config/codecs/index.js';
import { DbxMcpError } from '../errors.js';
import type { FleetOp } from './catalog.js';

function at(doc: unknown, path: readonly string[]): unknown {
  let v = doc;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** `text` with every operation applied; ConfigParseError when it does not parse (nothing is written then). */
export function applyOps(codec: ConfigCodec, text: string, ops: readonly FleetOp[], file: string): string {
  let out = text;
  for (const op of ops) {
    const current = at(codec.parse(out, file), op.path);
    if (op.op === 'set') {
      if (!isDeepStrictEqual(current, op.value)) out = codec.set(out, op.path, op.value, file);
    } else if (op.op === 'default') {
      if (current === undefined) out = codec.set(out, op.path, op.value, file);
    } else {
      if (current !== undefined && !Array.isArray(current)) {
        throw new DbxMcpError(`${file}: ${op.path.join('.')} is not a list, so dbx-mcp cannot add its entries to it`, {
          code: 'CONFIG_SHAPE',
          hint: `Make ${op.path.join('.')} in ${file} a list (or remove it), then run the install again.`,
        });
      }
      const have = (current as unknown[] | undefined) ?? [];
      const missing = op.items.filter((item) => !have.some((h) => isDeepStrictEqual(h, item)));
      if (missing.length) out = codec.set(out, op.path, [...have, ...missing], file);
    }
  }
  return out;
}
