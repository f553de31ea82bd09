/**
 * Transparency: the MCP reference server (`@modelcontextprotocol/server-everything`, streamable
 * HTTP, loopback only) seen through `dbx-mcp proxy` and through a direct SDK connection must
 * look the same: tools, resources, prompts, completions, ping, progress and logging
 * notifications, server→client sampling and elicitation with the client's answers, large and
 * non-ASCII payloads.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import { runProxy } from '../../../src/proxy/run.js';
import { createCtx } from '../../../src/context.js';
import { createLogger } from '../../../src/ui/logger.js';
import { patConfig, tempHome } from '../../support/proxy-harness.js';
import { ensureRealClient } from '../../support/real-clients.js';

const LOOPBACK = fileURLToPath(new URL('../../support/loopback-only.mjs', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** An SDK transport over `runProxy` running in this process on in-memory stdio. */
class InProcessProxyTransport implements Transport {
  onmessage?: (m: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (e: Error) => void;
  private readonly stdin = new PassThrough();
  private readonly stdout = new PassThrough();
  private readonly buf = new ReadBuffer();
  private done: Promise<unknown> | undefined;
  readonly garbage: string[] = [];
  constructor(private readonly home: string, private readonly url: string) {}
  async start(): Promise<void> {
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const ctx = await createCtx({}, { env: { HOME: this.home }, proxyMode: true, log: createLogger({ proxy: true, stderr: sink, env: { NO_COLOR: '1' } }) });
    this.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString('utf8').split('\n')) if (line && !line.startsWith('{')) this.garbage.push(line);
      this.buf.append(d);
      for (let m = this.buf.readMessage(); m; m = this.buf.readMessage()) this.onmessage?.(m);
    });
    this.done = runProxy(ctx, { url: this.url }, { stdin: this.stdin, stdout: this.stdout, signals: new EventEmitter() });
  }
  async send(m: JSONRPCMessage): Promise<void> {
    this.stdin.write(serializeMessage(m));
  }
  async close(): Promise<void> {
    this.stdin.end();
    await this.done;
    this.onclose?.();
  }
}

type Transcript = Record<string, unknown>;

/** Runs the same conversation on a client and records everything observable, normalised. */
async function exercise(client: Client): Promise<Transcript> {
  const t: Transcript = {};
  const logs: unknown[] = [];
  const sampling: unknown[] = [];
  const elicits: unknown[] = [];
  let firstLog!: () => void;
  const logged = new Promise<void>((r) => (firstLog = r));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    logs.push(n.params);
    firstLog();
  });
  client.setRequestHandler(CreateMessageRequestSchema, (r) => {
    sampling.push(r.params);
    return { role: 'assistant', model: 'test-model', content: { type: 'text', text: `sampled ✓ ${JSON.stringify(r.params.messages[0]?.content)}` } };
  });
  client.setRequestHandler(ElicitRequestSchema, (r) => {
    elicits.push(r.params);
    return { action: 'accept', content: { color: 'red', number: 42, pets: 'cats' } };
  });
  t.server = client.getServerVersion();
  t.capabilities = client.getServerCapabilities();
  t.instructions = client.getInstructions();
  t.tools = (await client.listTools()).tools.map((x) => x.name).sort();
  t.prompts = await client.listPrompts();
  t.resources = await client.listResources();
  t.templates = await client.listResourceTemplates();
  t.ping = await client.ping();
  t.prompt = await client.getPrompt({ name: 'args-prompt', arguments: { city: 'Zürich 東京', state: 'ÎdF' } });
  t.completion = await client.complete({ ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument: { name: 'department', value: 'E' } });
  const firstResource = (t.resources as { resources: { uri: string }[] }).resources[0]!.uri;
  t.resource = JSON.parse(JSON.stringify(await client.readResource({ uri: firstResource })).replace(/created at [^"]+"/g, 'created at <time>"'));
  const big = 'é✓𝄞 Ünïcödé — '.repeat(40_000); // ~0.6 MB of multi-byte text
  const echo = await client.callTool({ name: 'echo', arguments: { message: big } });
  t.bigEchoOk = (echo.content as { text: string }[])[0]!.text === `Echo: ${big}`;
  t.sum = await client.callTool({ name: 'get-sum', arguments: { a: 2.5, b: -7 } });
  t.image = await client.callTool({ name: 'get-tiny-image', arguments: {} });
  t.structured = await client.callTool({ name: 'get-structured-content', arguments: { location: 'New York' } });
  const progress: unknown[] = [];
  t.longRunning = await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } }, undefined, {
    onprogress: (p) => void progress.push(p),
  });
  t.progress = progress;
  t.sampled = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'héllo', maxTokens: 9 } });
  t.samplingRequests = sampling;
  t.elicited = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
  t.elicitRequests = elicits;
  await client.setLoggingLevel('debug');
  await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
  // The server repeats its simulated log messages, so the first one arrives once the GET stream is open.
  await logged;
  await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
  t.logShapes = logs.slice(0, 1).map((l) => Object.keys(l as object).sort());
  return t;
}

describe('transparency against server-everything', () => {
  let child: ChildProcess | undefined;
  let url = '';
  let home = '';
  let cleanup = () => undefined as void;
  let skip: string | undefined;

  before(async () => {
    let bin: string;
    try {
      bin = ensureRealClient('server-everything');
    } catch (e) {
      skip = `server-everything unavailable: ${(e as Error).message.slice(0, 200)}`;
      return;
    }
    const port = await freePort();
    child = spawn(process.execPath, ['--import', LOOPBACK, bin, 'streamableHttp'], { env: { PATH: process.env.PATH, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`server-everything did not start: ${err}`)), 15_000);
      child!.stderr!.on('data', (d) => {
        err += d;
        if (/listening on port/i.test(err)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.stdout!.resume();
      child!.on('exit', (c) => reject(new Error(`server-everything exited ${c}: ${err}`)));
    });
    url = `http://127.0.0.1:${port}/mcp`;
    ({ home, cleanup } = tempHome(patConfig(`http://127.0.0.1:${port}`, 'dapi0123456789abcdef0123456789abcdef')));
  });

  after(() => {
    child?.kill();
    cleanup();
  });

  it('a client sees the same server directly and through the proxy', { timeout: 90_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const caps = { capabilities: { sampling: {}, elicitation: {} } };
    const direct = new Client({ name: 'transparency', version: '1.0.0' }, caps);
    await direct.connect(new StreamableHTTPClientTransport(new URL(url)));
    const viaTransport = new InProcessProxyTransport(home, url);
    const via = new Client({ name: 'transparency', version: '1.0.0' }, caps);
    await via.connect(viaTransport);
    try {
      const [a, b] = await Promise.all([exercise(direct), exercise(via)]);
      assert.equal(a.bigEchoOk, true);
      assert.ok((a.progress as unknown[]).length >= 3, 'progress notifications arrive');
      assert.equal((a.samplingRequests as unknown[]).length, 1);
      assert.equal((a.elicitRequests as unknown[]).length, 1);
      assert.ok((a.logShapes as unknown[]).length === 1, 'a logging notification arrives');
      assert.deepEqual(b, a);
      assert.deepEqual(viaTransport.garbage, []);
    } finally {
      await direct.close();
      await via.close();
    }
  });
});
