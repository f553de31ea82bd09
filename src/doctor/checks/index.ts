/** The full list of checks for a run, built from the gathered facts (one per server/client). */
import { readerFor } from '../../clients/read-entry.js';
import { clientIds } from '../../clients/registry.js';
import type { Facts } from '../facts.js';
import { createHandshakeRunner, type HandshakeRunner } from '../handshakes.js';
import type { Check } from '../types.js';
import { clientConfigCheck } from './client-config.js';
import { hostRoutingCheck } from './host-routing.js';
import { hasManagedFiles, managedPolicyCheck } from './managed-policy.js';
import { guiNodeCheck, nodeVersionCheck } from './environment.js';
import { oauthRedirectsCheck } from './oauth-redirects.js';
import { pendingWriteCheck } from './pending-write.js';
import { profileCliCheck, profileResolvedCheck } from './profile.js';
import { grantsCheck } from './server-grants.js';
import { handshakeCheck } from './server-handshake.js';
import { authTokenCheck, currentUserCheck, workspaceReachableCheck } from './workspace.js';

/**
 * Id prefixes that are valid in --only/--skip even when this run has no check under them
 * (no server configured, a client not installed here): a CI gate shared by a team stays valid.
 */
export function checkFamilies(): string[] {
  return ['env', 'profile', 'workspace', 'auth', 'server', 'client', ...clientIds.map((id) => `client.${id}`), 'oauth'];
}

/** Every check of a run; the handshakes share one runner (pool, dedupe, in-process proxies). */
export function buildChecks(facts: Facts, handshakes: HandshakeRunner = createHandshakeRunner()): Check[] {
  const entries = facts.clients.flatMap((c) => c.files.flatMap((f) => f.entries));
  const stdio = entries.filter((e) => readerFor(e.client)(e.entry)?.transport === 'stdio');
  return [
    nodeVersionCheck,
    guiNodeCheck(stdio),
    pendingWriteCheck,
    profileResolvedCheck,
    profileCliCheck,
    hostRoutingCheck,
    workspaceReachableCheck,
    authTokenCheck,
    currentUserCheck,
    ...facts.servers.flatMap((s) => [handshakeCheck(s, handshakes), grantsCheck(s)]),
    ...facts.clients.map(clientConfigCheck),
    ...facts.clients.filter(hasManagedFiles).map(managedPolicyCheck),
    oauthRedirectsCheck(entries),
  ];
}
