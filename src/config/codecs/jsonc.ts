/** The JSONC codec (comments, trailing commas, BOM): today's surgical editor behind the codec seam. */
import { parseTree } from 'jsonc-parser';
import { parseJsonc, removeJsonValue, setJsonValue } from '../jsonc-edit.js';
import type { ConfigCodec } from './codec.js';

export const jsoncCodec: ConfigCodec = {
  id: 'jsonc',
  documentNoun: 'a JSON object',
  parse: parseJsonc,
  hasDocument: (text) => parseTree(text.replace(/^\uFEFF/, ''), [], { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true }) !== undefined,
  set: (text, path, value, file) => setJsonValue(text, [...path], value, file),
  remove: (text, path, file) => removeJsonValue(text, [...path], file),
  trailingEmptyDocument: (text) => /\{\s*\}\s*$/.exec(text)?.index,
  serialize: (doc) => setJsonValue('', [], doc),
};
