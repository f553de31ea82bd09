/**
 * stdio framing for MCP: newline-delimited JSON-RPC. The reader splits stdin into lines
 * (tolerating CRLF and a final line without a newline); the writer emits exactly one message
 * per line and tells the caller when the client stops reading (backpressure), so a slow
 * client makes the proxy stop reading upstream bodies instead of buffering without bound.
 */
import type { Readable, Writable } from 'node:stream';

/** Anything with an `id`, `method`, `result` or `error`: kept loose on purpose (transparency). */
export type JsonRpcMessage = Record<string, unknown>;

/** A message part (params, result, capabilities) as an object; anything else reads as empty. */
export const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A request id as a map key: the string "1" and the number 1 are different ids. */
export const keyOf = (id: unknown): string => (typeof id === 'string' ? `s${id}` : `n${String(id)}`);

/** Calls `onLine` for every non-empty line of `input`; resolves when the input ends. */
export function readLines(input: Readable, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    input.setEncoding('utf8');
    const onData = (chunk: string) => {
      let start = 0;
      let nl = chunk.indexOf('\n');
      if (nl === -1) {
        buf += chunk;
        return;
      }
      let first = true;
      while (nl !== -1) {
        let line = first ? buf + chunk.slice(start, nl) : chunk.slice(start, nl);
        first = false;
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (line.trim().length > 0) onLine(line);
        start = nl + 1;
        nl = chunk.indexOf('\n', start);
      }
      buf = chunk.slice(start);
    };
    const onEnd = () => {
      cleanup();
      const rest = buf.trim();
      buf = '';
      if (rest) onLine(rest);
      resolve();
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('close', onEnd);
      input.off('error', onError);
    };
    input.on('data', onData);
    input.on('end', onEnd);
    // A closed pipe without 'end' (the client died) must also end the session.
    input.on('close', onEnd);
    input.on('error', onError);
  });
}

/** One JSON-RPC message per line on a stream, with backpressure. */
export interface LineWriter {
  /** Writes one message (already-serialised JSON without newlines, or an object). */
  write(message: string | JsonRpcMessage): void;
  /** Resolves once everything written so far has been handed to the operating system. */
  flushed(): Promise<void>;
  /** Resolves when the stream has drained (at once when it is not backed up). */
  ready(): Promise<void>;
  /** True once the stream failed (EPIPE: the client went away). */
  readonly broken: boolean;
}

/** Serialises a message for the wire: one line, guaranteed free of raw newlines. */
export function toLine(message: string | JsonRpcMessage): string {
  if (typeof message !== 'string') return JSON.stringify(message);
  // JSON text may contain insignificant whitespace, newlines included; strings cannot hold raw
  // newlines, so re-serialising only when one is present keeps the fast path byte-exact.
  if (message.includes('\n') || message.includes('\r')) return JSON.stringify(JSON.parse(message));
  return message;
}

export function createLineWriter(output: Writable, onBroken?: (e: Error) => void): LineWriter {
  let backedUp = false;
  let broken = false;
  let waiters: (() => void)[] = [];
  const release = () => {
    backedUp = false;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  output.on('drain', release);
  output.on('error', (e: Error) => {
    broken = true;
    release();
    onBroken?.(e);
  });
  return {
    get broken() {
      return broken;
    },
    write(message) {
      if (broken) return;
      const ok = output.write(toLine(message) + '\n');
      if (!ok) backedUp = true;
    },
    flushed() {
      if (broken) return Promise.resolve();
      return new Promise((r) => output.write('', () => r()));
    },
    ready() {
      if (!backedUp || broken) return Promise.resolve();
      return new Promise((r) => waiters.push(r));
    },
  };
}
