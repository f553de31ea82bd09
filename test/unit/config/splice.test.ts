/**
 * Splices (issue 20, item 10): a big file's new text read in place must be, to every reader, the
 * string it stands for. SplicedText against the string, the secrets found from splices against a
 * scan of the whole new text, the diff of a SplicedText against the diff of the string, and the
 * bytes written and fingerprinted.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { redactedDiff } from '../../../src/config/diff.js';
import { applyPlan, planFileEdit } from '../../../src/config/file-plan.js';
import { fingerprint } from '../../../src/config/intent.js';
import { jsonRemoveSplices, jsonSetSplices, removeJsonValue } from '../../../src/config/jsonc-edit.js';
import { applySplices, newContent, SplicedText, type Splice } from '../../../src/config/splice.js';
import { secretRanges, splicedSecretRanges } from '../../../src/redact-text.js';
import { textChunks } from '../../../src/util/text-chunks.js';
import { genJson, rng } from '../../helpers/secret-configs.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function randomSplices(r: () => number, text: string): Splice[] {
  const splices: Splice[] = [];
  let at = 0;
  for (let n = Math.floor(r() * 4); n > 0 && at <= text.length; n--) {
    // An edit never splits a character: no offset between the two halves of a surrogate pair.
    const whole = (i: number) => (i > 0 && i < text.length && /[\ud800-\udbff]/.test(text[i - 1] as string) ? i + 1 : i);
    const offset = whole(at + Math.floor(r() * (text.length - at + 1)));
    if (offset > text.length) break;
    const length = whole(offset + Math.floor(r() * Math.min(5, text.length - offset + 1))) - offset;
    const content = ['', 'x', '\n', 'ab\ncd', '😀', 'long '.repeat(Math.floor(r() * 5))][Math.floor(r() * 6)] as string;
    splices.push({ offset, length, content, within: { path: [], as: 'document' } });
    at = offset + length;
  }
  return splices;
}

test('a SplicedText reads as the string it stands for: length, slice, charCodeAt, indexOf, chunks, oldOffset', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const r = rng(seed);
    const old = Array.from({ length: Math.floor(r() * 40) }, () => ['a', '\n', 'é', '😀', '{', '"'][Math.floor(r() * 6)]).join('');
    const splices = randomSplices(r, old);
    const text = new SplicedText(old, splices);
    const want = old.slice(0, 0) + splices.reduceRight((t, s) => t.slice(0, s.offset) + s.content + t.slice(s.offset + s.length), old);
    assert.equal(text.length, want.length, `seed ${seed}`);
    assert.equal(text.toString(), want, `seed ${seed}`);
    assert.equal(applySplices(old, splices), want, `seed ${seed}`);
    for (let k = 0; k < 20; k++) {
      const a = Math.floor(r() * (want.length + 2)) - 1;
      const b = Math.floor(r() * (want.length + 2));
      assert.equal(text.slice(a, b), want.slice(Math.max(0, a), b), `seed ${seed} slice(${a}, ${b})`);
      assert.deepEqual(text.charCodeAt(a), want.charCodeAt(a), `seed ${seed} charCodeAt(${a})`);
      assert.equal(text.indexOf('\n', a), want.indexOf('\n', Math.max(0, a)), `seed ${seed} indexOf from ${a}`);
      const needle = want.slice(Math.max(0, a), Math.max(0, a) + 1 + Math.floor(r() * 6)) + (r() < 0.3 ? 'x' : '');
      assert.equal(text.includes(needle), want.includes(needle), `seed ${seed} includes(${JSON.stringify(needle)})`);
      const lo = Math.max(0, Math.min(a, b));
      const at = text.oldOffset(lo, Math.max(lo, b));
      if (at !== undefined) assert.equal(old.slice(at, at + Math.max(lo, b) - lo), want.slice(lo, Math.max(lo, b)), `seed ${seed} oldOffset(${lo}, ${b})`);
    }
    const pieces = [...text.chunks(3)];
    assert.equal(pieces.join(''), want, `seed ${seed} chunks`);
    assert.ok(pieces.every((p) => p.length <= 3 && !/[\ud800-\udbff]$/.test(p)), `seed ${seed}: no chunk ends inside a surrogate pair`);
  }
});

test('splices that overlap or run past the text are refused', () => {
  const within = { path: [], as: 'document' as const };
  assert.throws(() => new SplicedText('abc', [{ offset: 1, length: 1, content: '', within }, { offset: 1, length: 1, content: '', within }]), RangeError);
  assert.throws(() => new SplicedText('abc', [{ offset: 2, length: 5, content: '', within }]), RangeError);
});

/** Configs the way users have them: generated servers with secrets, pretty, minified, CRLF, comments, a BOM, and mcpServers under a project whose path reads as a secret key. */
function shapes(seed: number): { text: string; path: string[] }[] {
  const { text } = genJson(seed);
  const doc = JSON.parse(text) as { mcpServers: Record<string, unknown> };
  const entries = Object.entries(doc.mcpServers);
  const project = { projects: { '/home/u/src/my-token-project': { mcpServers: doc.mcpServers, history: ['x'] } }, theme: 'dark' };
  return [
    { text, path: ['mcpServers'] },
    { text: JSON.stringify(doc), path: ['mcpServers'] },
    { text: text.replace(/\n/g, '\r\n'), path: ['mcpServers'] },
    { text: `\uFEFF// user settings\n${text.replace('{\n', '{ /* kept */\n')}`, path: ['mcpServers'] },
    { text: JSON.stringify(project), path: ['projects', '/home/u/src/my-token-project', 'mcpServers'] },
    { text: JSON.stringify(project, null, 2), path: ['projects', '/home/u/src/my-token-project', 'mcpServers'] },
    { text: JSON.stringify({ other: 1 }), path: ['mcpServers'] },
    { text: '{}', path: ['mcpServers'] },
    { text: JSON.stringify({ mcpServers: Object.fromEntries(entries.slice(0, 1)) }, null, 4), path: ['mcpServers'] },
  ];
}

const ENTRIES: unknown[] = [
  { url: 'https://ws.example.com/api/2.0/mcp/sql', headers: { Authorization: 'Bearer dapi0123456789abcdef0123456789abcdef' } },
  { command: 'npx', args: ['-y', 'mcp-remote', 'https://ws/api', '--header', 'Authorization:${DBX_MCP_AUTH_HEADER}'], env: { DBX_MCP_AUTH_HEADER: 'Bearer dapiffffffffffffffffffffffffffffffff', PLAIN: 'x' } },
  { command: '/usr/bin/node', args: ['/opt/dbx-mcp/bin/dbx-mcp.js', 'proxy', '--url', 'https://ws/api/2.0/mcp/sql'] },
];

test('the secrets found from the splices are the secrets a scan of the whole new text finds (add and update, every shape)', () => {
  let checked = 0;
  for (let seed = 1; seed <= 40; seed++) {
    for (const { text, path } of shapes(seed)) {
      for (const [i, entry] of ENTRIES.entries()) {
        // A new entry, then the same name again with another entry (an update replaces the value).
        for (const base of [text, applySplices(text, jsonSetSplices(text, [...path, 'databricks-sql'], ENTRIES[(i + 1) % ENTRIES.length]))]) {
          const splices = jsonSetSplices(base, [...path, 'databricks-sql'], entry);
          const spliced = new SplicedText(base, splices);
          const whole = spliced.toString();
          const found = splicedSecretRanges(spliced, secretRanges(base, 'json'), 'json');
          if (found === undefined) continue;
          assert.deepEqual(found, secretRanges(whole, 'json'), `seed ${seed}, ${path.join('.')}, entry ${i}:\n${whole}`);
          assert.equal(redactedDiff('/h/.claude.json', base, spliced), redactedDiff('/h/.claude.json', base, whole), `seed ${seed}: the same diff`);
          // And taking it out again.
          const removal = new SplicedText(whole, jsonRemoveSplices(whole, [...path, 'databricks-sql']));
          assert.equal(removal.toString(), removeJsonValue(whole, [...path, 'databricks-sql']));
          assert.deepEqual(splicedSecretRanges(removal, secretRanges(whole, 'json'), 'json'), secretRanges(removal.toString(), 'json'), `seed ${seed} remove`);
          assert.equal(redactedDiff('/h/.claude.json', whole, removal), redactedDiff('/h/.claude.json', whole, removal.toString()), `seed ${seed}: the same remove diff`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 500, `${checked} edits checked`);
});

test('an edit of an empty or array document is judged with the whole text (no shortcut), and its diff is still right', () => {
  for (const [text, path] of [['', ['mcpServers', 'x']], ['// only a comment\n', ['mcpServers', 'x']], ['{"servers":[1]}', ['servers', 1]]] as const) {
    const splices = jsonSetSplices(text, [...path], { url: 'https://x' });
    const spliced = new SplicedText(text, splices);
    assert.equal(splicedSecretRanges(spliced, secretRanges(text, 'json'), 'json'), undefined);
    assert.equal(redactedDiff('/h/mcp.json', text, spliced), redactedDiff('/h/mcp.json', text, spliced.toString()));
  }
});

test('a spliced change writes, backs up and fingerprints exactly the bytes of its new text', async () => {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'dbx-splice-'));
  dirs.push(dir);
  const file = join(dir, 'mcp.json');
  // Past the write chunk (1 MiB), with multi-byte characters on the chunk boundaries.
  const before = JSON.stringify({ projects: { a: 'é😀'.repeat(300_000) }, mcpServers: { existing: { command: 'x' } }, z: '😀'.repeat(300_000) });
  fs.writeFileSync(file, before);
  const change = planFileEdit(file, before, jsonSetSplices(before, ['mcpServers', 'databricks-sql'], ENTRIES[0]), { holdsSecret: true, summary: [] });
  assert.ok(change?.splices, 'a JSON edit is planned as splices');
  const content = newContent(change);
  assert.ok(content instanceof SplicedText);
  assert.equal(fingerprint(content), createHash('sha256').update(Buffer.from(change.after, 'utf8')).digest('hex'));
  const [applied] = await applyPlan({ changes: [change], notes: [] }, { now: () => Date.UTC(2026, 0, 2) });
  assert.equal(fs.readFileSync(file, 'utf8'), change.after);
  assert.equal(fs.readFileSync(applied?.backup as string, 'utf8'), before);
});

test('splices that put back what they replace plan nothing', () => {
  const text = '{"a":1}';
  assert.equal(planFileEdit('/h/x.json', text, [{ offset: 5, length: 1, content: '1', within: { path: ['a'], as: 'value' } }]), null);
});

test('pieces of one character keep a surrogate pair whole instead of looping (text and SplicedText)', () => {
  const text = 'a😀b';
  assert.deepEqual([...textChunks(text, 1)], ['a', '😀', 'b']);
  assert.deepEqual([...new SplicedText(text, [{ offset: 1, length: 0, content: 'é😀', within: { path: [], as: 'document' } }]).chunks(1)], ['a', 'é', '😀', '😀', 'b']);
});

test('a new empty file still shows that it is created', () => {
  assert.equal(redactedDiff('/h/mcp.json', null, ''), '--- /dev/null\n+++ b/h/mcp.json\n');
});
