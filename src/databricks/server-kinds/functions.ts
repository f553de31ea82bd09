/** Unity Catalog functions: /api/2.0/mcp/functions/{catalog}/{schema}[/{function}]. */
import { MANIFEST_TWO_OR_THREE, managedPath, managedUrl, partsName, ucNoAccess, ucParts } from './shared.js';
import type { ServerKindDef } from './types.js';

export const functions = {
  add: { argument: { name: 'target', description: '<catalog>.<schema>[.<function>]' }, description: 'Unity Catalog functions: /api/2.0/mcp/functions/{c}/{s}[/{function}]' },
  initFlag: { value: '<c.s[.function]>', description: 'Unity Catalog functions (repeatable)' },
  picker: { label: 'Unity Catalog functions', hint: 'your SQL/Python functions as tools' },
  fromUrl: managedPath('functions'),
  parse: ucParts('functions', 'function', 'main.tools'),
  url: managedUrl('functions'),
  defaultName: partsName('functions'),
  async validate(api, parts, refusedAs) {
    const { getFunction, getSchema } = await import('../workspace.js');
    const full = parts.join('.');
    if (parts.length === 3) {
      const f = await getFunction(api, full).catch(refusedAs(`Function ${full}`, `Check the name (SHOW FUNCTIONS IN ${parts[0]}.${parts[1]}), or ask its owner for EXECUTE.`));
      return { title: f.full_name ?? full, warnings: [] };
    }
    const s = await getSchema(api, full).catch(refusedAs(`Schema ${full}`, `Check the name (SHOW SCHEMAS IN ${parts[0]}), or ask for USE CATALOG on ${parts[0]} and USE SCHEMA on ${full}.`));
    return { title: s.full_name ?? full, warnings: [] };
  },
  manifest: { key: 'target', pattern: MANIFEST_TWO_OR_THREE, message: 'expected <catalog>.<schema>[.<function>]', description: '<catalog>.<schema>[.<function>]', needs: '<catalog>.<schema>[.<function>]' },
  noAccess: ucNoAccess,
} as const satisfies ServerKindDef;
