/**
 * Classifies failures below HTTP (DNS, refused, timeout, TLS, proxy, reset) and gives each
 * the retry hint a user can act on (after nuxt's utils/network.ts).
 */
import { DbxMcpError } from '../errors.js';
import { isLoopbackHostname } from './host.js';
import { bypassesProxy, proxyEnv, withoutCredentials } from './transport.js';

export type NetworkKind = 'dns' | 'refused' | 'unreachable' | 'timeout' | 'tls' | 'proxy' | 'reset' | 'other';

export class NetworkError extends DbxMcpError {
  constructor(
    readonly network: NetworkKind,
    readonly url: string,
    detail: string,
    hint: string,
    cause?: unknown,
  ) {
    super(`Cannot reach ${safeOrigin(url)}: ${detail}`, { code: `NETWORK_${network.toUpperCase()}`, hint, cause });
    this.name = 'NetworkError';
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHostname(new URL(url).hostname);
  } catch {
    return false;
  }
}

function codesOf(err: unknown): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let i = 0; e && i < 5; i++) {
    const o = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof o.code === 'string') out.push(o.code);
    if (typeof o.name === 'string') out.push(o.name);
    if (typeof o.message === 'string') out.push(o.message);
    e = o.cause;
  }
  return out;
}

/**
 * The proxy variable the transport uses for `url` (https: HTTPS_PROXY only, as transport.ts),
 * with its value as printed (no password); undefined when none applies (unset, empty or NO_PROXY).
 */
function proxyFor(url: string, env: NodeJS.ProcessEnv): { name: string; value: string } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const p = proxyEnv(env);
  const value = u.protocol === 'https:' ? p?.httpsProxy : p?.httpProxy;
  if (!value || bypassesProxy(u, p?.noProxy)) return undefined;
  const https = u.protocol === 'https:';
  const name = (https ? ['HTTPS_PROXY', 'https_proxy'] : ['HTTP_PROXY', 'http_proxy']).find((k) => env[k]) as string;
  return { name, value: withoutCredentials(value) };
}

/**
 * Turns a low-level error from node's http client into a NetworkError with a hint. `env` is the
 * environment the request was made with (the proxy process's own by default), so a proxy in use
 * is named as set, and one that is not as unset.
 */
export function classifyNetworkError(err: unknown, url: string, env: NodeJS.ProcessEnv = process.env): NetworkError {
  if (err instanceof NetworkError) return err;
  const all = codesOf(err).join(' ');
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const used = proxyFor(url, env);
  const proxy = used?.value; // never print a proxy password
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(all)) {
    return new NetworkError('dns', url, `the name ${host} does not resolve`, `Check the host for typos; if it is a private workspace, connect to the VPN first.`, err);
  }
  if (/ECONNREFUSED/.test(all)) {
    if (used && /proxy/i.test(all)) return new NetworkError('proxy', url, `the proxy ${used.value} refused the connection`, `Check ${used.name} (${used.value}) and NO_PROXY.`, err);
    return new NetworkError('refused', url, `connection refused by ${host}`, proxy ? `Check that the proxy ${proxy} is running, or add ${host} to NO_PROXY.` : 'Check the host and port; if you are behind a corporate proxy set HTTPS_PROXY.', err);
  }
  if (/EHOSTUNREACH|ENETUNREACH|ENETDOWN|EHOSTDOWN/.test(all)) {
    return new NetworkError('unreachable', url, `no route to ${host} from this machine`, proxy ? `Check the proxy ${proxy} and your network connection.` : 'Check your network connection; if the workspace is private, connect to the VPN first.', err);
  }
  if (/CONNECT_TIMEOUT|ETIMEDOUT|TimeoutError|AbortError|timed? ?out/i.test(all)) {
    return new NetworkError('timeout', url, `no answer from ${host} in time`, proxy ? `Check the proxy ${proxy}; retry later.` : 'Check your network or VPN (IP access lists and private links can make a host silent), then retry.', err);
  }
  // OpenSSL's reading of a plain-HTTP answer (`HTTP/1.1 400…`) to its ClientHello: a wrong
  // scheme or port, typically `host:8080` typed without `http://` (hosts get https:// added).
  if (/WRONG_VERSION_NUMBER|wrong version number|PACKET_LENGTH_TOO_LONG|packet length too long/i.test(all)) {
    const plain = `http://${host}`;
    return new NetworkError('tls', url, `${host} speaks plain HTTP, not HTTPS`, isLoopbackUrl(url)
      ? `Write the host with its scheme: ${plain} (plain http is accepted for loopback servers only).`
      : `Databricks workspaces answer HTTPS only: check the host and port (a host without a scheme gets https://; ${plain} is not accepted for a remote host).`, err);
  }
  if (/CERT|SSL|TLS|self[- ]signed|unable to (get|verify)/i.test(all)) {
    return new NetworkError('tls', url, `the TLS certificate of ${host} is not trusted`, 'If your network inspects TLS, retry with NODE_EXTRA_CA_CERTS=/path/to/corporate-ca.pem (or --ca-bundle for the proxy).', err);
  }
  if (/proxy|407/i.test(all)) {
    return new NetworkError('proxy', url, `the proxy rejected the request`, used ? `Check ${used.name} (${used.value}) and its credentials, or add ${host} to NO_PROXY.` : `No proxy is set for ${host} (HTTPS_PROXY is unset${env.NO_PROXY || env.no_proxy ? ' or NO_PROXY exempts it' : ''}), yet a proxy answered: set HTTPS_PROXY to your proxy (e.g. http://proxy.corp.example:3128), with its credentials if it asks for them.`, err);
  }
  if (/ECONNRESET|EPIPE|socket hang up|aborted/i.test(all)) {
    return new NetworkError('reset', url, `the connection to ${host} was closed unexpectedly`, 'Retry; if it persists, a proxy or firewall may be cutting the connection.', err);
  }
  return new NetworkError('other', url, codesOf(err)[0] ?? 'unknown network error', 'Retry with --verbose for details.', err);
}
