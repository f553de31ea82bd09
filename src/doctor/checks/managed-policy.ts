/**
 * `client.<id>.policy`, on a laptop with managed files (fleet): which servers the admin manages,
 * and every server the user added that the managed policy blocks (`blocked-by-policy`, naming
 * the policy file), so "my server is gone" has its answer. The managed servers themselves are
 * checked like every other entry (their handshakes are under Servers).
 */
import { clientDefinition } from '../../clients/catalog/index.js';
import { readerFor } from '../../clients/read-entry.js';
import { displayPath } from '../../util/paths.js';
import type { ClientFact } from '../facts.js';
import type { Check, CheckResult } from '../types.js';

/** True when the client has managed files on this machine (so it gets a policy check). */
export function hasManagedFiles(c: ClientFact): boolean {
  return c.managed.docs.length > 0 || c.managed.unreadable.length > 0;
}

export function managedPolicyCheck(c: ClientFact): Check {
  return {
    id: `client.${c.id}.policy`,
    title: `${c.id} managed policy`,
    group: 'client',
    subject: c.id,
    async run(ctx): Promise<CheckResult> {
      const bad = c.managed.unreadable[0];
      if (bad) {
        return {
          status: 'fail',
          summary: `the managed file ${bad.file} cannot be read: ${bad.message}`,
          fix: `Ask your IT admin to redeploy ${bad.file} (dbx-mcp fleet install); the client may ignore or refuse it.`,
          data: { kind: 'config-invalid', file: bad.file },
        };
      }
      const blocks = clientDefinition(c.id).managed.blocks;
      const managed = c.files.filter((f) => f.managed).flatMap((f) => f.entries.map((e) => e.name));
      const files = c.managed.docs.map((d) => displayPath(ctx, d.file));
      const read = readerFor(c.id);
      const blocked = c.files
        .filter((f) => !f.managed)
        .flatMap((f) => f.entries.filter((e) => !e.disabled).flatMap((e) => {
          const b = blocks?.(c.managed.docs, e.name, read(e.entry));
          return b ? [{ name: e.name, file: displayPath(ctx, f.file), policyFile: displayPath(ctx, b.policyFile), reason: b.reason }] : [];
        }));
      const managedData = { files, managed };
      if (blocked.length === 0) {
        return {
          status: 'pass',
          summary: `managed by ${files.join(', ')}${managed.length ? `: ${managed.length} managed server${managed.length === 1 ? '' : 's'} (${managed.join(', ')})` : ''}; nothing you added is blocked`,
          data: managedData,
        };
      }
      const first = blocked[0]!;
      return {
        status: 'fail',
        summary: `"${first.name}" (${first.file}) is blocked by ${first.policyFile}: ${first.reason}${blocked.length > 1 ? ` (+${blocked.length - 1} more)` : ''}`,
        fix: `Use the servers your organization manages${managed.length ? ` (${managed.join(', ')})` : ''}, or ask your IT admin to approve "${first.name}" in ${first.policyFile}; remove the blocked entry to silence this.`,
        details: blocked.map((b) => `"${b.name}" in ${b.file}: ${b.reason} (${b.policyFile})`),
        data: { kind: 'blocked-by-policy', policyFile: first.policyFile, servers: blocked, ...managedData },
      };
    },
  };
}
