/**
 * `dbx-mcp add <kind> <target>`: validate the target against the workspace (the Genie space
 * is readable, the schema/function/index/connection exists), name the server after it, and
 * write it into the chosen clients through the shared plan → diff → apply flow.
 */
import type { Ctx } from '../context.js';
import { createApi } from '../databricks/api.js';
import { defaultServerName, mcpUrl, parseTarget } from '../databricks/mcp-urls.js';
import { AUTH_METHODS } from '../databricks/auth-methods/index.js';
import type { AddKind } from '../databricks/server-kinds/index.js';
import { resolveConfig } from '../databricks/profiles.js';
import { validateTarget, type ValidatedTarget } from '../databricks/validate-target.js';
import type { ExitCode } from '../errors.js';
import type { ServerSpec } from '../clients/types.js';
import { planWrites, showConfirmApply } from '../workflows/write-flow.js';
import { checkScopeFlags, clientsForScope, reportSkipped, writesLiteralToken } from '../workflows/project-scope.js';
import { checkWriterOptions, parseOptions, specBase, WriterOptions } from '../workflows/writer-options.js';

export async function runAdd(ctx: Ctx, raw: { kind: AddKind; target: string } & Record<string, unknown>): Promise<ExitCode> {
  const { kind, target: rawTarget, ...rest } = raw;
  const o = parseOptions(WriterOptions, rest, `add ${kind}`);
  checkScopeFlags(o);
  const target = parseTarget(kind, rawTarget);
  checkWriterOptions(o);
  const config = resolveConfig(ctx, ctx.globals.profile);
  const { clients, skipped } = await clientsForScope(ctx, o.client, o.scope);
  reportSkipped(ctx, skipped);
  const api = createApi(ctx, config);

  const spin = ctx.log.spinner(`Checking ${kind} ${rawTarget} in ${config.host}`);
  let validated: ValidatedTarget;
  try {
    validated = await validateTarget(api, target);
    spin.stop(`Found ${validated.title}`);
  } catch (e) {
    spin.stop(undefined, false);
    throw e;
  }
  for (const w of validated.warnings) ctx.log.warn(w);

  const literal = writesLiteralToken(o.auth ?? 'proxy', o) ? (await api.tokens.getToken()).token : undefined;
  if (literal) {
    ctx.log.warn(`The token is written into the client's file (user scope, mode 0600)${AUTH_METHODS[config.authType].oauth ? '; it is an OAuth token that expires within the hour, so prefer --auth proxy' : ''}.`);
  }
  const spec: ServerSpec = {
    name: o.name ?? defaultServerName(target, validated.title),
    url: validated.url ?? mcpUrl(config.host, target),
    kind,
    ...specBase(ctx, o, config.profile, literal),
  };
  const planned = await planWrites(ctx, { clients, scope: o.scope, upserts: [spec], force: o.force });
  return showConfirmApply(ctx, planned, {
    yes: ctx.globals.yes,
    dryRun: ctx.globals.dryRun,
    json: ctx.globals.json,
    jsonExtra: { name: spec.name, url: spec.url, kind, title: validated.title, auth: spec.auth, warnings: validated.warnings, skipped },
  });
}
