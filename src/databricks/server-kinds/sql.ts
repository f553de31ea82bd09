/** Databricks SQL: /api/2.0/mcp/sql (no target: one server per workspace). */
import { managedPath, managedUrl } from './shared.js';
import type { ServerKindDef } from './types.js';

export const sql = {
  add: { description: 'Databricks SQL: /api/2.0/mcp/sql' },
  initFlag: { description: 'Databricks SQL' },
  picker: { label: 'Databricks SQL', hint: 'run SQL on a warehouse' },
  fromUrl: managedPath('sql'),
  parse: () => [],
  url: managedUrl('sql'),
  defaultName: () => 'databricks-sql',
  async validate(api) {
    const { listWarehouses } = await import('../workspace.js');
    const whs = await listWarehouses(api);
    return { title: 'Databricks SQL', warnings: whs.length === 0 ? ['No SQL warehouse is visible to you: the SQL server needs CAN USE on one (ask a workspace admin).'] : [] };
  },
  async pick(kit) {
    const { listWarehouses } = await import('../workspace.js');
    const whs = await kit.listing('Listing SQL warehouses', () => listWarehouses(kit.api).catch(() => []));
    const warnings = whs.length === 0 ? ['No SQL warehouse is visible to you: the SQL server needs CAN USE on one (ask a workspace admin).'] : [];
    if (whs.length) kit.info(`SQL runs on your warehouses (${whs.length}: ${whs.map((w) => w.name ?? w.id).join(', ')}).`);
    return [{ parts: [], title: 'Databricks SQL', warnings }];
  },
  // A usable SQL warehouse (the listing shows only those this identity can use).
  async access(probe) {
    const { listWarehouses } = await import('../workspace.js');
    const usable = (await listWarehouses(probe.api)).filter((w) => w.state !== 'DELETED' && w.state !== 'DELETING');
    if (usable.length === 0) {
      return { status: 'fail', summary: `${probe.user} can use no SQL warehouse`, fix: `Ask a workspace admin for CAN USE on a SQL warehouse for ${probe.user}.`, data: { kind: 'no-warehouse' } };
    }
    const running = usable.filter((w) => w.state === 'RUNNING');
    return { status: 'pass', summary: `${usable.length} SQL warehouse${usable.length === 1 ? '' : 's'} usable${running.length ? ` (${running[0]!.name ?? running[0]!.id} running)` : ' (all stopped; they start on the first query)'}` };
  },
} as const satisfies ServerKindDef;
