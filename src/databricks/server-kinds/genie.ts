/** A Genie space: /api/2.0/mcp/genie/{space_id}. */
import { UsageError } from '../../errors.js';
import { managedPath, managedUrl, slugify } from './shared.js';
import type { ServerKindDef } from './types.js';

const SPACE_ID = /^[0-9a-f]{32}$/i;
/** A Genie space id inside a pasted URL: the space's page (…/genie/rooms/<id>?o=…) or its MCP URL. */
const SPACE_ID_IN_URL = /\/(?:genie\/rooms|api\/2\.0\/mcp\/genie)\/([0-9a-f]{32})(?=[/?#]|$)/i;

export const genie = {
  add: { argument: { name: 'space_id', description: 'Genie space id (32 hex characters, from the space URL)' }, description: 'a Genie space: /api/2.0/mcp/genie/{space_id}' },
  initFlag: { value: '<space_id>', description: 'a Genie space (repeatable)' },
  picker: { label: 'Genie spaces', hint: 'ask questions about your data in plain language' },
  fromUrl: managedPath('genie'),
  parse(t, raw) {
    if (!SPACE_ID.test(t)) {
      throw new UsageError(`"${raw}" is not a Genie space id`, {
        hint: 'A space id is 32 hexadecimal characters: open the space and copy it (or the whole URL) from the address bar (…/genie/rooms/<space_id>).',
      });
    }
    return [t.toLowerCase()];
  },
  targetOfPage: (url) => SPACE_ID_IN_URL.exec(url)?.[1],
  url: managedUrl('genie'),
  // Named after the space's title when validation found it, else after the id's first 8 characters.
  defaultName: (parts, title) => `databricks-genie-${slugify(title || parts[0]!.slice(0, 8))}`,
  async validate(api, parts) {
    const { getGenieSpace } = await import('../workspace.js');
    const space = await getGenieSpace(api, parts[0]!);
    return { title: space.title || space.space_id, warnings: [] };
  },
  manifest: { key: 'space_id', pattern: '^[0-9a-fA-F]{32}$', message: 'a Genie space id is 32 hexadecimal characters (from the space URL)', description: 'Genie space id', needs: 'a space id', normalize: (t) => t.toLowerCase() },
  // The space-less Genie One path is reported sunset (2026-10-31) in favour of an AI Gateway
  // service (source: breadth.md §4, 🟡: a third-party guide).
  retired: (parts) =>
    parts.length
      ? undefined
      : { message: 'The space-less Genie One URL (/api/2.0/mcp/genie) is being sunset in favour of the AI Gateway service system.ai.genie_one_mcp', hint: 'Run: dbx-mcp add mcp-service system.ai.genie_one_mcp (or add one Genie space: dbx-mcp add genie <space_id>).' },
  noAccess: (parts) =>
    parts[0]
      ? {
          what: `the Genie space ${parts[0]} does not exist or you have no access to it`,
          fix: `Check the id in the space's URL (…/genie/rooms/${parts[0]}); if it is right, ask the space's owner to share it with you (Share → CAN RUN).`,
          kind: 'no-access',
        }
      : { what: 'Genie One (space-less /api/2.0/mcp/genie) is not available on this workspace: the path is being sunset', fix: 'Use the AI Gateway service instead: dbx-mcp add mcp-service system.ai.genie_one_mcp (or a Genie space URL).' },
} as const satisfies ServerKindDef;
