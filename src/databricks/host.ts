/**
 * Host normalisation as the Databricks SDKs do it (source: Go SDK config/config.go fixHostIfNeeded): add a missing
 * scheme, drop path, query, fragment and trailing slash. `https://` is required, except for
 * loopback hosts so that emulators and tests can stand in for a workspace (contract: Hosts).
 */
import { UsageError } from '../errors.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Returns `scheme://host[:port]`, lower-cased. Throws UsageError (exit 2) on a bad host. */
export function normalizeHost(input: string): string {
  const raw = input.trim();
  if (!raw) throw new UsageError('The Databricks host is empty', { hint: 'Pass the workspace URL, e.g. https://dbc-1234abcd-5678.cloud.databricks.com' });
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`"${input}" is not a valid host URL`, { hint: 'Use the workspace URL as shown in your browser, e.g. https://adb-1234567890123456.7.azuredatabricks.net' });
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHostname(url.hostname)) {
      throw new UsageError(`${url.origin} uses http://; Databricks hosts must use https://`, {
        hint: `Use https://${url.host} (plain http is accepted only for loopback emulators).`,
      });
    }
  } else if (url.protocol !== 'https:') {
    throw new UsageError(`"${input}" is not an http(s) URL`, { hint: 'Use https://<workspace-host>.' });
  }
  return `${url.protocol}//${url.host}`.toLowerCase();
}

/** What a pasted host or URL says about where it points: the host, and any routing ids in its query. */
export interface HostInput {
  host: string;
  workspaceId?: string;
  accountId?: string;
}

/**
 * Like normalizeHost, but first promotes the routing ids a URL pasted from the Databricks UI
 * carries (source: Go SDK v0.175 config/config.go fixHostIfNeeded, workspaceIDFromQuery):
 * `?w=` (any form: it supersedes the others) else a numeric `?o=` / `?workspace_id=`, and
 * `?a=` / `?account_id=`. The query is dropped afterwards, as normalizeHost always does.
 */
export function parseHostInput(input: string): HostInput {
  const host = normalizeHost(input);
  const raw = input.trim();
  const q = raw.indexOf('?');
  if (q < 0) return { host };
  const params = new URLSearchParams(raw.slice(q + 1).split('#')[0]);
  return { host, ...routingIdsFromQuery(params) };
}

/** The SDKs' query promotion on its own (for a pasted MCP URL that is not a host). */
export function routingIdsFromQuery(params: URLSearchParams): { workspaceId?: string; accountId?: string } {
  let workspaceId = params.get('w') || undefined;
  if (!workspaceId) {
    for (const key of ['o', 'workspace_id']) {
      const v = params.get(key);
      if (v && /^\d+$/.test(v)) {
        workspaceId = v;
        break;
      }
    }
  }
  const accountId = params.get('a') || params.get('account_id') || undefined;
  return { ...(workspaceId ? { workspaceId } : {}), ...(accountId ? { accountId } : {}) };
}

/** Account console hosts (`https://accounts.…`, `https://accounts-dod.…`), as the SDK's HostType(). */
export function isAccountHost(host: string): boolean {
  return /^https?:\/\/accounts(-dod)?\./i.test(host);
}

/** Host form used to match a manifest's host against profiles (scheme + host, lower case). */
export function canonicalHost(input: string): string {
  try {
    return normalizeHost(input);
  } catch {
    return input.trim().toLowerCase().replace(/\/+$/, '');
  }
}

/** `scheme://host[:port]` as the WHATWG parser normalises it (IDN → punycode, default port dropped). */
export function destinationOrigin(url: string | URL): string | undefined {
  try {
    const u = typeof url === 'string' ? new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`) : url;
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return u.origin.toLowerCase();
  } catch {
    return undefined;
  }
}
