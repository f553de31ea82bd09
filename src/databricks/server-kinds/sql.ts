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
} as const satisfies ServerKindDef;
