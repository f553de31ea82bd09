/**
 * Managed MCP endpoints (source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp), each backed by a real SDK `McpServer` behind a stateful
 * `StreamableHTTPServerTransport` (one pair per session, `Mcp-Session-Id` issued on initialize).
 *
 * Before MCP is involved at all, the route answers like Databricks would: unknown space /
 * schema / connection ⇒ 404 with a Databricks JSON body, no access to a Genie space ⇒ 404
 * RESOURCE_DOES_NOT_EXIST, missing USE_CATALOG / USE_SCHEMA / USE_CONNECTION ⇒ 403
 * PERMISSION_DENIED. An unknown or expired session id ⇒ the SDK's own 404
 * `{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}`.
 * A POST without a session id that is not `initialize` is served statelessly by a throwaway
 * server: the reference shows a bare `tools/list` curl working (source: MCP endpoint and /oidc behaviour observed on real workspaces, UNCONFIRMED).
 */
import { randomUUID } from 'node:crypto';
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { InMemoryServerEventBus } from '@modelcontextprotocol/server';
import { useChain } from './grants.js';
import { isLegacy, serveModern } from './mcp-modern.js';
import { notFound, sendError, sendJson, type Caller, type Ctx, type Internals } from './http-util.js';
import type { McpTarget } from './mcp-paths.js';
import { toolsFor } from './mcp-tools.js';
import { EXTRA_PROMPT, registerExtras } from './mcp-extras.js';
import { atLeast, aclLevel } from './routes-genie.js';
import { visibleService } from './routes-apps.js';
import { denyIfMissing, ucNotFound } from './routes-uc.js';

/** Sessions kept at most; the least recently used is closed first. */
export const MAX_SESSIONS = 500;

interface Session {
  id: string;
  /** Canonical MCP path the session was created on; other paths don't know it. */
  key: string;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  tools: Map<string, RegisteredTool>;
  /** Requests that carried this session's id so far (for `scenario.expireSessionsAfter`). */
  served: number;
  /** POSTs of this session whose response is still open. */
  open: number;
  /** Expired by `expireSessionsAfter`: closed once `open` drops to 0. */
  retired?: boolean;
  /** Resource URIs the client subscribed to (`resources/subscribe`, with `scenario.mcpExtras`). */
  subscribed: Set<string>;
}

/** A change `FakeWorkspace.notifyMcpChange` announces to every connected client that asked for it. */
export type McpChange = 'tools' | { resourceUpdated: string };

function sessionNotFound(ctx: Ctx): void {
  // Same status and body as the SDK transport for an unknown session.
  sendJson(ctx.res, 404, { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
}

/**
 * Flips JSON/SSE mode on a live transport. The option is constructor-only in the SDK, so this
 * reaches its (pinned, 1.32.x) private field; if the field ever disappears the mode simply
 * stays what the session was created with.
 */
function setJsonMode(t: StreamableHTTPServerTransport, json: boolean): void {
  const inner = (t as unknown as { _webStandardTransport?: { _enableJsonResponse?: boolean } })._webStandardTransport;
  if (inner && typeof inner._enableJsonResponse === 'boolean') inner._enableJsonResponse = json;
}

/** Registers / removes tools so the server offers exactly `toolsFor(...)`. */
function syncTools(ws: Internals, caller: Caller, target: McpTarget, server: McpServer, registered: Map<string, RegisteredTool>): void {
  const want = toolsFor(ws, caller, target);
  const names = new Set(want.map((t) => t.name));
  for (const [name, tool] of registered) {
    if (!names.has(name)) {
      tool.remove();
      registered.delete(name);
    }
  }
  for (const spec of want) {
    if (registered.has(spec.name)) continue;
    const tool = server.registerTool(
      spec.name,
      { description: spec.description, inputSchema: spec.inputSchema, ...(spec.readOnly ? { annotations: { readOnlyHint: true } } : {}) },
      ((args: Record<string, unknown>, extra: Parameters<typeof spec.run>[1]) => spec.run(args, extra)) as never,
    );
    registered.set(spec.name, tool);
  }
}

export class McpSessions {
  private readonly sessions = new Map<string, Session>();
  /** The modern era's change notifications: every `subscriptions/listen` stream of every request handler listens here. */
  readonly bus = new InMemoryServerEventBus();
  /** Modern request handlers still serving (a listen stream keeps its handler open). */
  private readonly live = new Set<{ close(): Promise<void> }>();

  constructor(
    private readonly ws: Internals,
    private readonly defaultMode: 'json' | 'sse',
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  private mode(): 'json' | 'sse' {
    return this.ws.scenario.mcpResponseMode ?? this.defaultMode;
  }

  /** Serves one authenticated MCP request. */
  async handle(ctx: Ctx, target: McpTarget): Promise<void> {
    if (!this.checkAccess(ctx, target)) return;
    const era = this.ws.scenario.mcpEra ?? 'legacy';
    if (era === 'modern' || (era === 'dual' && !(await isLegacy(ctx)))) {
      return serveModern(ctx, this.ws, target, era === 'modern', this.mode(), this.bus, this.live);
    }
    const caller = ctx.caller!;
    const sid = ctx.req.headers['mcp-session-id'];
    const sessionId = Array.isArray(sid) ? sid[0] : sid;

    if (sessionId) {
      if (this.ws.scenario.expireSessions) {
        delete this.ws.scenario.expireSessions;
        await this.closeAll();
      }
      const s = this.sessions.get(sessionId);
      if (!s || s.key !== target.path) return sessionNotFound(ctx);
      const limit = this.ws.scenario.expireSessionsAfter;
      if (limit !== undefined && ++s.served > limit) {
        // Later requests get 404 at once; requests already being served still get their answer.
        this.sessions.delete(sessionId);
        s.retired = true;
        if (s.open === 0) await s.server.close().catch(() => undefined);
        return sessionNotFound(ctx);
      }
      if (ctx.method === 'POST') {
        s.open++;
        ctx.res.once('close', () => {
          if (--s.open === 0 && s.retired) void s.server.close().catch(() => undefined);
        });
      }
      // LRU: re-insert at the end.
      this.sessions.delete(sessionId);
      this.sessions.set(sessionId, s);
      syncTools(this.ws, caller, target, s.server, s.tools);
      setJsonMode(s.transport, this.mode() === 'json');
      await s.transport.handleRequest(ctx.req, ctx.res, ctx.body);
      return;
    }

    if (ctx.method !== 'POST') {
      return sendJson(ctx.res, 400, { jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: Mcp-Session-Id header is required' }, id: null });
    }
    const msgs = Array.isArray(ctx.body) ? ctx.body : [ctx.body];
    if (msgs.some((m) => isInitializeRequest(m))) return this.initialize(ctx, target, caller);
    return this.stateless(ctx, target, caller);
  }

  private newServer(target: McpTarget): McpServer {
    const server = new McpServer(
      { name: `databricks-${target.kind}`, version: '1.0.0' },
      { capabilities: { tools: { listChanged: true } }, instructions: `Emulated Databricks managed MCP server (${target.path}).` },
    );
    if (this.ws.scenario.mcpExtras) {
      registerExtras(server, EXTRA_PROMPT.args);
      server.server.registerCapabilities({ resources: { subscribe: true } });
    }
    return server;
  }

  /**
   * Announces a change on demand (tests): legacy sessions get the unsolicited notification on
   * their GET stream (a resource update only where the client subscribed to its URI), modern
   * `subscriptions/listen` streams get it when their filter asked for it.
   */
  notifyChange(change: McpChange): void {
    for (const s of this.sessions.values()) {
      if (change === 'tools') s.server.sendToolListChanged();
      else if (s.subscribed.has(change.resourceUpdated)) void s.server.server.sendResourceUpdated({ uri: change.resourceUpdated }).catch(() => undefined);
    }
    this.bus.publish(change === 'tools' ? { kind: 'tools_list_changed' } : { kind: 'resource_updated', uri: change.resourceUpdated });
  }

  /** Ends every open `subscriptions/listen` stream the way a modern server does on shutdown (the empty listen result). */
  async endListens(): Promise<void> {
    await Promise.all([...this.live].map((h) => h.close().catch(() => undefined)));
  }

  private async initialize(ctx: Ctx, target: McpTarget, caller: Caller): Promise<void> {
    while (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      await this.closeOne(oldest);
    }
    const server = this.newServer(target);
    const subscribed = new Set<string>();
    if (this.ws.scenario.mcpExtras) {
      // Legacy resource subscriptions (the modern era replaced them with subscriptions/listen).
      server.server.setRequestHandler(SubscribeRequestSchema, (r) => (subscribed.add(r.params.uri), {}));
      server.server.setRequestHandler(UnsubscribeRequestSchema, (r) => (subscribed.delete(r.params.uri), {}));
    }
    const tools = new Map<string, RegisteredTool>();
    syncTools(this.ws, caller, target, server, tools);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: this.mode() === 'json',
      onsessioninitialized: (id) => {
        this.sessions.set(id, { id, key: target.path, server, transport, tools, served: 0, open: 0, subscribed });
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
      },
    });
    // A failed initialize never gets a session id: don't leak its server.
    ctx.res.on('close', () => {
      if (transport.sessionId === undefined) void server.close().catch(() => undefined);
    });
    await server.connect(transport);
    await transport.handleRequest(ctx.req, ctx.res, ctx.body);
  }

  private async stateless(ctx: Ctx, target: McpTarget, caller: Caller): Promise<void> {
    const server = this.newServer(target);
    syncTools(this.ws, caller, target, server, new Map());
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: this.mode() === 'json' });
    ctx.res.on('close', () => {
      void server.close().catch(() => undefined);
    });
    await server.connect(transport);
    await transport.handleRequest(ctx.req, ctx.res, ctx.body);
  }

  private async closeOne(id: string): Promise<void> {
    const s = this.sessions.get(id);
    this.sessions.delete(id);
    if (s) await s.server.close().catch(() => undefined);
  }

  /** Closes every session: later requests with their ids get 404 (expiry / restart). */
  async closeAll(): Promise<void> {
    const ids = [...this.sessions.keys()];
    await Promise.all(ids.map((id) => this.closeOne(id)));
  }

  /** Databricks-side checks before MCP (see module doc). False when a response was sent. */
  private checkAccess(ctx: Ctx, t: McpTarget): boolean {
    const { state } = this.ws;
    const [a = '', b = '', c] = t.parts;
    switch (t.kind) {
      case 'genie': {
        const space = state.genieSpaces.find((s) => s.space_id === a);
        const level = space ? aclLevel(space.acl, ctx.caller!) : undefined;
        if (!space || level === undefined) {
          notFound(ctx.res, `Genie space ${a} does not exist.`);
          return false;
        }
        if (!atLeast(level, 'CAN_RUN')) {
          sendError(ctx.res, 403, 'PERMISSION_DENIED', `You need "Can Run" permission on Genie space ${a}.`);
          return false;
        }
        return true;
      }
      case 'functions':
      case 'vector-search': {
        if (!state.catalogs.some((x) => x.name === a)) return (ucNotFound(ctx, 'CATALOG', a), false);
        if (!state.schemas.some((x) => x.catalog === a && x.name === b)) return (ucNotFound(ctx, 'SCHEMA', `${a}.${b}`), false);
        if (c !== undefined) {
          const full = `${a}.${b}.${c}`;
          const exists = t.kind === 'functions'
            ? state.functions.some((f) => f.catalog === a && f.schema === b && f.name === c)
            : state.vectorIndexes.some((i) => i.name === full);
          if (!exists) return (t.kind === 'functions' ? ucNotFound(ctx, 'FUNCTION', full) : notFound(ctx.res, `Vector index ${full} does not exist.`), false);
        }
        return !denyIfMissing(ctx, useChain(a, b));
      }
      case 'external': {
        if (!state.connections.some((x) => x.name === a)) return (ucNotFound(ctx, 'CONNECTION', a), false);
        return !denyIfMissing(ctx, [['CONNECTION', a, 'USE_CONNECTION']]);
      }
      case 'sql':
        return true;
      case 'mcp-service': {
        const full = t.parts.join('.');
        if (!visibleService(this.ws, ctx.caller!, full)) return (notFound(ctx.res, `MCP service '${full}' does not exist.`), false);
        return true;
      }
      case 'app': {
        // Served on the apps server (index.ts), which has already checked the app and the token.
        return true;
      }
    }
  }
}
