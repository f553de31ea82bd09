/**
 * The managed files of a client on this machine (clients/managed-scope.ts), read once per
 * doctor run: the parsed documents for the policy check, and the files that deliver servers,
 * whose entries facts.ts reads like any other file's (trusted like user scope: an admin, not a
 * cloned repository, wrote them).
 */
import { loadCodec } from '../config/codecs/index.js';
import { managedFilesFor } from '../clients/managed-scope.js';
import { readConfigText } from '../clients/target.js';
import type { ClientId } from '../clients/types.js';
import type { Ctx } from '../context.js';
import type { PolicyDoc } from '../clients/catalog/managed.js';

export interface ManagedDocs {
  /** Every managed file that exists and parses, by its catalog name. */
  docs: PolicyDoc[];
  /** Managed files that exist but could not be read or parsed (reported by the policy check). */
  unreadable: { file: string; message: string }[];
  /** The files that deliver servers: where to read them and where the servers live in them. */
  servers: { file: string; serversPath: readonly string[] }[];
}

export async function readManagedDocs(ctx: Pick<Ctx, 'platform' | 'env'>, client: ClientId): Promise<ManagedDocs> {
  const out: ManagedDocs = { docs: [], unreadable: [], servers: [] };
  for (const m of managedFilesFor(client, { platform: ctx.platform, env: ctx.env })) {
    let text: string | null;
    try {
      text = await readConfigText(m.path);
      if (text === null) continue;
      const codec = await loadCodec(m.spec.format);
      out.docs.push({ name: m.spec.name, file: m.path, doc: codec.parse(text, m.path) });
    } catch (e) {
      out.unreadable.push({ file: m.path, message: (e as Error).message });
      continue;
    }
    if (m.spec.role === 'servers' && m.spec.serversPath) out.servers.push({ file: m.path, serversPath: m.spec.serversPath });
  }
  return out;
}
