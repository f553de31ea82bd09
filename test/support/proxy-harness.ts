/**
 * Drives `dbx-mcp proxy` like a stdio MCP client, either in-process (runProxy on in-memory
 * streams: fast, fault-injectable) or as a child process (the built bin). The driver speaks raw
 * JSON-RPC lines so tests can count answers per id: every request must get exactly one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runProxy, type ProxyOptions, type ProxyTuning } from '../../src/proxy/run.js';
import { createCtx } from '../../src/context.js';
import { createLogger } from '../../src/ui/logger.js';

export const BIN = fileURLToPath(new URL('../../bin/dbx-mcp.js', import.meta.url));

type Msg = Record<string, unknown>;

/** A temporary HOME with `.databrickscfg`; removed by `cleanup`. */
export function tempHome(cfg: string): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), 'dbx-mcp-proxy-'));
  writeFileSync(join(home, '.databrickscfg'), cfg);
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

export function patConfig(host: string, token: string): string {
  return `[DEFAULT]\nhost = ${host}\ntoken = ${token}\n`;
}

/** The client side of the wire: writes lines, collects every line the proxy writes. */
export class RpcDriver {
  /** Every stdout line, in order. */
  readonly lines: string[] = [];
  readonly messages: Msg[] = [];
  /** Lines that were not JSON-RPC objects (must stay empty). */
  readonly garbage: string[] = [];
  private nextId = 1;
  private readonly waiters = new Map<string, (m: Msg) => void>();
  readonly events = new EventEmitter();
  /** Answers server→client requests (sampling, elicitation, roots, ping). */
  onServerRequest: (m: Msg) => unknown = () => ({});

  constructor(private readonly write: (line: string) => void) {}

  /** Feeds every line the proxy writes to `stdout`. */
  readFrom(stdout: Readable): void {
    let buf = '';
    stdout.setEncoding('utf8');
    stdout.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
        this.feed(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
  }

  feed(line: string): void {
    this.lines.push(line);
    let m: Msg;
    try {
      m = JSON.parse(line) as Msg;
    } catch {
      this.garbage.push(line);
      return;
    }
    if (typeof m !== 'object' || m === null || m.jsonrpc !== '2.0') {
      this.garbage.push(line);
      return;
    }
    this.messages.push(m);
    this.events.emit('message', m);
    if (m.method !== undefined && m.id !== undefined) {
      const result = this.onServerRequest(m);
      this.send({ jsonrpc: '2.0', id: m.id, result });
    } else if (m.method !== undefined) {
      this.events.emit('notification', m);
    } else {
      const k = JSON.stringify(m.id);
      const w = this.waiters.get(k);
      this.waiters.delete(k);
      w?.(m);
    }
  }

  send(m: Msg | Msg[]): void {
    this.write(JSON.stringify(m));
  }

  /** Sends a request and resolves with its response (result or error message). */
  request(method: string, params?: unknown, id: string | number = this.nextId++): Promise<Msg> {
    const p = new Promise<Msg>((resolve) => this.waiters.set(JSON.stringify(id), resolve));
    this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    return p;
  }

  notify(method: string, params?: unknown): void {
    this.send({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
  }

  /** initialize + notifications/initialized. */
  async initialize(protocolVersion = '2025-06-18'): Promise<Msg> {
    const r = await this.request('initialize', { protocolVersion, capabilities: { sampling: {}, elicitation: {} }, clientInfo: { name: 'proxy-test', version: '1.0.0' } });
    this.notify('notifications/initialized');
    return r;
  }

  /** Resolves with the first message (already received or still to come) for which `match` is true. */
  waitForMessage(match: (m: Msg) => boolean): Promise<Msg> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const on = (m: Msg) => {
        if (!match(m)) return;
        this.events.off('message', on);
        resolve(m);
      };
      this.events.on('message', on);
    });
  }

  /** Resolves with the response for `id` (for requests sent with `send`, e.g. in a batch). */
  answer(id: string | number): Promise<Msg> {
    return this.waitForMessage((m) => m.method === undefined && JSON.stringify(m.id) === JSON.stringify(id));
  }

  /** Responses per id (to assert "exactly once"). */
  answersFor(id: string | number): number {
    return this.messages.filter((m) => m.method === undefined && JSON.stringify(m.id) === JSON.stringify(id)).length;
  }
}

export interface InProcessProxy {
  rpc: RpcDriver;
  stderr: string[];
  /** Ends stdin and resolves with the exit code once the proxy has stopped. */
  end(): Promise<number>;
  signal(name: 'SIGINT' | 'SIGTERM'): Promise<number>;
  done: Promise<number>;
}

/** Runs the proxy in this process against in-memory stdio. */
export async function startInProcess(o: { home: string; opts: ProxyOptions; tuning?: ProxyTuning; env?: NodeJS.ProcessEnv; profile?: string }): Promise<InProcessProxy> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      stderr.push(String(chunk));
      cb();
    },
  });
  const signals = new EventEmitter();
  const env = { HOME: o.home, PATH: process.env.PATH, ...o.env };
  const ctx = await createCtx({ profile: o.profile }, { env, proxyMode: true, log: createLogger({ proxy: true, stderr: sink, env: { NO_COLOR: '1' } }) });
  const rpc = new RpcDriver((line) => stdin.write(line + '\n'));
  rpc.readFrom(stdout);
  const done = runProxy(ctx, o.opts, { stdin, stdout, signals }, { drainMs: 5_000, ...o.tuning }).then((c) => c as number);
  return {
    rpc,
    stderr,
    done,
    end: () => {
      stdin.end();
      return done;
    },
    signal: (name) => {
      signals.emit(name);
      return done;
    },
  };
}

export interface ChildProxy {
  rpc: RpcDriver;
  child: ChildProcess;
  stderr: () => string;
  end(): Promise<number | null>;
}

/** Runs the built bin (`node bin/dbx-mcp.js proxy …`) as a child process. */
export function startChild(o: { home: string; args: string[]; env?: NodeJS.ProcessEnv }): ChildProxy {
  const child = spawn(process.execPath, [BIN, 'proxy', ...o.args], {
    env: { PATH: process.env.PATH, HOME: o.home, NO_COLOR: '1', ...o.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const rpc = new RpcDriver((line) => child.stdin!.write(line + '\n'));
  rpc.readFrom(child.stdout!);
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return {
    rpc,
    child,
    stderr: () => err,
    end: () => {
      child.stdin!.end();
      return exited;
    },
  };
}
