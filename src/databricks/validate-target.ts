/**
 * Checking a managed-MCP target against the workspace before anything is written: the Genie
 * space is readable, the schema/function/index/connection exists. One place, used by `add`,
 * the init wizard and `sync`, so all three accept and refuse the same targets.
 */
import type { Api } from './api.js';
import { DatabricksApiError } from './api-errors.js';
import type { McpTarget } from './mcp-urls.js';
import { getConnection, getFunction, getGenieSpace, getSchema, getVectorIndex, listWarehouses } from './workspace.js';
import { DbxMcpError } from '../errors.js';

export interface ValidatedTarget {
  target: McpTarget;
  /** What the user recognises: the space title, the full name, … */
  title: string;
  warnings: string[];
  /**
   * The MCP URL when validation resolved it (a kind whose server is not on the workspace host,
   * such as an app on its own host); otherwise it is built from the target (mcpUrl).
   */
  url?: string;
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
    case 'app':
      // An app's access is managed by the app; its URL is the whole target.
      return { target, title: full, warnings };
  }
}

/**
 * Whether a validateTarget failure is about that one target (it does not exist, or this
 * identity cannot see it), as opposed to the workspace or the sign-in (unreachable, invalid
 * token, IP access list), which every other target would hit too.
 */
export function isTargetRefusal(e: unknown): e is DbxMcpError {
  if (e instanceof DatabricksApiError) return e.kind === 'not-found' || e.kind === 'permission-denied';
  return e instanceof DbxMcpError && e.code === 'TARGET_NOT_FOUND';
}
