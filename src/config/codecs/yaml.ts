/**
 * The YAML codec (Goose's config.yaml), on `yaml`'s Document API: edits go through the parsed
 * document, which keeps comments, blank lines, key order and scalar styles outside the entry.
 */
import { isMap, parseDocument, type Document } from 'yaml';
import { ConfigParseError } from '../../errors.js';
import type { ConfigCodec } from './codec.js';

function load(text: string, file: string): Document {
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { keepSourceTokens: false });
  const err = doc.errors[0];
  if (err !== undefined) {
    const at = err.linePos?.[0] ?? { line: 1, col: 1 };
    throw new ConfigParseError(file, at.line, at.col, err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML');
  }
  if (doc.contents !== null && !isMap(doc.contents)) throw new ConfigParseError(file, 1, 1, 'the top level is not a mapping (key: value)');
  return doc;
}

/** The text of `doc`, in the file's own line endings and with its BOM. */
function render(doc: Document, original: string): string {
  const out = doc.toString({ lineWidth: 0 });
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  return bom + (original.includes('\r\n') ? out.replace(/\r?\n/g, '\r\n') : out);
}

export const yamlCodec: ConfigCodec = {
  id: 'yaml',
  documentNoun: 'a YAML mapping',
  parse: (text, file) => (load(text, file).toJS() as Record<string, unknown> | null) ?? {},
  hasDocument: (text) => {
    try {
      return load(text, '').contents !== null;
    } catch {
      return true;
    }
  },
  set: (text, path, value, file) => {
    const doc = load(text, file);
    doc.setIn(path, doc.createNode(value));
    return render(doc, text);
  },
  remove: (text, path, file) => {
    const doc = load(text, file);
    if (!doc.hasIn(path)) return text;
    doc.deleteIn(path);
    return render(doc, text);
  },
  // A top-level mapping emptied of its last key prints as `{}` on a line of its own.
  trailingEmptyDocument: (text) => {
    const m = /(?:^|\n)\{\}\s*$/.exec(text);
    return m === null ? undefined : m.index + m[0].indexOf('{');
  },
  serialize: (doc) => yamlCodec.set('', [], doc, ''),
};
