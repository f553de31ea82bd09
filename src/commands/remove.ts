/** `dbx-mcp remove <name>`: removes that server from the clients (only entries dbx-mcp wrote). */
import { z } from 'zod';
import type { Ctx } from '../context.js';
import { ExitCode } from '../errors.js';
import { planWrites, showConfirmApply } from '../workflows/write-flow.js';
import { clientsForScope } from '../workflows/project-scope.js';
import { optionsSchema, parseOptions } from '../workflows/parse-options.js';
import { REMOVE_FLAGS } from '../workflows/flags.js';

/** Validated from the flags' one declaration (workflows/flags.ts). */
const RemoveOptions = optionsSchema(REMOVE_FLAGS).extend({ name: z.string().min(1) });

export async function runRemove(ctx: Ctx, raw: object): Promise<ExitCode> {
  const o = parseOptions(RemoveOptions, raw, 'remove', ['name']);
  // Removing looks in every client (with a file for the scope) unless told otherwise: the
  // server may be in one we no longer detect.
  const { clients } = await clientsForScope(ctx, o.client, o.scope, { candidates: 'all' });
  const planned = await planWrites(ctx, { clients, scope: o.scope, removals: clients.map((client) => ({ client, name: o.name })), force: o.force });
  if (planned.outcomes.every((x) => x.status === 'absent')) {
    if (ctx.globals.json) ctx.log.out(JSON.stringify({ ok: true, changed: false, name: o.name, entries: [] }));
    else ctx.log.success(`No changes: no client has a server named "${o.name}".`);
    return ExitCode.Ok;
  }
  return showConfirmApply(ctx, planned, { yes: ctx.globals.yes, dryRun: ctx.globals.dryRun, json: ctx.globals.json, jsonExtra: { name: o.name } });
}
