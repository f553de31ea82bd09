/**
 * Tool catalogue of each emulated managed MCP server, computed per request from the caller's
 * grants so that revoking EXECUTE shrinks the list (source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp: functions without EXECUTE "simply
 * don't appear"). Names follow source: https://docs.databricks.com/aws/en/agents/mcp/managed-mcp: UC functions and vector indexes are
 * `{catalog}__{schema}__{name}`, DBSQL has `execute_sql`, `execute_sql_read_only`,
 * `poll_sql_result`. Genie space tools (`query_space_<id>`, `poll_response_<id>`) and the external
 * tools (`search`, `fetch`) are illustrative: the real names are UNCONFIRMED.
 *
 * Emulator extras on every server, for proxy tests (not on real Databricks):
 * - `slow_echo {message?, ms}` sleeps `ms` (bounded to 10 s, cancellable) then echoes;
 * - `progress_echo {message, steps?, intervalMs?}` sends `notifications/progress` (when the
 *   request carries a progressToken) before answering. In JSON response mode the SDK has no
 *   stream to carry them, so they are dropped there — as with any JSON-mode server.
 * Every result is deterministic (derived from the arguments), never random.
 */
import { createHash } from 'node:crypto';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { hasPrivilege } from './grants.js';
import { sleep, type Caller, type Internals } from './http-util.js';
import type { McpTarget } from './mcp-paths.js';
import type { FunctionParam } from './types.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, z.ZodType>;
  readOnly?: boolean;
  run(args: Record<string, unknown>, extra: ToolExtra): Promise<CallToolResult> | CallToolResult;
}

/** Longest `slow_echo` sleep. */
export const MAX_SLOW_ECHO_MS = 10_000;

function text(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }] };
}

function shortHash(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);
}

function paramSchema(p: FunctionParam): z.ZodType {
  const base = p.type === 'STRING' ? z.string() : p.type === 'BOOLEAN' ? z.boolean() : p.type === 'DOUBLE' ? z.number() : z.number().int();
  return p.comment ? base.describe(p.comment) : base;
}

function extras(): ToolSpec[] {
  return [
    {
      name: 'slow_echo',
      description: '[emulator] Sleeps `ms` milliseconds (max 10000) and echoes `message`.',
      inputSchema: { message: z.string().optional(), ms: z.number().int().min(0) },
      readOnly: true,
      async run(args, extra) {
        const ms = Math.min(Number(args.ms) || 0, MAX_SLOW_ECHO_MS);
        await sleep(ms, extra.signal);
        return text(`${String(args.message ?? 'slow_echo')} (after ${ms} ms)`);
      },
    },
    {
      name: 'progress_echo',
      description: '[emulator] Sends `steps` progress notifications, then echoes `message`.',
      inputSchema: {
        message: z.string(),
        steps: z.number().int().min(1).max(50).optional(),
        intervalMs: z.number().int().min(0).max(1000).optional(),
      },
      readOnly: true,
      async run(args, extra) {
        const steps = Number(args.steps ?? 3);
        const token = extra._meta?.progressToken;
        for (let i = 1; i <= steps; i++) {
          if (extra.signal.aborted) break;
          if (token !== undefined) {
            await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: steps, message: `step ${i}/${steps}` } });
          }
          await sleep(Number(args.intervalMs ?? 10), extra.signal);
        }
        return text(String(args.message));
      },
    },
  ];
}

function functionTools(ws: Internals, caller: Caller, [c, s, f]: string[]): ToolSpec[] {
  return ws.state.functions
    .filter((fn) => fn.catalog === c && fn.schema === s && (f === undefined || fn.name === f))
    .filter((fn) => hasPrivilege(ws, caller, 'FUNCTION', `${c}.${s}.${fn.name}`, 'EXECUTE'))
    .map((fn) => ({
      name: `${c}__${s}__${fn.name}`,
      description: fn.comment ?? `Unity Catalog function ${c}.${s}.${fn.name}`,
      inputSchema: Object.fromEntries(fn.params.map((p) => [p.name, paramSchema(p)])),
      run: (args) => text({ function: `${c}.${s}.${fn.name}`, arguments: args, result: `ok:${shortHash(args)}` }),
    }));
}

function vectorTools(ws: Internals, caller: Caller, [c, s, idx]: string[]): ToolSpec[] {
  return ws.state.vectorIndexes
    .filter((i) => i.name.startsWith(`${c}.${s}.`) && (idx === undefined || i.name === `${c}.${s}.${idx}`))
    .filter((i) => hasPrivilege(ws, caller, 'TABLE', i.name, 'SELECT'))
    .map((i) => ({
      name: i.name.replace(/\./g, '__'),
      description: `Search the vector index ${i.name} for relevant documents.`,
      inputSchema: { query: z.string().describe('text to search for'), num_results: z.number().int().min(1).max(50).optional() },
      readOnly: true,
      run: (args) => {
        // An index still in its first sync answers an empty list, no error (source: Go SDK service/vectorsearch).
        const n = i.ready ? Number(args.num_results ?? 3) : 0;
        const q = String(args.query);
        return text(Array.from({ length: n }, (_, k) => ({
          id: `doc-${k + 1}`, score: Number((0.9 - k * 0.05).toFixed(2)),
          content: `Passage ${k + 1} about "${q}" from ${i.name}.`, url: `https://docs.example.com/${shortHash([q, k])}`,
        })));
      },
    }));
}

const READ_ONLY_SQL = /^\s*(select|show|describe|desc|with|explain)\b/i;

function sqlTools(): ToolSpec[] {
  const result = (query: string): object => ({
    statement_id: `01f0${shortHash(query)}`,
    status: { state: 'SUCCEEDED' },
    manifest: { schema: { columns: [{ name: 'result', type_name: 'STRING' }] }, total_row_count: 1 },
    result: { data_array: [[`rows for: ${query}`]] },
  });
  return [
    {
      name: 'execute_sql', description: 'Execute a SQL statement on a SQL warehouse.',
      inputSchema: { query: z.string().describe('SQL statement') },
      run: (args) => text(result(String(args.query))),
    },
    {
      name: 'execute_sql_read_only', description: 'Execute a read-only SQL statement.',
      inputSchema: { query: z.string().describe('read-only SQL statement') }, readOnly: true,
      run: (args) => READ_ONLY_SQL.test(String(args.query))
        ? text(result(String(args.query)))
        : { isError: true, content: [{ type: 'text', text: 'Only read-only statements are allowed by execute_sql_read_only.' }] },
    },
    {
      name: 'poll_sql_result', description: 'Poll the result of a long-running SQL statement.',
      inputSchema: { statement_id: z.string() }, readOnly: true,
      run: (args) => text({ statement_id: String(args.statement_id), status: { state: 'SUCCEEDED' } }),
    },
  ];
}

function genieTools(ws: Internals, [id]: string[]): ToolSpec[] {
  const space = ws.state.genieSpaces.find((s) => s.space_id === id);
  const title = space?.title ?? id!;
  return [
    {
      name: `query_space_${id}`, description: `Ask the Genie space "${title}" a question in natural language.`,
      inputSchema: { query: z.string().describe('the question'), conversation_id: z.string().optional() }, readOnly: true,
      run: (args) => text({
        conversation_id: String(args.conversation_id ?? `conv${shortHash([id, args.query])}`),
        message_id: `msg${shortHash(args)}`, status: 'COMPLETED',
        content: `Genie (${title}) answer to: ${String(args.query)}`,
      }),
    },
    {
      name: `poll_response_${id}`, description: `Poll a pending answer from the Genie space "${title}".`,
      inputSchema: { conversation_id: z.string(), message_id: z.string() }, readOnly: true,
      run: (args) => text({ conversation_id: String(args.conversation_id), message_id: String(args.message_id), status: 'COMPLETED' }),
    },
  ];
}

function externalTools([conn]: string[]): ToolSpec[] {
  return [
    {
      name: 'search', description: `Search through the ${conn} connection.`,
      inputSchema: { query: z.string() }, readOnly: true,
      run: (args) => text({ connection: conn, results: [{ id: `item-${shortHash(args.query)}`, title: `Result for ${String(args.query)}` }] }),
    },
    {
      name: 'fetch', description: `Fetch one item through the ${conn} connection.`,
      inputSchema: { id: z.string() }, readOnly: true,
      run: (args) => text({ connection: conn, id: String(args.id), body: `Contents of ${String(args.id)}` }),
    },
  ];
}

/** An AI Gateway MCP service: one illustrative tool named after the service (the real tools are the upstream server's). */
function serviceTools(parts: readonly string[]): ToolSpec[] {
  const full = parts.join('.');
  return [{
    name: `${parts[2]}__ask`, description: `Ask the ${full} MCP service.`,
    inputSchema: { question: z.string() }, readOnly: true,
    run: (args) => text({ service: full, question: String(args.question), answer: `answer-${shortHash([full, args.question])}` }),
  }];
}

/** A custom MCP server on a Databricks App: whatever the app's author wrote; here one echo tool. */
function appTools(parts: readonly string[]): ToolSpec[] {
  return [{
    name: 'app_info', description: `Describe the ${parts[0]} app.`,
    inputSchema: {}, readOnly: true,
    run: () => text({ app: parts[0] }),
  }];
}

/** Every tool the caller should see on `target` right now (access to the server itself is checked earlier). */
export function toolsFor(ws: Internals, caller: Caller, target: McpTarget): ToolSpec[] {
  const own = (() => {
    switch (target.kind) {
      case 'functions': return functionTools(ws, caller, target.parts);
      case 'vector-search': return vectorTools(ws, caller, target.parts);
      case 'sql': return sqlTools();
      case 'genie': return genieTools(ws, target.parts);
      case 'external': return externalTools(target.parts);
      case 'mcp-service': return serviceTools(target.parts);
      case 'app': return appTools(target.parts);
    }
  })();
  return [...own, ...extras()];
}
