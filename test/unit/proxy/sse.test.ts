import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser, type SseEvent } from '../../../src/proxy/sse.js';

const SAMPLE =
  '\uFEFF: keep-alive comment\r\n' +
  'retry: 1500\r\n' +
  'id: 1\r\n' +
  'event: message\r\n' +
  'data: {"jsonrpc":"2.0","method":"notifications/progress","params":{"message":"héllo ✓ 𝄞"}}\r\n' +
  '\r\n' +
  'id: 2\n' +
  'data: {"a":\n' +
  'data: 1}\n' +
  '\n' +
  'event: ping\r' +
  'data: ignored-type\r' +
  '\r' +
  'id\n' +
  'data:no-space\n' +
  '\n' +
  'id: 3\n' +
  '\n' +
  'data: unterminated';

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"jsonrpc":"2.0","method":"notifications/progress","params":{"message":"héllo ✓ 𝄞"}}', id: '1' },
  { event: 'message', data: '{"a":\n1}', id: '2' },
  { event: 'ping', data: 'ignored-type', id: '2' },
  { event: 'message', data: 'no-space', id: '' },
];

function parseIn(chunks: Uint8Array[]): { events: SseEvent[]; parser: SseParser } {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (const c of chunks) events.push(...parser.push(c));
  events.push(...parser.end());
  return { events, parser };
}

describe('SseParser', () => {
  const bytes = new TextEncoder().encode(SAMPLE);

  it('parses a whole stream: comments, retry, ids, event types, multi-line data, CR/LF/CRLF, BOM', () => {
    const { events, parser } = parseIn([bytes]);
    assert.deepEqual(events, EXPECTED);
    assert.equal(parser.retryMs, 1500);
    assert.equal(parser.lastEventId, '3'); // an id-only event still sets the last event id
  });

  it('gives the same events for a split at every byte offset', () => {
    for (let i = 0; i <= bytes.length; i++) {
      const { events } = parseIn([bytes.slice(0, i), bytes.slice(i)]);
      assert.deepEqual(events, EXPECTED, `split at byte ${i}`);
    }
  });

  it('gives the same events fed one byte at a time', () => {
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    assert.deepEqual(parseIn(chunks).events, EXPECTED);
  });

  it('treats a CR at the end of a chunk and a LF at the start of the next as one line break', () => {
    const p = new SseParser();
    assert.deepEqual(p.push('data: x\r'), []);
    assert.deepEqual(p.push('\n\r'), [{ event: 'message', data: 'x', id: undefined }]);
    assert.deepEqual(p.push('\ndata: y\n\n'), [{ event: 'message', data: 'y', id: undefined }]);
  });

  it('ignores ids containing NUL and non-numeric retry values', () => {
    const p = new SseParser();
    p.push('id: a\0b\nretry: 12x\ndata: z\n\n');
    assert.equal(p.lastEventId, undefined);
    assert.equal(p.retryMs, undefined);
  });
});
