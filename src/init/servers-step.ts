/**
 * Step 3: which servers, picked from the workspace (each kind lists its candidates: its `pick`
 * in databricks/server-kinds/), or taken from flags, which are validated like `add` does. Every server gets its title and a
 * unique default name.
 */
import type { Ctx } from '../context.js';
import type { Api } from '../databricks/api.js';
import { checkPastedHost, defaultServerName, mcpUrl, parseTarget, type McpTarget } from '../databricks/mcp-urls.js';
import { addKinds, flagTargets, initFlagSyntax, kindDef, type AddKind, type PickKit, type ServerFlags } from '../databricks/server-kinds/index.js';
import { checkKindAuth, isTargetRefusal, validateTarget } from '../databricks/validate-target.js';
import { BackError, CancelledError, DbxMcpError, UsageError } from '../errors.js';
import { hasServerFlags, type ChosenServer, type InitOptions, type WizardDefaults } from './options.js';

type Picked = { target: McpTarget; title: string; warnings?: string[]; url?: string };

/** `--genie <space_id>, …, --sql or --external <connection>`: every kind's init flag, for hints. */
export const SERVERS_FLAG = addKinds.map(initFlagSyntax).join(', ').replace(/, ([^,]*)$/, ' or $1');
const SHOW_AT_MOST = 60;

/** Targets named by flags (or by the caller's defaults), parsed (UsageError → exit 2). */
export function targetsFrom(s: ServerFlags, host?: string): McpTarget[] {
  return flagTargets(s).map((t) => {
    const target = parseTarget(t.kind, t.raw);
    // A pasted URL of another workspace is refused, as `add` refuses it.
    if (host) checkPastedHost(t.kind, t.raw, host);
    return target;
  });
}

/** `--name` names one server: with several it is a usage error (exit 2). */
export function checkNameFitsOne(name: string | undefined, servers: number): void {
  if (name && servers > 1) throw new UsageError('--name names one server, and several were chosen', { hint: 'Drop --name (each server is named after its target), or run init once per server.' });
}

export async function serversStep(ctx: Ctx, api: Api, o: InitOptions, d: WizardDefaults): Promise<ChosenServer[]> {
  let picked: Picked[];
  if (hasServerFlags(o) || !ctx.prompt.interactive) {
    const targets = targetsFrom(hasServerFlags(o) ? o : d, api.host);
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

/** One kind's candidates, listed and picked by the kind's own `pick` (a profile the kind refuses is refused before listing, as `add` does). */
async function pickKind(ctx: Ctx, api: Api, kind: AddKind, initial: string[]): Promise<Picked[]> {
  const def = kindDef(kind);
  if (def.refuseAuth) checkKindAuth(def, api.config);
  const kit: PickKit = {
    api,
    initial,
    prompt: ctx.prompt,
    warn: (m) => ctx.log.warn(m),
    info: (m) => ctx.log.info(m),
    listing: (text, fn) => withSpinner(ctx, text, fn),
    shortList: (items, what) => {
      if (items.length > SHOW_AT_MOST) ctx.log.info(`Showing the first ${SHOW_AT_MOST} of ${items.length} ${what}; search to narrow it down.`);
      return items.slice(0, SHOW_AT_MOST);
    },
  };
  return (await def.pick(kit)).map((p) => ({ ...p, target: { kind, parts: p.parts } }));
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
    for (const kind of kinds) out.push(...(await pickKind(ctx, api, kind, flagTargets(d).filter((t) => t.kind === kind).map((t) => t.raw))));
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
