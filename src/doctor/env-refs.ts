/**
 * Environment references in client files, resolved the way each client resolves them (its
 * catalog definition's `envRefs`): `env-colon` is `${env:NAME}` (VS Code also has
 * `${input:…}`, which needs a prompt), `shell` is `${NAME}` and `${NAME:-default}`, `env-brace` is `{env:NAME}`, `none` none.
 */
import type { ClientDefinition } from '../clients/catalog/definition.js';
import { clientDefinition, type ClientId } from '../clients/catalog/index.js';

export interface Resolved {
  value: string;
  /** Variables referenced but not set (and without a default). */
  missing: string[];
  /** References doctor cannot resolve (VS Code inputs). */
  unresolvable: string[];
}

/**
 * `keepUnset`: an unset reference stays as written (still listed in `missing`), as Claude Code
 * does in `command`/`args`, where the child can expand it from the entry's env.
 */
export function resolveRefs(client: ClientId, text: string, env: NodeJS.ProcessEnv, o: { keepUnset?: boolean } = {}): Resolved {
  return resolveRefsIn(clientDefinition(client), text, env, o);
}

/** resolveRefs for a client's reference syntax (a definition, so a catalog-to-be client is testable). */
export function resolveRefsIn(def: Pick<ClientDefinition, 'envRefs' | 'promptInputs'>, text: string, env: NodeJS.ProcessEnv, o: { keepUnset?: boolean } = {}): Resolved {
  const missing: string[] = [];
  const unresolvable: string[] = [];
  let value = text;
  const syntax = def.envRefs;
  switch (syntax) {
    case 'env-colon':
      value = value.replace(/\$\{env:([^}]+)\}/g, (_m, name: string) => {
        const v = env[name];
        if (v === undefined || v === '') missing.push(name);
        return v ?? '';
      });
      if (def.promptInputs === true) value.replace(/\$\{input:([^}]+)\}/g, (m) => (unresolvable.push(m), m));
      break;
    case 'shell':
      value = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (m, name: string, fallback: string | undefined) => {
        const v = env[name];
        if (v !== undefined && v !== '') return v;
        if (fallback !== undefined) return fallback;
        missing.push(name);
        return o.keepUnset ? m : '';
      });
      break;
    case 'env-brace':
      value = value.replace(/\{env:([^}]+)\}/g, (m, name: string) => {
        const v = env[name];
        if (v !== undefined && v !== '') return v;
        missing.push(name);
        return o.keepUnset ? m : '';
      });
      break;
    case 'none':
      break;
    default:
      return syntax satisfies never;
  }
  return { value, missing, unresolvable };
}

/** Resolves every string of a record (headers, env). */
export function resolveRecord(client: ClientId, rec: unknown, env: NodeJS.ProcessEnv): { values: Record<string, string>; missing: string[]; unresolvable: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  const unresolvable: string[] = [];
  if (typeof rec === 'object' && rec !== null && !Array.isArray(rec)) {
    for (const [k, v] of Object.entries(rec)) {
      if (typeof v !== 'string') continue;
      const r = resolveRefs(client, v, env);
      values[k] = r.value;
      missing.push(...r.missing);
      unresolvable.push(...r.unresolvable);
    }
  }
  return { values, missing: [...new Set(missing)], unresolvable: [...new Set(unresolvable)] };
}
