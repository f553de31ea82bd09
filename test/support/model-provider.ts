/**
 * A loopback stand-in for a model provider, so a real agent CLI (`codex exec`, `copilot -p`) runs a
 * whole turn without any model service: a real HTTP server on 127.0.0.1 speaking the OpenAI
 * Responses API (`POST …/responses`, streamed as server-sent events, or one JSON body when the
 * request says `stream: false`). It is scripted, not a model:
 *
 * - a request whose `input` holds no `function_call_output` for a call it made answers with one
 *   `function_call` to the first offered tool whose name matches `tool` (arguments `args`); when
 *   no offered tool matches, it answers the final text `NO MATCHING TOOL among: <names>`;
 * - a request carrying the output of its call answers the final text `TOOL OUTPUT: <output>`.
 *
 * Every request is recorded (path, the tool names it offered, the tool outputs it carried,
 * whether it bore the expected key, and its raw headers and body), so a test asserts what reached
 * the model, and what never did. Other paths
 * (e.g. `GET …/models`) are recorded and answered 404.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelRequest {
  method: string;
  path: string;
  /** The request bore `Authorization: Bearer <apiKey>`. */
  keyed: boolean;
  /** Every function tool the request offered, as `namespace.name` when it sits in a namespace. */
  tools: string[];
  /** `output` of each `function_call_output` item in `input`, by call id. */
  toolOutputs: Record<string, string>;
  stream: boolean;
  /** What the stand-in answered: `call <tool>`, `text …`, or `404`. */
  answered: string;
  /** The request as it arrived: its headers (as JSON) and its body, for checks of what must never reach a model. */
  raw: string;
}

export interface StandInModel {
  /** Base URL to give the client (ends in `/v1`; the client appends `/responses`). */
  baseUrl: string;
  requests: ModelRequest[];
  /** Every `function_call` the stand-in made: the tool (`namespace.name` or `name`) and the call id. */
  calls: Array<{ name: string; callId: string }>;
  /** Forgets what was recorded and, given one, calls `tool` from now on (for the next run of a client). */
  reset(tool?: RegExp): void;
  close(): Promise<void>;
}

export interface StandInOptions {
  /** Which offered tool to call (matched against `namespace.name`, or the bare name outside a namespace). */
  tool: RegExp;
  args: Record<string, unknown>;
  apiKey: string;
}

type Item = Record<string, unknown>;

interface OfferedTool {
  name: string;
  /** The `namespace` tool it sits in (Codex groups each MCP server's tools in one). */
  namespace?: string;
}

/** Every function tool offered: top-level (`name`, or Chat-style `function.name`) and inside `namespace` tools. */
function offeredTools(tools: unknown, namespace?: string): OfferedTool[] {
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((t: unknown): OfferedTool[] => {
    if (typeof t !== 'object' || t === null) return [];
    const o = t as { type?: unknown; name?: unknown; tools?: unknown; function?: { name?: unknown } };
    if (o.type === 'namespace' && typeof o.name === 'string') return offeredTools(o.tools, o.name);
    const name = typeof o.name === 'string' ? o.name : typeof o.function?.name === 'string' ? o.function.name : undefined;
    return name === undefined ? [] : [{ name, ...(namespace !== undefined ? { namespace } : {}) }];
  });
}

const qualified = (t: OfferedTool) => (t.namespace !== undefined ? `${t.namespace}.${t.name}` : t.name);

function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map((p: unknown) => (typeof p === 'object' && p !== null && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : JSON.stringify(p))).join('');
  return JSON.stringify(output);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (s += d));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

export async function startStandInModel(options: StandInOptions): Promise<StandInModel> {
  const opts = { ...options };
  const requests: ModelRequest[] = [];
  const calls: StandInModel['calls'] = [];
  let seq = 0;
  const id = (prefix: string) => `${prefix}_${String(++seq).padStart(4, '0')}`;

  function respond(res: ServerResponse, stream: boolean, model: string, item: Item): void {
    const responseId = id('resp');
    const base = { id: responseId, object: 'response', created_at: Math.floor(Date.now() / 1000), model, error: null, incomplete_details: null, parallel_tool_calls: false, tools: [], tool_choice: 'auto' };
    const usage = { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 15 };
    const done = { ...base, status: 'completed', output: [item], usage };
    if (!stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(done));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let n = 0;
    const send = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: n++, ...data })}\n\n`);
    send('response.created', { response: { ...base, status: 'in_progress', output: [] } });
    send('response.in_progress', { response: { ...base, status: 'in_progress', output: [] } });
    if (item.type === 'function_call') {
      send('response.output_item.added', { output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } });
      send('response.function_call_arguments.delta', { output_index: 0, item_id: item.id, delta: item.arguments });
      send('response.function_call_arguments.done', { output_index: 0, item_id: item.id, arguments: item.arguments });
    } else {
      const text = ((item.content as Item[])[0] as { text: string }).text;
      const part = { type: 'output_text', text: '', annotations: [] };
      send('response.output_item.added', { output_index: 0, item: { ...item, content: [], status: 'in_progress' } });
      send('response.content_part.added', { output_index: 0, item_id: item.id, content_index: 0, part });
      send('response.output_text.delta', { output_index: 0, item_id: item.id, content_index: 0, delta: text, logprobs: [] });
      send('response.output_text.done', { output_index: 0, item_id: item.id, content_index: 0, text, logprobs: [] });
      send('response.content_part.done', { output_index: 0, item_id: item.id, content_index: 0, part: { ...part, text } });
    }
    send('response.output_item.done', { output_index: 0, item });
    send('response.completed', { response: done });
    res.end();
  }

  const message = (text: string): Item => ({ type: 'message', id: id('msg'), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] });

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0]!;
      const keyed = req.headers.authorization === `Bearer ${opts.apiKey}`;
      const body = await readBody(req);
      const raw = `${JSON.stringify(req.headers)}\n${body}`;
      if (req.method !== 'POST' || !path.endsWith('/responses')) {
        requests.push({ method: req.method ?? '', path, keyed, tools: [], toolOutputs: {}, stream: false, answered: '404', raw });
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `the stand-in model serves only POST /responses, not ${req.method} ${path}`, type: 'not_found' } }));
        return;
      }
      let parsed: { model?: unknown; tools?: unknown; input?: unknown; stream?: unknown } = {};
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'body is not JSON', type: 'invalid_request_error' } }));
        return;
      }
      const offered = offeredTools(parsed.tools);
      const tools = offered.map(qualified);
      const toolOutputs: Record<string, string> = {};
      for (const it of Array.isArray(parsed.input) ? (parsed.input as Item[]) : []) {
        if (it?.type === 'function_call_output' && typeof it.call_id === 'string') toolOutputs[it.call_id] = outputText(it.output);
      }
      const stream = parsed.stream !== false;
      const model = typeof parsed.model === 'string' ? parsed.model : 'stand-in';
      const record: ModelRequest = { method: 'POST', path, keyed, tools, toolOutputs, stream, answered: '', raw };
      requests.push(record);
      const answeredCall = calls.find((c) => c.callId in toolOutputs);
      let item: Item;
      if (answeredCall) {
        item = message(`TOOL OUTPUT: ${toolOutputs[answeredCall.callId]}`);
        record.answered = 'text tool output';
      } else {
        const tool = offered.find((t) => opts.tool.test(qualified(t)));
        if (tool === undefined) {
          item = message(`NO MATCHING TOOL among: ${tools.join(', ')}`);
          record.answered = 'text no tool';
        } else {
          const callId = id('call');
          calls.push({ name: qualified(tool), callId });
          item = { type: 'function_call', id: id('fc'), call_id: callId, name: tool.name, ...(tool.namespace !== undefined ? { namespace: tool.namespace } : {}), arguments: JSON.stringify(opts.args), status: 'completed' };
          record.answered = `call ${qualified(tool)}`;
        }
      }
      respond(res, stream, model, item);
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    calls,
    reset(tool) {
      requests.length = 0;
      calls.length = 0;
      if (tool !== undefined) opts.tool = tool;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
