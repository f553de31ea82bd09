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
