/**
 * `dbx-mcp add <kind> <target>`: validate the target against the workspace (the Genie space
 * is readable, the schema/function/index/connection exists), name the server after it, and
 * write it into the chosen clients through the shared plan → diff → apply flow.
 */
import type { Ctx } from '../context.js';
import { createApi, type Api } from '../databricks/api.js';
import { DatabricksApiError } from '../databricks/api-errors.js';
import { defaultServerName, mcpUrl, parseTarget, type McpTarget } from '../databricks/mcp-urls.js';
import { resolveConfig } from '../databricks/profiles.js';
import { getConnection, getFunction, getGenieSpace, getSchema, getVectorIndex, listWarehouses } from '../databricks/workspace.js';
import { DbxMcpError, type ExitCode } from '../errors.js';
import type { ServerSpec } from '../clients/types.js';
import { planWrites, showConfirmApply } from './shared/write-flow.js';
import { parseOptions, resolveClients, specBase, WriterOptions } from './shared/writer-options.js';

export type AddKind = 'genie' | 'vector-search' | 'functions' | 'sql' | 'external';

export interface ValidatedTarget {
  target: McpTarget;
  /** What the user recognises: the space title, the full name, … */
  title: string;
  warnings: string[];
}

/** Checks the target exists and is readable with this identity; returns its display title. */
export async function validateTarget(api: Api, target: McpTarget): Promise<ValidatedTarget> {
  const warnings: string[] = [];
  const full = target.parts.join('.');
  const notFound = (what: string, fix: string) => (e: unknown) => {
    if (e instanceof DatabricksApiError && (e.kind === 'not-found' || e.kind === 'permission-denied')) {
      throw new DbxMcpError(`${what} was not found, or you cannot see it, in ${api.host}`, { code: 'TARGET_NOT_FOUND', hint: fix, cause: e });
    }
    throw e;
  };
  switch (target.kind) {
    case 'genie': {
      const space = await getGenieSpace(api, target.parts[0]!);
      return { target, title: space.title || space.space_id, warnings };
    }
    case 'functions':
      if (target.parts.length === 3) {
        const f = await getFunction(api, full).catch(notFound(`Function ${full}`, `Check the name (SHOW FUNCTIONS IN ${target.parts[0]}.${target.parts[1]}), or ask its owner for EXECUTE.`));
        return { target, title: f.full_name ?? full, warnings };
      } else {
        const s = await getSchema(api, full).catch(notFound(`Schema ${full}`, `Check the name (SHOW SCHEMAS IN ${target.parts[0]}), or ask for USE CATALOG on ${target.parts[0]} and USE SCHEMA on ${full}.`));
        return { target, title: s.full_name ?? full, warnings };
      }
    case 'vector-search':
      if (target.parts.length === 3) {
        const idx = await getVectorIndex(api, full).catch(notFound(`Vector Search index ${full}`, 'Check the index name in Catalog Explorer, or ask for SELECT on it.'));
        if (idx.status?.ready === false) warnings.push(`Index ${full} is not ready yet (first sync running): searches return nothing until it is.`);
        return { target, title: idx.name, warnings };
      } else {
        const s = await getSchema(api, full).catch(notFound(`Schema ${full}`, `Check the name, or ask for USE CATALOG/USE SCHEMA on ${full}.`));
        return { target, title: s.full_name ?? full, warnings };
      }
    case 'sql': {
      const whs = await listWarehouses(api);
      if (whs.length === 0) warnings.push('No SQL warehouse is visible to you: the SQL server needs CAN USE on one (ask a workspace admin).');
      return { target, title: 'Databricks SQL', warnings };
    }
    case 'external': {
      const c = await getConnection(api, target.parts[0]!).catch(notFound(`Connection ${target.parts[0]}`, 'Check the connection name in Catalog → External data → Connections, or ask its owner for USE CONNECTION.'));
      return { target, title: c.name, warnings };
    }
    default:
      return { target, title: full, warnings };
  }
}

export async function runAdd(ctx: Ctx, raw: { kind: AddKind; target: string } & Record<string, unknown>): Promise<ExitCode> {
  const { kind, target: rawTarget, ...rest } = raw;
  const o = parseOptions(WriterOptions, rest, `add ${kind}`);
  const target = parseTarget(kind, rawTarget);
  const config = resolveConfig(ctx, ctx.globals.profile);
  const clients = await resolveClients(ctx, o.client);
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

  const needsLiteral = o.literalToken || o.auth === 'mcp-remote';
  const literal = needsLiteral ? (await api.tokens.getToken()).token : undefined;
  if (literal) {
    ctx.log.warn(`The token is written into the client's file (user scope, mode 0600)${config.authType === 'pat' ? '' : '; it is an OAuth token that expires within the hour, so prefer --auth proxy'}.`);
  }
  const spec: ServerSpec = {
    name: o.name ?? defaultServerName(target, validated.title),
    url: mcpUrl(config.host, target),
    kind,
    ...specBase(ctx, o, config.profile, literal),
  };
  const planned = await planWrites(ctx, { clients, scope: o.scope, upserts: [spec], force: o.force });
  return showConfirmApply(ctx, planned, {
    yes: ctx.globals.yes,
    dryRun: ctx.globals.dryRun,
    json: ctx.globals.json,
    jsonExtra: { name: spec.name, url: spec.url, kind, title: validated.title, auth: spec.auth, warnings: validated.warnings },
  });
}
