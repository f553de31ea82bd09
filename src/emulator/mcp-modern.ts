/**
 * The modern era (MCP 2026-07-28) of an emulated MCP endpoint: no `initialize`, no session,
 * every request carries its protocol version in `_meta` and in the `MCP-Protocol-Version` /
 * `Mcp-Method` / `Mcp-Name` headers. Served by the real `@modelcontextprotocol/server` 2.x
 * `createMcpHandler`, so the emulator answers exactly as a modern SDK server would (400 `-32020`
 * for a missing or mismatched header, `-32022` UnsupportedProtocolVersionError with
 * `data.supported` for a legacy request on a modern-only endpoint).
 *
 * `modern` = `legacy: 'reject'` (modern-only); `dual` routes a legacy-classified request (by the
 * SDK's own `isLegacyRequest`) to the legacy sessionful server and the rest to this handler.
 * Tools are the same `toolsFor(...)` specs as the legacy era: their zod 3 shapes are wrapped as
 * Standard Schemas, and the 2.x handler context is adapted to the 1.x `extra` the specs use.
 */
import { createMcpHandler, isLegacyRequest, McpServer, type InMemoryServerEventBus } from '@modelcontextprotocol/server';
import type { ServerContext } from '@modelcontextprotocol/server';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import { z } from 'zod';
import type { Caller, Ctx, Internals } from './http-util.js';
import type { McpTarget } from './mcp-paths.js';
import { toolsFor, type ToolExtra, type ToolSpec } from './mcp-tools.js';
import { EXTRA_PROMPT, registerExtras } from './mcp-extras.js';

/** A zod 3 raw shape as the Standard Schema (with JSON Schema) the 2.x `registerTool` takes. */
function standardSchema(shape: Record<string, z.ZodType>): never {
  const schema = z.object(shape);
  const json = toJsonSchemaCompat(schema) as Record<string, unknown>;
  return {
    '~standard': {
      version: 1,
      vendor: 'dbx-mcp-emulator',
      validate: (value: unknown) => {
        const r = schema.safeParse(value);
        return r.success ? { value: r.data } : { issues: r.error.issues.map((i) => ({ message: i.message, path: i.path })) };
      },
      jsonSchema: { input: () => json, output: () => json },
    },
  } as never;
}

/** The 1.x `extra` the tool specs were written against, from a 2.x handler context. */
function legacyExtra(ctx: ServerContext): ToolExtra {
  return {
    signal: ctx.mcpReq.signal,
    requestId: ctx.mcpReq.id,
    _meta: ctx.mcpReq._meta,
    sendNotification: (n: { method: string; params?: Record<string, unknown> }) => ctx.mcpReq.notify(n as never),
    sendRequest: () => Promise.reject(new Error('not supported by the emulator')),
  } as unknown as ToolExtra;
}

function modernServer(ws: Internals, caller: Caller, target: McpTarget): McpServer {
  const server = new McpServer(
    { name: `databricks-${target.kind}`, version: '1.0.0' },
    { capabilities: { tools: { listChanged: true } }, instructions: `Emulated Databricks managed MCP server (${target.path}).` },
  );
  for (const spec of toolsFor(ws, caller, target) as ToolSpec[]) {
    server.registerTool(
      spec.name,
      { description: spec.description, inputSchema: standardSchema(spec.inputSchema), ...(spec.readOnly ? { annotations: { readOnlyHint: true } } : {}) },
      ((args: Record<string, unknown>, ctx: ServerContext) => spec.run(args, legacyExtra(ctx))) as never,
    );
  }
  if (ws.scenario.mcpExtras) {
    registerExtras(server, standardSchema(EXTRA_PROMPT.args));
    server.server.registerCapabilities({ resources: { subscribe: true } });
  }
  return server;
}

function webRequest(ctx: Ctx): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(ctx.req.headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  const url = `http://${ctx.req.headers.host ?? '127.0.0.1'}${ctx.req.url ?? '/'}`;
  const hasBody = ctx.method === 'POST' && ctx.body !== undefined;
  return new Request(url, { method: ctx.method, headers, ...(hasBody ? { body: JSON.stringify(ctx.body) } : {}) });
}

async function sendWeb(ctx: Ctx, r: Response): Promise<void> {
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => (headers[k] = v));
  ctx.res.writeHead(r.status, headers);
  if (!r.body) return void ctx.res.end();
  const reader = r.body.getReader();
  ctx.res.once('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done) break;
    ctx.res.write(value);
  }
  ctx.res.end();
}

/** True when a dual-era endpoint should hand this request to its legacy (sessionful) server. */
export async function isLegacy(ctx: Ctx): Promise<boolean> {
  if (ctx.method !== 'POST') return true;
  return isLegacyRequest(webRequest(ctx), ctx.body);
}

/**
 * Serves one request in the modern era (`modernOnly`: legacy requests get `-32022`). `bus` is the
 * workspace's: a `subscriptions/listen` stream outlives the per-request handler's server, and
 * `FakeWorkspace.notifyMcpChange` publishes there. `live` holds the handlers still serving
 * (those serving a listen stream; closing one ends it gracefully: `FakeWorkspace.endMcpListens`).
 */
export async function serveModern(ctx: Ctx, ws: Internals, target: McpTarget, modernOnly: boolean, mode: 'json' | 'sse', bus: InMemoryServerEventBus, live: Set<{ close(): Promise<void> }>): Promise<void> {
  const caller = ctx.caller!;
  const handler = createMcpHandler(() => modernServer(ws, caller, target), {
    legacy: modernOnly ? 'reject' : 'stateless',
    responseMode: mode === 'json' ? 'json' : 'auto',
    keepAliveMs: 0,
    bus,
  });
  const listening = (ctx.body as { method?: unknown } | undefined)?.method === 'subscriptions/listen';
  if (listening) live.add(handler);
  try {
    await sendWeb(ctx, await handler.fetch(webRequest(ctx), { parsedBody: ctx.body }));
  } finally {
    live.delete(handler);
    await handler.close().catch(() => undefined);
  }
}
