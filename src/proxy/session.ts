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

/** Methods whose effect lives in the server's session and must be re-applied after recovery. */
const STICKY = new Set(['logging/setLevel']);

export class Session {
  /** The client's initialize request, replayed verbatim (same capabilities, same client info). */
  private initBody: string | undefined;
  private initializedBody: string | undefined;
  private readonly sticky = new Map<string, string>();
  /** Set while a recovery runs; requests wait for it instead of racing with a dead id. */
  recovering: Promise<boolean> | undefined;
  private replaySeq = 0;
  /** Called when a (new) session is ready: the GET event stream (re)starts. */
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
    }
  }

  /** Takes the session id from any successful response that carries one. */
  captureHeaders(res: UpstreamResponse): void {
    const id = header(res, 'mcp-session-id');
    if (id && id !== this.channel.session.id) {
      this.channel.session.id = id;
      this.log.debug(`session ${id}`);
    }
  }

  /** Takes the negotiated protocol version from an initialize result. */
  captureInitializeResult(msg: JsonRpcMessage): void {
    const v = (msg.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    if (typeof v === 'string') this.channel.session.protocolVersion = v;
  }

  /**
   * Re-initialises after the server rejected `failedId`. Concurrent callers share one recovery;
   * a caller whose id was already replaced just retries. Resolves true when a session is ready.
   */
  recover(failedId: string): Promise<boolean> {
    if (this.recovering) return this.recovering;
    if (this.channel.session.id !== failedId) return Promise.resolve(true);
    this.recovering = this.replay().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }

  private async replay(): Promise<boolean> {
    if (!this.initBody) {
      this.log.warn('the server expired the session before the client initialised it; cannot recover');
      return false;
    }
    this.log.info(`session ${this.channel.session.id} expired on the server; re-initialising`);
    this.channel.session.id = undefined;
    const init = await this.channel.exchange({ method: 'POST', body: this.initBody, withSession: false });
    if (init.kind !== 'ok') {
      this.log.warn(`re-initialising failed${init.kind === 'failed' ? `: ${init.failure.message}` : ''}`);
      return false;
    }
    this.captureHeaders(init.res);
    let ok = false;
    const body = await readBody(
      init.res,
      (m) => {
        if (m.result !== undefined && m.method === undefined) {
          this.captureInitializeResult(m);
          ok = true;
        } else if (m.error !== undefined) {
          this.log.warn(`re-initialising failed: ${JSON.stringify(m.error)}`);
        }
        // Anything else (a log notification during initialize) belongs to the replay, not the client.
      },
      () => undefined,
    );
    if (!ok || body.error) return false;
    if (this.initializedBody) {
      const r = await this.channel.exchange({ method: 'POST', body: this.initializedBody, withSession: true });
      if (r.kind === 'ok') discard(r.res);
    }
    for (const [method, template] of this.sticky) {
      const msg = { ...(JSON.parse(template) as JsonRpcMessage), id: `dbx-mcp-replay-${++this.replaySeq}` };
      const r = await this.channel.exchange({ method: 'POST', body: JSON.stringify(msg), withSession: true });
      if (r.kind === 'ok') await readBody(r.res, () => undefined, () => undefined);
      else this.log.debug(`replaying ${method} failed`);
    }
    this.log.info(`new session ${this.channel.session.id ?? '(stateless)'}`);
    this.onEstablished();
    return true;
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

