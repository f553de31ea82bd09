/** External MCP through a Unity Catalog connection: /api/2.0/mcp/external/{connection}. */
import { UsageError } from '../../errors.js';
import { IDENT, MANIFEST_IDENT, managedPath, managedUrl, partsName } from './shared.js';
import type { ServerKindDef } from './types.js';

export const external = {
  add: { argument: { name: 'connection', description: 'Unity Catalog connection name' }, description: 'external MCP through a UC connection: /api/2.0/mcp/external/{connection}' },
  initFlag: { value: '<connection>', description: 'external MCP via a UC connection (repeatable)' },
  picker: { label: 'External MCP servers', hint: 'through Unity Catalog connections' },
  fromUrl: managedPath('external'),
  parse(t, raw) {
    if (!IDENT.test(t)) throw new UsageError(`"${raw}" is not a connection name`, { hint: 'Use the Unity Catalog connection name, e.g. github_conn (Catalog → External data → Connections).' });
    return [t];
  },
  url: managedUrl('external'),
  defaultName: partsName('external'),
  async validate(api, parts, refusedAs) {
    const { getConnection } = await import('../workspace.js');
    const c = await getConnection(api, parts[0]!).catch(refusedAs(`Connection ${parts[0]}`, 'Check the connection name in Catalog → External data → Connections, or ask its owner for USE CONNECTION.'));
    return { title: c.name, warnings: [] };
  },
  manifest: { key: 'connection', pattern: `^${MANIFEST_IDENT}$`, message: 'expected a Unity Catalog connection name', description: 'Unity Catalog connection name', needs: 'a connection name' },
  noAccess: (parts) => ({ what: `the connection ${parts[0]} does not exist or is not visible to you`, fix: `Check the name under Catalog → External data → Connections; ask its owner for USE CONNECTION.` }),
  async pick(kit) {
    const { listConnections } = await import('../catalog.js');
    const conns = await kit.listing('Listing Unity Catalog connections', () => listConnections(kit.api).catch(() => []));
    if (conns.length === 0) {
      kit.warn('No Unity Catalog connection is visible to you (pass --external <connection> to name one).');
      return [];
    }
    const names = await kit.prompt.multiselect<string>({
      id: 'external',
      message: 'External MCP servers (Unity Catalog connections)',
      flag: '--external <connection>',
      choices: kit.shortList(conns, 'connections').map((c) => ({ value: c.name, label: c.name, hint: [c.connection_type, c.comment].filter(Boolean).join(' · ') })),
      initial: kit.initial.filter((i) => conns.some((c) => c.name === i)),
      required: true,
    });
    return names.map((n) => ({ parts: [n], title: n }));
  },
  // The connection is visible, and USE CONNECTION on it.
  async access(probe, parts) {
    const { getConnection } = await import('../workspace.js');
    const name = parts[0]!;
    try {
      await getConnection(probe.api, name);
    } catch (e) {
      return probe.refused(e);
    }
    const missing = await probe.unmet([{ type: 'CONNECTION', name, privilege: 'USE_CONNECTION' }]);
    if (missing) return probe.missing(missing);
    return { status: 'pass', summary: `${probe.user} has USE CONNECTION on ${name}` };
  },
} as const satisfies ServerKindDef;
