/**
 * Turns what went wrong (a classified Databricks error, a network failure, a token-source
 * error) into a check result with a `data.kind` from the contract's vocabulary and the exact
 * fix. One place, so every check words the same problem the same way.
 */
import { DatabricksApiError, defaultHint, type ApiErrorInfo } from '../databricks/api-errors.js';
import { NetworkError } from '../databricks/network.js';
import { AUTH_ERROR_KINDS, deadTokenFix, noCredentialFix } from '../databricks/auth-methods/index.js';
import { loginCommand, type AuthType } from '../databricks/profiles.js';
import { UNROUTED_HOST } from '../databricks/unrouted.js';
import { isDbxMcpError } from '../errors.js';
import { redact } from '../secrets.js';
import type { CheckResult } from './types.js';

/** Who is calling, for fixes that name the profile and host. */
export interface AuthContext {
  profile?: string;
  host?: string;
  authType?: AuthType;
  /** The principal the grants are for (SCIM userName). */
  user?: string;
}

/** A SQL identifier part, back-quoted when it is not a plain name. */
function ident(part: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? part : `\`${part.replace(/`/g, '``')}\``;
}

/**
 * The GRANT statement to ask an owner for, e.g.
 * GRANT USE CATALOG ON CATALOG main TO `jane@example.com`.
 */
export function grantStatement(privilege: string, securableType: string, securable: string, principal: string): string {
  const name = securableType.toUpperCase() === 'CONNECTION' ? ident(securable) : securable.split('.').map(ident).join('.');
  return `GRANT ${privilege.replace(/_/g, ' ').toUpperCase()} ON ${securableType.toUpperCase()} ${name} TO \`${principal}\``;
}

/** The result for a missing UC privilege. */
export function missingPrivilege(privilege: string, securableType: string, securable: string, principal: string | undefined, extra = ''): CheckResult {
  const who = principal ?? '<you>';
  const stmt = grantStatement(privilege, securableType, securable, who);
  return {
    status: 'fail',
    summary: `${principal ?? 'You'} lack${principal ? 's' : ''} ${privilege.replace(/_/g, ' ')} on ${securableType.toLowerCase()} ${securable}${extra}`,
    fix: `Ask the owner of ${securable} (or a metastore admin) to run: ${stmt}`,
    data: { kind: 'missing-privilege', privilege: privilege.toUpperCase(), securableType: securableType.toUpperCase(), securable, principal: who, grant: stmt },
  };
}

/** The exact fix for a dead token, from the auth-method table (the proxy and the commands use the same one). */
export function tokenFix(a: AuthContext): string {
  return deadTokenFix(a.authType, a);
}

/** The fix and note for an IP access list block. */
export function ipAclResult(info: NonNullable<ApiErrorInfo['ipAcl']>): CheckResult {
  const account = info.scope === 'account';
  const json = `'{"label":"dbx-mcp","list_type":"ALLOW","ip_addresses":["${info.sourceIp}/32"]}'`;
  const cmd = account ? `databricks account ip-access-lists create --json ${json}` : `databricks ip-access-lists create --json ${json}`;
  return {
    status: 'fail',
    summary: `Source IP ${info.sourceIp} is blocked by the ${account ? 'account' : 'workspace'} IP access list`,
    fix:
      `Ask a ${account ? 'account' : 'workspace'} admin to add ${info.sourceIp} to an ALLOW list: ${cmd} ` +
      `(or connect from an allowed network / VPN). Note: hosted connectors (claude.ai, ChatGPT) reach Databricks from the vendor's IP ranges, not from this machine; those ranges must be allow-listed too.`,
    data: { kind: 'ip-acl', sourceIp: info.sourceIp, ...(account ? { accountId: info.id } : { workspaceId: info.id }) },
  };
}

/**
 * Diagnosis of a classified API error. `notFound` words a 404 for the thing being looked at.
 * The request id, when the workspace gave one, is in the details (--verbose) of every diagnosis.
 */
export function diagnoseApi(info: ApiErrorInfo, a: AuthContext, notFound?: { what: string; fix: string; kind?: string }): CheckResult {
  const r = diagnoseApiKind(info, a, notFound);
  return info.requestId ? { ...r, details: [...(r.details ?? []), `request id: ${info.requestId}`] } : r;
}

function diagnoseApiKind(info: ApiErrorInfo, a: AuthContext, notFound?: { what: string; fix: string; kind?: string }): CheckResult {
  const raw = info.message ? `${info.status} ${info.errorCode ? `${info.errorCode}: ` : ''}${info.message}` : `HTTP ${info.status}${info.errorCode ? ` ${info.errorCode}` : ''}`;
  switch (info.kind) {
    case 'ip-acl':
      return ipAclResult(info.ipAcl!);
    case 'rate-limited':
      return {
        status: 'warn',
        blocking: true,
        // The status and code say it all; Databricks' message ("Request rate limit exceeded…") would only repeat it.
        summary: `Databricks is rate-limiting requests (HTTP ${info.status}${info.errorCode ? ` ${info.errorCode}` : ''}), so this could not be checked`,
        fix: `Wait ${info.retryAfterMs ? `${Math.ceil(info.retryAfterMs / 1000)} s` : 'a minute'} and run dbx-mcp doctor again.`,
        data: { kind: 'rate-limited', ...(info.retryAfterMs !== undefined ? { retryAfterMs: info.retryAfterMs } : {}) },
      };
    case 'unavailable':
    case 'server-error':
      return {
        status: 'warn',
        blocking: true,
        summary: `The workspace answered ${raw}; this could not be checked`,
        fix: 'Retry in a minute; if it persists, check https://status.databricks.com.',
        data: { kind: 'unavailable', status: info.status },
      };
    case 'invalid-token':
      return { status: 'fail', summary: `The token is invalid or expired (${raw})`, fix: tokenFix(a), data: { kind: 'invalid-token' } };
    case 'no-credentials':
      return {
        status: 'fail',
        summary: `No usable credential reached the workspace (${raw})`,
        fix: noCredentialFix(a.authType, a),
        data: { kind: 'no-credentials' },
      };
    case 'wrong-workspace':
      return {
        status: 'fail',
        summary: `The token belongs to another workspace or to the account console (${raw})`,
        fix: `Use a profile whose host is this workspace: ${loginCommand(a.host, a.profile)}`,
        data: { kind: 'wrong-workspace' },
      };
    case 'missing-entitlement':
      return {
        status: 'fail',
        summary: `Missing workspace entitlement (${raw})`,
        fix: `Ask a workspace admin to give ${a.user ?? 'you'} the workspace-access (or databricks-sql-access) entitlement.`,
        data: { kind: 'missing-entitlement' },
      };
    case 'not-found':
      if (notFound) return { status: 'fail', summary: `${notFound.what} (${raw})`, fix: notFound.fix, data: { kind: notFound.kind ?? 'not-found' } };
      return { status: 'fail', summary: `Not found (${raw})`, fix: 'Check the URL or name (the workspace host, then the path), and that you can see it in the workspace UI.', data: { kind: 'not-found' } };
    case 'no-access':
      if (info.missingPrivilege) {
        const m = info.missingPrivilege;
        return missingPrivilege(m.privilege, m.securableType, m.securable, a.user);
      }
      // The contract's word for "you may not" is no-access; a target that words its own (an app: CAN USE) says what to ask for.
      if (notFound?.kind === 'no-access') return { status: 'fail', summary: `${notFound.what} (${raw})`, fix: notFound.fix, data: { kind: 'no-access' } };
      return { status: 'fail', summary: `Permission denied (${raw})`, fix: 'Ask the owner of the resource (or a workspace admin) for access.', data: { kind: 'no-access' } };
    case 'redirect':
      return {
        status: 'fail',
        summary: `The workspace answered HTTP ${info.status}: ${info.message}`,
        fix: defaultHint(info, a.profile) as string,
        data: { kind: 'redirected', status: info.status, ...(info.location ? { location: info.location } : {}) },
      };
    default:
      return {
        status: 'fail',
        summary: `The workspace answered ${raw}`,
        fix: `If it persists, check https://status.databricks.com or contact your workspace admin${info.requestId ? ` with request id ${info.requestId}` : ' with the time it happened'}.`,
        data: { kind: 'api-error', status: info.status, ...(info.requestId ? { requestId: info.requestId } : {}) },
      };
  }
}

/** The fix for a network failure that came without a more precise hint. */
export const NETWORK_FIX = 'Check the workspace host, your network or VPN, and HTTPS_PROXY / NODE_EXTRA_CA_CERTS if you are behind a proxy; then run dbx-mcp doctor again.';

/** Diagnosis of any error thrown while checking. */
export function diagnoseError(e: unknown, a: AuthContext, notFound?: { what: string; fix: string; kind?: string }): CheckResult {
  if (e instanceof NetworkError) {
    return { status: 'fail', summary: redact(e.message), fix: e.hint ?? NETWORK_FIX, data: { kind: 'unreachable', network: e.network } };
  }
  if (e instanceof DatabricksApiError) return diagnoseApi(e.info, a, notFound);
  if (isDbxMcpError(e)) {
    // A token source's own failures are classified by its auth method (auth-methods/).
    const kind =
      (e.code !== undefined ? AUTH_ERROR_KINDS[e.code] : undefined) ?? (e.code === 'NO_CONFIG' || e.code === 'NO_DEFAULT_PROFILE' || e.code === 'NO_HOST' || e.code === 'PROFILE_NOT_FOUND' ? 'no-credentials'
      : e.code === 'API_SHAPE' ? 'api-shape'
      : e.code === UNROUTED_HOST ? 'unrouted-host'
      : 'config-invalid');
    return { status: 'fail', summary: redact(e.message), fix: e.hint ? redact(e.hint) : 'Run dbx-mcp doctor --verbose for details.', data: { kind, code: e.code } };
  }
  throw e;
}
