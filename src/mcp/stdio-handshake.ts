/**
 * Handshake over stdio: spawn the entry's command exactly as written (no shell), with the
 * environment the caller built, exchange newline-delimited JSON-RPC, and always kill the child
 * afterwards. Bounded: every wait races the overall timeout and the caller's signal.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { redact } from '../secrets.js';
import {
  initializedNotification, initializeRequest, messagesOf, PROTOCOL_VERSION, readInitialize, readTools, refusedAsModernOnly, toolsListRequest, type JsonRpcMessage,
} from './protocol.js';
import type { HandshakeError, HandshakeOptions, HandshakeResult } from './types.js';

const STDERR_TAIL = 2_000;
const MAX_TOOL_PAGES = 20;

class StepError extends Error {
  constructor(readonly detail: HandshakeError) {
    super(detail.message);
  }
}

/**
 * A stdio MCP server as the handshake sees it: a child process, or the proxy's own code run
 * in-process on memory streams (src/doctor/proxy-probe.ts). `exit` and `error` are emitted once.
 */
export interface StdioPeer {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  /** Ends the server; resolves once it has (at once when it already ended). */
  stop(): Promise<void>;
}

/**
 * Kills the child (TERM, then KILL if it lingers) and resolves when it has exited, so a pool
 * slot is only freed when the process is gone. Never keeps the event loop alive by itself.
 */
export function stopChild(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  try {
    child.stdin.end();
    child.kill('SIGTERM');
  } catch {
    // already gone
  }
  const t = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, 1_000);
  t.unref();
  return gone.finally(() => clearTimeout(t));
}

export async function stdioHandshake(
  target: { command: string; args: string[]; env: Record<string, string>; cwd?: string },
  opts: HandshakeOptions,
): Promise<HandshakeResult> {
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(target.command, target.args, { env: target.env, cwd: target.cwd, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  } catch (e) {
    return { ok: false, tools: [], error: { kind: 'spawn', step: 'spawn', message: redact(`cannot start ${target.command}: ${(e as Error).message}`) } };
  }
  const peer: StdioPeer = Object.assign(child, { stop: () => stopChild(child) });
  return peerHandshake(peer, { command: target.command, path: target.env.PATH ?? '' }, opts);
}

/**
 * initialize + notifications/initialized + tools/list over newline-delimited JSON-RPC with a
 * started peer; always stops it afterwards. `label` words a failure to start.
 */
export async function peerHandshake(child: StdioPeer, label: { command: string; path: string }, opts: HandshakeOptions): Promise<HandshakeResult> {
  const endAt = Date.now() + opts.timeoutMs;
  const target = label;
  let stderr = '';
  let buf = '';
  const pending = new Map<number, (m: JsonRpcMessage) => void>();
  let exited: { code: number | null; error?: Error } | undefined;
  let onExit: (() => void) | undefined;

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_TAIL);
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf('\n')) !== -1) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      try {
        for (const m of messagesOf(JSON.parse(line))) {
          if (typeof m.id === 'number' && (m.result !== undefined || m.error !== undefined)) pending.get(m.id)?.(m);
        }
      } catch {
        // Not JSON: a server that logs to stdout. Clients drop such lines too.
      }
    }
  });
  child.on('error', (e) => {
    exited = { code: null, error: e };
    onExit?.();
  });
  child.on('exit', (code) => {
    exited ??= { code };
    onExit?.();
  });
  child.stdin.on('error', () => undefined); // EPIPE when the child died: reported via exit

  const tail = (): string => redact(stderr.trim().split('\n').slice(-5).join('\n'));
  const exitError = (step: HandshakeError['step']): StepError => {
    const e = exited!;
    if (e.error) {
      const enoent = (e.error as NodeJS.ErrnoException).code === 'ENOENT';
      return new StepError({
        kind: 'spawn',
        step: 'spawn',
        message: enoent ? `${target.command}: command not found with PATH=${target.path}` : redact(`cannot start ${target.command}: ${e.error.message}`),
      });
    }
    const last = tail().split('\n').at(-1);
    return new StepError({
      kind: 'exit',
      step,
      exitCode: e.code,
      stderr: tail(),
      message: `the server exited (code ${e.code ?? 'signal'}) before answering ${step}${last ? `: ${last}` : ''}`,
    });
  };

  const request = (step: 'initialize' | 'tools/list', msg: JsonRpcMessage): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(exitError(step));
      const timer = setTimeout(() => finish(new StepError({ kind: 'timeout', step, stderr: tail(), message: `no answer to ${step} in time` })), Math.max(0, endAt - Date.now()));
      const onAbort = (): void => finish(new StepError({ kind: 'timeout', step, stderr: tail(), message: `no answer to ${step} in time` }));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      function finish(err?: Error, result?: unknown): void {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        pending.delete(msg.id as number);
        onExit = undefined;
        if (err) reject(err);
        else resolve(result);
      }
      onExit = () => finish(exitError(step));
      pending.set(msg.id as number, (m) => {
        if (m.error) {
          finish(
            new StepError({
              kind: 'rpc',
              step,
              rpcCode: m.error.code,
              rpcData: m.error.data,
              stderr: tail(),
              message: redact(`${step} failed: ${m.error.message ?? 'error'}`),
            }),
          );
        } else finish(undefined, m.result);
      });
      child.stdin.write(JSON.stringify(msg) + '\n');
    });

  try {
    let id = 1;
    const init = await request('initialize', initializeRequest(id++, opts.clientVersion ?? '0.0.0'));
    child.stdin.write(JSON.stringify(initializedNotification) + '\n');
    const tools: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page++) {
      const r = readTools(await request('tools/list', toolsListRequest(id++, cursor)));
      tools.push(...r.names);
      cursor = r.nextCursor;
      if (!cursor) break;
    }
    const info = readInitialize(init);
    return { ok: true, tools, ...info, protocol: { era: 'legacy', version: info.protocolVersion ?? PROTOCOL_VERSION } };
  } catch (e) {
    if (e instanceof StepError) {
      const d = e.detail;
      // The command forwarded the server's UnsupportedProtocolVersionError: a legacy-only bridge (mcp-remote) to a modern-only server.
      if (d.step === 'initialize' && refusedAsModernOnly(d.rpcCode, d.rpcData)) {
        const version = String((d.rpcData as { supported: string[] }).supported[0]);
        return { ok: false, tools: [], protocol: { era: 'modern', version }, error: { ...d, kind: 'protocol-mismatch', message: `the server speaks only MCP ${version} (modern) and ${target.command} sent it a legacy initialize` } };
      }
      return { ok: false, tools: [], error: d };
    }
    throw e;
  } finally {
    await child.stop();
  }
}
