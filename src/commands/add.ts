/**
 * `dbx-mcp add <kind> <target>`: validate the target against the workspace (the Genie space
 * is readable, the schema/function/index/connection exists), name the server after it, and
 * write it into the chosen clients through the shared plan → diff → apply flow.
 */
import type { Ctx } from '../context.js';
import { createApi } from '../databricks/api.js';
import { checkPastedHost, defaultServerName, mcpUrl, parseTarget, targetOfMcpUrl } from '../databricks/mcp-urls.js';
import { AUTH_METHODS } from '../databricks/auth-methods/index.js';
import { addArguments, type AddKind } from '../databricks/server-kinds/index.js';
import { resolveConfig, type ResolvedConfig } from '../databricks/profiles.js';
import { routingIdsFromQuery } from '../databricks/host.js';
import { routingHeadersFor } from '../databricks/routing.js';
import { validateTarget, type ValidatedTarget } from '../databricks/validate-target.js';
import { UsageError, type ExitCode } from '../errors.js';
import type { ServerSpec } from '../clients/types.js';
import { planWrites, showConfirmApply } from '../workflows/write-flow.js';
import { checkScopeFlags, clientsForScope, reportSkipped, writesLiteralToken } from '../workflows/project-scope.js';
import { checkWriterOptions, parseOptions, specBase, WriterOptions } from '../workflows/writer-options.js';

/**
 * A pasted URL copied from a unified host's UI names its workspace (`?o=`/`?w=`): use it when
 * the profile names none; refuse a URL of another workspace than the one the profile routes to.
 */
function withPastedWorkspace(config: ResolvedConfig, rawTarget: string): ResolvedConfig {
  let pasted: { workspaceId?: string };
  try {
    pasted = routingIdsFromQuery(new URL(rawTarget.trim()).searchParams);
  } catch {
    return config; // not a URL: an id or a dotted name
  }
  if (!pasted.workspaceId) return config;
  if (config.workspaceId && config.workspaceId !== pasted.workspaceId) {
    throw new UsageError(`${rawTarget.trim()} is in workspace ${pasted.workspaceId}, and ${config.profile ? `profile "${config.profile}"` : 'the configuration'} is for workspace ${config.workspaceId}`, {
      code: 'WRONG_WORKSPACE',
      hint: `Use a profile whose workspace_id is ${pasted.workspaceId} (--profile <name>), or add it: workspace_id = ${pasted.workspaceId} in a profile for ${config.host}.`,
    });
  }
  return config.workspaceId ? config : { ...config, workspaceId: pasted.workspaceId, sources: { ...config.sources, workspace_id: { kind: 'host-query', name: 'the pasted URL' } } };
}

/** `add url <url>`: any Databricks MCP URL, added as the kind it belongs to. */
export const ADD_URL = 'url';

export async function runAdd(ctx: Ctx, raw: { kind: AddKind | typeof ADD_URL; target: string } & Record<string, unknown>): Promise<ExitCode> {
  const { kind: asked, target: rawTarget, ...rest } = raw;
  const o = parseOptions(WriterOptions, rest, `add ${asked}`);
  checkScopeFlags(o);
  const typed = asked === ADD_URL ? undefined : parseTarget(asked, rawTarget);
  checkWriterOptions(o);
  const config = withPastedWorkspace(resolveConfig(ctx, ctx.globals.profile), rawTarget);
  // A pasted URL is recognised (and its host checked against the profile's) before any request.
  if (typed) checkPastedHost(typed.kind, rawTarget, config.host);
  const target = typed ?? targetOfMcpUrl(rawTarget, config.host);
  const kind = target.kind;
  const { clients, skipped } = await clientsForScope(ctx, o.client, o.scope);
  reportSkipped(ctx, skipped);
  const api = createApi(ctx, config);

  const spin = ctx.log.spinner(`Checking ${kind} ${target.parts.join('.')} in ${config.host}`);
  let validated: ValidatedTarget;
  try {
    validated = await validateTarget(api, target);
    spin.stop(`Found ${validated.title}`);
  } catch (e) {
    spin.stop(undefined, false);
    throw e;
  }
  for (const w of validated.warnings) ctx.log.warn(w);
  // An app's pasted URL must be the one the Apps API gives for that app (its host is its own).
  if (asked === ADD_URL && validated.url && new URL(validated.url).origin !== new URL(rawTarget.trim()).origin) {
    throw new UsageError(`${rawTarget} is not the URL of ${kind} ${target.parts.join('.')} in ${config.host} (that is ${validated.url})`, { hint: `Run: dbx-mcp add ${addArguments(target)}` });
  }

  const literal = writesLiteralToken(o.auth ?? 'proxy', o) ? (await api.tokens.getToken()).token : undefined;
  if (literal) {
    ctx.log.warn(`The token is written into the client's file (user scope, mode 0600)${AUTH_METHODS[config.authType].oauth ? '; it is an OAuth token that expires within the hour, so prefer --auth proxy' : ''}.`);
  }
  const url = validated.url ?? mcpUrl(config.host, target);
  // On a unified host, entries that call the server themselves must name the workspace.
  const routing = await api.routing();
  const routingHeaders = routing.hostType === 'UNIFIED_HOST' ? routingHeadersFor(url, config, routing) : {};
  if (routing.hostType === 'UNIFIED_HOST' && (o.auth ?? 'proxy') === 'proxy' && config.sources.workspace_id?.name === 'the pasted URL') {
    // The proxy entry names the profile, and the profile names no workspace: it could not route.
    throw new UsageError(`Profile "${config.profile ?? '(env)'}" names no workspace on the unified host ${config.host}; the proxy entry would not reach workspace ${config.workspaceId}`, {
      code: 'UNROUTED_HOST',
      hint: `Add "workspace_id = ${config.workspaceId}" to [${config.profile ?? 'DEFAULT'}] in ${config.configFile}, then run the same command again.`,
    });
  }
  const spec: ServerSpec = {
    name: o.name ?? defaultServerName(target, validated.title),
    url,
    kind,
    ...specBase(ctx, o, config.profile, literal),
    ...(Object.keys(routingHeaders).length ? { routingHeaders } : {}),
  };
  const planned = await planWrites(ctx, { clients, scope: o.scope, upserts: [spec], force: o.force });
  return showConfirmApply(ctx, planned, {
    yes: ctx.globals.yes,
    dryRun: ctx.globals.dryRun,
    json: ctx.globals.json,
    jsonExtra: { name: spec.name, url: spec.url, kind, title: validated.title, auth: spec.auth, warnings: validated.warnings, skipped },
  });
}
