/** The JSONC codec (comments, trailing commas, BOM): today's surgical editor behind the codec seam. */
import { jsonRemoveSplices, jsonSetSplices, parseJsonc, parseJsoncAt, parsePathTree, removeJsonValue, setJsonValue } from '../jsonc-edit.js';
import type { CodecOptions, ConfigCodec } from './codec.js';

/** The JSONC codec editing as a client needs (`trailingCommas: 'never'`: Gemini CLI). */
export function jsoncCodecWith(options: CodecOptions): ConfigCodec {
  const set = { noTrailingComma: options.trailingCommas === 'never' };
  return {
    id: 'jsonc',
    documentNoun: 'a JSON object',
    parse: parseJsonc,
    parseAt: parseJsoncAt,
    hasDocument: (text) => parsePathTree(text.replace(/^\uFEFF/, ''), [], []) !== undefined,
    set: (text, path, value, file) => setJsonValue(text, [...path], value, file, set),
    setSplices: (text, path, value, file) => jsonSetSplices(text, [...path], value, file, set),
    remove: (text, path, file) => removeJsonValue(text, [...path], file),
    removeSplices: (text, path, file) => jsonRemoveSplices(text, [...path], file),
    trailingEmptyDocument: (text) => /\{\s*\}\s*$/.exec(text)?.index,
    serialize: (doc) => setJsonValue('', [], doc),
  };
}
