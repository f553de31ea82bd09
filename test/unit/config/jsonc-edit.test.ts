import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findNodeAtLocation, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { parseJsonc, parseJsoncAt, parsePathTree, removeJsonValue, setJsonValue } from '../../../src/config/jsonc-edit.js';
import { ConfigParseError, DbxMcpError } from '../../../src/errors.js';

const server = { type: 'http', url: 'https://adb-1.azuredatabricks.net/api/2.0/mcp/genie/abc', headers: { Authorization: 'Bearer ${DATABRICKS_TOKEN}' } };

/** Asserts `after` equals `before` except for one contiguous region; returns what replaced it. */
function changedRegion(before: string, after: string): { removed: string; added: string } {
  let lo = 0;
  while (lo < before.length && lo < after.length && before[lo] === after[lo]) lo++;
  let bi = before.length;
  let ai = after.length;
  while (bi > lo && ai > lo && before[bi - 1] === after[ai - 1]) {
    bi--;
    ai--;
  }
  return { removed: before.slice(lo, bi), added: after.slice(lo, ai) };
}

test('parseJsonc accepts comments, trailing commas and a BOM', () => {
  const text = '\uFEFF// settings\n{\n  /* block */ "a": 1,\n  "b": [1, 2,],\n}\n';
  assert.deepEqual(parseJsonc(text, 'x.json'), { a: 1, b: [1, 2] });
});

test('parseJsonc: empty, whitespace-only and comment-only text is {}', () => {
  assert.deepEqual(parseJsonc('', 'x.json'), {});
  assert.deepEqual(parseJsonc(' \r\n\t\n', 'x.json'), {});
  assert.deepEqual(parseJsonc('\uFEFF', 'x.json'), {});
  assert.deepEqual(parseJsonc('// nothing yet\n', 'x.json'), {});
});

test('parseJsonc reports the first error with 1-based line and column, exit code 2', () => {
  const text = '{\n  "a": 1\n  "b": 2\n}\n';
  assert.throws(() => parseJsonc(text, '/tmp/cfg.json'), (e: unknown) => {
    assert.ok(e instanceof ConfigParseError);
    assert.equal(e.file, '/tmp/cfg.json');
    // Where the comma goes: after line 2's value, not before line 3's key (issue 20, item 14).
    assert.equal(e.line, 2);
    assert.equal(e.column, 9);
    assert.equal(e.exitCode, 2);
    assert.equal(e.code, 'CONFIG_PARSE');
    assert.match(e.message, /^\/tmp\/cfg\.json:2:9: expected a comma/);
    return true;
  });
  assert.throws(() => parseJsonc('{"a": }', 'f'), (e: unknown) => e instanceof ConfigParseError && e.line === 1 && e.column === 7);
  assert.throws(() => parseJsonc('\uFEFF{\r\n  "a": tru\r\n}', 'f'), (e: unknown) => e instanceof ConfigParseError && e.line === 2 && e.column === 8);
  assert.throws(() => parseJsonc('{"a": "unterminated', 'f'), ConfigParseError);
});

test('setJsonValue on empty text writes a pretty object with a trailing newline', () => {
  assert.equal(setJsonValue('', ['mcpServers', 'db'], { url: 'u' }), '{\n  "mcpServers": {\n    "db": {\n      "url": "u"\n    }\n  }\n}\n');
  assert.equal(setJsonValue('{}\n', ['mcpServers', 'db'], 1), '{\n  "mcpServers": {\n    "db": 1\n  }\n}\n');
});

test('adding a server keeps comments, unknown keys, other servers and key order', () => {
  const before = [
    '{',
    '  // my servers',
    '  "preferences": { "theme": "dark" },',
    '  "mcpServers": {',
    '    "other": {"command": "npx", "args": ["x"]} // keep me',
    '  },',
    '  "zzz": true',
    '}',
    '',
  ].join('\n');
  const after = setJsonValue(before, ['mcpServers', 'databricks-genie'], server);
  // Two insertions only: a comma after the neighbour, and the member after its line comment.
  const member = JSON.stringify(server, null, 2).split('\n').join('\n    ');
  const expected = before.replace('["x"]} // keep me', `["x"]}, // keep me\n    "databricks-genie": ${member}`);
  assert.equal(after, expected);
  assert.deepEqual(parseJsonc(after, 'f'), {
    preferences: { theme: 'dark' },
    mcpServers: { other: { command: 'npx', args: ['x'] }, 'databricks-genie': server },
    zzz: true,
  });
  assert.ok(after.includes('\n    "databricks-genie": {\n      "type": "http",\n'), 'indented like its siblings');
});

test('add then remove returns to the same file, and removing the last entry leaves {}', () => {
  const before = '{\n  "mcpServers": {\n    "a": {\n      "command": "x"\n    }\n  },\n  "other": 1\n}\n';
  const added = setJsonValue(before, ['mcpServers', 'b'], server);
  assert.equal(removeJsonValue(added, ['mcpServers', 'b']), before);
  const onlyB = removeJsonValue(added, ['mcpServers', 'a']);
  assert.deepEqual(parseJsonc(onlyB, 'f'), { mcpServers: { b: server }, other: 1 });
  const empty = removeJsonValue(onlyB, ['mcpServers', 'b']);
  assert.equal(empty, '{\n  "mcpServers": {},\n  "other": 1\n}\n');
  assert.equal(removeJsonValue(empty, ['mcpServers', 'nope']), empty, 'removing a missing key changes nothing');
  assert.equal(removeJsonValue('', ['mcpServers', 'x']), '');
});

test('replacing an existing entry changes only its value', () => {
  const before = '{\n  "mcpServers": {\n    "db": { "url": "old" }, // note\n    "z": 1\n  }\n}';
  const after = setJsonValue(before, ['mcpServers', 'db'], { url: 'new' });
  assert.equal(after, '{\n  "mcpServers": {\n    "db": {\n      "url": "new"\n    }, // note\n    "z": 1\n  }\n}');
  assert.equal(setJsonValue(after, ['mcpServers', 'db'], { url: 'new' }), after, 'same value: same text');
});

test('CRLF, BOM, tabs and a missing trailing newline are kept', () => {
  const before = '\uFEFF{\r\n\t"a": 1,\r\n\t"mcpServers": {\r\n\t\t"x": 1\r\n\t}\r\n}';
  const after = setJsonValue(before, ['mcpServers', 'db'], { url: 'u', args: ['a'] });
  assert.ok(after.startsWith('\uFEFF{\r\n'));
  assert.ok(!after.endsWith('\n'));
  assert.equal(after.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF introduced');
  assert.ok(after.includes('\r\n\t\t"db": {\r\n\t\t\t"url": "u",\r\n\t\t\t"args": [\r\n\t\t\t\t"a"\r\n\t\t\t]\r\n\t\t}'));
  assert.equal(removeJsonValue(after, ['mcpServers', 'db']), before);
});

test('four-space indentation is detected for new nested objects', () => {
  const after = setJsonValue('{\n    "a": 1\n}\n', ['mcpServers', 'db'], { url: 'u' });
  assert.equal(after, '{\n    "a": 1,\n    "mcpServers": {\n        "db": {\n            "url": "u"\n        }\n    }\n}\n');
});

test('trailing commas stay in style, and removal keeps the file parseable', () => {
  const before = '{\n  "mcpServers": {\n    "a": 1,\n  },\n}\n';
  const after = setJsonValue(before, ['mcpServers', 'b'], 2);
  assert.equal(after, '{\n  "mcpServers": {\n    "a": 1,\n    "b": 2,\n  },\n}\n');
  assert.equal(removeJsonValue(after, ['mcpServers', 'b']), before);
  const noTrailing = '{\n  "s": {\n    "a": 1,\n    "b": 2\n  }\n}\n';
  assert.equal(removeJsonValue(noTrailing, ['s', 'b']), '{\n  "s": {\n    "a": 1\n  }\n}\n', 'dangling comma removed');
});

test('comments inside objects stay put', () => {
  assert.equal(
    setJsonValue('{\n  "mcpServers": {\n    // add servers here\n  }\n}\n', ['mcpServers', 'db'], 1),
    '{\n  "mcpServers": {\n    // add servers here\n    "db": 1\n  }\n}\n',
  );
  assert.equal(setJsonValue('{\n  "s": { /* none */ }\n}\n', ['s', 'db'], 1), '{\n  "s": { /* none */\n    "db": 1\n  }\n}\n');
  const two = '{\n  "s": {\n    "a": 1, // first\n    "b": 2 // second\n  }\n}\n';
  assert.equal(removeJsonValue(two, ['s', 'b']), '{\n  "s": {\n    "a": 1 // first\n  }\n}\n');
  assert.equal(removeJsonValue(two, ['s', 'a']), '{\n  "s": {\n    "b": 2 // second\n  }\n}\n');
  assert.equal(removeJsonValue('{\r\n  "s": {\r\n    "a": 1\r\n  }\r\n}\r\n', ['s', 'a']), '{\r\n  "s": {}\r\n}\r\n');
  assert.equal(setJsonValue('// header\n', ['b'], 2), '// header\n{\n  "b": 2\n}\n');
});

test('a minified file stays minified', () => {
  assert.equal(setJsonValue('{"a":1,"mcpServers":{}}', ['mcpServers', 'db'], { url: 'u' }), '{"a":1,"mcpServers":{"db":{"url":"u"}}}');
  assert.equal(setJsonValue('{"a":1}', ['mcpServers', 'db'], 1), '{"a":1,"mcpServers":{"db":1}}');
  assert.equal(removeJsonValue('{"a":1,"b":2,"c":3}', ['b']), '{"a":1,"c":3}');
  assert.equal(removeJsonValue('{"a":1,"b":2}', ['a']), '{"b":2}');
});

test('arrays: append, replace and remove elements', () => {
  const before = '{\n  "args": [\n    "a",\n    "b"\n  ]\n}\n';
  assert.equal(setJsonValue(before, ['args', -1], 'c'), '{\n  "args": [\n    "a",\n    "b",\n    "c"\n  ]\n}\n');
  assert.equal(setJsonValue(before, ['args', 0], 'z'), '{\n  "args": [\n    "z",\n    "b"\n  ]\n}\n');
  assert.equal(removeJsonValue(before, ['args', 1]), '{\n  "args": [\n    "a"\n  ]\n}\n');
  assert.equal(removeJsonValue('{"a": [1, 2]}', ['a', 1]), '{"a": [1]}');
  assert.equal(removeJsonValue('{"a": [1, 2]}', ['a', 0]), '{"a": [2]}');
});

test('a null parent is replaced; a scalar parent is refused with a hint', () => {
  assert.deepEqual(parseJsonc(setJsonValue('{\n  "mcpServers": null\n}\n', ['mcpServers', 'db'], 1), 'f'), { mcpServers: { db: 1 } });
  assert.throws(() => setJsonValue('{\n  "mcpServers": "oops"\n}\n', ['mcpServers', 'db'], 1, 'c.json'), (e: unknown) => {
    assert.ok(e instanceof DbxMcpError);
    assert.equal(e.code, 'CONFIG_SHAPE');
    assert.match(e.message, /c\.json: mcpServers is a string/);
    return true;
  });
  assert.throws(() => setJsonValue('{"a": 1', ['b'], 1, 'c.json'), ConfigParseError);
});

test('a ~1 MB file: only the edited region changes, byte for byte', () => {
  // Shaped like ~/.claude.json: lots of unrelated state, with mcpServers in the middle.
  const projects: Record<string, unknown> = {};
  for (let i = 0; i < 4500; i++) {
    projects[`/home/u/src/project-${i}`] = { allowedTools: [], history: [{ display: `fix the thing number ${i} please`, pastedContents: {} }], lastCost: i * 0.01 };
  }
  const state = { numStartups: 42, projects, mcpServers: { existing: { command: 'x' } }, tail: { cachedStatsigGates: { a: true } } };
  const before = JSON.stringify(state, null, 2) + '\n';
  assert.ok(before.length > 900_000, `fixture is ${before.length} bytes`);

  // How fast this is belongs in `npm run bench` (test/bench/edit.ts), not in a timed assertion.
  const after = setJsonValue(before, ['mcpServers', 'databricks-genie'], server);
  const { removed, added } = changedRegion(before, after);
  assert.equal(removed, '');
  const member = JSON.stringify({ 'databricks-genie': server }, null, 2).split('\n').slice(1, -1).map((l) => `  ${l}`).join('\n');
  assert.equal(added, `,\n${member}`, 'the only change is the new member after the existing one');

  const removedAgain = removeJsonValue(after, ['mcpServers', 'databricks-genie']);
  assert.equal(removedAgain, before);
  const edited = setJsonValue(before, ['mcpServers', 'existing', 'command'], 'y');
  assert.deepEqual(changedRegion(before, edited), { removed: 'x', added: 'y' });
});

test('property: random set/remove sequences match a plain-object model in every file style', () => {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const styles = [
    '{\n  "mcpServers": {}\n}\n',
    '{\r\n\t// c\r\n\t"x": 1,\r\n\t"mcpServers": {\r\n\t\t"keep": {"a": [1, 2]},\r\n\t},\r\n}',
    '\uFEFF{"mcpServers":{"keep":1},"y":[]}',
    '',
  ];
  for (const start of styles) {
    let text = start;
    const model = structuredClone(parseJsonc(start, 'f')) as { mcpServers?: Record<string, unknown> };
    for (let i = 0; i < 60; i++) {
      const key = `srv-${Math.floor(rand() * 5)}`;
      if (rand() < 0.6) {
        const value = { url: `https://h/${i}`, headers: rand() < 0.5 ? { A: `${i}` } : {}, args: [i, 'x'] };
        text = setJsonValue(text, ['mcpServers', key], value);
        model.mcpServers = { ...(model.mcpServers ?? {}), [key]: value };
      } else {
        text = removeJsonValue(text, ['mcpServers', key]);
        if (model.mcpServers) delete model.mcpServers[key];
      }
      assert.deepEqual(parseJsonc(text, 'f'), model, `style ${JSON.stringify(start)} step ${i}`);
      assert.equal(text.startsWith('\uFEFF'), start.startsWith('\uFEFF'));
      if (start.includes('\r\n')) assert.ok(!/[^\r]\n/.test(text), 'CRLF kept');
    }
  }
});

test('a comment inside an empty object survives add then remove, minified or not', () => {
  for (const [text, path] of [
    ['{"mcpServers":{/*m*/}}\n', ['mcpServers', 'x']],
    ['{"a":1,"mcpServers":{/*m*/},"b":{}}', ['mcpServers', 'x']],
    ['{/*m*/}\r\n', ['mcpServers']],
    ['// top\n{/* settings */}\n', ['mcpServers']],
  ] as const) {
    const added = setJsonValue(text, [...path], { command: 'c' });
    assert.ok(added.includes('/*'), `comment kept after add: ${JSON.stringify(added)}`);
    assert.equal(removeJsonValue(added, [...path]), text, JSON.stringify(added));
  }
});

test('removing the only member of a one-line object keeps a comment beside it', () => {
  assert.equal(removeJsonValue('{"s":{/*keep*/"x":1}}', ['s', 'x']), '{"s":{/*keep*/}}');
  assert.equal(removeJsonValue('{"s":{ "x": 1, }}', ['s', 'x']), '{"s":{}}');
});

test('issue 20 item 10: parsePathTree keeps the containers on the path as parseTree has them, the rest as childless nodes, and all errors', () => {
  const text = `// c\n{\n  "a": {"x": [1, {"y": 2}], "z": "s"},\n  "big": {"p": [[1,2],[3]], "q": {"r": {}}},\n  "arr": [{"k": 1}, {"k": [2, 3]}, 4],\n  "last": null,\n}\n`;
  const full = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const basic = (n: Node | undefined) => n && { type: n.type, offset: n.offset, length: n.length, colonOffset: n.colonOffset, value: n.value };
  // A node with its members: an object's properties with their key and value, an array's elements.
  const strip = (n: Node | undefined, members: boolean): unknown =>
    n && { ...basic(n), children: members ? n.children?.map((c) => ({ ...basic(c), children: c.type === 'property' ? c.children?.map(basic) : undefined })) : undefined };
  for (const path of [['a', 'x', 1, 'y'], ['a', 'x'], ['arr', 1, 'k'], ['big', 'q', 'r'], ['last'], ['missing', 'deeper']] as (string | number)[][]) {
    const pruned = parsePathTree(text, path, []);
    for (let i = 0; i <= path.length; i++) {
      const want = findNodeAtLocation(full as Node, path.slice(0, i));
      const got = findNodeAtLocation(pruned as Node, path.slice(0, i));
      if (want === undefined) break;
      // The node on the path and its members (one level) are as parseTree has them.
      assert.deepEqual(strip(got, i < path.length), strip(want, i < path.length), `${path.join('.')} at ${i}`);
    }
    // Off the path: no members kept.
    assert.equal(findNodeAtLocation(pruned as Node, ['big'])?.children, path[0] === 'big' ? findNodeAtLocation(pruned as Node, ['big'])?.children : undefined);
  }
  const errors: ParseError[] = [];
  parsePathTree('{"a": {"deep": [1, 2,, 3]}, "b": 1}', ['b'], errors);
  assert.equal(errors.length > 0, true, 'an error inside a pruned container is still reported');
});

test('duplicate keys: edits go where JSON.parse (every client) reads, the last of them', () => {
  const text = '{"mcpServers": {"a": 1}, "x": 0, "mcpServers": {"b": 2}}';
  const added = setJsonValue(text, ['mcpServers', 'c'], 3);
  assert.deepEqual(JSON.parse(added).mcpServers, { b: 2, c: 3 }, added);
  assert.deepEqual(parseJsoncAt(added, ['mcpServers'], 'f').value, { b: 2, c: 3 });
  const replaced = setJsonValue('{"s": {"k": 1, "k": 2}}', ['s', 'k'], 9);
  assert.deepEqual(JSON.parse(replaced), { s: { k: 9 } }, replaced);
  const removed = removeJsonValue(text, ['mcpServers', 'b']);
  assert.deepEqual(JSON.parse(removed).mcpServers, {}, removed);
  assert.ok(removed.includes('"a": 1'), 'the shadowed first object is left as it was');
});
