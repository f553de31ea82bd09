/**
 * Issue 20, item 14: a refusal points at the line (and column) where the broken construct starts,
 * not where the parser noticed it (the next line, or the end of the file). Every codec, and the
 * manifest (parsed as JSONC).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigParseError } from '../../../src/errors.js';
import { loadCodec, type ConfigFormat } from '../../../src/config/codecs/index.js';

const CODEX = ['model = "o3"', '', '[mcp_servers.a]', 'command = "x"', '', '# a comment', '[mcp_servers.half', 'command = "y"', ''].join('\n');

const CASES: [ConfigFormat, string, string, [number, number]][] = [
  ['toml', 'an unclosed table header (the issue: line 7, reported at 8)', CODEX, [7, 1]],
  ['toml', 'the same with CRLF and a BOM', '\uFEFF' + CODEX.replace(/\n/g, '\r\n'), [7, 1]],
  ['toml', 'an unterminated multi-line string at the end of the file', 'a = 1\nb = """never closed\n', [2, 5]],
  ['toml', 'a basic string cut by a newline', 'a = 1\nb = "cut\nc = 2\n', [2, 5]],
  ['toml', 'a table defined twice (already right: the second header)', 'a = 1\n[x]\n[x]\n', [3, 1]],
  ['yaml', 'an unclosed flow sequence', 'extensions:\n  a:\n    cmd: x\n  b: [1, 2\n', [4, 6]],
  ['yaml', 'an unclosed flow mapping', 'a: {x: 1\n', [1, 4]],
  ['yaml', 'an unterminated double-quoted string', 'a: 1\nb: "never closed\nc: 2\n', [2, 4]],
  ['yaml', "an unterminated single-quoted string", "a: 1\nb: 'never closed\n\n", [2, 4]],
  ['yaml', 'a duplicate key (already right)', 'a: 1\na: 2\n', [2, 1]],
  ['jsonc', 'a missing comma between entries', '{\n  "mcpServers": {\n    "a": {}\n    "b": {}\n  }\n}\n', [3, 12]],
  ['jsonc', 'a missing value at the end of a line', '{\n  "a": 1,\n  "b":\n}\n', [3, 7]],
  ['jsonc', 'a missing closing brace at the end of the file', '{\n  "a": "x"\n', [2, 11]],
  ['jsonc', 'a missing comma before blank lines', '{\n  "a": 1\n\n\n  "b": 2\n}\n', [2, 9]],
  ['jsonc', 'an unexpected character (already right)', '{\n  "a": 1,,\n}\n', [2, 10]],
];

for (const [format, what, text, [line, column]] of CASES) {
  test(`${format}: ${what} → ${line}:${column}`, async () => {
    const codec = await loadCodec(format);
    assert.throws(() => codec.parse(text, 'f'), (e: unknown) => {
      assert.ok(e instanceof ConfigParseError, String(e));
      assert.deepEqual([e.line, e.column], [line, column], e.message);
      assert.match(e.message, new RegExp(`^f:${line}:${column}: `));
      return true;
    });
  });
}
