/**
 * The YAML codec (Goose's config.yaml). Parsing is `yaml`'s (eemeli; errors with line and
 * column). An entry `<parent>: <name>: …` in a block mapping is spliced in and out as whole lines
 * (line-splice.ts), so comments, blank lines, quoting and indentation elsewhere stay as the user
 * wrote them; anything else (a flow mapping `{…}`, an odd layout) goes through the Document API,
 * which keeps comments but may re-indent.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, parseDocument, stringify, type Document } from 'yaml';
import { ConfigParseError } from '../../errors.js';
import { scrubParseMessage } from '../../redact-text.js';
import { partOf, type ConfigCodec } from './codec.js';
import { appendBlock, blockRange, eolOf, lineAt, lineStarts, reEscape, removeLines } from './line-splice.js';
import { lastOpener, positionAt, unmatchedOpener, type TextPosition } from './parse-position.js';

function load(text: string, file: string): Document {
  // logLevel 'error': warnings would go to process.emitWarning (stderr); a domain module never prints.
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { logLevel: 'error' });
  const err = doc.errors[0];
  if (err !== undefined) {
    const reason = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    const { line, column } = yamlErrorStart(text.replace(/^\uFEFF/, ''), err.pos[0], reason, err.linePos?.[0]);
    throw new ConfigParseError(file, line, column, scrubParseMessage(reason, text, 'yaml'));
  }
  if (doc.contents !== null && !isMap(doc.contents)) throw new ConfigParseError(file, 1, 1, 'the top level is not a mapping (key: value)');
  return doc;
}

/**
 * Where the construct `yaml` choked on starts: it notices an unclosed quote or flow collection
 * where the text ends or the next line begins, below the opening quote or bracket.
 */
function yamlErrorStart(text: string, at: number, reason: string, noticed: { line: number; col: number } | undefined): TextPosition {
  let start = -1;
  const quote = /Missing closing (["'])quote/.exec(reason)?.[1];
  if (quote !== undefined) start = lastOpener(text, at, quote);
  else if (/Flow sequence .*end with a \]/.test(reason)) start = unmatchedOpener(text, at, '[', ']');
  else if (/Flow map .*end with a \}/.test(reason)) start = unmatchedOpener(text, at, '{', '}');
  if (start !== -1) return positionAt(text, start);
  return noticed ? { line: noticed.line, column: noticed.col } : positionAt(text, at);
}

function parseYaml(text: string, file: string): Record<string, unknown> {
  return (load(text, file).toJS() as Record<string, unknown> | null) ?? {};
}

/** The text of `doc`, in the file's own line endings and with its BOM. */
function render(doc: Document, original: string): string {
  const out = doc.toString({ lineWidth: 0 });
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  return bom + (original.includes('\r\n') ? out.replace(/\r?\n/g, '\r\n') : out);
}

const isFiller = (line: string) => /^[ \t]*(#.*)?$/.test(line);
const indentOf = (line: string) => /^ */.exec(line)?.[0].length ?? 0;
const keyRe = (k: string, indent: number, rest: string) => new RegExp(`^ {${indent}}(?:${reEscape(k)}|"${reEscape(k)}"|'${reEscape(k)}'):${rest}`);

/** The lines of the block whose key line is at `indent` and is `k:` (`bare`) or `k: <anything>`; undefined: none. */
function findBlock(text: string, k: string, indent: number, within?: { from: number; to: number }, bare = true): { from: number; to: number; lastLine: number } | undefined {
  const starts = lineStarts(text);
  const re = keyRe(k, indent, bare ? '[ \\t]*(?:#.*)?$' : '');
  const first = starts.findIndex((s, i) => (within === undefined || (s >= within.from && s < within.to)) && re.test(lineAt(text, starts, i)));
  if (first === -1) return undefined;
  return blockRange(text, starts, first, (line) => isFiller(line) || indentOf(line) > indent, isFiller);
}

/** `name: value` as block YAML at `indent`, lines joined with `eol`, no final one. */
function pairLines(name: string, value: unknown, indent: number, eol: string): string {
  const pad = ' '.repeat(indent);
  return stringify({ [name]: value }, { indent: 2, lineWidth: 0 }).replace(/\n$/, '').split('\n').map((l) => pad + l).join(eol);
}

/** Indentation of the first entry inside a block, or 2 when it holds none yet. */
function childIndent(text: string, block: { from: number; to: number }): number {
  const lines = text.slice(block.from, block.to).split(/\r?\n/).slice(1);
  const first = lines.find((l) => !isFiller(l));
  return first === undefined ? 2 : indentOf(first);
}

/** Splices `path` (one or two keys) to `value` as lines; undefined: not a layout this can splice. */
function spliceSet(text: string, path: readonly string[], value: unknown): string | undefined {
  const eol = eolOf(text);
  const [parent, name] = path;
  if (parent === undefined) return undefined;
  if (name === undefined) {
    const at = findBlock(text, parent, 0);
    const lines = pairLines(parent, value, 0, eol);
    if (at === undefined) return appendBlock(text, lines, eol);
    return text.slice(0, at.from) + lines + (at.to === text.length && !text.endsWith('\n') ? '' : eol) + text.slice(at.to);
  }
  const block = findBlock(text, parent, 0);
  if (block === undefined) {
    // A parent written some other way (`extensions: {}`): the Document API handles it.
    if (findBlock(text, parent, 0, undefined, false) !== undefined) return undefined;
    return appendBlock(text, `${parent}:${eol}${pairLines(name, value, 2, eol)}`, eol);
  }
  const indent = childIndent(text, block);
  const lines = pairLines(name, value, indent, eol);
  const child = findBlock(text, name, indent, block, false);
  if (child !== undefined) return text.slice(0, child.from) + lines + (child.to === text.length && !text.endsWith('\n') ? '' : eol) + text.slice(child.to);
  // After the block's last entry; at the very end of a file without a final newline, one goes before it.
  if (block.to === text.length && !text.endsWith('\n')) return `${text}${eol}${lines}`;
  return text.slice(0, block.to) + lines + eol + text.slice(block.to);
}

function spliceRemove(text: string, path: readonly string[]): string | undefined {
  const eol = eolOf(text);
  const [parent, name] = path;
  if (parent === undefined) return undefined;
  const block = findBlock(text, parent, 0, undefined, false);
  if (block === undefined) return undefined;
  if (name === undefined) return removeLines(text, block.from, block.to);
  const child = findBlock(text, name, childIndent(text, block), block, false);
  if (child === undefined) return undefined;
  const chunk = text.slice(child.from, child.to);
  let out = text.slice(0, child.from) + text.slice(child.to);
  // It was the last line of a file without a final newline: the newline spliceSet put before it goes.
  if (!chunk.endsWith('\n') && out.endsWith(eol)) out = out.slice(0, -eol.length);
  // Its parent left with no entry and nothing else: an empty mapping, as the parser would read `{}`.
  const left = findBlock(out, parent, 0);
  if (left !== undefined && left.lastLine === lineStarts(out).findIndex((s) => s === left.from) && out.slice(left.from, left.to).replace(/\r?\n$/, '').trimEnd().endsWith(':')) {
    const head = out.slice(left.from, left.to).replace(/\r?\n$/, '');
    out = out.slice(0, left.from) + `${head} {}` + out.slice(left.from + head.length);
  }
  return out;
}

/** The document a splice produced; undefined when it does not parse (then the Document API edits instead). */
function readBack(text: string): Record<string, unknown> | undefined {
  try {
    return parseYaml(text, '');
  } catch {
    return undefined;
  }
}

function setYaml(text: string, path: readonly string[], value: unknown, file: string): string {
  const doc = load(text, file);
  const spliced = spliceSet(text, path, value);
  if (spliced !== undefined) {
    const want = load(text, file);
    want.setIn(path, want.createNode(value));
    if (isDeepStrictEqual(readBack(spliced), want.toJS() ?? {})) return spliced;
  }
  doc.setIn(path, doc.createNode(value));
  return render(doc, text);
}

function removeYaml(text: string, path: readonly string[], file: string): string {
  const doc = load(text, file);
  if (!doc.hasIn(path)) return text;
  doc.deleteIn(path);
  const want = (doc.toJS() as Record<string, unknown> | null) ?? {};
  const spliced = spliceRemove(text, path);
  if (spliced !== undefined) {
    const got = readBack(spliced);
    if (got === undefined) return render(doc, text);
    const [parent, name] = path;
    // An emptied parent reads back as {} where the Document API would leave null or {}.
    const same = isDeepStrictEqual(got, want) || (name !== undefined && parent !== undefined && isDeepStrictEqual({ ...got, [parent]: want[parent] }, want) && isDeepStrictEqual(got[parent], {}));
    if (same) return spliced;
  }
  return render(doc, text);
}

export const yamlCodec: ConfigCodec = {
  id: 'yaml',
  documentNoun: 'a YAML mapping',
  parse: parseYaml,
  parseAt: (text, path, file) => partOf(parseYaml(text, file), path),
  hasDocument: (text) => {
    try {
      return load(text, '').contents !== null;
    } catch {
      return true;
    }
  },
  set: setYaml,
  remove: removeYaml,
  // No document left: it is "empty" from where its trailing whitespace starts; a top-level `{}` is an empty mapping.
  trailingEmptyDocument: (text) => {
    if (!yamlCodec.hasDocument(text)) return text.trimEnd().length;
    const m = /(?:^|\n)\{\}\s*$/.exec(text);
    return m === null ? undefined : m.index + m[0].indexOf('{');
  },
  serialize: (doc) => setYaml('', [], doc, ''),
};
