/**
 * The proxy's HTTP dispatcher: the same rules as src/databricks/http.ts `createDispatcher`
 * (HTTP(S)_PROXY / NO_PROXY, a CA bundle or NODE_EXTRA_CA_CERTS on top of the system roots,
 * 10 s connect timeout), built from undici's internals instead of its package entry: clients
 * spawn the bridge for every session, and loading all of undici costs ~90 ms and ~15 MB.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Dispatcher } from 'undici';
import Agent from 'undici/lib/dispatcher/agent.js';
import apiRequest from 'undici/lib/api/api-request.js';
import { DbxMcpError } from '../errors.js';

/** Builds the dispatcher; the proxy-aware agent is loaded only when a proxy is configured. */
export async function createProxyDispatcher(env: NodeJS.ProcessEnv, caBundlePath?: string): Promise<Dispatcher> {
  const caFile = caBundlePath ?? env.NODE_EXTRA_CA_CERTS;
  let ca: string[] | undefined;
  if (caFile) {
    try {
      ca = [...rootCertificates, readFileSync(caFile, 'utf8')];
    } catch (e) {
      throw new DbxMcpError(`Cannot read the CA bundle ${caFile}: ${(e as Error).message}`, { hint: 'Point --ca-bundle (or NODE_EXTRA_CA_CERTS) at a readable PEM file.' });
    }
  }
  const connect = { timeout: 10_000, ...(ca ? { ca } : {}) };
  if (env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy) {
    const { default: EnvHttpProxyAgent } = await import('undici/lib/dispatcher/env-http-proxy-agent.js');
    return new EnvHttpProxyAgent({
      httpProxy: env.HTTP_PROXY || env.http_proxy,
      httpsProxy: env.HTTPS_PROXY || env.https_proxy,
      noProxy: env.NO_PROXY || env.no_proxy,
      connect,
    });
  }
  return new Agent({ connect, keepAliveTimeout: 10_000 });
}

/** undici's `request` on a given dispatcher, without loading the package entry. */
export function dispatch(dispatcher: Dispatcher, opts: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return apiRequest.call(dispatcher, opts);
}

/** Same format as src/databricks/http.ts `userAgent` (importing that module loads all of undici). */
export function proxyUserAgent(version: string): string {
  return `dbx-mcp/${version} node/${process.versions.node} os/${process.platform}`;
}
