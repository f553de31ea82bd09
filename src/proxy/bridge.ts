/**
 * Wires the bridge together and runs it until stdin ends, a signal arrives or the client stops
 * reading stdout. Streams are injected: stdout is the protocol and is written only through the
 * framing writer.
 */
import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { TokenSource } from '../databricks/auth.js';
import type { Transport } from '../databricks/transport.js';
import { Channel } from './channel.js';
import { UPSTREAM_ERROR, type ProxyFailure, type Target } from './errors.js';
import { DEFAULT_EVENT_STREAM_OPTIONS, EventStream, type EventStreamOptions } from './event-stream.js';
import { Forwarder } from './forwarder.js';
import { createLineWriter, readLines } from './framing.js';
import type { ProxyLog } from './log.js';
import { DEFAULT_RETRY_POLICY, type Clock, type RetryPolicy } from './retry.js';
import { Session } from './session.js';
import { createBearer, type Bearer } from './token.js';

export interface ProxyIo {
  stdin: Readable;
  stdout: Writable;
  /** Where SIGINT/SIGTERM arrive (the process); tests pass an EventEmitter or nothing. */
  signals?: EventEmitter;
}

export interface BridgeOptions {
  url: URL;
  target: Target;
  transport: Transport;
  userAgent: string;
  /** dbx-mcp's version (the bridge's own clientInfo/serverInfo). */
  version?: string;
  /** The workspace routing header of a unified host, for every upstream request (databricks/routing.ts). */
  routingHeaders?: Record<string, string>;
  log: ProxyLog;
  tokenSource?: TokenSource;
  /** Every request is answered with this (the proxy cannot forward anything). */
  startupFailure?: ProxyFailure;
  meta?: Record<string, string>;
  policy?: RetryPolicy;
  /** Time for retries and backoff (tests inject one that does not wait). */
  clock?: Clock;
  /** POST headers/body timeout (ms). */
  requestTimeoutMs?: number;
  /** How long in-flight requests may finish after stdin ends (ms). */
  drainMs?: number;
  /** false: never open the GET event stream. */
  eventStream?: EventStreamOptions | false;
  /** Told what the upstream speaks (legacy, modern, dual) once it is seen. */
  onEra?: (era: 'legacy' | 'modern' | 'dual') => void;
}

export type StopReason = 'eof' | 'SIGINT' | 'SIGTERM' | 'stdout-closed';

/** Runs the bridge; resolves with why it stopped, after a clean shutdown. */
export async function runBridge(o: BridgeOptions, io: ProxyIo): Promise<StopReason> {
  let stop!: (r: StopReason) => void;
  const stopped = new Promise<StopReason>((r) => (stop = r));
  const writer = createLineWriter(io.stdout, (e) => {
    o.log.debug(`stdout closed (${e.message})`);
    stop('stdout-closed');
  });
  const bearer: Bearer = o.tokenSource
    ? createBearer(o.tokenSource)
    : { header: () => Promise.reject(new Error('no token source')), refresh: () => Promise.resolve() };
  const channel = new Channel(
    { url: o.url, transport: o.transport, userAgent: o.userAgent, routingHeaders: o.routingHeaders, requestTimeoutMs: o.requestTimeoutMs ?? 600_000 },
    bearer,
    o.policy ?? DEFAULT_RETRY_POLICY,
    o.target,
    o.log,
    o.clock,
  );
  const session = new Session(channel, o.log);
  let forwarder!: Forwarder;
  const events = o.eventStream === false ? undefined : new EventStream(channel, session, (m, raw) => forwarder.fromServer(m, raw), o.log, o.eventStream ?? DEFAULT_EVENT_STREAM_OPTIONS);
  forwarder = new Forwarder(channel, session, events, writer, o.log, { meta: o.meta, startupFailure: o.startupFailure, target: o.target, version: o.version, ...(o.onEra ? { onEra: o.onEra } : {}) });
  session.onEstablished = () => {
    events?.start();
    forwarder.eras.sessionEstablished();
  };

  const onSigint = () => stop('SIGINT');
  const onSigterm = () => stop('SIGTERM');
  io.signals?.on('SIGINT', onSigint);
  io.signals?.on('SIGTERM', onSigterm);
  readLines(io.stdin, (line) => forwarder.handleLine(line)).then(
    () => stop('eof'),
    (e: unknown) => {
      o.log.warn(`stdin: ${(e as Error).message}`);
      stop('eof');
    },
  );

  const reason = await stopped;
  o.log.debug(`stopping (${reason}); ${forwarder.pendingCount} request(s) in flight`);
  if (reason !== 'eof') io.stdin.destroy();
  const failure: ProxyFailure =
    reason === 'eof'
      ? { code: UPSTREAM_ERROR, message: 'dbx-mcp proxy is shutting down (stdin closed) and this request did not finish in time' }
      : { code: UPSTREAM_ERROR, message: `dbx-mcp proxy was stopped (${reason}) before this request finished` };
  // After stdin ends the client may still read answers: give in-flight requests a bounded time.
  await forwarder.shutdown(reason === 'eof' ? (o.drainMs ?? 10_000) : 0, failure);
  await events?.stop();
  await session.close();
  io.signals?.off('SIGINT', onSigint);
  io.signals?.off('SIGTERM', onSigterm);
  if (!writer.broken) await Promise.race([writer.ready(), new Promise((r) => setTimeout(r, 1_000).unref())]);
  return reason;
}
