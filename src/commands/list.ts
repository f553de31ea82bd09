/** `dbx-mcp list`: servers per client (both scopes unless --scope), with their auth mode. */
import { clientIds, getClient, listServers } from '../clients/index.js';
import { pathInputOf } from '../clients/detect.js';
import { entryEra, type EntryEra } from '../clients/entry-era.js';
import type { ClientId, Scope } from '../clients/types.js';
import type { Ctx } from '../context.js';
import { ExitCode, isDbxMcpError } from '../errors.js';
import { resolveClients } from '../workflows/writer-options.js';
import { LIST_FLAGS } from '../workflows/flags.js';
import { optionsSchema, parseOptions } from '../workflows/parse-options.js';
import { displayPath, findProjectRoot } from '../util/paths.js';
import { pendingWrite } from '../clients/pending-write.js';

/** Validated from the flags' one declaration (workflows/flags.ts). */
const ListOptions = optionsSchema(LIST_FLAGS);

export async function runList(ctx: Ctx, raw: object): Promise<ExitCode> {
  const o = parseOptions(ListOptions, raw, 'list');
  const clients: ClientId[] = o.client?.length ? await resolveClients(ctx, o.client) : [...clientIds];
  const scopes: Scope[] = o.scope ? [o.scope] : ['user', 'project'];
  const projectRoot = findProjectRoot(ctx);
  const rows: { client: ClientId; scope: Scope; file: string; name: string; url?: string; auth: string; owned: boolean; databricks: boolean; era?: EntryEra }[] = [];
  const errors: { client: ClientId; scope: Scope; message: string }[] = [];
  const seen = new Set<string>();
  for (const client of clients) {
    for (const scope of scopes) {
      const file = getClient(client).configPath(pathInputOf(ctx, projectRoot), scope);
      // In the home directory a project file can be the user file itself (~/.cursor/mcp.json).
      if (!file || seen.has(file)) continue;
      seen.add(file);
      try {
        for (const s of await listServers(ctx, client, scope, { projectRoot })) {
          const era = entryEra(client, s.auth);
          rows.push({ client, scope, file, name: s.name, url: s.url, auth: s.auth, owned: s.owned, databricks: s.databricks, ...(era ? { era } : {}) });
        }
      } catch (e) {
        errors.push({ client, scope, message: isDbxMcpError(e) ? e.message : String(e) });
      }
    }
  }
  // An interrupted write means a file and the records may disagree until it is recovered.
  const pending = await pendingWrite(ctx);
  if (ctx.globals.json) {
    ctx.log.out(JSON.stringify({ servers: rows, errors, ...(pending && { pendingWrite: { files: pending.files, recovery: pending.direction, message: pending.message, fix: pending.fix } }) }));
    return errors.length ? ExitCode.Failed : ExitCode.Ok;
  }
  if (pending) ctx.log.warn(`${pending.message}. ${pending.fix}`);
  if (rows.length === 0 && errors.length === 0) {
    ctx.log.info('No MCP servers configured in any client. Add one: dbx-mcp add genie <space_id> (or run dbx-mcp init).');
  }
  // Columns sized over every row (the tags vary in length), so the URLs line up.
  const tagsOf = (r: (typeof rows)[number]) => [r.auth, r.owned ? 'dbx-mcp' : r.databricks ? 'databricks, not written by dbx-mcp' : ''].filter(Boolean).join(', ');
  const nameWidth = Math.max(36, ...rows.map((r) => r.name.length));
  const tagsWidth = Math.max(0, ...rows.map((r) => tagsOf(r).length));
  const groups = new Map<string, typeof rows>();
  for (const r of rows) groups.set(`${r.client}\u0000${r.file}`, [...(groups.get(`${r.client}\u0000${r.file}`) ?? []), r]);
  for (const [key, list] of groups) {
    const [client, file] = key.split('\u0000') as [ClientId, string];
    ctx.log.out(`${getClient(client).displayName} (${displayPath(ctx, file)})`);
    for (const r of list) {
      const tags = tagsOf(r);
      ctx.log.out(r.url ? `  ${r.name.padEnd(nameWidth)} ${tags.padEnd(tagsWidth)}  ${r.url}` : `  ${r.name.padEnd(nameWidth)} ${tags}`);
    }
  }
  for (const e of errors) ctx.log.error(`${e.client} (${e.scope}): ${e.message}`);
  return errors.length ? ExitCode.Failed : ExitCode.Ok;
}
