/**
 * Change notifications across eras (MCP 2026-07-28 `subscriptions/listen`, SEP-2575). A legacy
 * server sends `notifications/{tools,prompts,resources}/list_changed` and (for URIs the client
 * sent `resources/subscribe` for) `notifications/resources/updated` unsolicited, on the GET
 * stream or any response stream. A modern server sends them only on a `subscriptions/listen`
 * request stream the client opened with a filter: the first message is
 * `notifications/subscriptions/acknowledged` with the honored subset of the filter, every
 * message carries `_meta["io.modelcontextprotocol/subscriptionId"]` = the listen request's id,
 * a type the filter did not ask for is never sent, and the listen result (empty) ends the
 * subscription gracefully.
 *
 * - `UpstreamListen` (legacy client → modern-only server): the proxy opens one listen upstream
 *   for what the server's capabilities offer, forwards each notification as the legacy
 *   unsolicited one (subscription `_meta` stripped), folds the client's `resources/subscribe` /
 *   `unsubscribe` into the filter (re-opening the stream: the spec has no in-place update), and
 *   re-opens within bounds when the stream ends (missed events are not replayed, as on the
 *   legacy GET stream).
 * - `LocalListens` (modern client → legacy-only server): the proxy answers the client's listen:
 *   acknowledges the subset the legacy server's capabilities allow (once the GET stream is
 *   open, so a change right after the ack is not lost), maps `resourceSubscriptions` onto
 *   legacy `resources/subscribe`, and hands each legacy change notification to every
 *   subscription whose filter takes it, stamped with its id (none: dropped).
 */
import type { Channel } from './channel.js';
import { modernHeaders } from './era.js';
import { keyOf, obj, type JsonRpcMessage } from './framing.js';
import type { ProxyLog } from './log.js';
import { sleep } from './retry.js';
import { Abort } from '../util/abort.js';
import { readBody } from './upstream.js';
import { redactedExcerpt } from '../secrets.js';

export const SUBSCRIPTION_ID_KEY = 'io.modelcontextprotocol/subscriptionId';
const ACKNOWLEDGED = 'notifications/subscriptions/acknowledged';

export interface SubscriptionFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

/** The change notifications a listen filter governs. */
export const CHANGE_METHODS = new Set(['notifications/tools/list_changed', 'notifications/prompts/list_changed', 'notifications/resources/list_changed', 'notifications/resources/updated']);

/** The part of `requested` a server with `capabilities` can honor (the SDK's `honoredSubset`, same rules). */
export function honoredFilter(requested: SubscriptionFilter, capabilities: Record<string, unknown>): SubscriptionFilter {
  const cap = (k: string, bit: string) => obj(capabilities[k])[bit] === true;
  const out: SubscriptionFilter = {};
  if (requested.toolsListChanged === true && cap('tools', 'listChanged')) out.toolsListChanged = true;
  if (requested.promptsListChanged === true && cap('prompts', 'listChanged')) out.promptsListChanged = true;
  if (requested.resourcesListChanged === true && cap('resources', 'listChanged')) out.resourcesListChanged = true;
  const uris = Array.isArray(requested.resourceSubscriptions) ? requested.resourceSubscriptions.filter((u): u is string => typeof u === 'string') : [];
  if (uris.length > 0 && cap('resources', 'subscribe')) out.resourceSubscriptions = [...new Set(uris)];
  return out;
}

/** True when `filter` asked for the notification `m`. */
export function filterTakes(filter: SubscriptionFilter, m: JsonRpcMessage): boolean {
  switch (m.method) {
    case 'notifications/tools/list_changed':
      return filter.toolsListChanged === true;
    case 'notifications/prompts/list_changed':
      return filter.promptsListChanged === true;
    case 'notifications/resources/list_changed':
      return filter.resourcesListChanged === true;
    case 'notifications/resources/updated':
      return filter.resourceSubscriptions?.includes(String(obj(m.params).uri)) === true;
    default:
      return false;
  }
}

/** `m` with its params' `_meta` stamped with (or, with `undefined`, stripped of) a subscription id. */
export function withSubscription(m: JsonRpcMessage, id: unknown): JsonRpcMessage {
  const params = { ...obj(m.params) };
  const meta = { ...obj(params._meta) };
  if (id === undefined) delete meta[SUBSCRIPTION_ID_KEY];
  else meta[SUBSCRIPTION_ID_KEY] = id;
  if (Object.keys(meta).length) params._meta = meta;
  else delete params._meta;
  const out: JsonRpcMessage = { jsonrpc: '2.0', method: m.method };
  if (Object.keys(params).length) out.params = params;
  return out;
}

export interface UpstreamListenOptions {
  /** Connections in a row that ended unhealthy (no change delivered, shorter than healthyAfterMs) before giving up. */
  maxFailures: number;
  /** A connection that lived this long (ms) counts as healthy. */
  healthyAfterMs: number;
  /** First reconnection delay (ms), doubled per failure. */
  baseRetryMs: number;
  maxRetryMs: number;
}

export const DEFAULT_UPSTREAM_LISTEN_OPTIONS: UpstreamListenOptions = { maxFailures: 8, healthyAfterMs: 30_000, baseRetryMs: 500, maxRetryMs: 30_000 };

/** The proxy's own listen stream to a modern-only server, on behalf of a legacy client. */
export class UpstreamListen {
  private readonly subscribed = new Set<string>();
  private capabilities: Record<string, unknown> = {};
  private envelope: Record<string, unknown> = {};
  private started = false;
  private stopped = false;
  private generation = 0;
  private ctrl: Abort | undefined;
  private running: Promise<void> | undefined;
  private seq = 0;

  constructor(
    private readonly channel: Channel,
    private readonly log: ProxyLog,
    private readonly deliver: (m: JsonRpcMessage) => Promise<void>,
    private readonly opts: UpstreamListenOptions = DEFAULT_UPSTREAM_LISTEN_OPTIONS,
  ) {}

  /** The server's capabilities (from `server/discover`) and the envelope each request carries. */
  configure(capabilities: Record<string, unknown>, envelope: Record<string, unknown>): void {
    this.capabilities = capabilities;
    this.envelope = envelope;
  }

  /** True when the server offers resource subscriptions (a legacy client may send resources/subscribe). */
  get offersSubscribe(): boolean {
    return obj(this.capabilities.resources).subscribe === true;
  }

  /** What the stream asks for: everything the server offers, and the client's resource subscriptions. */
  filter(): SubscriptionFilter {
    return honoredFilter(
      { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true, resourceSubscriptions: [...this.subscribed] },
      this.capabilities,
    );
  }

  /** The client is initialised: open the stream (when the server offers anything to listen to). */
  start(): void {
    this.started = true;
    this.restart();
  }

  subscribe(uri: string): void {
    if (this.subscribed.has(uri)) return;
    this.subscribed.add(uri);
    this.restart();
  }

  unsubscribe(uri: string): void {
    if (!this.subscribed.delete(uri)) return;
    this.restart();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ctrl?.abort();
    await this.running;
  }

  private restart(): void {
    if (!this.started || this.stopped) return;
    this.ctrl?.abort();
    const gen = ++this.generation;
    if (Object.keys(this.filter()).length === 0) {
      this.log.debug('the server offers no change notifications; not listening');
      return;
    }
    this.running = this.loop(gen).catch((e: unknown) => this.log.debug(`listen stream: ${(e as Error).message}`));
  }

  private async loop(gen: number): Promise<void> {
    let failures = 0;
    while (!this.stopped && gen === this.generation) {
      const ctrl = new Abort();
      this.ctrl = ctrl;
      const id = `dbx-mcp-listen-${++this.seq}`;
      const opened = Date.now();
      const msg = { jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { _meta: { ...this.envelope }, notifications: this.filter() } };
      const r = await this.channel.exchange({ method: 'POST', body: JSON.stringify(msg), withSession: false, abort: ctrl, timeoutMs: 0, protocolHeaders: modernHeaders([msg], false) });
      if (r.kind === 'aborted' || ctrl.aborted) return;
      let delivered = false;
      let nothingHonored = false;
      if (r.kind === 'ok') {
        let answer: JsonRpcMessage | undefined;
        const body = await readBody(
          r.res,
          async (m) => {
            if (m.id === id && m.method === undefined) {
              answer = m; // the listen result: the server ended the subscription (or refused it)
              return;
            }
            if (typeof m.method !== 'string' || m.id !== undefined) return; // a listen stream carries notifications only
            if (m.method === ACKNOWLEDGED) {
              nothingHonored = Object.keys(obj(obj(m.params).notifications)).length === 0;
              this.log.debug(`listen stream open: the server honors ${JSON.stringify(obj(m.params).notifications)}`);
              return;
            }
            delivered = true;
            await this.deliver(withSubscription(m, undefined));
          },
          (t) => this.log.warn(`listen stream: dropped a non-JSON event: ${redactedExcerpt(t, 200)}`),
        );
        if (ctrl.aborted) return;
        if (answer?.error !== undefined || nothingHonored) {
          this.log.debug(`listen: ${answer?.error !== undefined ? `refused (${redactedExcerpt(JSON.stringify(answer.error), 200)})` : 'the server honors nothing'}; not listening`);
          return;
        }
        this.log.debug(`listen stream closed${answer ? ' by the server' : ''}${body.error ? `: ${(body.error as Error).message}` : ''}`);
      } else {
        if (r.kind === 'failed' && r.status !== undefined && r.status >= 400 && r.status < 500) {
          // Refused as asked (429 was already retried by the channel): asking again changes nothing.
          this.log.info(`the server refused the listen stream (HTTP ${r.status}: ${r.failure.message}); change notifications from it will not reach the client`);
          return;
        }
        this.log.debug(`listen: ${r.kind === 'failed' ? r.failure.message : r.kind}`);
      }
      // A stream the server ends right after its acknowledgement, again and again, is not healthy.
      failures = delivered || Date.now() - opened >= this.opts.healthyAfterMs ? 1 : failures + 1;
      if (failures > this.opts.maxFailures) {
        this.log.warn('the listen stream keeps failing; change notifications from the server will not reach the client');
        return;
      }
      await sleep(Math.min(this.opts.maxRetryMs, this.opts.baseRetryMs * 2 ** Math.max(0, failures - 1)), ctrl);
    }
  }
}

/** What `LocalListens` needs from the bridge. */
export interface LocalListenHost {
  write(m: JsonRpcMessage): void;
  /** A legacy `resources/subscribe` / `resources/unsubscribe` of the proxy's own (true: the server took it). */
  call(method: 'resources/subscribe' | 'resources/unsubscribe', uri: string): Promise<boolean>;
  /** Resolves once the legacy GET stream is open (or known not to be), bounded. */
  eventsOpen(): Promise<void>;
}

/** The modern client's listen subscriptions, answered by the proxy over a legacy-only server. */
export class LocalListens {
  private readonly subs = new Map<string, { id: unknown; filter: SubscriptionFilter }>();
  /** Listens being opened (awaiting their legacy subscribes or the GET stream); true once cancelled meanwhile. */
  private readonly opening = new Map<string, boolean>();
  private readonly refs = new Map<string, number>();

  constructor(private readonly host: LocalListenHost) {}

  /**
   * Serves a `subscriptions/listen` request: the acknowledgement with the honored subset (or an
   * invalid-params error). The request stays open until the client cancels it; one cancelled
   * while it opens gets nothing, and the legacy subscriptions made for it are undone.
   */
  async open(m: JsonRpcMessage, capabilities: Record<string, unknown>): Promise<{ error: { code: number; message: string } } | { result: Record<string, unknown> } | { open: true } | { cancelled: true }> {
    const requested = obj(m.params).notifications;
    if (!requested || typeof requested !== 'object' || Array.isArray(requested)) {
      return { error: { code: -32602, message: "Invalid params: 'notifications' is required and must be a valid SubscriptionFilter" } };
    }
    const key = keyOf(m.id);
    // Marked before the first await: a cancel while this waits must find it.
    this.opening.set(key, false);
    const honored = honoredFilter(requested as SubscriptionFilter, capabilities);
    const taken: string[] = [];
    const cancelled = (): boolean => {
      if (!this.opening.get(key)) return false;
      this.opening.delete(key);
      this.release(taken);
      return true;
    };
    for (const uri of honored.resourceSubscriptions ?? []) {
      const n = this.refs.get(uri) ?? 0;
      if (n > 0 || (await this.host.call('resources/subscribe', uri))) {
        this.refs.set(uri, (this.refs.get(uri) ?? 0) + 1);
        taken.push(uri);
      }
      if (cancelled()) return { cancelled: true };
    }
    if (honored.resourceSubscriptions) {
      if (taken.length) honored.resourceSubscriptions = taken;
      else delete honored.resourceSubscriptions;
    }
    await this.host.eventsOpen();
    if (cancelled()) return { cancelled: true };
    this.opening.delete(key);
    this.host.write(withSubscription({ method: ACKNOWLEDGED, params: { notifications: honored } }, m.id));
    if (Object.keys(honored).length === 0) {
      // Nothing to deliver: the spec's graceful end, as a modern server does.
      return { result: listenEnd(m.id) };
    }
    this.subs.set(key, { id: m.id, filter: honored });
    return { open: true };
  }

  /** The client cancelled a request: when it was a listen, the subscription ends (nothing more is sent for it). */
  cancel(requestId: unknown): void {
    const key = keyOf(requestId);
    if (this.opening.has(key)) {
      this.opening.set(key, true); // open() undoes what it made once its wait ends
      return;
    }
    const s = this.subs.get(key);
    if (!s) return;
    this.subs.delete(key);
    this.release(s.filter.resourceSubscriptions ?? []);
  }

  /** The resource URIs the open listens hold (each once): what the legacy session must be subscribed to. */
  subscribedUris(): string[] {
    return [...this.refs.keys()];
  }

  /**
   * A new legacy session replaced an expired one (session.ts): the subscriptions the proxy made
   * lived in the old one, so each held URI is subscribed again, or its updates stop silently.
   */
  resubscribe(): void {
    for (const uri of this.subscribedUris()) void this.host.call('resources/subscribe', uri);
  }

  /** Drops one hold on each URI; the last hold's legacy subscription is undone. */
  private release(uris: readonly string[]): void {
    for (const uri of uris) {
      const n = (this.refs.get(uri) ?? 1) - 1;
      if (n > 0) this.refs.set(uri, n);
      else {
        this.refs.delete(uri);
        void this.host.call('resources/unsubscribe', uri);
      }
    }
  }

  /** A legacy change notification: one stamped copy per subscription that asked for it. */
  route(m: JsonRpcMessage): JsonRpcMessage[] {
    const out: JsonRpcMessage[] = [];
    for (const s of this.subs.values()) if (filterTakes(s.filter, m)) out.push(withSubscription(m, s.id));
    return out;
  }
}

/** The listen result: the subscription ended gracefully (shutdown, or nothing to deliver). */
export const listenEnd = (id: unknown): Record<string, unknown> => ({ resultType: 'complete', _meta: { [SUBSCRIPTION_ID_KEY]: id } });
