/** Unity Catalog functions: /api/2.0/mcp/functions/{catalog}/{schema}[/{function}]. */
import { MANIFEST_TWO_OR_THREE, managedPath, managedUrl, partsName, ucNoAccess, ucParts, ucRequirements } from './shared.js';
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
  async pick(kit) {
    const { listFunctionSchemas } = await import('../catalog.js');
    const schemas = await kit.listing('Looking for Unity Catalog schemas with functions', () => listFunctionSchemas(kit.api));
    if (schemas.length === 0) {
      kit.warn('No schema with functions is visible to you (pass --functions <catalog>.<schema> to name one).');
      return [];
    }
    const choices = kit.shortList(schemas, 'schemas').map((s) => ({
      value: s.fullName,
      label: s.fullName,
      hint: `${s.functions.length} function${s.functions.length === 1 ? '' : 's'}: ${s.functions.slice(0, 3).join(', ')}${s.functions.length > 3 ? ', …' : ''}`,
    }));
    const names = await kit.prompt.multiselect<string>({ id: 'functions', message: 'Unity Catalog function schemas (each becomes one server with all its functions)', flag: '--functions <c.s[.function]>', choices, initial: kit.initial.filter((i) => schemas.some((s) => s.fullName === i)), required: true });
    return names.map((n) => ({ parts: n.split('.'), title: n }));
  },
  // USE CATALOG, USE SCHEMA, EXECUTE (on the function, or on the schema for all of them).
  async access(probe, parts) {
    const missing = await probe.unmet(ucRequirements(parts, 'EXECUTE', 'FUNCTION'));
    if (!missing) return { status: 'pass', summary: `${probe.user} has USE CATALOG, USE SCHEMA and EXECUTE on ${parts.join('.')}` };
    if (missing.privilege === 'EXECUTE' && !parts[2]) {
      // No EXECUTE on the schema: functions granted one by one still become tools.
      const { listFunctions } = await import('../workspace.js');
      const fns = (await listFunctions(probe.api, parts[0]!, parts[1]!)).slice(0, 25);
      const ok = await Promise.all(fns.map(async (f) => ((await probe.held('FUNCTION', f.full_name ?? `${parts[0]}.${parts[1]}.${f.name}`)).has('EXECUTE') ? f.name : undefined)));
      const granted = ok.filter((n): n is string => n !== undefined);
      if (granted.length > 0) {
        return { status: 'pass', summary: `${probe.user} may EXECUTE ${granted.length} of ${fns.length} functions in ${parts.join('.')} (${granted.slice(0, 5).join(', ')})`, data: { functions: granted.length, of: fns.length } };
      }
    }
    return probe.missing(missing);
  },
} as const satisfies ServerKindDef;
