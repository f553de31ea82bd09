/**
 * Classifies failures below HTTP (DNS, refused, timeout, TLS, proxy, reset) and gives each
 * the retry hint a user can act on (after nuxt's utils/network.ts).
 */
import { DbxMcpError } from '../errors.js';
import { isLoopbackHostname } from './host.js';
import { withoutCredentials } from './transport.js';

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

/** Turns a low-level error from node's http client into a NetworkError with a hint. */
export function classifyNetworkError(err: unknown, url: string, env: NodeJS.ProcessEnv = {}): NetworkError {
  if (err instanceof NetworkError) return err;
  const all = codesOf(err).join(' ');
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const proxySetting = env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy;
  const proxy = proxySetting ? withoutCredentials(proxySetting) : undefined; // never print a proxy password
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(all)) {
    return new NetworkError('dns', url, `the name ${host} does not resolve`, `Check the host for typos; if it is a private workspace, connect to the VPN first.`, err);
  }
  if (/ECONNREFUSED/.test(all)) {
    if (proxy && /proxy/i.test(all)) return new NetworkError('proxy', url, `the proxy ${proxy} refused the connection`, 'Check HTTPS_PROXY / NO_PROXY.', err);
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
    return new NetworkError('proxy', url, `the proxy rejected the request`, `Check HTTPS_PROXY (${proxy ?? 'unset'}) and its credentials, or add ${host} to NO_PROXY.`, err);
  }
  if (/ECONNRESET|EPIPE|socket hang up|aborted/i.test(all)) {
    return new NetworkError('reset', url, `the connection to ${host} was closed unexpectedly`, 'Retry; if it persists, a proxy or firewall may be cutting the connection.', err);
  }
  return new NetworkError('other', url, codesOf(err)[0] ?? 'unknown network error', 'Retry with --verbose for details.', err);
}
