/**
 * The dual-era bridge (MCP 2026-07-28 basic/versioning, basic/lifecycle, server/discover): a
 * legacy stdio client (`initialize`, session) can use a modern-only server, and a modern stdio
 * client (per-request `_meta`, `server/discover`) a legacy-only one. The upstream's era is
 * learnt from the spec's own transport mechanics and kept for the process:
 *
 * - a legacy `initialize` refused with `-32022` UnsupportedProtocolVersionError whose
 *   `data.supported` lists only modern versions → modern-only: the proxy answers `initialize`
 *   itself from `server/discover` (the server's capabilities, instructions and serverInfo),
 *   stamps every later request with the modern envelope (so era.ts adds the headers), drops
 *   `notifications/initialized`, answers `ping` and `logging/setLevel` (whose level then rides
 *   in each request's `_meta`) locally, and strips the modern-only result fields;
 * - a modern request whose `server/discover` probe is refused (a legacy server answers 400,
 *   404/405 or `-32601`) → legacy-only: the proxy runs the legacy handshake itself and owns
 *   the session (session.ts recovers it on 404/410), answers `server/discover` from the
 *   initialize result, strips the envelope from each request and adds `resultType` (and the
 *   cache hints) a modern client requires on each result.
 *
 * Change notifications (`list_changed`, resource updates) cross the eras in listen.ts: the
 * proxy listens upstream for a legacy client, and answers a modern client's listen itself.
 *
 * Same era, or a dual-era server (both probes succeed): messages pass unchanged.
 */
import type { Channel } from './channel.js';
import type { ProxyFailure } from './errors.js';
import { obj, type JsonRpcMessage } from './framing.js';
import type { ProxyLog } from './log.js';
import type { Session } from './session.js';
import { modernHeaders, modernVersionOf, PROTOCOL_VERSION_META_KEY } from './era.js';
import { discard, header, readBody } from './upstream.js';
import { CHANGE_METHODS, LocalListens, UpstreamListen } from './listen.js';
import { isModernVersion, MODERN_PROTOCOL_VERSION as MODERN_VERSION, refusedAsModernOnly } from '../mcp/protocol.js';

const LEGACY_VERSION = '2025-11-25';
const CLIENT_CAPABILITIES_KEY = 'io.modelcontextprotocol/clientCapabilities';
const CLIENT_INFO_KEY = 'io.modelcontextprotocol/clientInfo';
const LOG_LEVEL_KEY = 'io.modelcontextprotocol/logLevel';
const SERVER_INFO_KEY = 'io.modelcontextprotocol/serverInfo';
const ENVELOPE_KEYS = [PROTOCOL_VERSION_META_KEY, CLIENT_CAPABILITIES_KEY, CLIENT_INFO_KEY, LOG_LEVEL_KEY];
const CACHEABLE = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read', 'server/discover']);

/** How a forwarded request's result is rewritten on its way back. */
export type Translate = 'to-legacy' | 'to-modern';

export type Plan =
  | { kind: 'answered' }
  | { kind: 'forward'; msg?: JsonRpcMessage; translate?: Translate; headers?: Record<string, string> };

/** What the bridge needs from the forwarder. */
export interface EraHost {
  reply(id: unknown, body: { result: unknown } | { error: unknown }): void;
  /** True while the client still awaits an answer to request `id` (neither answered nor cancelled). */
  awaiting(id: unknown): boolean;
  startEvents(): void;
  /** Resolves once the legacy GET stream is open, or known not to be (bounded). */
  eventsOpen(): Promise<void>;
  /** Writes a notification of the proxy's own to the client (in order with the rest). */
  notify(m: JsonRpcMessage): Promise<void>;
  proxyVersion: string;
  /** Told each time what the upstream was seen to speak changes (doctor's in-process probe reports it). */
  onEra?: (era: 'legacy' | 'modern' | 'dual') => void;
}

type Call = { ok: true; result: Record<string, unknown> } | { ok: false; error?: { code?: unknown; message?: unknown; data?: unknown }; failure?: ProxyFailure; status?: number; network?: boolean };

export class EraBridge {
  /** What the upstream was seen to speak (undefined: not known yet). */
  readonly upstream: { legacy?: boolean; modern?: boolean } = {};
  /** Legacy client over a modern-only server: the envelope every request gets. */
  private envelope: Record<string, unknown> | undefined;
  /** Modern client over a legacy-only server: the proxy's own handshake and its result. */
  private handshake: Promise<Call> | undefined;
  private legacyInit: Record<string, unknown> | undefined;
  private probe: Promise<Call> | undefined;
  private seq = 0;
  /** Legacy client over a modern-only server: the proxy's listen stream. */
  readonly listen: UpstreamListen;
  /** Modern client over a legacy-only server: the client's listens, answered here. */
  private readonly listens: LocalListens;

  constructor(
    private readonly channel: Channel,
    private readonly session: Session,
    private readonly log: ProxyLog,
    private readonly host: EraHost,
  ) {
    this.listen = new UpstreamListen(channel, log, (n) => host.notify(n));
    this.listens = new LocalListens({
      write: (n) => void host.notify(n),
      call: async (method, uri) => {
        const r = await this.call(method, { uri }, true);
        if (!r.ok) this.log.warn(`${method} ${uri}: ${JSON.stringify(r.error ?? r.failure?.message ?? r.status)}`);
        return r.ok;
      },
      eventsOpen: () => host.eventsOpen(),
    });
  }

  /**
   * A change notification from the server on its way to the client: unchanged, or (modern
   * client over a legacy server) one copy per listen subscription that asked for it, stamped
   * with its id; none when no subscription did (a modern client never gets an unasked type).
   */
  routeChange(m: JsonRpcMessage): JsonRpcMessage[] | undefined {
    if (!this.handshake || m.id !== undefined || typeof m.method !== 'string' || !CHANGE_METHODS.has(m.method)) return undefined;
    return this.listens.route(m);
  }

  /** A (new) session is ready: what the proxy subscribed to for the client's listens is made again. */
  sessionEstablished(): void {
    this.listens.resubscribe();
  }

  /** The client cancelled `requestId`: a listen subscription the proxy answers ends. */
  cancelled(requestId: unknown): void {
    this.listens.cancel(requestId);
  }

  /** The upstream's era for doctor and logs. */
  get era(): 'legacy' | 'modern' | 'dual' | undefined {
    const { legacy, modern } = this.upstream;
    return legacy && modern ? 'dual' : legacy ? 'legacy' : modern ? 'modern' : undefined;
  }

  /** Notes that a legacy initialize succeeded upstream (the server speaks legacy). */
  noteLegacyInitialized(): void {
    this.upstream.legacy = true;
    this.envelope = undefined;
    this.seen();
  }

  private seen(): void {
    const era = this.era;
    if (era) this.host.onEra?.(era);
  }

  /** Decides how one client message (not a batch) goes upstream. */
  async plan(m: JsonRpcMessage): Promise<Plan> {
    if (m.method === 'initialize' && m.id !== undefined) {
      if (this.upstream.modern && this.upstream.legacy === false) return this.answerInitialize(m);
      return { kind: 'forward' };
    }
    if (this.envelope) return this.toModern(m);
    const modernClient = m.method === 'server/discover' || modernVersionOf(m) !== undefined;
    if (!modernClient || m.id === undefined) return { kind: 'forward' };
    if (this.upstream.modern === undefined) {
      const first = !this.probe;
      const d = await this.probeModern(m);
      // The client's own server/discover was the probe: its answer is the client's.
      if (first && d.ok && m.method === 'server/discover' && this.upstream.modern) {
        this.host.reply(m.id, { result: d.result });
        return { kind: 'answered' };
      }
    }
    if (this.upstream.modern !== false) return { kind: 'forward' };
    return this.toLegacy(m);
  }

  /**
   * A legacy `initialize` was refused: when the refusal is UnsupportedProtocolVersionError naming
   * only modern versions, the server is modern-only and the proxy answers the initialize itself.
   * False when the refusal is something else (the forwarder reports it as usual).
   */
  async initializeRefused(m: JsonRpcMessage, f: ProxyFailure): Promise<boolean> {
    if (!refusedAsModernOnly(f.code, f.data)) return false;
    const supported = obj(f.data).supported as string[];
    this.upstream.legacy = false;
    this.upstream.modern = true;
    this.seen();
    this.log.info(`the server speaks only ${supported.join(', ')}; bridging the legacy client to it`);
    await this.answerInitialize(m, supported);
    return true;
  }

  /** Rewrites a result of a bridged request for the client's era. */
  translate(m: JsonRpcMessage, how: Translate, method: string): JsonRpcMessage {
    if (m.result === undefined || typeof m.result !== 'object' || m.result === null) return m;
    const r = { ...(m.result as Record<string, unknown>) };
    if (how === 'to-legacy') {
      if (r.resultType === 'complete') delete r.resultType;
      delete r.ttlMs;
      delete r.cacheScope;
      if (r._meta && typeof r._meta === 'object') {
        const meta = { ...(r._meta as Record<string, unknown>) };
        delete meta[SERVER_INFO_KEY];
        if (Object.keys(meta).length) r._meta = meta;
        else delete r._meta;
      }
    } else {
      r.resultType ??= 'complete';
      if (CACHEABLE.has(method)) {
        r.ttlMs ??= 0;
        r.cacheScope ??= 'private';
      }
      const info = this.legacyInit?.serverInfo;
      if (info !== undefined) r._meta = { [SERVER_INFO_KEY]: info, ...obj(r._meta) };
    }
    return { ...m, result: r };
  }

  // ── legacy client → modern server ──────────────────────────────────────────

  private async answerInitialize(m: JsonRpcMessage, supported?: string[]): Promise<Plan> {
    const params = obj(m.params);
    const versions = supported ?? [this.envelope?.[PROTOCOL_VERSION_META_KEY] as string ?? MODERN_VERSION];
    const version = versions.includes(MODERN_VERSION) ? MODERN_VERSION : [...versions].sort().at(-1)!;
    const envelope: Record<string, unknown> = {
      [PROTOCOL_VERSION_META_KEY]: version,
      [CLIENT_CAPABILITIES_KEY]: obj(params.capabilities),
      ...(params.clientInfo !== undefined ? { [CLIENT_INFO_KEY]: params.clientInfo } : {}),
    };
    const d = await this.call('server/discover', { _meta: envelope }, false);
    if (!d.ok) {
      this.host.reply(m.id, { error: d.error ?? { code: d.failure?.code ?? -32000, message: d.failure?.message ?? 'server/discover failed', ...(d.failure?.data ? { data: d.failure.data } : {}) } });
      return { kind: 'answered' };
    }
    this.envelope = envelope;
    this.listen.configure(obj(d.result.capabilities), envelope);
    const requested = params.protocolVersion;
    const result: Record<string, unknown> = {
      protocolVersion: typeof requested === 'string' && !isModernVersion(requested) ? requested : LEGACY_VERSION,
      capabilities: obj(d.result.capabilities),
      serverInfo: obj(d.result._meta)[SERVER_INFO_KEY] ?? d.result.serverInfo ?? { name: 'dbx-mcp-proxy', version: this.host.proxyVersion },
      ...(typeof d.result.instructions === 'string' ? { instructions: d.result.instructions } : {}),
    };
    this.host.reply(m.id, { result });
    return { kind: 'answered' };
  }

  private toModern(m: JsonRpcMessage): Plan {
    if (m.method === 'notifications/initialized') {
      // Where a legacy client would now get unsolicited change notifications: the listen stream.
      this.listen.start();
      return { kind: 'answered' };
    }
    if (m.id === undefined || typeof m.method !== 'string') return { kind: 'forward' };
    if (m.method === 'ping') {
      this.host.reply(m.id, { result: {} });
      return { kind: 'answered' };
    }
    if (m.method === 'resources/subscribe' || m.method === 'resources/unsubscribe') {
      // The modern era folds these into the listen filter; answered as a legacy server would.
      const uri = obj(m.params).uri;
      if (!this.listen.offersSubscribe) this.host.reply(m.id, { error: { code: -32601, message: 'Method not found' } });
      else if (typeof uri !== 'string') this.host.reply(m.id, { error: { code: -32602, message: 'Invalid params: uri is required' } });
      else {
        if (m.method === 'resources/subscribe') this.listen.subscribe(uri);
        else this.listen.unsubscribe(uri);
        this.host.reply(m.id, { result: {} });
      }
      return { kind: 'answered' };
    }
    if (m.method === 'logging/setLevel') {
      // Modern servers take the level per request, in the envelope.
      const level = obj(m.params).level;
      if (typeof level === 'string') this.envelope![LOG_LEVEL_KEY] = level;
      this.host.reply(m.id, { result: {} });
      return { kind: 'answered' };
    }
    const params = obj(m.params);
    const msg = { ...m, params: { ...params, _meta: { ...obj(params._meta), ...this.envelope } } };
    return { kind: 'forward', msg, translate: 'to-legacy', headers: modernHeaders([msg], false) };
  }

  // ── modern client → legacy server ──────────────────────────────────────────

  private probeModern(m: JsonRpcMessage): Promise<Call> {
    this.probe ??= (async () => {
      const envelope = Object.fromEntries(Object.entries(obj(obj(m.params)._meta)).filter(([k]) => ENVELOPE_KEYS.includes(k)));
      if (envelope[PROTOCOL_VERSION_META_KEY] === undefined) envelope[PROTOCOL_VERSION_META_KEY] = MODERN_VERSION;
      const d = await this.call('server/discover', { _meta: envelope }, false);
      if (d.ok && Array.isArray(d.result.supportedVersions)) {
        this.upstream.modern = true;
        this.seen();
      } else if (!d.ok && (d.status === 400 || d.status === 404 || d.status === 405 || obj(d.error).code === -32601)) {
        this.upstream.modern = false;
        this.seen();
        this.log.info(`the server does not answer server/discover (${d.status ?? JSON.stringify(d.error)}): bridging the modern client to its legacy handshake`);
      } else this.probe = undefined; // not known: try again with the next request
      return d;
    })();
    return this.probe;
  }

  private async toLegacy(m: JsonRpcMessage): Promise<Plan> {
    const params = obj(m.params);
    const meta = obj(params._meta);
    this.handshake ??= this.legacyHandshake(meta).then((c) => {
      if (!c.ok) this.handshake = undefined;
      return c;
    });
    const h = await this.handshake;
    if (!h.ok) {
      this.host.reply(m.id, { error: h.error ?? { code: h.failure?.code ?? -32000, message: h.failure?.message ?? 'initialize failed', ...(h.failure?.data ? { data: h.failure.data } : {}) } });
      return { kind: 'answered' };
    }
    if (m.method === 'server/discover') {
      const init = this.legacyInit!;
      this.host.reply(m.id, {
        result: {
          resultType: 'complete',
          supportedVersions: [MODERN_VERSION],
          capabilities: obj(init.capabilities),
          ...(typeof init.instructions === 'string' ? { instructions: init.instructions } : {}),
          ttlMs: 0,
          cacheScope: 'private',
          _meta: { [SERVER_INFO_KEY]: init.serverInfo ?? { name: 'dbx-mcp-proxy', version: this.host.proxyVersion } },
        },
      });
      return { kind: 'answered' };
    }
    if (m.method === 'subscriptions/listen') {
      // Cancelled while the handshake ran: LocalListens never saw it, so it must not open now.
      if (!this.host.awaiting(m.id)) return { kind: 'answered' };
      const r = await this.listens.open(m, obj(this.legacyInit!.capabilities));
      if ('error' in r) this.host.reply(m.id, { error: r.error });
      else if ('result' in r) this.host.reply(m.id, { result: r.result });
      // Open: the request stays pending until the client cancels it.
      return { kind: 'answered' };
    }
    const rest = Object.fromEntries(Object.entries(meta).filter(([k]) => !ENVELOPE_KEYS.includes(k)));
    const { _meta: _drop, ...bare } = params;
    const msg = { ...m, params: Object.keys(rest).length ? { ...bare, _meta: rest } : bare };
    if (Object.keys(msg.params).length === 0) delete (msg as { params?: unknown }).params;
    return { kind: 'forward', msg, translate: 'to-modern' };
  }

  /** The legacy handshake the modern client never makes, made once with its capabilities and identity. */
  private async legacyHandshake(meta: Record<string, unknown>): Promise<Call> {
    const init = {
      jsonrpc: '2.0',
      id: `dbx-mcp-initialize-${++this.seq}`,
      method: 'initialize',
      params: { protocolVersion: LEGACY_VERSION, capabilities: obj(meta[CLIENT_CAPABILITIES_KEY]), clientInfo: meta[CLIENT_INFO_KEY] ?? { name: 'dbx-mcp-proxy', version: this.host.proxyVersion } },
    };
    const body = JSON.stringify(init);
    this.session.observe(init, body);
    const r = await this.call('initialize', init.params, false, body);
    if (!r.ok) return r;
    this.legacyInit = r.result;
    this.upstream.legacy = true;
    this.seen();
    this.session.captureInitializeResult({ result: r.result });
    const note = { jsonrpc: '2.0', method: 'notifications/initialized' };
    const noteBody = JSON.stringify(note);
    this.session.observe(note, noteBody);
    const n = await this.channel.exchange({ method: 'POST', body: noteBody, withSession: true });
    if (n.kind === 'ok') discard(n.res);
    this.host.startEvents();
    return r;
  }

  /** One request of the proxy's own, answered to the proxy (notifications during it are dropped). */
  private async call(method: string, params: Record<string, unknown>, withSession: boolean, body?: string): Promise<Call> {
    const msg = { jsonrpc: '2.0', id: `dbx-mcp-${method.replace('/', '-')}-${++this.seq}`, method, params };
    const text = body ?? JSON.stringify(msg);
    const r = await this.channel.exchange({ method: 'POST', body: text, withSession, protocolHeaders: body ? undefined : modernHeaders([msg], false) });
    if (r.kind === 'aborted') return { ok: false, failure: { code: -32000, message: `${method} was cancelled` }, network: true };
    if (r.kind === 'session-expired') return { ok: false, status: r.status };
    if (r.kind === 'failed') return { ok: false, failure: r.failure, status: r.status, network: r.status === undefined, error: r.status !== undefined ? { code: r.failure.code, message: r.failure.message, data: r.failure.data } : undefined };
    if (method === 'initialize') this.session.captureHeaders(r.res, undefined);
    let out: Call | undefined;
    const read = await readBody(
      r.res,
      (m) => {
        if (m.method !== undefined || out) return;
        out = m.error !== undefined ? { ok: false, error: obj(m.error), status: r.res.statusCode } : { ok: true, result: obj(m.result) };
      },
      () => undefined,
    );
    if (out) return out;
    this.log.debug(`${method}: no answer (${header(r.res, 'content-type') ?? 'no content type'})`);
    return { ok: false, failure: { code: -32000, message: `The MCP server ended its answer to ${method} without a result${read.error ? ` (${(read.error as Error).message})` : ''}` }, network: Boolean(read.error) };
  }
}
