/**
 * Incremental `text/event-stream` parser (WHATWG HTML §9.2.6). Bytes arrive in arbitrary
 * chunks from the network: an event, a line, a CRLF pair or even one UTF-8 character may be
 * split across chunks, so nothing is interpreted until a full line is available and bytes are
 * decoded with a streaming TextDecoder.
 */

/** One dispatched event. `data` lines are joined with "\n" as the spec says. */
export interface SseEvent {
  /** The `event:` field; "message" when absent. */
  event: string;
  data: string;
  /** The last event id seen on the stream so far (the spec's "last event ID buffer"). */
  id: string | undefined;
}

/** A parser for one stream. Call `push` with every chunk and `end` once the body is done. */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buf = '';
  /** A chunk ended in CR: a LF at the start of the next one belongs to the same line break. */
  private pendingCr = false;
  private firstChunk = true;
  private data: string[] = [];
  private eventType = '';
  /** Last-Event-ID: persists across events, as the spec requires for reconnection. */
  lastEventId: string | undefined;
  /** Reconnection delay the server asked for with `retry:` (milliseconds). */
  retryMs: number | undefined;

  /** Feeds a chunk (bytes or already-decoded text) and returns the events it completed. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.firstChunk && text.length > 0) {
      this.firstChunk = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a leading BOM is ignored
    }
    if (this.pendingCr && text.length > 0) {
      this.pendingCr = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    // What is left in buf from earlier chunks holds no line break: search only the new text, with
    // indexOf (native) rather than a loop over characters, so a multi-megabyte event costs the
    // same without the optimising compiler (the proxy runs with --no-opt to save memory).
    const from = this.buf.length;
    this.buf += text;
    const out: SseEvent[] = [];
    const buf = this.buf;
    let start = 0;
    let lf = buf.indexOf('\n', from);
    let cr = buf.indexOf('\r', from);
    while (lf !== -1 || cr !== -1) {
      const i = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      this.line(buf.slice(start, i), out);
      start = i + 1;
      if (i === cr) {
        if (i + 1 < buf.length) {
          if (buf.charCodeAt(i + 1) === 10) start = i + 2;
        } else {
          this.pendingCr = true;
        }
      }
      if (lf !== -1 && lf < start) lf = buf.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buf.indexOf('\r', start);
    }
    this.buf = start === 0 ? buf : buf.slice(start);
    return out;
  }

  /** Flushes the decoder. An unterminated final event is discarded, as the spec says. */
  end(): SseEvent[] {
    const out = this.push(this.decoder.decode());
    this.buf = '';
    this.data = [];
    this.eventType = '';
    return out;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      // Blank line: dispatch. An event with no data lines is not dispatched (only its id sticks).
      if (this.data.length > 0) {
        out.push({ event: this.eventType || 'message', data: this.data.join('\n'), id: this.lastEventId });
      }
      this.data = [];
      this.eventType = '';
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" comment (keep-alives)
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }
}
