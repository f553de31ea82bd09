/** Pieces several server-kind definitions share: managed URLs, Unity Catalog names, names. */
import { UsageError } from '../../errors.js';
import type { UcRequirement } from './types.js';

export const IDENT = /^[A-Za-z0-9_][A-Za-z0-9_\-]*$/;
/** IDENT as a JSON Schema pattern fragment (no flags, no anchors). */
export const MANIFEST_IDENT = '[A-Za-z0-9_][A-Za-z0-9_-]*';
/** <catalog>.<schema>[.<leaf>] as a manifest pattern. */
export const MANIFEST_TWO_OR_THREE = `^${MANIFEST_IDENT}\\.${MANIFEST_IDENT}(\\.${MANIFEST_IDENT})?$`;

/** The managed-server URL: <host>/api/2.0/mcp/<segment>/<parts…>. */
export const managedUrl = (segment: string) => (host: string, parts: readonly string[]) => [host, 'api/2.0/mcp', segment, ...parts.map(encodeURIComponent)].join('/');

/**
 * A URL path segment decoded; a malformed %-escape (a hand-edited entry, a pasted URL) stays as
 * written, so the URL is still recognised and its target is refused by the kind's own check.
 */
export function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Recognises <any host>/api/2.0/mcp/<one of segments>[/<parts…>] (a trailing slash is ignored). */
export const managedPath =
  (...segments: string[]) =>
  (url: URL): string[] | undefined => {
    const m = /^\/api\/2\.0\/mcp\/([^/]+)(?:\/(.*))?$/.exec(url.pathname.replace(/\/+$/, ''));
    if (!m || !segments.includes(m[1]!)) return undefined;
    return m[2] ? m[2].split('/').map(decodeSegment) : [];
  };

/** <catalog>.<schema>[.<leaf>] for the Unity Catalog kinds. */
export function ucParts(kind: string, leaf: string, example: string) {
  return (t: string, raw: string): string[] => {
    const parts = t.split('.');
    if (parts.length < 2 || parts.length > 3 || !parts.every((p) => IDENT.test(p))) {
      throw new UsageError(`"${raw}" is not <catalog>.<schema>[.<${leaf}>]`, { hint: `For example: dbx-mcp add ${kind} ${example}` });
    }
    return parts;
  };
}

/** Doctor's 404 wording for the Unity Catalog kinds (functions, vector-search). */
export const ucNoAccess = (parts: readonly string[]) => ({
  what: `${parts.join('.')} does not exist or is not visible to you`,
  fix: `Check the name (databricks schemas get ${parts.slice(0, 2).join('.')}); ask its owner for USE CATALOG / USE SCHEMA.`,
});

/** USE CATALOG, USE SCHEMA and `privilege` on the leaf (or, without a leaf, on the schema: every leaf in it). */
export function ucRequirements(parts: readonly string[], privilege: string, leafType: string): UcRequirement[] {
  const [c, s, leaf] = parts;
  return [
    { type: 'CATALOG', name: c!, privilege: 'USE_CATALOG' },
    { type: 'SCHEMA', name: `${c}.${s}`, privilege: 'USE_SCHEMA' },
    leaf ? { type: leafType, name: `${c}.${s}.${leaf}`, privilege } : { type: 'SCHEMA', name: `${c}.${s}`, privilege },
  ];
}

export function slugify(s: string, max = 40): string {
  const slug = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || 'server';
}

export const partsName = (kind: string) => (parts: readonly string[]) => `databricks-${kind}-${slugify(parts.join('-'))}`;
