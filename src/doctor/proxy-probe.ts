/**
 * dbx-mcp's own proxy entries, checked without one process per server. A proxy entry is a
 * launcher (`node /…/dbx-mcp.js`, `npx -y dbx-mcp@x`) followed by `proxy --url … [--profile …]`.
 * Two things can break it, and each is checked where it is cheapest:
 * - the launcher: spawned exactly as the entry is written, with the client's environment, and
 *   sent an empty JSON-RPC batch, which every conforming stdio server answers by itself (an
 *   Invalid Request error) without contacting the workspace. Once per distinct launcher.
 * - the URL, profile and token: the proxy's own code (`runProxy`) run in this process on memory
 *   streams with the entry's arguments and environment, doing initialize + tools/list. It does
 *   not retry: a 429 or a refused connection is reported at once instead of waiting out the
 *   budget a long-running client proxy uses.
 */
import { EventEmitter } from 'node:events';
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { runProxy } from '../proxy/run.js';
import { createCtx } from '../context.js';
import type { HandshakeOptions, HandshakeResult } from '../mcp/handshake.js';
import { MODERN_PROTOCOL_VERSION, PROTOCOL_VERSION } from '../mcp/protocol.js';
import type { McpEra } from '../mcp/types.js';
import { peerHandshake, stopChild, type StdioPeer } from '../mcp/stdio-handshake.js';
import { parseProxyArgv, type ProxyArgv } from '../proxy/argv.js';
import { DEFAULT_RETRY_POLICY } from '../proxy/retry.js';
import type { Logger } from '../context.js';
import { redact } from '../secrets.js';

export interface StdioCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface ProxyEntry {
  /** The whole command line as written (spawned for the launcher probe). */
  full: StdioCommand;
  /** What starts dbx-mcp: the command and the arguments before `proxy`. */
  launcher: StdioCommand;
  argv: ProxyArgv;
}

/** Splits a stdio command line into launcher and proxy arguments; undefined if it isn't one. */
export function parseProxyEntry(full: StdioCommand): ProxyEntry | undefined {
  const p = full.args.indexOf('proxy');
  if (p === -1) return undefined;
  const argv = parseProxyArgv(full.args.slice(p));
  if (!argv) return undefined; // unusual flags: commander would handle them; spawn it whole
  return { full, launcher: { ...full, args: full.args.slice(0, p) }, argv };
}

/** A logger in proxy mode writing every line to `sink` (the in-process proxy's stderr). */
function streamLogger(sink: PassThrough): Logger {
  const line = (s: string): void => void sink.write(`${redact(s)}\n`);
  return {
    json: false, level: 'normal', color: false, fancy: false,
    out: () => {
      throw new Error('BUG: proxy mode must not write results to stdout');
    },
    info: line, success: line, warn: line, error: line, step: line, debug: () => undefined,
    spinner: () => ({ stop: () => undefined }),
  };
}

/** The proxy's own code on memory streams, as a stdio peer. */
async function inProcessProxy(entry: ProxyEntry, platform: NodeJS.Platform, timeoutMs: number, onEra: (era: McpEra) => void): Promise<StdioPeer> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const events = new EventEmitter();
  let ended = false;
  const exited = new Promise<void>((resolve) => events.once('exit', () => ((ended = true), resolve())));
  const ctx = await createCtx(entry.argv.globals, {
    env: entry.full.env, platform, interactive: false, proxyMode: true, log: streamLogger(stderr), argv: [],
    ...(entry.full.cwd ? { cwd: entry.full.cwd } : {}),
  });
  // No retries: doctor reports a 429 or a dead network now; the client's proxy keeps its budget.
  const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 1, budgetMs: 0 };
  runProxy(ctx, entry.argv.options, { stdin, stdout }, { policy, eventStream: false, requestTimeoutMs: timeoutMs, drainMs: 0, onEra }).then(
    (code) => events.emit('exit', code),
    (e: unknown) => {
      // What the real process would print before exiting 2 (a bad --url, --log-level…).
      const err = e as { message?: string; hint?: string; exitCode?: number };
      stderr.write(`${redact(`${err.message ?? String(e)}${err.hint ? ` — ${err.hint}` : ''}`)}\n`);
      events.emit('exit', err.exitCode ?? 1);
    },
  );
  // Closing the session (DELETE) is the proxy's business: wait for it a little, never longer.
  const stop = (): Promise<void> => {
    if (!ended) stdin.end();
    let t: NodeJS.Timeout | undefined;
    return Promise.race([exited, new Promise<void>((r) => (t = setTimeout(r, 1_000)).unref())]).finally(() => clearTimeout(t));
  };
  return Object.assign(events, { stdin, stdout, stderr, stop }) as unknown as StdioPeer;
}

/**
 * initialize + tools/list through the proxy's own code, with the entry's URL, profile and
 * environment. The proxy bridges eras, so the result's protocol is the upstream's era as the
 * proxy saw it (a modern-only server answers the legacy handshake through the bridge).
 */
export async function inProcessProxyHandshake(entry: ProxyEntry, platform: NodeJS.Platform, opts: HandshakeOptions): Promise<HandshakeResult> {
  let upstream: McpEra | undefined;
  const peer = await inProcessProxy(entry, platform, opts.timeoutMs, (era) => (upstream = era));
  const r = await peerHandshake(peer, { command: 'dbx-mcp proxy', path: entry.full.env.PATH ?? '' }, opts);
  if (!r.ok || !upstream) return r;
  return { ...r, protocol: { era: upstream, version: upstream === 'modern' ? MODERN_PROTOCOL_VERSION : (r.protocol?.version ?? PROTOCOL_VERSION) } };
}

/**
 * The launcher probe: spawns the entry as written and sends `[]`; any JSON-RPC answer proves
 * the command resolves with the client's PATH, starts, and speaks JSON-RPC on stdout.
 */
export function probeLauncher(cmd: StdioCommand, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    let stderr = '';
    let out = '';
    let settled = false;
    const child = spawn(cmd.command, cmd.args, { env: cmd.env, cwd: cmd.cwd, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const finish = (r: HandshakeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      void stopChild(child).then(() => resolve(r));
    };
    // npm's blank `npm error 404` lines and its log-file line would push what it said (the
    // package it could not find) out of the last five lines.
    const tail = (): string => redact(stderr.trim().split('\n').filter((l) => !/^npm (?:error|ERR!) (?:404\s*$|A complete log of this run)/.test(l)).slice(-5).join('\n'));
    const timedOut = (): void => finish({ ok: false, tools: [], error: { kind: 'timeout', step: 'spawn', stderr: tail(), message: `${cmd.command} started but did not answer on stdout in time` } });
    const onAbort = (): void => timedOut();
    const timer = setTimeout(timedOut, opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr = (stderr + d).slice(-2_000)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (!line) return;
      try {
        JSON.parse(line);
        finish({ ok: true, tools: [] });
      } catch {
        // a partial line: wait for the rest
      }
    });
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => {
      const enoent = (e as NodeJS.ErrnoException).code === 'ENOENT';
      finish({ ok: false, tools: [], error: { kind: 'spawn', step: 'spawn', message: enoent ? `${cmd.command}: command not found with PATH=${cmd.env.PATH ?? ''}` : redact(`cannot start ${cmd.command}: ${e.message}`) } });
    });
    child.on('exit', (code) => {
      const last = tail().split('\n').at(-1);
      finish({ ok: false, tools: [], error: { kind: 'exit', step: 'spawn', exitCode: code, stderr: tail(), message: `the server exited (code ${code ?? 'signal'}) before answering${last ? `: ${last}` : ''}` } });
    });
    child.stdin.write('[]\n');
  });
}
