/**
 * Forwards each client message (one stdin line: a message or a JSON-RPC batch) as its own
 * concurrent POST, so one slow tool call never holds up a ping. The invariant is "every
 * request gets exactly one answer": each request id is pending from the moment it is read
 * until the first response with that id is written (later duplicates are dropped, e.g. after a
 * resumed stream) or until the proxy answers it with an error. Notifications and the client's
 * responses to server requests are forwarded and never answered.
 */
import { redactedExcerpt } from '../secrets.js';
import { Abort } from '../util/abort.js';
import type { Channel } from './channel.js';
import { errorResponse, genericFailure, networkFailure, PARSE_ERROR, UPSTREAM_ERROR, type ProxyFailure, type Target } from './errors.js';
import { modernHeaders } from './era.js';
import { EraBridge, type Translate } from './era-bridge.js';
import { listenEnd } from './listen.js';
import type { EventStream } from './event-stream.js';
import { keyOf, type JsonRpcMessage, type LineWriter } from './framing.js';
import type { ProxyLog } from './log.js';
import { MAX_BARREN_SESSIONS, MAX_RECOVERIES_PER_REQUEST, type Session } from './session.js';
import { discard, readBody, type BodyResult } from './upstream.js';

export interface ForwarderOptions {
  /** `--meta k=v`: merged into `params._meta` of every `tools/call`. */
  meta?: Record<string, string>;
  /** Set when the proxy cannot forward anything (bad profile, PAT on an Apps URL): every request gets it. */
  startupFailure?: ProxyFailure;
  target: Target;
  /** dbx-mcp's version (the proxy's own clientInfo/serverInfo when the peer sent none). */
  version?: string;
  /** Told what the upstream speaks once it is seen (era-bridge.ts). */
  onEra?: (era: 'legacy' | 'modern' | 'dual') => void;
}

interface Pending {
  id: unknown;
  method: string;
  ctrl: Abort;
  /** Set when the request was bridged to the other era: its result is rewritten for the client. */
  translate?: Translate;
}

const isObject = (v: unknown): v is JsonRpcMessage => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRequest = (m: JsonRpcMessage) => typeof m.method === 'string' && m.id !== undefined && m.id !== null;
/**
 * A response that follows a progress notification waits until the client has read that
 * notification. The SDKs' stdio clients (1.x and 2.x) dispatch a notification a microtask after
 * they read it but settle a response at once, dropping the request's progress handler: when both
 * arrive in one read the last progress is lost (the direct HTTP stream delivers them apart).
 * A fixed pause after the flush was not enough under load (the client may not be scheduled to
 * read in time), so the proxy asks: it pings the client and holds the response until the answer
 * (a result or an error, any answer will do) comes back, which the client writes only after it
 * dispatched everything it read before the ping. Paid once per call that reported progress: one
 * stdio round trip. A client that does not answer pings gets the fixed pause instead.
 */
export const PROGRESS_SETTLE_MS = 5;
/** How long the proxy waits for the client's answer to its settle ping before it writes the response anyway. */
export const SETTLE_PING_TIMEOUT_MS = 200;
const SETTLE_ID_PREFIX = 'dbx-mcp-settle-';
/** How long the proxy's acknowledgement of a listen over a legacy server waits for the GET stream to open. */
const LISTEN_ACK_WAIT_MS = 5_000;

export class Forwarder {
  private readonly pending = new Map<string, Pending>();
  private readonly inflight = new Set<Promise<void>>();
  private closing: ProxyFailure | undefined;
  /** True while the last message written to the client was a progress notification. */
  private progressJustWritten = false;
  private settleSeq = 0;
  private readonly settles = new Map<string, () => void>();
  /** Settle pings in a row the client left unanswered (two: it does not answer them, use the pause). */
  private unansweredPings = 0;
  readonly eras: EraBridge;

  constructor(
    private readonly channel: Channel,
    private readonly session: Session,
    private readonly events: EventStream | undefined,
    private readonly writer: LineWriter,
    private readonly log: ProxyLog,
    private readonly opts: ForwarderOptions,
  ) {
    this.eras = new EraBridge(channel, session, log, {
      reply: (id, body) => {
        if (this.pending.delete(keyOf(id))) this.writer.write({ jsonrpc: '2.0', id, ...body });
      },
      awaiting: (id) => this.pending.has(keyOf(id)),
      startEvents: () => this.events?.start(),
      eventsOpen: () => this.events?.whenOpen(LISTEN_ACK_WAIT_MS) ?? Promise.resolve(),
      notify: (n) => this.fromServer(n, undefined),
      proxyVersion: opts.version ?? '0.0.0',
      ...(opts.onEra ? { onEra: opts.onEra } : {}),
    });
  }

  /** Requests read but not answered yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Handles one stdin line. Never throws; failures become JSON-RPC errors. */
  handleLine(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.log.warn(`stdin: not JSON: ${redactedExcerpt(line, 200)}`);
      this.writer.write(errorResponse(null, { code: PARSE_ERROR, message: 'Parse error: the line is not valid JSON' }));
      return;
    }
    const batch = Array.isArray(parsed);
    if (!batch && isObject(parsed) && typeof parsed.id === 'string' && parsed.id.startsWith(SETTLE_ID_PREFIX) && parsed.method === undefined) {
      // The client's answer to the proxy's own settle ping (late ones too): never forwarded.
      this.settles.get(parsed.id)?.();
      return;
    }
    const msgs = (batch ? (parsed as unknown[]) : [parsed]).filter(isObject);
    if (msgs.length === 0) {
      this.writer.write(errorResponse(null, { code: -32600, message: 'Invalid Request: expected a JSON-RPC message or a non-empty batch' }));
      return;
    }
    const ctrl = new Abort();
    const keys: string[] = [];
    for (const m of msgs) {
      if (!isRequest(m)) continue;
      const k = keyOf(m.id);
      this.pending.set(k, { id: m.id, method: m.method as string, ctrl });
      keys.push(k);
    }
    const p = this.forward(msgs, batch, line, ctrl, keys)
      .catch((e: unknown) => {
        this.log.error(`forwarding failed: ${(e as Error)?.stack ?? String(e)}`);
        this.finish(keys, ctrl, genericFailure(e));
      })
      .finally(() => {
        this.inflight.delete(p);
        // After the server has the cancellation, the cancelled request's HTTP request can go.
        for (const m of msgs) if (m.method === 'notifications/cancelled') this.cancel((m.params as { requestId?: unknown } | undefined)?.requestId);
      });
    this.inflight.add(p);
  }

  /** A message from the server (response stream or GET stream) on its way to the client. */
  readonly fromServer = async (m: JsonRpcMessage, raw: string | undefined): Promise<void> => {
    const routed = this.eras.routeChange(m);
    if (routed) {
      for (const n of routed) this.writer.write(n);
      if (routed.length) await this.writer.ready();
      else this.log.debug(`dropped ${String(m.method)}: no listen subscription asked for it`);
      return;
    }
    let out: string | JsonRpcMessage = raw ?? m;
    const response = m.method === undefined && m.id !== undefined && (m.result !== undefined || m.error !== undefined);
    if (response && this.progressJustWritten) await this.clientCaughtUp();
    this.progressJustWritten = m.method === 'notifications/progress';
    if (response) {
      const k = keyOf(m.id);
      const p = this.pending.get(k);
      if (!p) {
        this.log.debug(`dropped a response for id ${JSON.stringify(m.id)}: already answered or never asked`);
        return;
      }
      this.pending.delete(k);
      if (p.method === 'initialize' && m.result !== undefined) {
        this.session.captureInitializeResult(m);
        this.eras.noteLegacyInitialized();
      }
      if (p.translate) out = this.eras.translate(m, p.translate, p.method);
    }
    this.writer.write(out);
    await this.writer.ready();
  };

  /** Resolves once the client has dispatched what was written so far (see PROGRESS_SETTLE_MS). */
  private async clientCaughtUp(): Promise<void> {
    if (this.unansweredPings >= 2) {
      await this.writer.flushed();
      await new Promise((r) => setTimeout(r, PROGRESS_SETTLE_MS));
      return;
    }
    const id = `${SETTLE_ID_PREFIX}${++this.settleSeq}`;
    let timer: NodeJS.Timeout | undefined;
    const pong = new Promise<boolean>((r) => this.settles.set(id, () => r(true)));
    this.writer.write({ jsonrpc: '2.0', id, method: 'ping' });
    const answered = await Promise.race([pong, new Promise<boolean>((r) => (timer = setTimeout(() => r(false), SETTLE_PING_TIMEOUT_MS)))]);
    clearTimeout(timer);
    this.settles.delete(id);
    this.unansweredPings = answered ? 0 : this.unansweredPings + 1;
  }

  /**
   * Stops accepting work: waits up to `waitMs` for in-flight requests, then answers what is
   * left with `failure` and aborts its HTTP requests.
   */
  async shutdown(waitMs: number, failure: ProxyFailure): Promise<void> {
    this.closing = failure;
    // A listen never finishes by itself: end each gracefully now (the spec's listen result).
    for (const [k, p] of this.pending) {
      if (p.method !== 'subscriptions/listen') continue;
      this.pending.delete(k);
      p.ctrl.abort();
      this.writer.write({ jsonrpc: '2.0', id: p.id, result: listenEnd(p.id) });
    }
    await this.eras.listen.stop();
    if (this.inflight.size > 0 && waitMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.inflight]), new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
      clearTimeout(timer);
    }
    for (const [k, p] of this.pending) {
      this.pending.delete(k);
      p.ctrl.abort();
      this.writer.write(errorResponse(p.id, failure));
    }
    await Promise.allSettled([...this.inflight]);
  }

  private async forward(clientMsgs: JsonRpcMessage[], batch: boolean, line: string, ctrl: Abort, keys: string[]): Promise<void> {
    let msgs = clientMsgs;
    const fail = this.closing ?? this.opts.startupFailure;
    if (fail) {
      if (keys.length) this.finish(keys, ctrl, fail);
      else this.log.debug(`not forwarded: ${msgs.map((m) => m.method ?? 'response').join(', ')}`);
      return;
    }
    let body = line;
    let bridged: Record<string, string> | undefined;
    if (!batch) {
      // Era bridging (era-bridge.ts): answered here, or rewritten for the server's era.
      const plan = await this.eras.plan(msgs[0]!);
      if (plan.kind === 'answered') return;
      if (plan.msg) {
        msgs = [plan.msg];
        body = JSON.stringify(plan.msg);
        bridged = plan.headers;
      }
      if (plan.translate) for (const k of keys) if (this.pending.has(k)) this.pending.get(k)!.translate = plan.translate;
    }
    if (this.opts.meta && msgs.some((m) => m.method === 'tools/call')) {
      for (const m of msgs) if (m.method === 'tools/call') injectMeta(m, this.opts.meta);
      body = JSON.stringify(batch ? msgs : msgs[0]);
    }
    for (const m of msgs) this.session.observe(m, batch ? JSON.stringify(m) : body);
    const isInit = msgs.some((m) => m.method === 'initialize');
    if (!isInit && this.session.recovering) await this.session.recovering;

    const protocolHeaders = bridged ?? modernHeaders(msgs, batch);
    const listening = msgs.some((m) => m.method === 'subscriptions/listen');
    let recoveries = 0;
    let barren = 0;
    for (;;) {
      // A listen stream lives as long as the subscription: no idle timeout.
      const r = await this.channel.exchange({ method: 'POST', body, withSession: !isInit, abort: ctrl, protocolHeaders, ...(listening ? { timeoutMs: 0 } : {}) });
      if (r.kind === 'session-expired') {
        // A 404/410 for the session means the server did not process the message: resending
        // it on a new session cannot run anything twice.
        if (!this.session.hasServed(r.sentSessionId)) barren++;
        const more = recoveries < MAX_RECOVERIES_PER_REQUEST && barren <= MAX_BARREN_SESSIONS;
        const recovery = more ? await this.session.recover(r.sentSessionId) : undefined;
        if (recovery?.ready) {
          recoveries++;
          this.log.debug(`${msgs[0]?.method ?? 'message'}: retrying on the new session (recovery ${recoveries})`);
          continue;
        }
        return this.fail(msgs, keys, ctrl, {
          code: UPSTREAM_ERROR,
          message: recovery
            ? `The MCP session expired on the server (HTTP ${r.status}) and re-initialising it failed (${recovery.reason}): restart the MCP server in your client; if it keeps happening, run dbx-mcp doctor`
            : `The MCP server expired the session ${recoveries + 1} times in a row while this request waited (HTTP ${r.status}); the request was not processed: retry it; if it keeps happening, restart the MCP server in your client or run dbx-mcp doctor`,
          data: { status: r.status },
        });
      }
      if (r.kind === 'ok') this.session.noteServed(r.sentSessionId);
      if (r.kind === 'aborted') return this.finish(keys, ctrl, this.closing ?? { code: UPSTREAM_ERROR, message: 'The request was cancelled' });
      if (r.kind === 'failed') {
        if (isInit && !batch && (await this.eras.initializeRefused(msgs[0]!, r.failure))) return;
        return this.fail(msgs, keys, ctrl, r.failure);
      }

      this.session.captureHeaders(r.res, r.sentSessionId);
      if (r.res.statusCode === 202 || r.res.statusCode === 204) {
        discard(r.res);
      } else {
        let res: BodyResult = await readBody(r.res, this.fromServer, (t) => this.log.warn(`dropped a non-JSON message from the server: ${redactedExcerpt(t, 200)}`));
        // The stream broke before every answer arrived. With event ids the server can replay the
        // rest (GET + Last-Event-ID); without, the request may have run: answer, don't resend.
        for (let tries = 0; res.error && res.lastEventId && tries < 2 && this.unanswered(keys, ctrl) && !ctrl.aborted; tries++) {
          this.log.info(`response stream broke (${(res.error as Error).message}); resuming after event ${res.lastEventId}`);
          const g = await this.channel.exchange({ method: 'GET', withSession: true, lastEventId: res.lastEventId, abort: ctrl });
          if (g.kind !== 'ok') break;
          res = await readBody(g.res, this.fromServer, () => undefined);
        }
        if (ctrl.aborted) return this.finish(keys, ctrl, this.closing ?? { code: UPSTREAM_ERROR, message: 'The request was cancelled' });
        if (res.error) {
          this.finish(keys, ctrl, networkFailure(res.error, this.opts.target, true));
        } else if (this.unanswered(keys, ctrl)) {
          this.finish(keys, ctrl, { code: UPSTREAM_ERROR, message: 'The MCP server ended its response without answering this request; it may or may not have run, so it was not retried' });
        }
      }
      if (this.events && msgs.some((m) => m.method === 'notifications/initialized')) this.events.start();
      return;
    }
  }

  /** Reports a failure: requests get it as their answer, notifications and responses only a log line. */
  private fail(msgs: JsonRpcMessage[], keys: string[], ctrl: Abort, f: ProxyFailure): void {
    const what = msgs.map((m) => m.method ?? `response to ${JSON.stringify(m.id)}`).join(', ');
    this.log.warn(`${what}: ${f.message}`);
    this.finish(keys, ctrl, f);
  }

  private unanswered(keys: string[], ctrl: Abort): boolean {
    return keys.some((k) => this.pending.get(k)?.ctrl === ctrl);
  }

  /** Answers every still-pending request of one unit with an error (exactly once each). */
  private finish(keys: string[], ctrl: Abort, f: ProxyFailure): void {
    for (const k of keys) {
      const p = this.pending.get(k);
      if (!p || p.ctrl !== ctrl) continue;
      this.pending.delete(k);
      this.writer.write(errorResponse(p.id, f));
    }
  }

  /** The client cancelled a request: it expects no answer, and its HTTP request can go. */
  cancel(requestId: unknown): void {
    this.eras.cancelled(requestId);
    const k = keyOf(requestId);
    const p = this.pending.get(k);
    if (!p) return;
    this.pending.delete(k);
    for (const other of this.pending.values()) if (other.ctrl === p.ctrl) return; // batch: others still wait
    p.ctrl.abort();
  }
}

function injectMeta(m: JsonRpcMessage, meta: Record<string, string>): void {
  const params = (isObject(m.params) ? m.params : (m.params = {})) as JsonRpcMessage;
  // The client's own _meta (progressToken) wins over configured defaults.
  params._meta = { ...meta, ...(isObject(params._meta) ? params._meta : {}) };
}
