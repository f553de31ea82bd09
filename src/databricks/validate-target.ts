/**
 * Checking a managed-MCP target against the workspace before anything is written: the Genie
 * space is readable, the schema/function/index/connection exists. One place, used by `add`,
 * the init wizard and `sync`, so all three accept and refuse the same targets.
 */
import type { Api } from './api.js';
import { DatabricksApiError } from './api-errors.js';
import type { McpTarget } from './mcp-urls.js';
import { AUTH_METHODS } from './auth-methods/index.js';
import type { ResolvedConfig } from './profiles.js';
import { kindDef, type RefusedAs, type ServerKindDef } from './server-kinds/index.js';
import { DbxMcpError, UsageError } from '../errors.js';

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

/**
 * Checks the target exists and is readable with this identity; returns its display title.
 * A kind that cannot use the profile's auth method is refused first (UsageError, before the
 * network), so add, init and sync write nothing for it.
 */
export async function validateTarget(api: Api, target: McpTarget): Promise<ValidatedTarget> {
  const def = kindDef(target.kind);
  checkKindAuth(def, api.config);
  const refusedAs: RefusedAs = (what, fix) => (e) => {
    if (e instanceof DatabricksApiError && (e.kind === 'not-found' || e.kind === 'no-access')) {
      throw new DbxMcpError(`${what} was not found, or you cannot see it, in ${api.host}`, { code: 'TARGET_NOT_FOUND', hint: fix, cause: e });
    }
    throw e;
  };
  const { title, warnings, url } = await def.validate(api, target.parts, refusedAs);
  return { target, title, warnings, ...(url ? { url } : {}) };
}

/** Refuses (UsageError, exit 2) a kind whose definition cannot use the profile's auth method. */
export function checkKindAuth(def: ServerKindDef, config: Pick<ResolvedConfig, 'authType' | 'profile'> & { host?: string }): void {
  const refusal = def.refuseAuth?.({ type: config.authType, oauth: AUTH_METHODS[config.authType].oauth, host: config.host }, config.profile);
  if (refusal) throw new UsageError(refusal.message, { hint: refusal.hint });
}

/**
 * Whether a validateTarget failure is about that one target (it does not exist, or this
 * identity cannot see it), as opposed to the workspace or the sign-in (unreachable, invalid
 * token, IP access list), which every other target would hit too.
 */
export function isTargetRefusal(e: unknown): e is DbxMcpError {
  if (e instanceof DatabricksApiError) return e.kind === 'not-found' || e.kind === 'no-access';
  return e instanceof DbxMcpError && e.code === 'TARGET_NOT_FOUND';
}
