/**
 * The optional GET event stream on which a server sends messages outside any request
 * (notifications such as `tools/list_changed`, and server-to-client requests). Opened once
 * the client is initialised, relayed like any response stream, reconnected with
 * `Last-Event-ID` (after the server's `retry:` delay) when it ends, within bounds; 405 means
 * the server does not offer one, which is normal.
 */
import type { Channel } from './channel.js';
import type { ProxyLog } from './log.js';
import { redactedExcerpt } from '../secrets.js';
import { Abort } from '../util/abort.js';
import { sleep } from './retry.js';
import type { Session } from './session.js';
import { discard, isEventStream, readBody, type OnMessage } from './upstream.js';

export interface EventStreamOptions {
  /** Consecutive short-lived or failed connections before giving up until the next session. */
  maxFailures: number;
  /** A connection that lived this long (ms) counts as healthy. */
  healthyAfterMs: number;
  /** Upper bound on a server-requested reconnection delay (ms). */
  maxRetryMs: number;
}

export const DEFAULT_EVENT_STREAM_OPTIONS: EventStreamOptions = { maxFailures: 8, healthyAfterMs: 30_000, maxRetryMs: 30_000 };

export class EventStream {
  private generation = 0;
  private ctrl: Abort | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private open = false;
  /** The current session's loop has ended (405, not an event stream, given up): no stream will open until the next start. */
  private ended = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly channel: Channel,
    private readonly session: Session,
    private readonly onMessage: OnMessage,
    private readonly log: ProxyLog,
    private readonly opts: EventStreamOptions = DEFAULT_EVENT_STREAM_OPTIONS,
    private readonly now: () => number = Date.now,
  ) {}

  /** (Re)starts the stream for the current session; a previous one is closed first. */
  start(): void {
    if (this.stopped) return;
    this.ctrl?.abort();
    this.ended = false;
    const gen = ++this.generation;
    this.running = this.loop(gen).catch((e: unknown) => this.log.debug(`event stream: ${(e as Error).message}`));
  }

  /**
   * Resolves once a stream is open (the server then has somewhere to send a change), or once
   * none will be (405, given up, stopped), or after `timeoutMs`.
   */
  whenOpen(timeoutMs: number): Promise<void> {
    if (this.open || this.stopped || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private settle(open: boolean): void {
    this.open = open;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Closes the stream for good (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.ctrl?.abort();
    await this.running;
  }

  private async loop(gen: number): Promise<void> {
    try {
      await this.connect(gen);
    } finally {
      if (gen === this.generation) {
        this.ended = true;
        this.settle(false);
      }
    }
  }

  private async connect(gen: number): Promise<void> {
    let lastEventId: string | undefined;
    let failures = 0;
    while (!this.stopped && gen === this.generation) {
      const ctrl = new Abort();
      this.ctrl = ctrl;
      const opened = this.now();
      const r = await this.channel.exchange({ method: 'GET', withSession: true, lastEventId, abort: ctrl, timeoutMs: 0 });
      if (r.kind === 'aborted' || ctrl.aborted) return;
      if (r.kind === 'session-expired') {
        // Recovery restarts the stream through Session.onEstablished. A session that expired
        // before serving anything is left to the next request (which recovers within bounds):
        // recovering from here would loop as fast as a broken server can answer 404.
        if (this.session.hasServed(r.sentSessionId)) void this.session.recover(r.sentSessionId);
        else this.log.debug('the event stream found the session expired before it served a request; not recovering from here');
        return;
      }
      let retryMs: number | undefined;
      if (r.kind === 'failed') {
        if (r.status === 405) {
          this.log.debug('the server offers no GET event stream (405)');
          return;
        }
        this.log.debug(`event stream: ${r.failure.message}`);
      } else if (!isEventStream(r.res)) {
        discard(r.res);
        this.log.debug('the GET answer is not an event stream; not relaying one');
        return;
      } else {
        this.log.debug('event stream open');
        this.settle(true);
        let delivered = false;
        const body = await readBody(
          r.res,
          (m, raw) => {
            delivered = true;
            return this.onMessage(m, raw);
          },
          (t) => this.log.warn(`event stream: dropped a non-JSON event: ${redactedExcerpt(t, 200)}`),
        );
        this.open = false;
        if (ctrl.aborted) return;
        lastEventId = body.lastEventId ?? lastEventId;
        retryMs = body.retryMs;
        if (delivered || this.now() - opened >= this.opts.healthyAfterMs) failures = 0;
        this.log.debug(`event stream closed${body.error ? `: ${(body.error as Error).message}` : ''}`);
      }
      failures++;
      if (failures > this.opts.maxFailures) {
        this.log.warn('the GET event stream keeps failing; server-initiated messages will only arrive on request streams');
        return;
      }
      const backoff = Math.min(this.opts.maxRetryMs, (retryMs ?? 1_000) * 2 ** Math.max(0, failures - 1));
      await sleep(backoff, ctrl);
    }
  }
}
