/**
 * The era matrix (issue 21): every stdio client mode {SDK 1.x, SDK 2.x default / auto / pinned
 * modern} × every server era {legacy, modern-only, dual} × the server's response mode {SSE, JSON}
 * through `dbx-mcp proxy` (the built bin, driven by each SDK's own stdio transport). Each pair
 * runs the same transparency scenario (tools, resources, prompts, progress, cancellation, errors,
 * large and unicode payloads, tools `list_changed` and a subscribed resource's update: unsolicited
 * on a legacy connection, on a `subscriptions/listen` stream on a modern one) and must observe
 * exactly what the same client observes connected
 * directly (where that pair can talk at all), or else what the same-era pair observes directly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client as Client1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as Stdio1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as Http1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as Client2, StreamableHTTPClientTransport as Http2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as Stdio2 } from '@modelcontextprotocol/client/stdio';
import { ResourceUpdatedNotificationSchema as Updated1, ToolListChangedNotificationSchema as Changed1 } from '@modelcontextprotocol/sdk/types.js';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace, type RecordedRequest } from '../../../src/emulator/index.js';
import { BIN, patConfig, tempHome } from '../../support/proxy-harness.js';

type Era = 'legacy' | 'modern' | 'dual';
type Mode = 'sdk1' | 'default' | 'auto' | 'pin';
type Answers = 'sse' | 'json';
const MODES: Mode[] = ['sdk1', 'default', 'auto', 'pin'];
const ERAS: Era[] = ['legacy', 'modern', 'dual'];
const ANSWERS: Answers[] = ['sse', 'json'];
type Server = `${Era}/${Answers}`;
/** Which pairs can talk without the proxy (issue 21's measured table). */
const direct = (mode: Mode, era: Era) => era === 'dual' || (era === 'legacy' ? mode !== 'pin' : mode === 'auto' || mode === 'pin');

// One workspace per server era and response mode, so pairs never switch a shared scenario under each other.
const workspaces = new Map<Server, FakeWorkspace>();
const homes = new Map<Server, { home: string; cleanup: () => void }>();
before(async () => {
  for (const era of ERAS) {
    for (const answers of ANSWERS) {
      const ws = await startFakeWorkspace();
      Object.assign(ws.scenario, { mcpEra: era, mcpResponseMode: answers, mcpExtras: true });
      workspaces.set(`${era}/${answers}`, ws);
      homes.set(`${era}/${answers}`, tempHome(patConfig(ws.url, DEMO_PAT)));
    }
  }
});
after(async () => {
  for (const ws of workspaces.values()) await ws.close();
  for (const h of homes.values()) h.cleanup();
});

interface AnyClient {
  listTools(): Promise<{ tools: Array<{ name: string }> }>;
  listResources(): Promise<{ resources: Array<{ uri: string; name: string; mimeType?: string }> }>;
  readResource(params: { uri: string }): Promise<{ contents: Array<{ uri: string; text?: string; mimeType?: string }> }>;
  listPrompts(): Promise<{ prompts: Array<{ name: string; arguments?: Array<{ name: string; required?: boolean }> }> }>;
  getPrompt(params: { name: string; arguments?: Record<string, string> }): Promise<{ messages: Array<{ role: string; content: { type: string; text?: string } }> }>;
  callTool(params: { name: string; arguments?: Record<string, unknown> }, schema?: unknown, opts?: unknown): Promise<unknown>;
  subscribeResource(params: { uri: string }): Promise<unknown>;
  setNotificationHandler(schemaOrMethod: unknown, handler: (n: { method: string; params?: Record<string, unknown> }) => void): void;
  getNegotiatedProtocolVersion?(): string | undefined;
  listen?(filter: Record<string, unknown>): Promise<{ honoredFilter: Record<string, unknown>; close(): Promise<void> }>;
  close(): Promise<void>;
}

const README = 'emulator://readme';
/** Bounded wait: a missing notification fails the observation instead of hanging the test. */
const within = <T>(p: Promise<T>, ms: number, otherwise: T): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((r) => (timer = setTimeout(() => r(otherwise), ms)))]).finally(() => clearTimeout(timer));
};
const isListen = (r: RecordedRequest) => r.method === 'POST' && (r.body as { method?: string } | undefined)?.method === 'subscriptions/listen';

/**
 * Change notifications as the client sees them: a tools list change and an update of a
 * subscribed resource, announced by the server on demand once the client's channel for them is
 * open (legacy: the GET stream, modern: the listen stream, whoever opened it).
 */
async function changes(c: AnyClient, mode: Mode, ws: FakeWorkspace, known: Set<RecordedRequest>, upstreamModern: boolean): Promise<Record<string, unknown>> {
  const seen: string[] = [];
  let got: () => void = () => undefined;
  const both = new Promise<void>((r) => (got = r));
  const note = (n: { method: string; params?: Record<string, unknown> }) => {
    seen.push(n.method === 'notifications/resources/updated' ? `updated ${String(n.params?.uri)}` : n.method);
    if (seen.length >= 2) got();
  };
  const modern = c.getNegotiatedProtocolVersion?.()?.startsWith('2026') ?? false;
  c.setNotificationHandler(mode === 'sdk1' ? Changed1 : 'notifications/tools/list_changed', note);
  c.setNotificationHandler(mode === 'sdk1' ? Updated1 : 'notifications/resources/updated', note);
  const fresh = (r: RecordedRequest) => !known.has(r);
  let listen: Record<string, unknown> | 'unsolicited' = 'unsolicited';
  let sub: { close(): Promise<void> } | undefined;
  if (modern) {
    const s = await c.listen!({ toolsListChanged: true, resourceSubscriptions: [README] });
    listen = { ...s.honoredFilter };
    sub = s;
  } else {
    await c.subscribeResource({ uri: README });
    // The channel is open when the server answered it: the GET stream, or (legacy client over a
    // modern server, through the proxy) the listen stream whose filter names the resource.
    const open = upstreamModern
      ? (r: RecordedRequest) => fresh(r) && isListen(r) && JSON.stringify(r.body).includes(README) && r.status === 200
      : (r: RecordedRequest) => fresh(r) && r.method === 'GET' && r.status === 200;
    if (!(await within(ws.waitForRequest(open, 'response').then(() => true), 5_000, false))) return { channel: 'never opened' };
  }
  ws.notifyMcpChange('tools');
  ws.notifyMcpChange({ resourceUpdated: README });
  await within(both, 5_000, undefined);
  await sub?.close();
  return { listen, seen: seen.sort() };
}

async function connect(mode: Mode, era: Server, via: 'proxy' | 'direct'): Promise<AnyClient> {
  const ws = workspaces.get(era)!;
  const url = ws.mcpUrl('sql');
  const auth = { requestInit: { headers: { Authorization: `Bearer ${DEMO_PAT}` } } };
  const stdio = { command: process.execPath, args: [BIN, 'proxy', '--url', url], env: { PATH: process.env.PATH ?? '', HOME: homes.get(era)!.home, NO_COLOR: '1' }, stderr: 'pipe' as const };
  if (mode === 'sdk1') {
    const c = new Client1({ name: 'matrix', version: '1.0.0' });
    await c.connect(via === 'proxy' ? new Stdio1(stdio) : new Http1(new URL(url), auth));
    return c as unknown as AnyClient;
  }
  const negotiation = mode === 'auto' ? { versionNegotiation: { mode: 'auto' } } : mode === 'pin' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {};
  const c = new Client2({ name: 'matrix', version: '1.0.0' }, negotiation as never);
  await c.connect(via === 'proxy' ? new Stdio2(stdio) : (new Http2(new URL(url), auth) as never));
  return c as unknown as AnyClient;
}

const BIG = `héllo ✓ 日本語 🚀 ${'x'.repeat(200_000)}`;

/** The era-neutral observation of one connection. */
async function scenario(c: AnyClient, mode: Mode, notes: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const call = (name: string, args: Record<string, unknown>, opts?: unknown) =>
    (mode === 'sdk1' ? c.callTool({ name, arguments: args }, undefined, opts) : c.callTool({ name, arguments: args }, opts)) as Promise<{ content?: Array<{ text?: string }>; isError?: boolean }>;
  const tools = (await c.listTools()).tools.map((t) => t.name).sort();
  const resources = (await c.listResources()).resources.map((r) => [r.uri, r.name, r.mimeType]);
  const read = (await c.readResource({ uri: 'emulator://readme' })).contents;
  const prompts = (await c.listPrompts()).prompts.map((p) => [p.name, p.arguments]);
  const prompt = (await c.getPrompt({ name: 'summarize', arguments: { table: 'main.sales.orders ✓' } })).messages;
  const progress: number[] = [];
  const echoed = await call('progress_echo', { message: 'ünïcode ✓', steps: 3, intervalMs: 0 }, { onprogress: (p: { progress: number }) => void progress.push(p.progress) });
  const big = await call('slow_echo', { message: BIG, ms: 0 });
  const ac = new AbortController();
  const cancelled = call('slow_echo', { message: 'never', ms: 10_000 }, { signal: ac.signal }).then(() => 'answered', (e: Error) => (/abort|cancel/i.test(String(e?.message ?? e)) ? 'cancelled' : `failed: ${e.message}`));
  setImmediate(() => ac.abort());
  const badArgs = await call('slow_echo', { ms: 'not a number' }).then((r) => (r.isError ? 'isError' : 'ok'), (e: { code?: number }) => `error ${e.code}`);
  const unknownTool = await call('no_such_tool', {}).then((r) => (r.isError ? 'isError' : 'ok'), (e: { code?: number }) => `error ${e.code}`);
  const changed = await notes();
  return {
    tools,
    resources,
    read,
    prompts,
    prompt,
    echoed: echoed.content?.[0]?.text,
    progress,
    big: big.content?.[0]?.text === `${BIG} (after 0 ms)`,
    cancelled: await cancelled,
    afterCancel: (await call('slow_echo', { message: 'still here', ms: 0 })).content?.[0]?.text,
    badArgs,
    unknownTool,
    changed,
  };
}

async function observe(mode: Mode, era: Server, via: 'proxy' | 'direct'): Promise<Record<string, unknown>> {
  const ws = workspaces.get(era)!;
  const known = new Set(ws.requests);
  const c = await connect(mode, era, via);
  const serverEra = era.split('/')[0] as Era;
  const modernClient = c.getNegotiatedProtocolVersion?.()?.startsWith('2026') ?? false;
  const upstreamModern = serverEra === 'modern' || (serverEra === 'dual' && modernClient);
  try {
    return await scenario(c, mode, () => changes(c, mode, ws, known, upstreamModern));
  } finally {
    await c.close();
  }
}

describe('proxy: every client era with every server era', () => {
  for (const answers of ANSWERS) {
    for (const mode of MODES) {
      for (const era of ERAS) {
        test(`${mode} client × ${era} server (${answers})`, async () => {
          const through = await observe(mode, `${era}/${answers}`, 'proxy');
          // Where the pair cannot talk directly, the same client against the same-era server is the reference.
          const refEra: Era = direct(mode, era) ? era : mode === 'pin' ? 'modern' : 'legacy';
          const expected = await observe(mode, `${refEra}/${answers}`, 'direct');
          // An unknown tool is the server's own answer (legacy SDK servers: an isError result; 2.x: -32602), never the proxy's.
          const native = direct(mode, era) ? expected : await observe(era === 'modern' ? 'pin' : 'sdk1', `${era}/${answers}`, 'direct');
          // A client that speaks both eras may use the other one through the proxy (the proxy is
          // dual-era to it): the changes it sees are the same, on a listen stream or unsolicited.
          const { changed, ...rest } = through as { changed: { listen: unknown; seen: string[] } };
          const { changed: refChanged, ...refRest } = expected as { changed: { listen: unknown; seen: string[] } };
          assert.deepEqual(rest, { ...refRest, unknownTool: native.unknownTool });
          assert.deepEqual(changed.seen, refChanged.seen);
          assert.deepEqual(refChanged.seen, ['notifications/tools/list_changed', 'updated emulator://readme']);
          if (changed.listen !== 'unsolicited') assert.deepEqual(changed.listen, { toolsListChanged: true, resourceSubscriptions: ['emulator://readme'] });
          if (mode === 'sdk1' || mode === 'default') assert.equal(changed.listen, 'unsolicited');
          if (mode === 'pin') assert.notEqual(changed.listen, 'unsolicited');
          // A JSON answer has no room for notifications before the result (the SDK servers drop them).
          assert.deepEqual(expected.progress, answers === 'sse' ? [1, 2, 3] : []);
          assert.equal((expected.read as Array<{ text?: string }>)[0]?.text, '# Emulated workspace ✓\n\nünïcode 日本語 🚀\n');
        });
      }
    }
  }
});
