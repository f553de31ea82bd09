/**
 * Causes, not checks: one IP access list block fails the identity check and every handshake;
 * one revoked grant fails a server's grants check and its handshake. The summary counts each
 * cause once ("found 1 problem (3 checks failed)"), so a user fixes one thing, not three.
 */
import type { CheckOutcome } from './types.js';

/** Diagnoses of the sign-in or the network, not of one server: every check they fail with the same fix is one cause. */
const SHARED = new Set(['ip-acl', 'invalid-token', 'no-credentials', 'wrong-workspace', 'missing-entitlement', 'unreachable', 'rate-limited', 'unavailable', 'unrouted-host']);
/** A server's access diagnoses: its grants check and its handshake failing with these are one cause (the grant). */
const ACCESS = new Set(['no-access', 'missing-privilege', 'not-found', 'app-not-running', 'no-warehouse']);

/** The cause a failed or warned check stands for: a key shared by every check the same cause fails. */
export function causeOf(o: CheckOutcome): string {
  const kind = typeof o.data?.kind === 'string' ? o.data.kind : undefined;
  if (kind && SHARED.has(kind)) return `${kind}:${kind === 'ip-acl' ? String(o.data?.sourceIp) : `${String(o.data?.network ?? '')}:${o.fix ?? ''}`}`;
  if (o.group === 'server' && o.subject !== undefined && kind && ACCESS.has(kind)) return `server:${o.subject}:access`;
  return o.id;
}

/** How many distinct causes the failed checks have. */
export function countProblems(checks: readonly CheckOutcome[]): number {
  return new Set(checks.filter((c) => c.status === 'fail').map(causeOf)).size;
}
