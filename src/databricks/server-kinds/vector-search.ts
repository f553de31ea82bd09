/** Vector Search indexes: /api/2.0/mcp/vector-search/{catalog}/{schema}[/{index}]. */
import { MANIFEST_TWO_OR_THREE, managedPath, managedUrl, partsName, ucNoAccess, ucParts, ucRequirements } from './shared.js';
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
  async pick(kit) {
    const { listVectorIndexes } = await import('../workspace.js');
    for (;;) {
      const prefix = (await kit.prompt.text({ id: 'vector-search-filter', message: 'Vector Search indexes in which catalog.schema? (empty = all)', flag: '--vector-search <c.s[.index]>', initial: '', placeholder: 'main.docs' })).trim();
      const indexes = await kit.listing('Listing Vector Search endpoints and indexes', () => listVectorIndexes(kit.api, prefix ? `${prefix.replace(/\.$/, '')}.` : undefined));
      if (indexes.length === 0) {
        kit.warn(prefix ? `No Vector Search index in ${prefix}.` : 'No Vector Search index is visible to you.');
        if (!prefix) return [];
        continue;
      }
      const names = await kit.prompt.multiselect<string>({
        id: 'vector-search',
        message: 'Vector Search indexes',
        flag: '--vector-search <c.s[.index]>',
        choices: kit.shortList(indexes, 'indexes').map((i) => ({ value: i.name, label: i.name, hint: `${i.endpoint_name ?? ''}${i.status?.ready === false ? ' · not ready yet' : ''}` })),
        initial: kit.initial.filter((n) => indexes.some((i) => i.name === n)),
        required: true,
      });
      return names.map((n) => ({
        parts: n.split('.'),
        title: n,
        warnings: indexes.find((i) => i.name === n)?.status?.ready === false ? [`Index ${n} is not ready yet: searches return nothing until its first sync ends.`] : [],
      }));
    }
  },
  // USE CATALOG, USE SCHEMA, SELECT on the index (or the schema), and the index ready.
  async access(probe, parts) {
    const { getVectorIndex, listVectorIndexes } = await import('../workspace.js');
    const [missing, index, list] = await Promise.all([
      probe.unmet(ucRequirements(parts, 'SELECT', 'TABLE')),
      parts[2] ? getVectorIndex(probe.api, parts.join('.')) : Promise.resolve(undefined),
      parts[2] ? Promise.resolve(undefined) : listVectorIndexes(probe.api, `${parts[0]}.${parts[1]}.`),
    ]);
    if (missing) return probe.missing(missing);
    if (index && index.status?.ready === false) {
      return {
        status: 'warn',
        summary: `${index.name} is not ready yet${index.status.message ? ` (${index.status.message})` : ''}: searches return nothing until its first sync finishes`,
        fix: `Wait for the sync (databricks vector-search-indexes get-index ${index.name}), then retry.`,
        data: { kind: 'index-not-ready' },
      };
    }
    if (list && list.length === 0) {
      return { status: 'warn', summary: `no vector indexes visible in ${parts.join('.')}`, fix: 'Create an index with Databricks-managed embeddings in that schema, or point the server at the right schema.', data: { kind: 'not-found' } };
    }
    return { status: 'pass', summary: `${probe.user} has USE CATALOG, USE SCHEMA and SELECT on ${parts.join('.')}${index ? '; index ready' : list ? `; ${list.length} index${list.length === 1 ? '' : 'es'}` : ''}` };
  },
} as const satisfies ServerKindDef;
