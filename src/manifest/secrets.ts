/**
 * A manifest is committed and shared, so it must never hold a secret. This finds anything
 * that looks like one (token-ish keys, PATs, JWTs, OAuth secrets, bearer headers) anywhere in
 * the parsed document, naming where it is but never echoing the value.
 */

const SECRET_KEY = /^(token|access_?token|refresh_?token|id_?token|client_?secret|secret|password|passwd|pat|api_?key|authorization|bearer)$|secret|password/i;
const SECRET_VALUES: { re: RegExp; what: string }[] = [
  { re: /dapi[0-9a-f]{16,}/i, what: 'a Databricks personal access token (dapi…)' },
  { re: /dose[0-9a-f]{16,}/i, what: 'a Databricks OAuth secret (dose…)' },
  { re: /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/, what: 'a JSON Web Token' },
  { re: /\bBearer\s+[A-Za-z0-9._~+/-]{8,}/i, what: 'a bearer token' },
];

/** Where a secret-looking thing was found: `servers[0].meta.token` and what it looks like. */
export interface SecretFinding {
  path: string;
  what: string;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Every secret-looking key or value in a parsed JSON document. */
export function findSecrets(doc: unknown, path = ''): SecretFinding[] {
  if (typeof doc === 'string') {
    const hit = SECRET_VALUES.find((s) => s.re.test(doc));
    return hit ? [{ path: path || '(top level)', what: hit.what }] : [];
  }
  if (Array.isArray(doc)) return doc.flatMap((v, i) => findSecrets(v, join(path, i)));
  if (typeof doc === 'object' && doc !== null) {
    return Object.entries(doc as Record<string, unknown>).flatMap(([k, v]) => {
      const here = join(path, k);
      if (SECRET_KEY.test(k) && v !== null && v !== '') return [{ path: here, what: `a "${k}" field` }];
      return findSecrets(v, here);
    });
  }
  return [];
}
