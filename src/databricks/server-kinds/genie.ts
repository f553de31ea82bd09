/** A Genie space: /api/2.0/mcp/genie/{space_id}. */
import { DbxMcpError, UsageError } from '../../errors.js';
import { managedPath, managedUrl, slugify } from './shared.js';
import type { ServerKindDef } from './types.js';

const SPACE_ID = /^[0-9a-f]{32}$/i;
/** A Genie space id inside a pasted URL: the space's page (…/genie/rooms/<id>?o=…) or its MCP URL. */
const SPACE_ID_IN_URL = /\/(?:genie\/rooms|api\/2\.0\/mcp\/genie)\/([0-9a-f]{32})(?=[/?#]|$)/i;

// The space-less Genie One path is reported sunset (2026-10-31) in favour of an AI Gateway
// service (source: breadth.md §4, 🟡: a third-party guide).
const retired = (parts: readonly string[]): { message: string; hint: string } | undefined =>
  parts.length
    ? undefined
    : { message: 'The space-less Genie One URL (/api/2.0/mcp/genie) is being sunset in favour of the AI Gateway service system.ai.genie_one_mcp', hint: 'Run: dbx-mcp add mcp-service system.ai.genie_one_mcp (or add one Genie space: dbx-mcp add genie <space_id>).' };

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
    const { getCurrentUser, getGenieSpace } = await import('../workspace.js');
    const { atLeastLevel, bestPermissionLevel } = await import('../permissions.js');
    const id = parts[0]!;
    const space = await getGenieSpace(api, id);
    const title = space.title || space.space_id;
    // Seeing a space (CAN VIEW) is not running it: its MCP server refuses every question without
    // CAN RUN. Refused like an app without CAN USE; an ACL this identity cannot read is no verdict.
    const me = await getCurrentUser(api);
    const user = me.userName || 'this identity';
    const level = await bestPermissionLevel(api, `/api/2.0/permissions/genie/${encodeURIComponent(id)}`, { user: me.userName ?? '', groups: (me.groups ?? []).flatMap((g) => (g.display ? [g.display] : [])) });
    if (level !== null && !atLeastLevel(level, 'CAN_RUN')) {
      throw new DbxMcpError(`${user} can see the Genie space "${title}" but has ${level ?? 'no permission'} on it, not CAN RUN`, {
        code: 'NO_ACCESS',
        hint: `Ask the owner of the space "${title}" to share it with ${user} with CAN RUN (Share in the space), then run this again.`,
      });
    }
    return { title, warnings: [] };
  },
  manifest: { key: 'space_id', pattern: '^[0-9a-fA-F]{32}$', message: 'a Genie space id is 32 hexadecimal characters (from the space URL)', description: 'Genie space id', needs: 'a space id', normalize: (t) => t.toLowerCase() },
  retired,
  noAccess: (parts) =>
    parts[0]
      ? {
          what: `the Genie space ${parts[0]} does not exist or you have no access to it`,
          fix: `Check the id in the space's URL (…/genie/rooms/${parts[0]}); if it is right, ask the space's owner to share it with you (Share → CAN RUN).`,
          kind: 'no-access',
        }
      : { what: 'Genie One (space-less /api/2.0/mcp/genie) is not available on this workspace: the path is being sunset', fix: 'Use the AI Gateway service instead: dbx-mcp add mcp-service system.ai.genie_one_mcp (or a Genie space URL).' },
  async pick(kit) {
    const { listGenieSpaces } = await import('../workspace.js');
    const { matchesSearch } = await import('../catalog.js');
    const spaces = await kit.listing('Listing Genie spaces', () => listGenieSpaces(kit.api));
    if (spaces.length === 0) {
      kit.warn('No Genie space is visible to you (create one, or ask its owner to share it with CAN RUN).');
      return [];
    }
    let shown = spaces;
    // Typing narrows a long list; an empty search keeps everything.
    for (;;) {
      if (spaces.length <= 12) break;
      const q = await kit.prompt.text({ id: 'genie-search', message: `Search ${spaces.length} Genie spaces (words of the title; empty = all)`, flag: '--genie <space_id>', initial: '' });
      shown = spaces.filter((s) => matchesSearch(`${s.title} ${s.space_id} ${s.description ?? ''}`, q));
      if (shown.length) break;
      kit.warn(`No Genie space matches "${q}".`);
    }
    const ids = await kit.prompt.multiselect<string>({
      id: 'genie',
      message: 'Genie spaces',
      flag: '--genie <space_id>',
      choices: kit.shortList(shown, 'spaces').map((s) => ({ value: s.space_id, label: s.title || s.space_id, hint: s.space_id })),
      initial: kit.initial.filter((i) => shown.some((s) => s.space_id === i)),
      required: true,
    });
    return ids.map((id) => ({ parts: [id], title: spaces.find((s) => s.space_id === id)?.title || id }));
  },
  // The space is readable (404 = no access), CAN RUN on it, its warehouse exists, is usable and is pro or serverless.
  async access(probe, parts) {
    const { getGenieSpace, getWarehouse } = await import('../workspace.js');
    const id = parts[0];
    const gone = retired(parts);
    if (gone) return { status: 'warn', summary: gone.message, fix: gone.hint, data: { kind: 'sunset' } };
    if (!id) return { status: 'skip', summary: 'Genie One has no space to check' };
    let space;
    try {
      space = await getGenieSpace(probe.api, id);
    } catch (e) {
      return probe.refused(e);
    }
    const wid = space.warehouse_id;
    const [level, wh, whLevel] = await Promise.all([
      probe.level(`/api/2.0/permissions/genie/${encodeURIComponent(id)}`),
      wid ? getWarehouse(probe.api, wid).then((w) => w, (e: unknown) => ({ error: e })) : Promise.resolve(undefined),
      wid ? probe.level(`/api/2.0/permissions/warehouses/${encodeURIComponent(wid)}`) : Promise.resolve(null),
    ]);
    if (level !== null && !probe.atLeast(level, 'CAN_RUN')) {
      return {
        status: 'fail',
        summary: `${probe.user} can see "${space.title}" but has ${level ?? 'no permission'}, not CAN RUN`,
        fix: `Ask the owner of the space "${space.title}" to share it with ${probe.user} with CAN RUN (Share in the space).`,
        data: { kind: 'missing-privilege', privilege: 'CAN_RUN', securableType: 'GENIE_SPACE', securable: id },
      };
    }
    if (!wid) return { status: 'warn', summary: `"${space.title}" has no SQL warehouse`, fix: 'Ask the space owner to attach a pro or serverless SQL warehouse.', data: { kind: 'no-warehouse' } };
    if (wh === undefined || 'error' in wh) {
      return probe.refused(wh?.error, { what: `the space's SQL warehouse ${wid} does not exist or is not visible to you`, fix: `Ask the space owner to attach a warehouse you can use, or ask for CAN USE on ${wid}.`, kind: 'not-found' });
    }
    if (wh.state === 'DELETED' || wh.state === 'DELETING') {
      return { status: 'fail', summary: `the space's warehouse ${wh.name ?? wh.id} is ${wh.state.toLowerCase()}`, fix: 'Ask the space owner to attach another pro or serverless warehouse.', data: { kind: 'not-found' } };
    }
    if (whLevel !== null && !probe.atLeast(whLevel, 'CAN_USE')) {
      return {
        status: 'fail',
        summary: `${probe.user} cannot use the space's warehouse ${wh.name ?? wh.id}`,
        fix: `Ask a workspace admin for CAN USE on the SQL warehouse ${wh.name ?? wh.id} (${wh.id}).`,
        data: { kind: 'missing-privilege', privilege: 'CAN_USE', securableType: 'WAREHOUSE', securable: wh.id },
      };
    }
    if (wh.warehouse_type === 'CLASSIC' && !wh.enable_serverless_compute) {
      return { status: 'warn', summary: `"${space.title}" uses a classic warehouse; Genie needs a pro or serverless one`, fix: 'Ask the space owner to switch the space to a pro or serverless warehouse.', data: { kind: 'warehouse-type' } };
    }
    return { status: 'pass', summary: `"${space.title}": ${level ?? 'readable'}; warehouse ${wh.name ?? wh.id} ${(wh.state ?? 'unknown').toLowerCase()}` };
  },
} as const satisfies ServerKindDef;
