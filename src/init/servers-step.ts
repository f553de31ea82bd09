/**
 * Step 3: which servers, picked from the workspace (Genie spaces searchable by title, Vector
 * Search indexes filtered by catalog.schema, UC schemas that hold functions, SQL, connections),
 * or taken from flags, which are validated like `add` does. Every server gets its title and a
 * unique default name.
 */
import type { Ctx } from '../context.js';
import type { Api } from '../databricks/api.js';
import { defaultServerName, mcpUrl, parseTarget, type McpTarget } from '../databricks/mcp-urls.js';
import { addKinds, flagTargets, initFlagSyntax, kindDef, type AddKind, type ServerFlags } from '../databricks/server-kinds/index.js';
import { checkKindAuth, isTargetRefusal, validateTarget } from '../databricks/validate-target.js';
import { appIsRunning, listApps, listCatalogs, listGenieSpaces, listMcpServices, listSchemas, listVectorIndexes, listWarehouses, type McpService } from '../databricks/workspace.js';
import { BackError, CancelledError, DbxMcpError, UsageError } from '../errors.js';
import type { Choice } from '../ui/prompter.js';
import { listConnections, listFunctionSchemas, matchesSearch } from './catalog.js';
import { hasServerFlags, type ChosenServer, type InitOptions, type WizardDefaults } from './options.js';

type Picked = { target: McpTarget; title: string; warnings?: string[]; url?: string };

/** `--genie <space_id>, …, --sql or --external <connection>`: every kind's init flag, for hints. */
export const SERVERS_FLAG = addKinds.map(initFlagSyntax).join(', ').replace(/, ([^,]*)$/, ' or $1');
const SHOW_AT_MOST = 60;

/** Targets named by flags (or by the caller's defaults), parsed (UsageError → exit 2). */
export function targetsFrom(s: ServerFlags): McpTarget[] {
  return flagTargets(s).map((t) => parseTarget(t.kind, t.raw));
}

/** `--name` names one server: with several it is a usage error (exit 2). */
export function checkNameFitsOne(name: string | undefined, servers: number): void {
  if (name && servers > 1) throw new UsageError('--name names one server, and several were chosen', { hint: 'Drop --name (each server is named after its target), or run init once per server.' });
}

export async function serversStep(ctx: Ctx, api: Api, o: InitOptions, d: WizardDefaults): Promise<ChosenServer[]> {
  let picked: Picked[];
  if (hasServerFlags(o) || !ctx.prompt.interactive) {
    const targets = targetsFrom(hasServerFlags(o) ? o : d);
    const spin = ctx.log.spinner(`Checking ${targets.length} server${targets.length === 1 ? '' : 's'} in ${api.host}`);
    try {
      picked = await Promise.all(targets.map((t) => validateTarget(api, t)));
      spin.stop();
      ctx.log.success(`Found ${picked.map((p) => p.title).join(', ')}`);
    } catch (e) {
      spin.stop(undefined, false);
      // In a terminal, a server the workspace refuses is not the end: pick from what it lists.
      if (!ctx.prompt.interactive || !isTargetRefusal(e)) throw e;
      ctx.log.warn(`${e.message}${e.hint ? `\n  ${e.hint}` : ''}`);
      ctx.log.info('Pick the servers from the workspace instead.');
      picked = await pickInteractively(ctx, api, d);
    }
  } else {
    picked = await pickInteractively(ctx, api, d);
  }
  if (picked.length === 0) throw new UsageError('No server was chosen', { hint: `Pick at least one, or pass ${SERVERS_FLAG}.` });
  checkNameFitsOne(o.name, picked.length);
  const used = new Set<string>();
  return picked.map((p) => {
    let name = o.name ?? d.names?.[`${p.target.kind}:${p.target.parts.join('.')}`] ?? defaultServerName(p.target, p.title);
    for (let i = 2; used.has(name); i++) name = `${defaultServerName(p.target, p.title)}-${i}`;
    used.add(name);
    for (const w of p.warnings ?? []) ctx.log.warn(w);
    return { target: p.target, title: p.title, name, url: p.url ?? mcpUrl(api.host, p.target), warnings: p.warnings ?? [] };
  });
}

async function withSpinner<T>(ctx: Ctx, text: string, fn: () => Promise<T>): Promise<T> {
  const spin = ctx.log.spinner(text);
  try {
    const r = await fn();
    spin.stop();
    return r;
  } catch (e) {
    spin.stop(undefined, false);
    throw e;
  }
}

async function pickInteractively(ctx: Ctx, api: Api, d: WizardDefaults, lastKinds?: AddKind[]): Promise<Picked[]> {
  const initialKinds = addKinds.filter((k) => flagTargets(d).some((t) => t.kind === k));
  const kinds = await ctx.prompt.multiselect<AddKind>({
    id: 'server-kinds',
    message: 'Which kinds of Databricks MCP servers?',
    flag: SERVERS_FLAG,
    choices: addKinds.map((k) => ({ value: k, ...kindDef(k).picker })),
    initial: lastKinds ?? (initialKinds.length ? initialKinds : ['genie']),
    required: true,
  });
  const out: Picked[] = [];
  try {
    for (const kind of kinds) out.push(...(await PICKERS[kind](ctx, api, flagTargets(d).filter((t) => t.kind === kind).map((t) => t.raw))));
  } catch (e) {
    // Escape at a list of servers: back to the kinds, with those ticked.
    if (e instanceof BackError) return pickInteractively(ctx, api, d, kinds);
    // Listing failed (network, grants): say why and go back to the kinds, with those ticked.
    if (!(e instanceof DbxMcpError) || e instanceof CancelledError) throw e;
    ctx.log.warn(`${e.message}${e.hint ? `\n  ${e.hint}` : ''}`);
    ctx.log.info('Choose the kinds of servers again (or press Ctrl-C to stop; nothing is written).');
    return pickInteractively(ctx, api, d, kinds);
  }
  return out;
}

function shortList<T>(ctx: Ctx, items: T[], what: string): T[] {
  if (items.length > SHOW_AT_MOST) ctx.log.info(`Showing the first ${SHOW_AT_MOST} of ${items.length} ${what}; search to narrow it down.`);
  return items.slice(0, SHOW_AT_MOST);
}

async function pickGenie(ctx: Ctx, api: Api, initial: string[]): Promise<Picked[]> {
  const spaces = await withSpinner(ctx, 'Listing Genie spaces', () => listGenieSpaces(api));
  if (spaces.length === 0) {
    ctx.log.warn('No Genie space is visible to you (create one, or ask its owner to share it with CAN RUN).');
    return [];
  }
  let shown = spaces;
  // Typing narrows a long list; an empty search keeps everything.
  for (;;) {
    if (spaces.length <= 12) break;
    const q = await ctx.prompt.text({ id: 'genie-search', message: `Search ${spaces.length} Genie spaces (words of the title; empty = all)`, flag: '--genie <space_id>', initial: '' });
    shown = spaces.filter((s) => matchesSearch(`${s.title} ${s.space_id} ${s.description ?? ''}`, q));
    if (shown.length) break;
    ctx.log.warn(`No Genie space matches "${q}".`);
  }
  const ids = await ctx.prompt.multiselect<string>({
    id: 'genie',
    message: 'Genie spaces',
    flag: '--genie <space_id>',
    choices: shortList(ctx, shown, 'spaces').map((s) => ({ value: s.space_id, label: s.title || s.space_id, hint: s.space_id })),
    initial: initial.filter((i) => shown.some((s) => s.space_id === i)),
    required: true,
  });
  return ids.map((id) => ({ target: { kind: 'genie', parts: [id] }, title: spaces.find((s) => s.space_id === id)?.title || id }));
}

async function pickVectorSearch(ctx: Ctx, api: Api, initial: string[]): Promise<Picked[]> {
  for (;;) {
    const prefix = (await ctx.prompt.text({ id: 'vector-search-filter', message: 'Vector Search indexes in which catalog.schema? (empty = all)', flag: '--vector-search <c.s[.index]>', initial: '', placeholder: 'main.docs' })).trim();
    const indexes = await withSpinner(ctx, 'Listing Vector Search endpoints and indexes', () => listVectorIndexes(api, prefix ? `${prefix.replace(/\.$/, '')}.` : undefined));
    if (indexes.length === 0) {
      ctx.log.warn(prefix ? `No Vector Search index in ${prefix}.` : 'No Vector Search index is visible to you.');
      if (!prefix) return [];
      continue;
    }
    const names = await ctx.prompt.multiselect<string>({
      id: 'vector-search',
      message: 'Vector Search indexes',
      flag: '--vector-search <c.s[.index]>',
      choices: shortList(ctx, indexes, 'indexes').map((i) => ({ value: i.name, label: i.name, hint: `${i.endpoint_name ?? ''}${i.status?.ready === false ? ' · not ready yet' : ''}` })),
      initial: initial.filter((n) => indexes.some((i) => i.name === n)),
      required: true,
    });
    return names.map((n) => ({
      target: { kind: 'vector-search', parts: n.split('.') },
      title: n,
      warnings: indexes.find((i) => i.name === n)?.status?.ready === false ? [`Index ${n} is not ready yet: searches return nothing until its first sync ends.`] : [],
    }));
  }
}

async function pickFunctions(ctx: Ctx, api: Api, initial: string[]): Promise<Picked[]> {
  const schemas = await withSpinner(ctx, 'Looking for Unity Catalog schemas with functions', () => listFunctionSchemas(api));
  if (schemas.length === 0) {
    ctx.log.warn('No schema with functions is visible to you (pass --functions <catalog>.<schema> to name one).');
    return [];
  }
  const choices: Choice<string>[] = shortList(ctx, schemas, 'schemas').map((s) => ({
    value: s.fullName,
    label: s.fullName,
    hint: `${s.functions.length} function${s.functions.length === 1 ? '' : 's'}: ${s.functions.slice(0, 3).join(', ')}${s.functions.length > 3 ? ', …' : ''}`,
  }));
  const names = await ctx.prompt.multiselect<string>({ id: 'functions', message: 'Unity Catalog function schemas (each becomes one server with all its functions)', flag: '--functions <c.s[.function]>', choices, initial: initial.filter((i) => schemas.some((s) => s.fullName === i)), required: true });
  return names.map((n) => ({ target: { kind: 'functions', parts: n.split('.') }, title: n }));
}

async function pickSql(ctx: Ctx, api: Api): Promise<Picked> {
  const whs = await withSpinner(ctx, 'Listing SQL warehouses', () => listWarehouses(api).catch(() => []));
  const warnings = whs.length === 0 ? ['No SQL warehouse is visible to you: the SQL server needs CAN USE on one (ask a workspace admin).'] : [];
  if (whs.length) ctx.log.info(`SQL runs on your warehouses (${whs.length}: ${whs.map((w) => w.name ?? w.id).join(', ')}).`);
  return { target: { kind: 'sql', parts: [] }, title: 'Databricks SQL', warnings };
}

async function pickExternal(ctx: Ctx, api: Api, initial: string[]): Promise<Picked[]> {
  const conns = await withSpinner(ctx, 'Listing Unity Catalog connections', () => listConnections(api).catch(() => []));
  if (conns.length === 0) {
    ctx.log.warn('No Unity Catalog connection is visible to you (pass --external <connection> to name one).');
    return [];
  }
  const names = await ctx.prompt.multiselect<string>({
    id: 'external',
    message: 'External MCP servers (Unity Catalog connections)',
    flag: '--external <connection>',
    choices: shortList(ctx, conns, 'connections').map((c) => ({ value: c.name, label: c.name, hint: [c.connection_type, c.comment].filter(Boolean).join(' · ') })),
    initial: initial.filter((i) => conns.some((c) => c.name === i)),
    required: true,
  });
  return names.map((n) => ({ target: { kind: 'external', parts: [n] }, title: n }));
}

/** The AI Gateway MCP services of `system.ai` and of every schema this identity can see (a schema it cannot list is left out). */
async function listVisibleMcpServices(api: Api): Promise<McpService[]> {
  const catalogs = await listCatalogs(api).catch(() => []);
  const schemas = (await Promise.all(catalogs.filter((c) => c.name !== 'system').map((c) => listSchemas(api, c.name).then((ss) => ss.map((s) => [c.name, s.name] as const), () => [])))).flat();
  const lists = await Promise.all([['system', 'ai'] as const, ...schemas].map(([c, s]) => listMcpServices(api, c, s).then((l) => l.map((x) => ({ ...x, full_name: x.full_name ?? `${c}.${s}.${x.name}` })), () => [])));
  return lists.flat();
}

async function pickMcpService(ctx: Ctx, api: Api, initial: string[]): Promise<Picked[]> {
  const services = await withSpinner(ctx, 'Listing AI Gateway MCP services', () => listVisibleMcpServices(api));
  if (services.length === 0) {
    ctx.log.warn('No AI Gateway MCP service is visible to you (pass --mcp-service <catalog>.<schema>.<name> to name one).');
    return [];
  }
  const names = await ctx.prompt.multiselect<string>({
    id: 'mcp-service',
    message: 'AI Gateway MCP services',
    flag: '--mcp-service <c.s.name>',
    choices: shortList(ctx, services, 'services').map((s) => ({ value: s.full_name!, label: s.full_name!, hint: s.comment ?? '' })),
    initial: initial.filter((i) => services.some((s) => s.full_name === i)),
    required: true,
  });
  return names.map((n) => ({ target: { kind: 'mcp-service', parts: n.split('.') }, title: n }));
}

async function pickApp(ctx: Ctx, api: Api, initial: string[]): Promise<Picked[]> {
  // Apps accept OAuth tokens only: refuse a PAT profile before listing, as `add app` does.
  checkKindAuth(kindDef('app'), api.config);
  const apps = (await withSpinner(ctx, 'Listing Databricks Apps', () => listApps(api))).filter((a) => a.url);
  if (apps.length === 0) {
    ctx.log.warn('No deployed Databricks App is visible to you (pass --app <app_name> to name one).');
    return [];
  }
  const names = await ctx.prompt.multiselect<string>({
    id: 'app',
    message: 'Databricks Apps (custom MCP servers at <app url>/mcp)',
    flag: '--app <app_name>',
    choices: shortList(ctx, apps, 'apps').map((a) => ({ value: a.name, label: a.name, hint: [a.description, appIsRunning(a) ? '' : 'not running'].filter(Boolean).join(' · ') })),
    initial: initial.filter((i) => apps.some((a) => a.name === i)),
    required: true,
  });
  return names.map((n) => {
    const a = apps.find((x) => x.name === n)!;
    return {
      target: { kind: 'app', parts: [n] },
      title: n,
      url: `${a.url!.replace(/\/+$/, '')}/mcp`,
      warnings: appIsRunning(a) ? [] : [`App ${n} is not running: its MCP server answers once it is started (databricks apps start ${n}).`],
    };
  });
}

/** The wizard's picker for each kind of the server-kind table; `initial` holds the targets its flag named. */
const PICKERS = {
  genie: pickGenie,
  'vector-search': pickVectorSearch,
  functions: pickFunctions,
  sql: async (ctx, api) => [await pickSql(ctx, api)],
  external: pickExternal,
  'mcp-service': pickMcpService,
  app: pickApp,
} satisfies Record<AddKind, (ctx: Ctx, api: Api, initial: string[]) => Promise<Picked[]>>;
