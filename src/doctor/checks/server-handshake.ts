/**
 * `server.<name>.handshake`: initialize + tools/list through the same path each client uses.
 * A stdio entry is spawned exactly as written with the environment that client gives it; a
 * header entry is called with its header resolved the way that client resolves references;
 * a native OAuth entry (the client signs in by itself, in a browser) is checked with the
 * profile's token instead, and says so. Nothing opens a browser.
 */
import { routingHeadersFor } from '../../databricks/routing.js';
import { readerFor } from '../../clients/read-entry.js';
import { clientDefinition } from '../../clients/catalog/index.js';
import type { Ctx } from '../../context.js';
import { classifyApiError, type ApiErrorKind } from '../../databricks/api-errors.js';
import { guiEnvironment, type HandshakeResult, type HandshakeTarget } from '../../mcp/handshake.js';
import { MODERN_PROTOCOL_VERSION } from '../../mcp/protocol.js';
import type { McpEra } from '../../mcp/types.js';
import { redact } from '../../secrets.js';
import { diagnoseApi, NETWORK_FIX, type AuthContext } from '../diagnose.js';
import { resolveRecord, resolveRefs } from '../env-refs.js';
import type { EntryFact, Facts, ServerFact } from '../facts.js';
import { addArguments, kindDef } from '../../databricks/server-kinds/index.js';
import { entryKey, type HandshakeRunner } from '../handshakes.js';
import { parseProxyEntry, type ProxyEntry } from '../proxy-probe.js';
import { destinationRefusal, mayStart, untrustedResult } from '../entry-trust.js';
import { STATUS_RANK, type Check, type CheckResult, type RunContext } from '../types.js';
import { isGuiClient } from './environment.js';
import { authContext } from './workspace.js';

/** The `dbx-mcp add …` that rewrites this server in proxy mode (no secret in the file). */
export function readdCommand(server: ServerFact, client?: string, owned = true): string {
  const t = server.target;
  const what = !t ? '<kind> <target>' : addArguments({ kind: t.kind, parts: t.parts });
  return `dbx-mcp add ${what} --name ${server.name}${client ? ` --client ${client}` : ''} --auth proxy${owned ? '' : ' --force'}`;
}

/** How a 404 on this server's URL reads. */
export function notFoundFor(server: ServerFact): { what: string; fix: string; kind?: string } {
  const t = server.target;
  const specific = t ? kindDef(t.kind).noAccess?.(t.parts) : undefined;
  return specific ?? { what: `no MCP server at ${server.url}`, fix: 'Check the URL; managed MCP servers may need enabling by a workspace admin (Previews page).' };
}

interface Plan {
  target?: HandshakeTarget;
  /** Entries with the same key share one handshake (handshakes.ts: entryKey). */
  key?: string;
  /** A dbx-mcp proxy entry: launcher probe + in-process handshake instead of a spawn per server. */
  proxy?: ProxyEntry;
  /** A result without a handshake (unresolved variable, disabled entry, …). */
  result?: CheckResult;
  via: string;
  note?: string;
  /** The era the handshake speaks: the client's own (catalog `mcpEra`) for a native entry. */
  era?: McpEra;
}

/** The profile's token, for a server the token rule lets it go to (its workspace, or an app it vouches for). */
async function profileBearer(ctx: Ctx, facts: Facts, server: ServerFact, e: EntryFact): Promise<string | undefined> {
  try {
    facts.config();
  } catch {
    return undefined;
  }
  if (await destinationRefusal(ctx, facts, e, server.url)) return undefined;
  return facts.token().then((t) => t.token, () => undefined);
}

async function plan(ctx: Ctx, facts: Facts, server: ServerFact, e: EntryFact): Promise<Plan> {
  const via = `${e.client}${e.scope === 'project' ? ' (project)' : ''}, ${e.auth}`;
  if (e.disabled) return { via, result: { status: 'skip', summary: `disabled in ${e.client}` } };
  const read = readerFor(e.client)(e.entry);
  const browserOAuth = e.auth === 'oauth';
  if (browserOAuth) {
    // The client signs in in a browser with its own client id; doctor can't and won't.
    const token = await profileBearer(ctx, facts, server, e);
    if (!token) return { via, result: { status: 'skip', summary: `${e.client} signs in with OAuth by itself; no profile for ${server.target?.host ?? server.url} to check with` } };
    const headers = { ...routingHeadersFor(server.url, facts.config(), await facts.api().routing()), Authorization: `Bearer ${token}` };
    const era = clientDefinition(e.client).mcpEra.speaks;
    return { via, era, key: JSON.stringify([server.url, headers, era]), note: 'checked with the profile token (the client signs in with OAuth itself)', target: { transport: 'http', url: server.url, headers } };
  }
  if (read?.transport === 'stdio') {
    const r = [read.command, ...read.args].map((s) => resolveRefs(e.client, s, ctx.env, { keepUnset: true }));
    const env = resolveRecord(e.client, read.env, ctx.env);
    // An unset reference in args reaches the child as written (Claude Code passes it through);
    // it is missing only when the entry's env does not set it for the child to expand
    // (mcp-remote's `Authorization:${DBX_MCP_AUTH_HEADER}`).
    const argMissing = r.flatMap((x) => x.missing).filter((name) => !(name in env.values));
    const missing = [...new Set([...argMissing, ...env.missing])];
    const childEnv = isGuiClient(e.client) ? guiEnvironment(ctx.env, env.values, ctx.platform) : { ...(ctx.env as Record<string, string>), ...env.values };
    const full = { command: r[0]!.value, args: r.slice(1).map((x) => x.value), env: childEnv, ...(read.cwd !== undefined ? { cwd: read.cwd } : {}) };
    const proxy = e.auth === 'proxy' ? parseProxyEntry(full) : undefined;
    // The trust boundary first (entry-trust.ts): where its token would go, then whether doctor may start it.
    const refusal = await destinationRefusal(ctx, facts, e, server.url, proxy);
    if (refusal) return { via, result: refusal };
    if (!mayStart(ctx, facts, e, proxy, env.values, read.cwd)) return { via, result: untrustedResult(e, full.command) };
    if (missing.length && clientDefinition(e.client).envRefs !== 'none') return { via, result: unresolved(e, server, missing) };
    const key = entryKey(full.command, full.args, env.values, full.cwd);
    return { via, key, target: { transport: 'stdio', ...full }, ...(proxy ? { proxy } : {}) };
  }
  // Never a header (the profile's token or a variable's value) to a host the token rule refuses.
  const url = resolveRefs(e.client, server.url, ctx.env).value;
  const refusal = await destinationRefusal(ctx, facts, e, url);
  if (refusal) return { via, result: refusal };
  const headers = resolveRecord(e.client, read?.transport === 'http' ? read.headers : undefined, ctx.env);
  // A client that reads the token from a named variable itself (Codex's bearer_token_env_var).
  const tokenVar = read?.transport === 'http' ? read.tokenEnvVar : undefined;
  if (tokenVar !== undefined) {
    const token = ctx.env[tokenVar];
    if (token === undefined || token === '') headers.missing.push(tokenVar);
    else headers.values.Authorization = `Bearer ${token}`;
  }
  if (headers.missing.length) return { via, result: unresolved(e, server, headers.missing) };
  if (headers.unresolvable.length) {
    return {
      via,
      result: {
        status: 'warn',
        summary: `${e.client}: the header uses ${headers.unresolvable.join(', ')}, which VS Code asks for at start; not checked`,
        fix: `Start the server once in VS Code to check it there, or switch to the proxy (no secret to ask for): ${readdCommand(server, e.client, e.owned)}`,
        data: { kind: 'unresolvable-reference' },
      },
    };
  }
  const era = clientDefinition(e.client).mcpEra.speaks;
  return { via, era, key: JSON.stringify([url, headers.values, era]), target: { transport: 'http', url, headers: headers.values } };
}

function unresolved(e: EntryFact, server: ServerFact, missing: string[]): CheckResult {
  return {
    status: 'fail',
    summary: `${e.client}: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set, so the entry sends no token`,
    fix: `${e.client} reads ${missing[0]} from its own environment: export it where ${e.client} starts (GUI apps don't see your shell's variables), or switch to the proxy (no secret needed): ${readdCommand(server, e.client, e.owned)}`,
    data: { kind: 'no-credentials', variables: missing },
  };
}

const API_KINDS: readonly ApiErrorKind[] = ['ip-acl', 'invalid-token', 'no-credentials', 'wrong-workspace', 'missing-entitlement', 'no-access', 'not-found', 'rate-limited', 'unavailable'];

/**
 * A stdio server's error message, split where dbx-mcp's proxy (and errors written the same way)
 * put the next step: "<what happened>. Fix: <what to do>".
 */
function splitFix(message: string): { what: string; fix?: string } {
  const m = /^([\s\S]*?)[.:]?\s+Fix: ([\s\S]+)$/.exec(message);
  return m ? { what: m[1]!, fix: m[2]! } : { what: message };
}

/**
 * The package spec npm could not find (`npx -y dbx-mcp@0.1.0` before 0.1.0 is on the registry),
 * from npx's stderr (npm's E404 naming the package or its registry URL); undefined when the
 * failure is something else.
 */
export function unpublishedPackage(stderr: string | undefined): string | undefined {
  if (!stderr || !/\bE404\b|npm (?:error|ERR!) 404/.test(stderr)) return undefined;
  // npm ≤ 10: "'dbx-mcp@0.1.0' is not in this registry."; npm 11: "The requested resource 'dbx-mcp@0.1.0' could not be found …".
  const named = /'(dbx-mcp@[^'\s]+)' (?:is not in (?:this|the npm) registry|could not be found)/.exec(stderr)?.[1];
  if (named) return named;
  return /\/dbx-mcp\b/.test(stderr) ? 'dbx-mcp' : undefined;
}

/** The fix for an unpublished dbx-mcp behind an `npx -y dbx-mcp@<v>` entry: a local copy npx resolves. */
function notPublishedResult(spec: string, server: ServerFact): CheckResult {
  return {
    status: 'fail',
    summary: `npx cannot find ${spec} on the npm registry (404): that version is not published`,
    fix:
      `Install dbx-mcp in the project as a dev dependency, so npx resolves the local copy: npm install -D <path to dbx-mcp-<version>.tgz, from npm pack> (or a git URL of the repository), then restart the client; ` +
      `or re-add the server with a local dbx-mcp (node <checkout>/bin/dbx-mcp.js add … writes a node launcher instead of npx): ${readdCommand(server)}`,
    data: { kind: 'not-published', package: spec },
  };
}

/** Turns a failed handshake into a diagnosis; every failure and warning carries a fix. */
export function diagnoseHandshake(r: HandshakeResult, server: ServerFact, a: AuthContext, headerEntry: boolean): CheckResult {
  const err = r.error!;
  const unpublished = err.kind === 'exit' ? unpublishedPackage(err.stderr) : undefined;
  if (unpublished) return notPublishedResult(unpublished, server);
  const nf = notFoundFor(server);
  const fixToken = (res: CheckResult): CheckResult =>
    headerEntry && (res.data?.kind === 'invalid-token' || res.data?.kind === 'no-credentials')
      ? { ...res, fix: `The token in the entry's header was rejected: create a new token and set the variable the header references, or use the proxy (signs in through your profile): ${readdCommand(server)}` }
      : res;
  const byHand = `run the entry's command in a terminal to see what it says, or re-add the server: ${readdCommand(server)}`;
  switch (err.kind) {
    case 'http':
      return fixToken(diagnoseApi(err.api!, a, nf));
    case 'network':
      return { status: 'fail', summary: err.message, fix: err.hint ?? NETWORK_FIX, data: { kind: 'unreachable', network: err.network } };
    case 'timeout':
      return { status: 'fail', summary: `${err.message}${err.stderr ? ` (stderr: ${err.stderr.split('\n').at(-1)})` : ''}`, fix: 'Check the network/VPN; for a stdio entry, run its command by hand to see what it waits for.', data: { kind: 'timeout', step: err.step } };
    case 'spawn':
      return {
        status: 'fail',
        summary: err.message,
        fix: `Use an absolute path for the command (GUI apps get a minimal PATH), or re-add the server: ${readdCommand(server)}`,
        data: { kind: 'command-not-found' },
      };
    case 'rpc':
    case 'exit': {
      // The proxy (and mcp-remote) put Databricks' own message into the error; classify it.
      const d = (err.rpcData ?? {}) as { kind?: string; status?: number; network?: string; requestId?: string };
      const said = splitFix(err.message);
      if (d.network) return { status: 'fail', summary: said.what, fix: said.fix ?? NETWORK_FIX, data: { kind: 'unreachable', network: d.network } };
      const text = err.kind === 'exit' ? `${err.message}\n${err.stderr ?? ''}` : err.message;
      const info = classifyApiError(typeof d.status === 'number' ? d.status : 500, { message: text }, typeof d.requestId === 'string' ? { 'x-request-id': d.requestId } : {});
      if (d.kind && (API_KINDS as readonly string[]).includes(d.kind) && info.kind !== 'ip-acl') info.kind = d.kind as ApiErrorKind;
      if (/Invalid access token|Invalid Token|rejected the token/i.test(text) && info.kind !== 'ip-acl') info.kind = 'invalid-token';
      if (/rate[- ]limit|REQUEST_LIMIT_EXCEEDED/i.test(text) && info.kind !== 'ip-acl') info.kind = 'rate-limited';
      if (['other', 'server-error', 'bad-request'].includes(info.kind)) {
        return {
          status: 'fail',
          summary: said.what,
          fix: said.fix ?? (err.kind === 'exit' ? `The server stopped before answering: ${byHand}` : `The server answered ${err.step} with an error: ${byHand}`),
          ...(err.stderr || info.requestId ? { details: [...(err.stderr ? err.stderr.split('\n') : []), ...(info.requestId ? [`request id: ${info.requestId}`] : [])] } : {}),
          data: { kind: err.kind === 'exit' ? 'server-exited' : 'rpc-error', ...(err.rpcCode !== undefined ? { code: err.rpcCode } : {}) },
        };
      }
      // The wrapped message already went into the classification; repeating it would nest one
      // diagnosis inside another ("… (429 initialize failed: Databricks kept … (429 …)) …").
      const res = diagnoseApi({ ...info, message: '', errorCode: undefined }, a, nf);
      const details = [...(res.details ?? []), ...(err.stderr ? err.stderr.split('\n') : [])];
      return { ...res, summary: `${res.summary.replace(/\s*\(HTTP \d+\)$/, '')}${err.kind === 'exit' ? ' (the server exited)' : ''}`, ...(details.length ? { details } : {}) };
    }
    default:
      return { status: 'fail', summary: err.message, fix: `The answer was not MCP: check that the URL is a managed MCP server URL (…/api/2.0/mcp/…), or ${byHand}`, data: { kind: 'protocol-error' } };
  }
}

/** The profile's workspace host, when the profile resolves. */
function profileHost(facts: Facts): string | undefined {
  try {
    return facts.config().host;
  } catch {
    return undefined;
  }
}

/**
 * When the server is on the profile's workspace and `workspace.reachable` found that workspace
 * unreachable, every handshake would only wait out its own timeouts to say the same thing: skip
 * with the reason instead (the fix is on workspace.reachable).
 */
async function unreachableSkip(server: ServerFact, facts: Facts, rc: RunContext): Promise<CheckResult | undefined> {
  const host = profileHost(facts);
  if (!host || !server.target || server.target.host !== host) return undefined;
  const routing = await rc.outcome('workspace.routing');
  if (routing?.status === 'fail' && routing.data?.kind === 'unrouted-host') {
    return { status: 'skip', summary: `skipped: workspace.routing failed — ${host} names no workspace to route to, so no handshake was tried`, data: { skippedBecause: 'workspace.routing', kind: 'unrouted-host' } };
  }
  const reach = await rc.outcome('workspace.reachable');
  if (reach?.status !== 'fail' || reach.data?.kind !== 'unreachable') return undefined;
  const network = typeof reach.data.network === 'string' ? ` (${reach.data.network})` : '';
  return {
    status: 'skip',
    summary: `skipped: workspace.reachable failed — ${host} is unreachable${network}, so no handshake was tried`,
    data: { skippedBecause: 'workspace.reachable', kind: 'unreachable', ...(network ? { network: reach.data.network } : {}) },
  };
}

export function handshakeCheck(server: ServerFact, runner: HandshakeRunner): Check {
  return {
    id: `server.${server.key}.handshake`,
    title: `${server.name}: MCP handshake`,
    group: 'server',
    subject: server.key,
    after: ['workspace.reachable', 'workspace.routing'],
    timeoutMs: 30_000,
    async run(ctx, facts, rc: RunContext): Promise<CheckResult> {
      const skip = await unreachableSkip(server, facts, rc);
      if (skip) return skip;
      // GUI clients first: a shared handshake runs with the first entry's (stricter) environment.
      const entries = [...server.entries].sort((a, b) => Number(isGuiClient(b.client)) - Number(isGuiClient(a.client)));
      const per = await Promise.all(
        entries.map(async (e) => {
          const p = await plan(ctx, facts, server, e);
          if (p.result || !p.target || !p.key) return { e, p, res: p.result! };
          const hsOpts = { timeoutMs: Math.max(1_000, rc.timeLeftMs() - 250), signal: rc.signal, ...(p.era ? { era: p.era } : {}) };
          const r = p.proxy ? await runner.proxy(ctx, p.proxy, hsOpts, p.key) : await runner.direct(ctx, p.target, hsOpts, p.key);
          if (r.ok) return { e, p, res: withEraCaveat(okResult(r, server, p.note), r, server, e, p.era) };
          if (r.error?.kind === 'protocol-mismatch') return { e, p, res: protocolMismatch(r, server, e, p.era) };
          const who = r.error?.api?.kind === 'no-access' || r.error?.kind === 'rpc' ? await facts.currentUser().then((u) => u.user.userName, () => undefined) : undefined;
          return { e, p, res: diagnoseHandshake(r, server, authContext(facts, who), e.auth === 'header') };
        }),
      );
      const worst = per.reduce((w, x) => (STATUS_RANK[x.res.status] > STATUS_RANK[w.res.status] ? x : w));
      const multi = per.length > 1;
      const prefix = (x: (typeof per)[number]): string => (multi ? `${x.p.via}: ` : '');
      return {
        ...worst.res,
        summary: multi ? `${prefix(worst)}${worst.res.summary}` : `${worst.res.summary} (via ${worst.p.via})`,
        details: [...per.map((x) => `${x.p.via}: ${x.res.status} — ${x.res.summary}`), ...(worst.res.details ?? [])].map(redact),
        data: { ...(worst.res.data ?? {}), clients: per.map((x) => ({ client: x.e.client, scope: x.e.scope, auth: x.e.auth, status: x.res.status })) },
      };
    },
  };
}

const ERA_WORDS: Record<McpEra, string> = { legacy: 'legacy MCP (initialize and a session)', modern: `MCP ${MODERN_PROTOCOL_VERSION}`, dual: 'both MCP eras' };

/**
 * A client that cannot speak the server's era (issue 21): the proxy bridges both, so the fix is
 * the proxy entry, or the client version that speaks the server's era when the catalog knows one.
 * A fact the catalog is unsure of makes it a warning, and the summary says how sure it is.
 */
function protocolMismatch(r: HandshakeResult, server: ServerFact, e: EntryFact, era: McpEra | undefined): CheckResult {
  const def = clientDefinition(e.client);
  const facts = def.mcpEra;
  const serverEra = r.protocol?.era ?? 'modern';
  // Without a client era the handshake spoke the entry's command's (a stdio bridge such as mcp-remote).
  const speaker = era ? `${e.client} speaks ${ERA_WORDS[era]}` : "the entry's command speaks legacy MCP";
  const sure = era && facts.fact.confidence !== 'confirmed' ? ` (${facts.fact.confidence}: ${facts.fact.text})` : '';
  const update = era && facts.modernSince && serverEra !== 'legacy' ? `, or update ${def.displayName} to ${facts.modernSince} or later (it speaks both eras)` : '';
  // The version once: the modern era's words already name it.
  const version = r.protocol && !ERA_WORDS[serverEra].includes(r.protocol.version) ? ` (${r.protocol.version})` : '';
  return {
    status: era && facts.fact.confidence === 'unconfirmed' ? 'warn' : 'fail',
    summary: `${speaker}, the server only ${ERA_WORDS[serverEra]}${version}${sure}`,
    fix: `Use the proxy, which bridges the two eras: ${readdCommand(server, e.client, e.owned)}${update}`,
    details: [r.error!.message, ...(r.tools.length ? [`in its own era the server lists ${r.tools.length} tool${r.tools.length === 1 ? '' : 's'}`] : [])],
    data: { kind: 'protocol-mismatch', ...(era ? { clientEra: era, confidence: facts.fact.confidence } : {}), ...(r.protocol ? { protocol: r.protocol } : {}) },
  };
}

/**
 * A dual-era client's native entry passes against a modern-only server, but its older versions
 * cannot reach it: `data.clientVersionNeeded`, and a detail with the proxy alternative.
 */
function withEraCaveat(res: CheckResult, r: HandshakeResult, server: ServerFact, e: EntryFact, era: McpEra | undefined): CheckResult {
  const def = clientDefinition(e.client);
  if (!era || r.protocol?.era !== 'modern' || !def.mcpEra.modernSince) return res;
  const older = def.mcpEra.olderMeasured ? 'an older one cannot (measured: it speaks only the legacy era)' : 'an older one may not (not measured)';
  const detail = `the server speaks only MCP ${r.protocol.version}: ${def.displayName} reaches it from ${def.mcpEra.modernSince} on (${def.mcpEra.fact.confidence}); ${older}, and the proxy works with any: ${readdCommand(server, e.client, e.owned)}`;
  return { ...res, details: [...(res.details ?? []), detail], data: { ...(res.data ?? {}), clientVersionNeeded: def.mcpEra.modernSince } };
}

function okResult(r: HandshakeResult, server: ServerFact, note?: string): CheckResult {
  const server_ = r.serverInfo?.name ? `${r.serverInfo.name}${r.serverInfo.version ? ` ${r.serverInfo.version}` : ''}` : undefined;
  if (r.tools.length === 0) {
    return {
      status: 'warn',
      summary: `the server answered but listed no tools${note ? `; ${note}` : ''}`,
      fix: `Usually a missing grant (EXECUTE on the functions, SELECT on the index, CAN RUN on the space): see server.${server.key}.grants, or run dbx-mcp doctor --only server.${server.key}.grants`,
      data: { kind: 'no-tools', tools: 0 },
    };
  }
  const shown = r.tools.slice(0, 5).join(', ') + (r.tools.length > 5 ? ', …' : '');
  const era = r.protocol && r.protocol.era !== 'legacy' ? `; MCP ${r.protocol.version} (${r.protocol.era === 'dual' ? 'dual-era server' : 'modern-only server'})` : '';
  return {
    status: 'pass',
    summary: `${r.tools.length} tool${r.tools.length === 1 ? '' : 's'} (${shown})${era}${note ? `; ${note}` : ''}`,
    data: {
      tools: r.tools.length, toolNames: r.tools.slice(0, 50), ...(server_ ? { server: server_ } : {}), ...(r.protocolVersion ? { protocolVersion: r.protocolVersion } : {}),
      ...(r.protocol ? { protocol: r.protocol } : {}),
    },
  };
}
