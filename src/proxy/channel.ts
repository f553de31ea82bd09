/**
 * The authenticated, retrying HTTP channel to the MCP server. `exchange` returns either a 2xx
 * response whose body the caller reads, or a classified outcome: the session expired (the
 * caller re-initialises), a failure to report to the client, or an abort. The retry rules live
 * here in one place: refresh the token once on rejection; back off on 429/503 and on failures
 * to connect; never resend anything that may have reached the server.
 */
import { WORKSPACE_ID_HEADER } from '../databricks/routing.js';
import { unroutedHostFix } from '../databricks/unrouted.js';
import type { Abort } from '../util/abort.js';
import type { ProxyLog } from './log.js';
import { genericFailure, httpFailure, networkFailure, UPSTREAM_ERROR, type ProxyFailure, type Target } from './errors.js';
import { RetryBudget, SYSTEM_CLOCK, UnreachableBudget, wasNeverSent, wasRefusedBeforeSending, type Clock, type RetryPolicy } from './retry.js';
import { isTokenRejection, type Bearer } from './token.js';
import { discard, header, readErrorText, send, type UpstreamConfig, type UpstreamResponse } from './upstream.js';
import { parseRetryAfter } from '../databricks/api-errors.js';
import { classifyNetworkError } from '../databricks/network.js';

/** The negotiated session: the id the server assigned and the protocol version of the handshake. */
export interface SessionState {
  id: string | undefined;
  protocolVersion: string | undefined;
}

export interface ExchangeOptions {
  method: 'POST' | 'GET' | 'DELETE';
  body?: string;
  /** Send the session id and protocol version (false for `initialize`). */
  withSession: boolean;
  lastEventId?: string;
  abort?: Abort;
  timeoutMs?: number;
  /** Retry policy override (e.g. none for DELETE at shutdown). */
  policy?: RetryPolicy;
  /** Per-request protocol headers of a modern request (see era.ts). */
  protocolHeaders?: Record<string, string>;
}

export type ExchangeResult =
  | { kind: 'ok'; res: UpstreamResponse; sentSessionId: string | undefined }
  | { kind: 'session-expired'; status: number; sentSessionId: string }
  | { kind: 'failed'; failure: ProxyFailure; status?: number }
  | { kind: 'aborted' };

/** An HTML answer from the profile's host when no workspace routing header was sent. */
function isSignInPage(res: UpstreamResponse, cfg: UpstreamConfig): boolean {
  return !cfg.routingHeaders?.[WORKSPACE_ID_HEADER] && /text\/html/i.test(header(res, 'content-type') ?? '');
}

function unroutedFailure(t: Target): ProxyFailure {
  const fix = t.host ? unroutedHostFix({ host: t.host, profile: t.profile, configFile: '~/.databrickscfg' }) : 'Set workspace_id in your Databricks profile.';
  return { code: UPSTREAM_ERROR, message: `${t.host ?? 'The host'} is a unified host and the profile names no workspace: the request reached its sign-in page, not a workspace. Fix: ${fix}`, data: { kind: 'unrouted-host' } };
}

export class Channel {
  readonly session: SessionState = { id: undefined, protocolVersion: undefined };

  constructor(
    private readonly cfg: UpstreamConfig,
    private readonly bearer: Bearer,
    private readonly policy: RetryPolicy,
    private readonly target: Target,
    private readonly log: ProxyLog,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  async exchange(o: ExchangeOptions): Promise<ExchangeResult> {
    const policy = o.policy ?? this.policy;
    const budget = new RetryBudget(policy);
    const started = this.clock.now();
    let unreachable: UnreachableBudget | undefined;
    let refreshed = false;
    for (;;) {
      if (o.abort?.aborted) return { kind: 'aborted' };
      budget.attempt();
      let authorization: string;
      try {
        authorization = await this.bearer.header();
      } catch (e) {
        return { kind: 'failed', failure: genericFailure(e) };
      }
      const sentSessionId = o.withSession ? this.session.id : undefined;
      let res: UpstreamResponse;
      try {
        res = await send(this.cfg, {
          method: o.method,
          body: o.body,
          authorization,
          sessionId: sentSessionId,
          protocolVersion: o.withSession ? this.session.protocolVersion : undefined,
          lastEventId: o.lastEventId,
          abort: o.abort,
          timeoutMs: o.timeoutMs,
          protocolHeaders: o.protocolHeaders,
        });
      } catch (e) {
        if (o.abort?.aborted) return { kind: 'aborted' };
        const neverSent = wasNeverSent(e);
        if (neverSent && budget.attemptsMade < policy.maxAttempts) {
          // Not throttling: the workspace or the network to it is down. Retry briefly, and say
          // so on stderr, one line per retry: at the default log level for a client's message
          // (someone waits for it), at debug for the background event stream.
          unreachable ??= new UnreachableBudget(policy, this.clock, started);
          const wait = unreachable.next();
          if (wait !== undefined) {
            (o.method === 'POST' ? this.log.warn : this.log.debug)(`${o.method} ${this.cfg.url.pathname}: ${classifyNetworkError(e, this.cfg.url.href).message}; retrying in ${wait} ms (retry ${unreachable.failures - 1}, giving up ${seconds(unreachable.budgetMs)} after the first attempt)`);
            await this.clock.sleep(wait, o.abort);
            continue;
          }
        }
        const refused = !neverSent && wasRefusedBeforeSending(e);
        const maybeProcessed = !neverSent && !refused;
        this.log.debug(`${o.method} ${this.cfg.url.pathname} failed: ${(e as Error).message}${maybeProcessed ? ' (not retried: it may have been processed)' : ''}`);
        const tried = unreachable ? { attempts: unreachable.failures, elapsedMs: unreachable.elapsedMs } : undefined;
        return { kind: 'failed', failure: networkFailure(e, this.target, maybeProcessed, tried) };
      }
      const status = res.statusCode;
      if (status >= 200 && status < 300 && isSignInPage(res, this.cfg)) {
        // A unified host's sign-in page: the request reached no workspace (nothing ran).
        discard(res);
        return { kind: 'failed', failure: unroutedFailure(this.target), status };
      }
      if (status >= 200 && status < 300) return { kind: 'ok', res, sentSessionId };
      if ((status === 404 || status === 410) && sentSessionId) {
        discard(res);
        return { kind: 'session-expired', status, sentSessionId };
      }
      const text = await readErrorText(res);
      if (!refreshed && isTokenRejection(status, safeJson(text))) {
        refreshed = true;
        this.log.info(`${status} from the server: refreshing the token and retrying once`);
        try {
          await this.bearer.refresh();
        } catch (e) {
          return { kind: 'failed', failure: genericFailure(e), status };
        }
        continue;
      }
      if (status === 429 || status === 503) {
        const retryAfter = parseRetryAfter(header(res, 'retry-after'));
        const wait = budget.next(retryAfter);
        if (wait !== undefined) {
          this.log.info(`${status} from the server${retryAfter !== undefined ? ` (Retry-After ${retryAfter} ms)` : ''}; retrying in ${wait} ms`);
          await this.clock.sleep(wait, o.abort);
          continue;
        }
      }
      this.log.debug(`${o.method} ${this.cfg.url.pathname}: HTTP ${status}`);
      return { kind: 'failed', failure: httpFailure(status, text, res.headers, this.target), status };
    }
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
