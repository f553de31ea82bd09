import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassThrough, Writable } from 'node:stream';
import { createLineWriter, readLines, toLine } from '../../../src/proxy/framing.js';

describe('readLines', () => {
  it('splits chunks into lines: CRLF, blank lines, split multi-byte characters, a final line without newline', async () => {
    const input = new PassThrough();
    const lines: string[] = [];
    const done = readLines(input, (l) => lines.push(l));
    const text = Buffer.from('{"a":"é"}\r\n\n{"b":"𝄞"}\n{"c":3}');
    for (let i = 0; i < text.length; i++) input.write(text.subarray(i, i + 1));
    input.end();
    await done;
    assert.deepEqual(lines, ['{"a":"é"}', '{"b":"𝄞"}', '{"c":3}']);
  });

  it('handles many lines in one chunk', async () => {
    const input = new PassThrough();
    const lines: string[] = [];
    const done = readLines(input, (l) => lines.push(l));
    input.end(Array.from({ length: 1000 }, (_, i) => `{"i":${i}}`).join('\n') + '\n');
    await done;
    assert.equal(lines.length, 1000);
    assert.equal(lines[999], '{"i":999}');
  });
});

describe('line writer', () => {
  it('writes one message per line, re-serialising only text that contains newlines', () => {
    assert.equal(toLine('{"a":1}'), '{"a":1}');
    assert.equal(toLine('{\n  "a": "x\\ny"\n}'), '{"a":"x\\ny"}');
    assert.equal(toLine({ b: 'é' }), '{"b":"é"}');
  });

  it('reports backpressure and releases waiters on drain', async () => {
    const chunks: string[] = [];
    let release: (() => void) | undefined;
    const out = new Writable({
      highWaterMark: 4,
      write(chunk, _e, cb) {
        chunks.push(String(chunk));
        release = cb;
      },
    });
    const w = createLineWriter(out);
    w.write({ x: 'a long enough message' });
    let ready = false;
    const p = w.ready().then(() => (ready = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(ready, false);
    release!();
    await p;
    assert.equal(ready, true);
    assert.equal(chunks[0], '{"x":"a long enough message"}\n');
  });

  it('marks the writer broken on a stream error (EPIPE) and stops writing', async () => {
    const out = new Writable({ write: (_c, _e, cb) => cb(Object.assign(new Error('EPIPE'), { code: 'EPIPE' })) });
    let broken: Error | undefined;
    const w = createLineWriter(out, (e) => (broken = e));
    w.write({ a: 1 });
    await new Promise((r) => setImmediate(r));
    assert.equal(w.broken, true);
    assert.match(String(broken), /EPIPE/);
    w.write({ a: 2 }); // no throw
  });
});
