/**
 * The MCP session across its whole life: the `Mcp-Session-Id` the server assigns (echoed on
 * every later request), the protocol version from the initialize result (sent as
 * `MCP-Protocol-Version`), recovery when the server forgets the session (404/410 on a request
 * that carried the id: server restart, idle expiry, another replica) by replaying the client's
 * own `initialize` and `notifications/initialized`, and `DELETE` at shutdown.
 *
 * Peers (uc-mcp-proxy, ug mcp-proxy) keep the dead id and fail every later call; the client
 * never learns it should re-initialise, because over stdio the session is invisible to it.
 */
import type { Channel } from './channel.js';
import type { JsonRpcMessage } from './framing.js';
import type { ProxyLog } from './log.js';
import { discard, header, readBody, type UpstreamResponse } from './upstream.js';

/** The outcome of a recovery: a session is ready, or why none could be made. */
export type Recovery = { ready: true } | { ready: false; reason: string };

/**
 * How many times one request follows the session through recoveries before it is answered with
 * an error. A server that recycles sessions while many requests are in flight can expire the
 * new session before every waiting request got its turn (with 8 in flight and sessions of 5
 * requests, a request needed up to 4), so the cap leaves room; a server whose sessions expire
 * before they serve anything is broken, and the client hears so after MAX_BARREN_SESSIONS.
 */
export const MAX_RECOVERIES_PER_REQUEST = 8;
/** Sessions in a row that expired without serving any request, before a request gives up. */
export const MAX_BARREN_SESSIONS = 2;

/**
 * Methods whose effect lives in the server's session and must be re-applied after recovery
 * (the latest of each; the client's resource subscriptions are kept per URI, below).
 */
const STICKY = new Set(['logging/setLevel']);

export class Session {
  /** The client's initialize request, replayed verbatim (same capabilities, same client info). */
  private initBody: string | undefined;
  private initializedBody: string | undefined;
  private readonly sticky = new Map<string, string>();
  /** Set while a recovery runs; requests wait for it instead of racing with a dead id. */
  recovering: Promise<Recovery> | undefined;
  private replaySeq = 0;
  /** Session ids that answered at least one forwarded request (the last few). */
  private readonly served = new Set<string>();
  /** Called when a (new) session is ready: the GET event stream (re)starts, the proxy's own resource subscriptions are made again. */
  onEstablished: () => void = () => undefined;

  constructor(
    private readonly channel: Channel,
    private readonly log: ProxyLog,
  ) {}

  get id(): string | undefined {
    return this.channel.session.id;
  }

  /** Remembers what to replay; called for every client message before it is forwarded. */
  observe(msg: JsonRpcMessage, body: string): void {
    const method = msg.method;
    if (method === 'initialize' && msg.id !== undefined) {
      this.initBody = body;
      this.initializedBody = undefined;
      this.sticky.clear();
      // A client that re-initialises starts a new session: the old id must not be sent.
      this.channel.session.id = undefined;
      this.channel.session.protocolVersion = undefined;
    } else if (method === 'notifications/initialized') {
      this.initializedBody = body;
    } else if (typeof method === 'string' && STICKY.has(method) && msg.id !== undefined) {
      this.sticky.set(method, JSON.stringify({ ...msg, id: undefined }));
    } else if ((method === 'resources/subscribe' || method === 'resources/unsubscribe') && msg.id !== undefined) {
      // A subscription lives in the session too: each URI still subscribed is made again.
      const uri = (msg.params as { uri?: unknown } | undefined)?.uri;
      if (typeof uri !== 'string') return;
      if (method === 'resources/subscribe') this.sticky.set(`resources/subscribe ${uri}`, JSON.stringify({ ...msg, id: undefined }));
      else this.sticky.delete(`resources/subscribe ${uri}`);
    }
  }

  /**
   * Takes the session id the server assigned in its answer to a message sent without one
   * (initialize). An answer to a message that carried an id belongs to that session: when it
   * arrives late, after a recovery, its (dead) id must not replace the new one.
   */
  captureHeaders(res: UpstreamResponse, sentSessionId: string | undefined): void {
    if (sentSessionId !== undefined) return;
    const id = header(res, 'mcp-session-id');
    if (id && id !== this.channel.session.id) {
      this.channel.session.id = id;
      this.log.debug(`session ${id}`);
    }
  }

  /** Notes that the session `id` answered a forwarded request (it was not barren). */
  noteServed(id: string | undefined): void {
    if (id === undefined || this.served.has(id)) return;
    this.served.add(id);
    if (this.served.size > 16) this.served.delete(this.served.values().next().value!);
  }

  /** True when the session `id` answered at least one forwarded request. */
  hasServed(id: string): boolean {
    return this.served.has(id);
  }

  /** Takes the negotiated protocol version from an initialize result. */
  captureInitializeResult(msg: JsonRpcMessage): void {
    const v = (msg.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    if (typeof v === 'string') this.channel.session.protocolVersion = v;
  }

  /**
   * Re-initialises after the server rejected `failedId`. Concurrent callers share one recovery
   * (single flight); a caller whose id was already replaced just retries on the new session.
   */
  recover(failedId: string): Promise<Recovery> {
    if (this.recovering) return this.recovering;
    if (this.channel.session.id !== failedId) return Promise.resolve({ ready: true });
    this.recovering = this.replay().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }

  private async replay(): Promise<Recovery> {
    if (!this.initBody) {
      const reason = 'the server expired the session before the client initialised it';
      this.log.warn(`${reason}; cannot recover`);
      return { ready: false, reason };
    }
    this.log.info(`session ${this.channel.session.id} expired on the server; re-initialising`);
    // The dead id stays until the new one is known: a request sent meanwhile gets 404 and joins
    // this recovery, where a request without any id would be refused or served statelessly.
    const init = await this.channel.exchange({ method: 'POST', body: this.initBody, withSession: false });
    if (init.kind !== 'ok') {
      const reason = init.kind === 'failed' ? init.failure.message : 'cancelled';
      this.log.warn(`re-initialising failed: ${reason}`);
      return { ready: false, reason };
    }
    this.channel.session.id = header(init.res, 'mcp-session-id');
    let ok = false;
    let rpcError: unknown;
    const body = await readBody(
      init.res,
      (m) => {
        if (m.result !== undefined && m.method === undefined) {
          this.captureInitializeResult(m);
          ok = true;
        } else if (m.error !== undefined) {
          rpcError = m.error;
        }
        // Anything else (a log notification during initialize) belongs to the replay, not the client.
      },
      () => undefined,
    );
    if (!ok || body.error) {
      const reason = rpcError !== undefined ? `the server answered initialize with ${JSON.stringify(rpcError)}` : `the initialize answer broke off${body.error ? ` (${(body.error as Error).message})` : ''}`;
      this.log.warn(`re-initialising failed: ${reason}`);
      return { ready: false, reason };
    }
    if (this.initializedBody) {
      const r = await this.channel.exchange({ method: 'POST', body: this.initializedBody, withSession: true });
      if (r.kind === 'ok') discard(r.res);
    }
    for (const [what, template] of this.sticky) {
      const msg = { ...(JSON.parse(template) as JsonRpcMessage), id: `dbx-mcp-replay-${++this.replaySeq}` };
      const r = await this.channel.exchange({ method: 'POST', body: JSON.stringify(msg), withSession: true });
      if (r.kind === 'ok') await readBody(r.res, () => undefined, () => undefined);
      else this.log.debug(`replaying ${what} failed`);
    }
    this.log.info(`new session ${this.channel.session.id ?? '(stateless)'}`);
    this.onEstablished();
    return { ready: true };
  }

  /** Ends the session on the server (best effort, bounded): the server can free it at once. */
  async close(timeoutMs = 2_000): Promise<void> {
    if (!this.channel.session.id) return;
    const r = await this.channel.exchange({
      method: 'DELETE',
      withSession: true,
      timeoutMs,
      policy: { budgetMs: 0, baseMs: 0, capMs: 0, maxAttempts: 1 },
    });
    if (r.kind === 'ok') discard(r.res);
    this.log.debug(`DELETE session: ${r.kind === 'ok' ? r.res.statusCode : r.kind === 'failed' ? (r.failure.data?.status ?? r.failure.message) : r.kind}`);
  }
}

