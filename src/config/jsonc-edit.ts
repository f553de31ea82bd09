/**
 * Surgical JSONC edits for MCP client config files. Users' files hold comments, unknown keys and
 * (for ~/.claude.json) hundreds of KB of unrelated state, so an edit must touch only the bytes of
 * the entry it changes. jsonc-parser's `modify` with formatting re-formats whole lines around the
 * edit (including a neighbouring one-line entry), so object edits, the case that matters, are
 * computed here from the parse tree; array edits fall back to `modify`.
 */
import { parse, printParseErrorCode, visit } from 'jsonc-parser';
import type { JSONPath, Node, Node as JsonNode, NodeType, ParseError } from 'jsonc-parser';
import { ConfigParseError, DbxMcpError } from '../errors.js';
import { afterPreviousToken, positionAt } from './codecs/parse-position.js';
import {
  BOM, detectEol, detectIndentUnit, lineIndent, lineStart, ownLineIndent, pastEol, printCompact,
  printValue, scanLineTail, spansLines,
} from './jsonc-layout.js';
import type { Layout } from './jsonc-layout.js';
import { applySplices, type Splice } from './splice.js';

interface Edit { offset: number; length: number; content: string }

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

const MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected a closing brace',
  CloseBracketExpected: 'expected a closing bracket',
  EndOfFileExpected: 'unexpected content after the end of the document',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/**
 * jsonc-parser reports a missing comma, value, colon or closing bracket at the token after it,
 * often the next line's first (or the end of the file); the user fixes it after the token before.
 */
const NOTICED_AT_NEXT_TOKEN = new Set(['ValueExpected', 'ColonExpected', 'CommaExpected', 'CloseBraceExpected', 'CloseBracketExpected']);

function toParseError(body: string, err: ParseError, file: string): ConfigParseError {
  const code = printParseErrorCode(err.error);
  const offset = NOTICED_AT_NEXT_TOKEN.has(code) ? afterPreviousToken(body, err.offset) : err.offset;
  const { line, column } = positionAt(body, offset);
  return new ConfigParseError(file, line, column, MESSAGES[code] ?? code);
}

function splitBom(text: string): { bom: string; body: string } {
  return text.startsWith(BOM) ? { bom: BOM, body: text.slice(1) } : { bom: '', body: text };
}

function parseBody(body: string, file: string, path: JSONPath): Node | undefined {
  const errors: ParseError[] = [];
  const root = parsePathTree(body, path, errors);
  if (errors[0]) throw toParseError(body, errors[0], file);
  return root;
}

/**
 * jsonc-parser's parseTree, pruned to what an edit at `path` looks at: the containers on the way
 * to it get their members, every other object or array is one childless node (type, offset,
 * length). A full tree of a 28 MB ~/.claude.json is ~20× the file in memory; this is the size
 * of the path. Every syntax error of the whole text is still reported.
 */
export function parsePathTree(body: string, path: JSONPath, errors: ParseError[]): JsonNode | undefined {
  type Node = { -readonly [K in keyof JsonNode]: JsonNode[K] } & { parent?: Node; children?: Node[] };
  // The artificial root holds the document, as in parseTree.
  let parent: Node = { type: 'array', offset: -1, length: -1, children: [] };
  /** The path of `parent`'s members; null past the edit's path (their members are not kept). */
  const at: JSONPath = [];
  let skipped = 0; // depth inside a container whose members are not kept
  const indexOf = new Map<Node, number>();
  const completeProperty = (end: number) => {
    if (parent.type === 'property') {
      parent.length = end - parent.offset;
      parent = parent.parent as Node;
    }
  };
  /** Whether a container starting now, in `parent`, keeps its members. */
  const keepsMembers = (): boolean => {
    if (parent.type !== 'property' && parent.offset === -1) return true; // the document itself
    const depth = at.length;
    if (depth >= path.length) return false;
    const seg = parent.type === 'property' ? (parent.children?.[0]?.value as string | undefined) : (indexOf.get(parent) ?? 0);
    return seg === path[depth];
  };
  const add = (node: Node): Node => {
    node.parent = parent;
    parent.children?.push(node);
    if (parent.type === 'array') indexOf.set(parent, (indexOf.get(parent) ?? 0) + 1);
    return node;
  };
  const begin = (type: 'object' | 'array', offset: number) => {
    if (skipped > 0) return void skipped++;
    const keep = keepsMembers();
    if (parent.type === 'property' || (parent.type === 'array' && parent.offset !== -1)) {
      at.push(parent.type === 'property' ? (parent.children?.[0]?.value as string) : (indexOf.get(parent) ?? 0));
    }
    const node: Node = { type, offset, length: -1, ...(keep && { children: [] }) };
    add(node);
    parent = node;
    if (!keep) skipped = 1;
  };
  const end = (offset: number, length: number) => {
    if (skipped > 1) return void skipped--;
    skipped = 0;
    completeProperty(offset + length);
    parent.length = offset + length - parent.offset;
    parent = parent.parent as Node;
    const ownerIsMember = parent.type === 'property' || (parent.type === 'array' && parent.offset !== -1);
    if (ownerIsMember) at.pop();
    completeProperty(offset + length);
  };
  visit(
    body,
    {
      onObjectBegin: (offset) => begin('object', offset),
      onArrayBegin: (offset) => begin('array', offset),
      onObjectEnd: end,
      onArrayEnd: end,
      onObjectProperty: (name, offset, length) => {
        if (skipped > 0) return;
        const prop = add({ type: 'property', offset, length: -1, children: [] });
        parent = prop;
        prop.children?.push({ type: 'string', value: name, offset, length, parent: prop });
      },
      onLiteralValue: (value: unknown, offset, length) => {
        if (skipped > 0) return;
        add({ type: literalType(value), offset, length, value });
        completeProperty(offset + length);
      },
      onSeparator: (sep, offset) => {
        if (skipped > 0 || parent.type !== 'property') return;
        if (sep === ':') parent.colonOffset = offset;
        else if (sep === ',') completeProperty(offset);
      },
      onError: (error, offset, length) => {
        errors.push({ error, offset, length });
      },
    },
    PARSE_OPTIONS,
  );
  const root = parent.children?.[0];
  if (root) delete root.parent;
  return root as JsonNode | undefined;
}

/**
 * The node at `path`, taking the last of duplicate keys: the one JSON.parse, and so every client,
 * reads (jsonc-parser's findNodeAtLocation takes the first, where an edit would be invisible).
 */
function nodeAt(root: Node, path: JSONPath): Node | undefined {
  let node: Node | undefined = root;
  for (const seg of path) {
    if (typeof seg === 'string') node = node?.type === 'object' ? node.children?.findLast((p) => p.children?.[0]?.value === seg && p.children.length === 2)?.children?.[1] : undefined;
    else node = node?.type === 'array' ? node.children?.[seg] : undefined;
    if (!node) return undefined;
  }
  return node;
}

function literalType(value: unknown): NodeType {
  return value === null ? 'null' : typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'number' : 'string';
}

/**
 * Parses JSONC (comments and trailing commas allowed, a leading BOM ignored). Empty,
 * whitespace-only or comment-only text is `{}`. Throws ConfigParseError (exit 2) with the
 * 1-based line and column of the first syntax error.
 */
export function parseJsonc(text: string, file: string): unknown {
  const { body } = splitBom(text);
  if (body.trim() === '') return {};
  const errors: ParseError[] = [];
  const value: unknown = parse(body, errors, PARSE_OPTIONS);
  if (errors[0]) throw toParseError(body, errors[0], file);
  return value === undefined ? {} : value;
}

/**
 * The codec's parseAt: the top level's kind and the value at `path`, parsing only the containers
 * on the way (parsePathTree) and the value itself. Same answers as walking parseJsonc's result:
 * empty text is `{}`, and of duplicate keys the last one counts.
 */
export function parseJsoncAt(text: string, path: readonly string[], file: string): { topIsObject: boolean; value: unknown } {
  const { body } = splitBom(text);
  if (body.trim() === '') return { topIsObject: true, value: path.length === 0 ? {} : undefined };
  const root = parseBody(body, file, [...path]);
  if (!root) return { topIsObject: true, value: path.length === 0 ? {} : undefined };
  let node: Node | undefined = root;
  for (const key of path) {
    if (node?.type !== 'object') return { topIsObject: root.type === 'object', value: undefined };
    node = node.children?.findLast((p) => p.children?.[0]?.value === key && p.children.length === 2)?.children?.[1];
  }
  const value = node === undefined ? undefined : (parse(body.slice(node.offset, node.offset + node.length), [], PARSE_OPTIONS) as unknown);
  return { topIsObject: root.type === 'object', value };
}

/**
 * Returns `text` with the value at `path` set (missing parent objects are created), changing
 * only the bytes of that entry: comments, key order, other keys, line endings, BOM, indentation
 * and the trailing newline are kept. Empty text becomes a pretty object with a trailing newline.
 * `value === undefined` removes. Throws ConfigParseError if `text` does not parse, and
 * DbxMcpError (CONFIG_SHAPE) if a parent on the path is a scalar or array where an object is needed.
 */
export function setJsonValue(text: string, path: JSONPath, value: unknown, file = 'the config file', options: SetOptions = {}): string {
  if (value === undefined) return removeJsonValue(text, path, file);
  return applySplices(text, jsonSetSplices(text, path, value, file, options));
}

/**
 * setJsonValue's change as splices of `text` (sorted, not overlapping), each saying where its
 * content sits (Splice.within), so a big file's new text need not be made whole (splice.ts).
 */
export function jsonSetSplices(text: string, path: JSONPath, value: unknown, file = 'the config file', options: SetOptions = {}): Splice[] {
  const { bom, body } = splitBom(text);
  const root = parseBody(body, file, path);
  const layout: Layout = { eol: detectEol(body), unit: detectIndentUnit(body, root), ...(options.noTrailingComma === true ? { noTrailingComma: true } : {}) };
  const spliced = (edits: Edit[], within: Splice['within']) => toSplices(bom, edits, within);
  if (!root) {
    const fresh = printValue(wrap(path, value), '', layout) + layout.eol;
    return spliced([{ offset: 0, length: body.length, content: body.trim() === '' ? fresh : body.trimEnd() + layout.eol + fresh }], { path: [], as: 'document' });
  }
  if (path.length === 0) return spliced([replaceValue(body, root, value, layout, isMinified(body, root))], { path: [], as: 'document' });
  // Walk up to the deepest existing container, wrapping the value for each missing level.
  const rest = path.slice();
  let v = value;
  for (;;) {
    const seg = rest.pop() as string | number;
    const parent = nodeAt(root, rest);
    if (parent && ((parent.type === 'object' && typeof seg === 'string') || (parent.type === 'array' && typeof seg === 'number'))) {
      const edits = setMember(body, root, parent, seg, v, layout);
      // Only object edits say where they sit; an array edit's content is masked by a whole scan.
      const keys = rest.every((k): k is string => typeof k === 'string') && typeof seg === 'string' ? rest : undefined;
      const replaces = parent.type === 'object' && nodeAt(parent, [seg]) !== undefined;
      return spliced(edits, keys ? (replaces ? { path: [...keys, seg as string], as: 'value' } : { path: keys, as: 'members' }) : { path: [], as: 'document' });
    }
    if (parent && parent.type !== 'null') {
      throw new DbxMcpError(
        `${file}: ${formatPath(rest)} is ${parent.type === 'array' ? 'an array' : `a ${parent.type}`}, so ${formatPath([...rest, seg])} cannot be set`,
        { code: 'CONFIG_SHAPE', hint: `Fix ${formatPath(rest)} in ${file} by hand (it should be an object), then run the command again.` },
      );
    }
    v = typeof seg === 'string' ? { [seg]: v } : [v];
    if (rest.length === 0) throw new DbxMcpError(`${file}: the top level is not an object`, { code: 'CONFIG_SHAPE' });
  }
}

/**
 * Returns `text` without the value at `path`; unchanged if it is not there. Removing the last
 * entry of an object leaves `{}` (the parent is kept). Same preservation rules as setJsonValue.
 */
export function removeJsonValue(text: string, path: JSONPath, file = 'the config file'): string {
  return applySplices(text, jsonRemoveSplices(text, path, file));
}

/** removeJsonValue's change as splices of `text` (none when the value is not there). */
export function jsonRemoveSplices(text: string, path: JSONPath, file = 'the config file'): Splice[] {
  if (path.length === 0) throw new TypeError('removeJsonValue: path must not be empty');
  const { bom, body } = splitBom(text);
  const root = parseBody(body, file, path);
  const node = root && nodeAt(root, path);
  // An object member is its property node; an array member is the element itself.
  const member = node?.parent?.type === 'property' ? node.parent : node;
  if (!member?.parent) return [];
  const parentPath = path.slice(0, -1);
  const within: Splice['within'] = parentPath.every((k): k is string => typeof k === 'string') && member.parent.type === 'object' ? { path: parentPath, as: 'members' } : { path: [], as: 'document' };
  return toSplices(bom, removeMember(body, member.parent, member), within);
}

/** Edits of the body as splices of the text (past its BOM), in the order jsonc-parser's applyEdits applies them. */
function toSplices(bom: string, edits: Edit[], within: Splice['within']): Splice[] {
  return edits.map((e) => ({ offset: bom.length + e.offset, length: e.length, content: e.content, within })).sort((a, b) => a.offset - b.offset || a.length - b.length);
}

function formatPath(path: JSONPath): string {
  return path.length === 0 ? 'the top level' : path.map(String).join('.');
}

function wrap(path: JSONPath, value: unknown): unknown {
  return path.reduceRight<unknown>((v, seg) => (typeof seg === 'string' ? { [seg]: v } : [v]), value);
}

/** A file whose root object has members but no line break is minified: keep it minified. */
function isMinified(body: string, root: Node): boolean {
  return (root.children?.length ?? 0) > 0 && !spansLines(body, root.offset, root.offset + root.length);
}

/** Separators matching the object's existing style (`"a": 1, "b"` vs `"a":1,"b"`). */
function separators(body: string, parent: Node, fallbackSpaced: boolean): { colon: string; comma: string } {
  const first = parent.children?.[0];
  const after = first === undefined ? undefined : first.colonOffset ?? first.offset + first.length;
  const known = after !== undefined && (body[after] === ':' || body[after] === ',');
  const spaced = known ? body[after + 1] === ' ' : fallbackSpaced;
  return { colon: spaced ? ': ' : ':', comma: spaced ? ', ' : ',' };
}

function replaceValue(body: string, node: Node, value: unknown, layout: Layout, compact: boolean): Edit {
  const content = compact ? printCompact(value) : printValue(value, lineIndent(body, node.parent?.offset ?? node.offset), layout);
  return { offset: node.offset, length: node.length, content };
}

export interface SetOptions {
  /** The new member never gets a trailing comma, even in a file that uses them (Gemini CLI rejects any). */
  noTrailingComma?: boolean;
}

/**
 * Sets an object property or an array element. An array index past the end (or -1) appends,
 * as jsonc-parser's `modify` does; there is no insertion in the middle.
 */
function setMember(body: string, root: Node, parent: Node, seg: string | number, value: unknown, layout: Layout): Edit[] {
  const children = parent.children ?? [];
  const end = parent.offset + parent.length;
  const inline = !spansLines(body, parent.offset, end);
  const existing = seg === -1 ? undefined : nodeAt(parent, [seg]);
  if (existing) return [replaceValue(body, existing, value, layout, inline)];
  const { colon, comma } = separators(body, parent, !isMinified(body, root));
  // Array elements have no key: `name` and `colon` are empty and the rest is shared.
  const name = typeof seg === 'string' ? JSON.stringify(seg) : '';
  if (children.length === 0) {
    // Just before the brace: a comment inside the empty object (`{/*x*/}`) stays where it was.
    if (isMinified(body, root)) return [{ offset: end - 1, length: 0, content: `${name}${name ? ':' : ''}${printCompact(value)}` }];
    const parentIndent = lineIndent(body, parent.offset);
    const childIndent = parentIndent + layout.unit;
    const member = `${childIndent}${name}${name ? ': ' : ''}${printValue(value, childIndent, layout)}`;
    const inner = body.slice(parent.offset + 1, end - 1);
    if (inner.trim() === '') {
      return [{ offset: parent.offset + 1, length: inner.length, content: layout.eol + member + layout.eol + parentIndent }];
    }
    // Comments inside an otherwise empty object stay; the member goes just before the brace.
    const close = end - 1;
    if (ownLineIndent(body, close) !== undefined) return [{ offset: lineStart(body, close), length: 0, content: member + layout.eol }];
    let from = close;
    while (body[from - 1] === ' ' || body[from - 1] === '\t') from--;
    return [{ offset: from, length: close - from, content: layout.eol + member + layout.eol + parentIndent }];
  }
  const prev = children[children.length - 1] as Node;
  const prevEnd = prev.offset + prev.length;
  if (inline) return [{ offset: prevEnd, length: 0, content: `${comma}${name}${name ? colon : ''}${printCompact(value)}` }];
  const childIndent = ownLineIndent(body, prev.offset) ?? lineIndent(body, parent.offset) + layout.unit;
  const member = `${name}${name ? colon : ''}${printValue(value, childIndent, layout)}`;
  const tail = scanLineTail(body, prevEnd);
  if (tail.lineEnd === undefined) {
    // Something other than trivia follows the last member on its line (e.g. the closing brace).
    const at = tail.comma === undefined ? prevEnd : tail.comma + 1;
    return [{ offset: at, length: 0, content: (tail.comma === undefined ? ',' : '') + layout.eol + childIndent + member }];
  }
  // The new member goes on its own line after the last one (after any trailing comment); a file
  // that uses trailing commas keeps using them, unless the client rejects them (the old trailing
  // comma then becomes the separator).
  const trailing = tail.comma !== undefined && layout.noTrailingComma !== true ? ',' : '';
  const edits: Edit[] = [{ offset: tail.lineEnd, length: 0, content: layout.eol + childIndent + member + trailing }];
  if (tail.comma === undefined) edits.unshift({ offset: prevEnd, length: 0, content: ',' });
  return edits;
}

/** Removes an object property or an array element (`prop` is the property or element node). */
function removeMember(body: string, parent: Node, prop: Node): Edit[] {
  const children = parent.children ?? [];
  const idx = children.indexOf(prop);
  const start = prop.offset;
  const end = prop.offset + prop.length;
  const parentEnd = parent.offset + parent.length;
  const prev = children[idx - 1];
  const tail = scanLineTail(body, end);
  if (ownLineIndent(body, start) !== undefined && tail.lineEnd !== undefined) {
    // The member owns its lines: remove them whole, including its comma and trailing comment.
    const from = lineStart(body, start);
    const to = pastEol(body, tail.lineEnd);
    if (children.length === 1) {
      const rest = body.slice(parent.offset + 1, from) + body.slice(to, parentEnd - 1);
      if (rest.trim() === '') return [{ offset: parent.offset + 1, length: parentEnd - parent.offset - 2, content: '' }];
      // `{/*c*/` + member line + `}`: what setMember makes of `{/*c*/}`; give that back.
      const head = body.slice(parent.offset + 1, from).replace(/\r?\n$/, '');
      const closeLine = body.slice(to, parentEnd - 1);
      if (!spansLines(head, 0, head.length) && !head.includes('//') && /^[ \t]*$/.test(closeLine)) {
        return [{ offset: parent.offset + 1 + head.length, length: parentEnd - 1 - (parent.offset + 1 + head.length), content: '' }];
      }
    }
    const edits: Edit[] = [{ offset: from, length: to - from, content: '' }];
    if (prev && idx === children.length - 1 && tail.comma === undefined) {
      // The previous member becomes the last one: its comma would now dangle.
      const c = commaAfter(body, prev.offset + prev.length);
      if (c !== undefined) edits.unshift({ offset: c, length: 1, content: '' });
    }
    return edits;
  }
  if (prev) return [{ offset: prev.offset + prev.length, length: end - prev.offset - prev.length, content: '' }];
  const next = children[1];
  if (next) return [{ offset: start, length: next.offset - start, content: '' }];
  // The only member, sharing its line: take out just it (and a trailing comma), so a comment in
  // the object stays; what is left of the inside, if only blanks, goes too.
  const comma = commaAfter(body, end);
  const to = comma === undefined ? end : comma + 1;
  const rest = body.slice(parent.offset + 1, start) + body.slice(to, parentEnd - 1);
  if (rest.trim() === '') return [{ offset: parent.offset + 1, length: parentEnd - parent.offset - 2, content: '' }];
  return [{ offset: start, length: to - start, content: '' }];
}

/** Offset of the comma following `offset`, skipping whitespace and comments; undefined if none. */
function commaAfter(body: string, offset: number): number | undefined {
  let i = offset;
  while (i < body.length) {
    const ch = body[i];
    if (ch === ',') return i;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') i++;
    else if (body.startsWith('//', i)) {
      while (i < body.length && body[i] !== '\n' && body[i] !== '\r') i++;
    } else if (body.startsWith('/*', i)) {
      const close = body.indexOf('*/', i + 2);
      if (close === -1) return undefined;
      i = close + 2;
    } else return undefined;
  }
  return undefined;
}
