/** The codec seam: each codec loads by id and honours the interface (errors with line and column, surgical edits, serialise). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigParseError } from '../../../src/errors.js';
import { loadCodec, type ConfigFormat } from '../../../src/config/codecs/index.js';

/** One sample per codec: a file with a comment and another key, and a broken one with the error's position. */
const SAMPLES = {
  jsonc: { text: '{\n  // mine\n  "a": 1,\n  "s": {}\n}\n', broken: '{\n  "a": 1,,\n}', at: [2, 10], comment: '// mine' },
  toml: { text: '# mine\na = 1\n\n[s]\n', broken: 'a = 1\nb = = 2\n', at: [2, 5], comment: '# mine' },
  yaml: { text: '# mine\na: 1\n\ns: {}\n', broken: 'a: 1\nb: [1, 2\n', at: [2, 4], comment: '# mine' },
} satisfies Record<ConfigFormat, { text: string; broken: string; at: [number, number]; comment: string }>;

for (const [format, s] of Object.entries(SAMPLES) as [ConfigFormat, (typeof SAMPLES)[ConfigFormat]][]) {
  test(`codec ${format}: parse errors name file, line and column`, async () => {
    const codec = await loadCodec(format);
    assert.equal(codec.id, format);
    assert.throws(() => codec.parse(s.broken, 'f.cfg'), (e: unknown) => e instanceof ConfigParseError && e.file === 'f.cfg' && e.line === s.at[0] && e.column === s.at[1]);
  });

  test(`codec ${format}: set then remove keeps every other byte`, async () => {
    const codec = await loadCodec(format);
    const added = codec.set(s.text, ['s', 'x'], { command: 'c', args: ['1'] }, 'f');
    assert.deepEqual((codec.parse(added, 'f') as { s: unknown }).s, { x: { command: 'c', args: ['1'] } });
    assert.ok(added.includes(s.comment));
    assert.equal(codec.remove(added, ['s', 'x'], 'f'), s.text);
    assert.equal(codec.remove(s.text, ['s', 'nope'], 'f'), s.text);
  });

  test(`codec ${format}: a new file, and the empty document it can take back`, async () => {
    const codec = await loadCodec(format);
    const fresh = codec.serialize({ s: { x: { url: 'u' } } });
    assert.deepEqual(codec.parse(fresh, 'f'), { s: { x: { url: 'u' } } });
    assert.equal(codec.hasDocument(''), false);
    assert.equal(codec.hasDocument(fresh), true);
    const emptied = codec.remove(codec.remove(fresh, ['s', 'x'], 'f'), ['s'], 'f');
    assert.equal(codec.trailingEmptyDocument(emptied), 0);
    assert.equal(codec.trailingEmptyDocument(s.text), undefined);
  });
}

test('codec jsonc with trailingCommas "never" (Gemini CLI): a new member never ends in a comma, even where the file uses them', async () => {
  const text = '{\n  "mcpServers": {\n    "a": { "command": "x" }, // mine\n  },\n}\n';
  const keep = await loadCodec('jsonc');
  assert.match(keep.set(text, ['mcpServers', 'b'], { command: 'y' }, 'f'), /"b": \{[^}]*\},\n/, 'the default keeps the file\'s style');
  const never = await loadCodec('jsonc', { trailingCommas: 'never' });
  const added = never.set(text, ['mcpServers', 'b'], { command: 'y' }, 'f');
  assert.equal(added, '{\n  "mcpServers": {\n    "a": { "command": "x" }, // mine\n    "b": {\n      "command": "y"\n    }\n  },\n}\n');
  // A file without trailing commas never gets one (also when the servers key is new).
  const plain = '{\n  "theme": "dark"\n}\n';
  const fresh = never.set(plain, ['mcpServers', 'b'], { command: 'y' }, 'f');
  assert.doesNotMatch(fresh, /,\s*[}\]]/);
});

test('codec toml: the library prints nothing (a mixed-line-ending file edited through its patch path)', async (t) => {
  const codec = await loadCodec('toml');
  const warned: unknown[] = [];
  t.mock.method(console, 'warn', (...a: unknown[]) => warned.push(a));
  // A top-level key goes through toml-patch's patch(), which warns about mixed line endings.
  const out = codec.set('a = 1\r\nb = 2\n', ['port'], 3334, 'f');
  assert.deepEqual(codec.parse(out, 'f'), { a: 1, b: 2, port: 3334 });
  assert.deepEqual(warned, []);
});

test('codec toml: a valid file whose entry holds a multi-line string with a "[" line is edited, not refused as unparseable', async () => {
  const codec = await loadCodec('toml');
  // The line splice ends the section at "[note]" inside the string; its result does not parse, so the codec must fall back to patch.
  const text = 'model = "o3"\n\n[mcp_servers.db]\ncommand = "x"\ndescription = """\n[note]\n"""\n\n[other]\nkeep = true\n';
  const set = codec.set(text, ['mcp_servers', 'db'], { command: 'y' }, 'f');
  assert.deepEqual(codec.parse(set, 'f'), { model: 'o3', mcp_servers: { db: { command: 'y' } }, other: { keep: true } });
  const removed = codec.remove(text, ['mcp_servers', 'db'], 'f');
  assert.deepEqual(codec.parse(removed, 'f'), { model: 'o3', mcp_servers: {}, other: { keep: true } });
  assert.match(removed, /^model = "o3"\n/);
});

test('issue 20 item 10: parseAt answers as walking parse() does, in every codec (JSONC without the whole document in memory)', async () => {
  const cases: Record<ConfigFormat, string[]> = {
    jsonc: ['', '// only\n', '[1]', '{"a": 1, "a": {"b": [1]}}', '{"m": {"s": {"x": 1}}, "z": null}', '{"m": 5}', '{"m": [{"s": 1}]}'],
    toml: ['', 'a = 1\n[m.s]\nx = 1\n', 'm = 5\n'],
    yaml: ['', 'm:\n  s:\n    x: 1\n', 'm: 5\n'],
  };
  for (const [format, texts] of Object.entries(cases) as [ConfigFormat, string[]][]) {
    const codec = await loadCodec(format);
    for (const text of texts) {
      const doc = codec.parse(text, 'f');
      for (const path of [[], ['a'], ['a', 'b'], ['m'], ['m', 's'], ['m', 's', 'x'], ['z'], ['nope', 'deeper']]) {
        let want: unknown = doc;
        for (const k of path) want = typeof want === 'object' && want !== null && !Array.isArray(want) ? (want as Record<string, unknown>)[k] : undefined;
        const got = codec.parseAt(text, path, 'f');
        assert.deepEqual(got.value, want, `${format} ${JSON.stringify(text)} at ${path.join('.')}`);
        assert.equal(got.topIsObject, typeof doc === 'object' && doc !== null && !Array.isArray(doc), `${format} ${JSON.stringify(text)} top`);
      }
    }
  }
  const jsonc = await loadCodec('jsonc');
  assert.throws(() => jsonc.parseAt('{"a": {"deep": [1,, 2]}, "m": {}}', ['m'], 'f.json'), ConfigParseError, 'an error off the path still fails the parse');
});
