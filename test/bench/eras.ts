// Era benchmark (issue 21): for each pair {SDK 1.x stdio client, SDK 2.x default / auto /
// pinned-modern} × {legacy, modern-only, dual-era server}, tools/call latency through
// `dbx-mcp proxy` (the built bin) beside the same client connected directly over HTTP (where
// that pair can talk at all) and through mcp-remote (the pinned one, legacy clients only: it
// has no --protocol option), and the proxy's peak RSS beside a bare `node -e 0` measured in the
// same run (goal ≤ 1.2×). Latency is sampled interleaved (call i goes to every variant in turn),
// so a noisy neighbour on this 2-core machine slows all of them alike. Prints, never asserts.
//
// Run after `npm run build`:  node --import tsx test/bench/eras.ts
// BENCH_CALLS (default 300) sets the calls per variant; BENCH_ONLY=legacy,modern picks server eras.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client as Client1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as Stdio1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as Http1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as Client2, StreamableHTTPClientTransport as Http2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as Stdio2 } from '@modelcontextprotocol/client/stdio';
import { DEMO_PAT } from '../../src/emulator/index.js';
import { ensureRealClient } from '../support/real-clients.js';

type Era = 'legacy' | 'modern' | 'dual';
type Mode = 'sdk1' | 'default' | 'auto' | 'pin';
const MODES: Mode[] = ['sdk1', 'default', 'auto', 'pin'];
const ERAS = (['legacy', 'modern', 'dual'] as Era[]).filter((e) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(e));
const CALLS = Number(process.env.BENCH_CALLS ?? 300);
const BIN = fileURLToPath(new URL('../../bin/dbx-mcp.js', import.meta.url));
/** Which pairs talk without a bridge (issue 21's measured table). */
const direct = (mode: Mode, era: Era) => era === 'dual' || (era === 'legacy' ? mode !== 'pin' : mode === 'auto' || mode === 'pin');

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const f = (n: number | undefined, d = 2) => (n === undefined ? 'n/a' : n.toFixed(d));
function vmHWM(pid: number | null | undefined): number | undefined {
  if (!pid) return undefined;
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : undefined;
}
/** A bare Node's peak RSS (MB), as the OS accounts it for the finished child. */
function nodePeak(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.resourceUsage().maxRSS))'], { encoding: 'utf8' });
  return Number(r.stdout) / 1024;
}

// The fake workspaces run in their own process, so that no client shares an event loop with a server.
const server = spawn(
  process.execPath,
  ['--import', 'tsx', '--input-type=module', '-e', `const { startFakeWorkspace } = await import('./src/emulator/index.ts'); const out = {}; for (const era of ['legacy', 'modern', 'dual']) { const ws = await startFakeWorkspace({ mcpResponseMode: 'sse' }); ws.scenario.mcpEra = era; out[era] = ws.mcpUrl('sql'); } process.stdout.write(JSON.stringify(out) + '\\n');`],
  { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
);
const urls = await new Promise<Record<Era, string>>((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d: Buffer) => {
    out += d;
    if (out.includes('\n')) resolve(JSON.parse(out) as Record<Era, string>);
  });
  server.on('exit', (c) => reject(new Error(`fake workspaces exited ${c}`)));
});
const home = mkdtempSync(join(tmpdir(), 'dbx-mcp-bench-eras-'));
writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${new URL(urls.legacy).origin}\ntoken = ${DEMO_PAT}\n`, { mode: 0o600 });
const env = { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1' };
let mcpRemote: string | undefined;
try {
  mcpRemote = ensureRealClient('mcp-remote');
} catch (e) {
  console.error(`mcp-remote unavailable (${(e as Error).message}); its column is skipped`);
}

interface Conn {
  call(i: number): Promise<unknown>;
  close(): Promise<void>;
  pid?: number | null;
}
type Via = 'proxy' | 'direct' | 'mcp-remote';

async function connect(mode: Mode, era: Era, via: Via): Promise<Conn> {
  const url = urls[era];
  const auth = { requestInit: { headers: { Authorization: `Bearer ${DEMO_PAT}` } } };
  // Each server era is on its own emulated workspace: name the profile's host by the URL (a path-only --url would do too).
  const cfgFor = join(home, `cfg-${era}`);
  writeFileSync(cfgFor, `[DEFAULT]\nhost = ${new URL(url).origin}\ntoken = ${DEMO_PAT}\n`, { mode: 0o600 });
  const proxyEnv = { ...env, DATABRICKS_CONFIG_FILE: cfgFor };
  const stdio = via === 'proxy'
    ? { command: process.execPath, args: [BIN, 'proxy', '--url', url], env: proxyEnv, stderr: 'ignore' as const }
    : { command: process.execPath, args: [mcpRemote!, url, '--transport', 'http-only', '--allow-http', '--header', 'Authorization:${AUTH}'], env: { ...env, AUTH: `Bearer ${DEMO_PAT}` }, stderr: 'ignore' as const };
  const args = (i: number) => ({ name: 'slow_echo', arguments: { message: `m${i}`, ms: 0 } });
  if (mode === 'sdk1') {
    const c = new Client1({ name: 'bench', version: '1.0.0' });
    const t = via === 'direct' ? new Http1(new URL(url), auth) : new Stdio1(stdio);
    await c.connect(t);
    return { call: (i) => c.callTool(args(i)), close: () => c.close(), pid: 'pid' in t ? t.pid : undefined };
  }
  const negotiation = mode === 'auto' ? { versionNegotiation: { mode: 'auto' } } : mode === 'pin' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {};
  const c = new Client2({ name: 'bench', version: '1.0.0' }, negotiation as never);
  const t = via === 'direct' ? new Http2(new URL(url), auth) : new Stdio2(stdio);
  await c.connect(t as never);
  return { call: (i) => c.callTool(args(i)), close: () => c.close(), pid: 'pid' in t ? (t as { pid: number | null }).pid : undefined };
}

const rows: Array<Record<string, string>> = [];
const ratios: number[] = [];
try {
  for (const era of ERAS) {
    for (const mode of MODES) {
      const vias: Via[] = ['proxy', ...(direct(mode, era) ? (['direct'] as Via[]) : []), ...(mcpRemote && mode !== 'pin' && era !== 'modern' ? (['mcp-remote'] as Via[]) : [])];
      const conns = new Map<Via, Conn>();
      for (const via of vias) conns.set(via, await connect(mode, era, via));
      const lat = new Map<Via, number[]>(vias.map((v) => [v, []]));
      for (let i = 0; i < CALLS; i++) {
        for (let k = 0; k < vias.length; k++) {
          const via = vias[(i + k) % vias.length]!;
          const t0 = performance.now();
          await conns.get(via)!.call(i);
          lat.get(via)!.push(performance.now() - t0);
        }
      }
      const peak = vmHWM(conns.get('proxy')!.pid);
      const bare = nodePeak();
      for (const c of conns.values()) await c.close();
      const p50 = (v: Via) => (lat.has(v) ? pct(lat.get(v)!, 50) : undefined);
      const overhead = p50('direct') !== undefined ? p50('proxy')! - p50('direct')! : undefined;
      if (peak !== undefined) ratios.push(peak / bare);
      rows.push({
        pair: `${mode} × ${era}`,
        'proxy p50 ms': f(p50('proxy')),
        'proxy p95 ms': f(pct(lat.get('proxy')!, 95)),
        'direct p50 ms': direct(mode, era) ? f(p50('direct')) : 'cannot talk',
        'proxy − direct p50 ms': f(overhead),
        'mcp-remote p50 ms': f(p50('mcp-remote')),
        'proxy peak RSS MB': f(peak, 1),
        'node -e 0 MB': f(bare, 1),
        'RSS ×node': peak !== undefined ? `${f(peak / bare)}× ${peak / bare <= 1.2 ? '✔' : '✖'}` : 'n/a',
      });
    }
  }
} finally {
  server.kill();
  rmSync(home, { recursive: true, force: true });
}
console.log(`${CALLS} sequential tools/call (slow_echo, 0 ms) per variant, interleaved; Node ${process.version}; RSS goal ≤ 1.2× node -e 0`);
console.table(rows);
console.log(`proxy peak RSS ÷ node -e 0: worst ${f(Math.max(...ratios))}×, best ${f(Math.min(...ratios))}×`);
