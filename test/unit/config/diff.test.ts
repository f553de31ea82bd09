import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactedDiff, unifiedDiff } from '../../../src/config/diff.js';
import { colorizeDiff } from '../../../src/ui/plan.js';

/** Applies a unified diff produced by unifiedDiff to `before`, checking every context line. */
function applyPatch(before: string, diff: string): string {
  const a = before === '' ? [] : before.split(/(?<=\n)/);
  const lines = diff.split(/(?<=\n)/);
  assert.match(lines[0] ?? '', /^--- /);
  assert.match(lines[1] ?? '', /^\+\+\+ /);
  const out: string[] = [];
  let pos = 0;
  let i = 2;
  while (i < lines.length) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$/.exec(lines[i] as string);
    assert.ok(m, `hunk header expected: ${JSON.stringify(lines[i])}`);
    const aCount = m[2] === undefined ? 1 : Number(m[2]);
    const bCount = m[4] === undefined ? 1 : Number(m[4]);
    const aStart = aCount === 0 ? Number(m[1]) : Number(m[1]) - 1;
    assert.ok(aStart >= pos, 'hunks are ordered and do not overlap');
    out.push(...a.slice(pos, aStart));
    pos = aStart;
    i++;
    let seenA = 0;
    let seenB = 0;
    while (i < lines.length && !(lines[i] as string).startsWith('@@')) {
      const line = lines[i] as string;
      let body = line.slice(1);
      if (lines[i + 1]?.startsWith('\\ No newline')) {
        body = body.slice(0, -1);
        i++;
      }
      if (line[0] === ' ' || line[0] === '-') {
        assert.equal(a[pos], body, `line ${pos + 1} of before matches the hunk`);
        pos++;
        seenA++;
      }
      if (line[0] === ' ' || line[0] === '+') {
        out.push(body);
        seenB++;
      }
      i++;
    }
    assert.equal(seenA, aCount, 'old line count in header');
    assert.equal(seenB, bCount, 'new line count in header');
  }
  out.push(...a.slice(pos));
  return out.join('');
}

/** Mulberry32: a small seeded PRNG so the property test is reproducible. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lcs(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
    }
  }
  return dp[a.length]![b.length]!;
}

test('equal texts give an empty diff', () => {
  assert.equal(unifiedDiff('x.json', 'a\nb\n', 'a\nb\n'), '');
});

test('a small change has headers, one hunk and 3 lines of context', () => {
  const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n') + '\n';
  const after = before.replace('5\n', 'five\n');
  assert.equal(
    unifiedDiff('/home/u/.cursor/mcp.json', before, after),
    '--- a/home/u/.cursor/mcp.json\n+++ b/home/u/.cursor/mcp.json\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n',
  );
});

test('a new file diffs against /dev/null', () => {
  assert.equal(unifiedDiff('c.json', null, '{\n}\n'), '--- /dev/null\n+++ b/c.json\n@@ -0,0 +1,2 @@\n+{\n+}\n');
});

test('a missing final newline is marked', () => {
  const d = unifiedDiff('c.json', 'a\nb', 'a\nb\n');
  assert.equal(d, '--- a/c.json\n+++ b/c.json\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
  assert.equal(applyPatch('a\nb', d), 'a\nb\n');
});

test('distant changes give separate hunks; near ones merge', () => {
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i}\n`);
  const before = lines.join('');
  const far = lines.map((l, i) => (i === 3 || i === 30 ? `changed ${i}\n` : l)).join('');
  assert.equal((unifiedDiff('f', before, far).match(/^@@/gm) ?? []).length, 2);
  const near = lines.map((l, i) => (i === 3 || i === 9 ? `changed ${i}\n` : l)).join('');
  assert.equal((unifiedDiff('f', before, near).match(/^@@/gm) ?? []).length, 1);
  assert.equal(applyPatch(before, unifiedDiff('f', before, far, { context: 0 })), far);
});

test('property: applying the hunks to before gives after, and the diff is minimal', () => {
  const rand = prng(20240611);
  const alphabet = ['{', '}', '"a": 1,', '"b": 2', '  x', '  y', ''];
  const pick = () => alphabet[Math.floor(rand() * alphabet.length)] as string;
  for (let iter = 0; iter < 300; iter++) {
    const a = Array.from({ length: Math.floor(rand() * 25) }, pick);
    const b = a.slice();
    const edits = Math.floor(rand() * 6);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * (b.length + 1));
      const r = rand();
      if (r < 0.4) b.splice(at, 0, pick());
      else if (r < 0.8) b.splice(at, 1);
      else b.splice(at, 1, pick());
    }
    const nl = (l: string[]) => (l.length && rand() < 0.8 ? `${l.join('\n')}\n` : l.join('\n'));
    const before = nl(a);
    const after = nl(b);
    const ctx = Math.floor(rand() * 4);
    const d = unifiedDiff('p.json', before, after, { context: ctx });
    if (before === after) {
      assert.equal(d, '');
      continue;
    }
    assert.equal(applyPatch(before, d), after, `iteration ${iter}`);
    const split = (t: string) => (t === '' ? [] : t.split(/(?<=\n)/));
    const changed = (d.match(/^[+-](?![+-]{2} )/gm) ?? []).length;
    const al = split(before);
    const bl = split(after);
    assert.equal(changed, al.length + bl.length - 2 * lcs(al, bl), `minimal at iteration ${iter}`);
  }
});

test('a ~1 MB file with a small change diffs into one hunk that applies back', () => {
  const lines = Array.from({ length: 40_000 }, (_, i) => `    "key${i}": "value value value ${i}",\n`);
  const before = `{\n${lines.join('')}  "end": true\n}\n`;
  const after = before.replace('"key20000": "value value value 20000",\n', '"key20000": "changed",\n  "new": 1,\n');
  // How fast this is belongs in `npm run bench` (test/bench/edit.ts), not in a timed assertion.
  const d = unifiedDiff('big.json', before, after);
  assert.equal(applyPatch(before, d), after);
  assert.equal((d.match(/^@@/gm) ?? []).length, 1);
});

test('completely different large texts fall back to one block and stay correct', () => {
  const before = Array.from({ length: 3000 }, (_, i) => `a${i}\n`).join('');
  const after = Array.from({ length: 3000 }, (_, i) => `b${i}\n`).join('');
  assert.equal(applyPatch(before, unifiedDiff('x', before, after)), after);
});

test('colorizeDiff colours lines only when asked', () => {
  const d = unifiedDiff('c.json', 'a\n', 'b\n');
  assert.equal(colorizeDiff(d, false), d);
  const c = colorizeDiff(d, true);
  assert.ok(c.includes('\x1b[32m+b'), 'green addition');
  assert.ok(c.includes('\x1b[31m-a'), 'red removal');
  assert.ok(c.includes('\x1b[36m@@'), 'cyan hunk header');
  assert.equal(c.replace(/\x1b\[\d+m/g, ''), d);
});

test('issue 20 item 10: a one-line (minified) file shows only the changed region of its line, with how much was cut', () => {
  const filler = Array.from({ length: 20_000 }, (_, i) => `"p${i}":{"history":["fix the thing ${i}"]}`).join(',');
  const before = `{"projects":{${filler}},"mcpServers":{"existing":{"command":"x"}},"more":{${filler}}}`;
  const after = before.replace('"mcpServers":{', '"mcpServers":{"databricks-sql":{"url":"https://w.example/api/2.0/mcp/sql"},');
  const d = unifiedDiff('mcp.json', before, after);
  assert.ok(d.length < 2000, `diff is ${d.length} characters`);
  const [minus, plus] = [d.split('\n').find((l) => l.startsWith('-{') || l.startsWith('-…')), d.split('\n').find((l) => l.startsWith('+{') || l.startsWith('+…'))];
  assert.ok(plus?.includes('"databricks-sql":{"url":"https://w.example/api/2.0/mcp/sql"}'), `the change is shown: ${plus}`);
  assert.ok(minus?.includes('"mcpServers":{"existing"'), `the old text around it: ${minus}`);
  assert.match(plus ?? '', /^\+…\[[\d,]+ characters cut\]….*…\[[\d,]+ characters cut\]…$/);
  // What is cut plus what is shown is the whole line.
  const total = (line: string) => [...line.matchAll(/…\[([\d,]+) characters cut\]…/g)].reduce((n, m) => n + Number((m[1] as string).replace(/,/g, '')), 0) + line.slice(1).replace(/…\[[\d,]+ characters cut\]…/g, '').length;
  assert.equal(total(plus as string), after.length);
  assert.equal(total(minus as string), before.length);
  assert.match(d, /\\ No newline at end of file/);
});

test('issue 20 item 10: long context and added lines are cut short, short ones are whole, and the limit is an option', () => {
  const long = `${'x,'.repeat(2500)}\n`;
  const d = unifiedDiff('f.json', `${long}a\n`, `${long}b\n${'y;'.repeat(1500)}\n`);
  assert.ok(d.length < 1500, `diff is ${d.length} characters`);
  assert.match(d, /^ (x,){200}…\[4,600 characters cut\]…$/m);
  assert.match(d, /^-a$/m);
  assert.match(d, /^\+b$/m);
  assert.match(d, /^\+(y;){200}…\[2,600 characters cut\]…$/m);
  const whole = unifiedDiff('f.json', `${long}a\n`, `${long}b\n`, { maxLineLength: 10_000 });
  assert.ok(whole.includes(long), 'a larger limit shows the line whole');
});

test('issue 20 item 10: a cut never splits a token, so redact() still sees it whole; key-masked secrets stay masked', () => {
  const token = `dapi${'0123456789abcdef'.repeat(2)}`;
  const filler = Array.from({ length: 400 }, (_, i) => `"k${i}":"v"`).join(',');
  // The token sits where the context window around the change would end.
  const before = `{${filler},"x":{"args":["--x","${token}"],"headers":{"Authorization":"Bearer abc.def.ghi"}},"mcpServers":{},${filler}}`;
  for (let shift = 0; shift < 60; shift += 7) {
    const pad = 'p'.repeat(shift);
    const b = before.replace('"x":{', `"${pad}":1,"x":{`);
    const after = b.replace('"mcpServers":{}', '"mcpServers":{"n":1}');
    const d = redactedDiff('mcp.json', b, after);
    assert.doesNotMatch(d, /[0-9a-f]{6}"\]/, `no tail of the token (shift ${shift}): ${d}`);
    assert.doesNotMatch(d, /abc\.def/, 'a header value is masked by key even inside an elided line');
  }
});
