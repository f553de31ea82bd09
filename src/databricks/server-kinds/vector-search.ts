/** Vector Search indexes: /api/2.0/mcp/vector-search/{catalog}/{schema}[/{index}]. */
import { MANIFEST_TWO_OR_THREE, managedPath, managedUrl, partsName, ucNoAccess, ucParts } from './shared.js';
import type { ServerKindDef } from './types.js';

export const vectorSearch = {
  add: { argument: { name: 'target', description: '<catalog>.<schema>[.<index>]' }, description: 'Vector Search indexes: /api/2.0/mcp/vector-search/{c}/{s}[/{index}]' },
  initFlag: { value: '<c.s[.index]>', description: 'Vector Search indexes (repeatable)' },
  picker: { label: 'Vector Search indexes', hint: 'semantic search over documents' },
  // The legacy `vector-search` and the 2026 `ai-search` paths are both recognised.
  fromUrl: managedPath('vector-search', 'ai-search'),
  parse: ucParts('vector-search', 'index', 'main.tools.product_docs'),
  url: managedUrl('vector-search'),
  defaultName: partsName('vector-search'),
  async validate(api, parts, refusedAs) {
    const { getSchema, getVectorIndex } = await import('../workspace.js');
    const full = parts.join('.');
    if (parts.length === 3) {
      const idx = await getVectorIndex(api, full).catch(refusedAs(`Vector Search index ${full}`, 'Check the index name in Catalog Explorer, or ask for SELECT on it.'));
      const warnings = idx.status?.ready === false ? [`Index ${full} is not ready yet (first sync running): searches return nothing until it is.`] : [];
      return { title: idx.name, warnings };
    }
    const s = await getSchema(api, full).catch(refusedAs(`Schema ${full}`, `Check the name, or ask for USE CATALOG/USE SCHEMA on ${full}.`));
    return { title: s.full_name ?? full, warnings: [] };
  },
  manifest: { key: 'target', pattern: MANIFEST_TWO_OR_THREE, message: 'expected <catalog>.<schema>[.<index>]', description: '<catalog>.<schema>[.<index>]', needs: '<catalog>.<schema>[.<index>]' },
  noAccess: ucNoAccess,
} as const satisfies ServerKindDef;
