/**
 * Every handshake of a doctor run goes through here, so that the cost stays bounded whatever the
 * number of servers:
 * - identical targets are handshaked once (the same entry in Cursor, Claude Code and Claude
 *   Desktop is one handshake, reported for all three);
 * - spawned processes go through a pool sized to the machine;
 * - dbx-mcp proxy entries spawn only their launcher, once per distinct launcher, and run the
 *   per-URL handshake through the proxy's own code in this process (proxy-probe.ts).
 */
import type { Ctx } from '../context.js';
import { handshake, type HandshakeOptions, type HandshakeResult, type HandshakeTarget } from '../mcp/handshake.js';
import { createPool, spawnPoolSize, type Pool } from '../mcp/pool.js';
import { inProcessProxyHandshake, probeLauncher, type ProxyEntry, type StdioCommand } from './proxy-probe.js';

export interface HandshakeRunner {
  /**
   * A full handshake with `target` (stdio: spawned through the pool). Calls with the same
   * `key` share one handshake (the first caller's target and options are used).
   */
  direct(ctx: HandshakeCtx, target: HandshakeTarget, opts: HandshakeOptions, key: string): Promise<HandshakeResult>;
  /** A dbx-mcp proxy entry: its launcher probed once, then initialize + tools/list in-process. */
  proxy(ctx: HandshakeCtx, entry: ProxyEntry, opts: HandshakeOptions, key: string): Promise<HandshakeResult>;
}

export interface HandshakeRunnerOptions {
  /** Processes spawned at once (default: from the number of cores). */
  spawnSlots?: number;
}

/**
 * What makes two entries the same handshake: the command line, the working directory and the
 * entry's own `env` (resolved), not the environment the client adds around it. So the same entry
 * in Cursor, Claude Code and Claude Desktop is handshaked once; the caller plans GUI clients
 * first, so that it runs with the minimal PATH a GUI app gives it, where launch problems show.
 */
export function entryKey(command: string, args: readonly string[], entryEnv: Record<string, string>, cwd?: string): string {
  return JSON.stringify([command, args, cwd ?? null, Object.entries(entryEnv).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

function launcherKey(l: StdioCommand): string {
  return JSON.stringify([l.command, l.args, l.cwd ?? null, l.env]);
}

type HandshakeCtx = Pick<Ctx, 'http' | 'version' | 'platform'>;

export function createHandshakeRunner(o: HandshakeRunnerOptions = {}): HandshakeRunner {
  const spawns: Pool = createPool(o.spawnSlots ?? spawnPoolSize());
  // In-process handshakes cost a socket and a few objects each; bounded all the same.
  const inProcess: Pool = createPool(spawns.size * 4);
  const done = new Map<string, Promise<HandshakeResult>>();
  const once = (key: string, run: () => Promise<HandshakeResult>): Promise<HandshakeResult> => {
    let p = done.get(key);
    if (!p) done.set(key, (p = run()));
    return p;
  };
  const base = (ctx: HandshakeCtx, opts: HandshakeOptions): HandshakeOptions => ({ ...opts, http: ctx.http, clientVersion: ctx.version });

  return {
    direct(ctx, target, opts, key) {
      return once(`direct:${key}`, () => (target.transport === 'stdio' ? spawns.run(() => handshake(target, base(ctx, opts))) : handshake(target, base(ctx, opts))));
    },
    async proxy(ctx, entry, opts, key) {
      const started = Date.now();
      const launcher = await once(`launcher:${launcherKey(entry.launcher)}`, () => spawns.run(() => probeLauncher(entry.full, { timeoutMs: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) })));
      if (!launcher.ok) return launcher;
      const left = Math.max(1_000, opts.timeoutMs - (Date.now() - started));
      return once(`proxy:${key}`, () =>
        inProcess.run(() => inProcessProxyHandshake(entry, ctx.platform, { ...base(ctx, opts), timeoutMs: left })),
      );
    },
  };
}
