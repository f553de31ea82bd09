/**
 * What azure-msi and azure-client-secret share (source: Go SDK v0.175 common/environment/
 * environments.go and azure.go, config/config.go IsAzure, config/auth_azure_msi.go msiToken):
 * the Azure cloud of a host (its Entra ID login endpoint and the Azure Databricks application
 * id, the token's `resource`), and the shape of an Entra ID token answer.
 *
 * Where secrets go (the token rule, token-destination.ts, extended to these methods):
 * - a client secret goes only to the Entra ID endpoint of the host's Azure cloud
 *   (`https://login.microsoftonline.com/<tenant>/oauth2/token` and the sovereign clouds'),
 *   never to the workspace nor anywhere else;
 * - managed-identity requests go only to the instance metadata endpoint (169.254.169.254, a
 *   link-local address only the VM answers) and carry no secret;
 * - the Databricks token that comes back goes only to the profile's workspace, as every token.
 * Two TEST-ONLY variables let the e2e suite stand a loopback server in for those endpoints; both
 * are refused unless they name a loopback URL, so they can never send a secret off the machine.
 */
import { DbxMcpError } from '../../errors.js';
import { registerSecret } from '../../secrets.js';
import { isLoopbackHostname } from '../host.js';
import type { AccessToken, ConfigValues } from './types.js';

/** TEST ONLY: a loopback base URL that replaces the Entra ID login endpoint (`https://login.microsoftonline.com/`). */
export const TEST_AZURE_LOGIN_ENV = 'DBX_MCP_TEST_AZURE_LOGIN_URL';
/** TEST ONLY: a loopback base URL that replaces the instance metadata endpoint (`http://169.254.169.254/metadata`). */
export const TEST_AZURE_IMDS_ENV = 'DBX_MCP_TEST_AZURE_IMDS_URL';

/** The Azure Instance Metadata Service (Go SDK auth_azure_msi.go `instanceMetadataPrefix`). */
export const AZURE_IMDS_PREFIX = 'http://169.254.169.254/metadata';

export interface AzureCloud {
  /** PUBLIC, USGOVERNMENT or CHINA (the SDKs' `azure_environment` names). */
  name: string;
  /** Entra ID login endpoint, with its trailing slash. */
  loginEndpoint: string;
  /** The Azure Databricks application id in Entra ID: the `resource` of a token for the workspace. */
  applicationId: string;
}

const PROD_APP_ID = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';
const LOGIN: Record<string, string> = {
  PUBLIC: 'https://login.microsoftonline.com/',
  USGOVERNMENT: 'https://login.microsoftonline.us/',
  CHINA: 'https://login.chinacloudapi.cn/',
};

/** DNS zone → cloud and application id, first match wins (Go SDK environments.go `envs`, Azure rows, same order). */
const AZURE_ZONES: ReadonlyArray<readonly [zone: string, cloud: string, appId: string]> = [
  ['.dev.azuredatabricks.net', 'PUBLIC', '62a912ac-b58e-4c1d-89ea-b2dbfc7358fc'],
  ['.staging.azuredatabricks.net', 'PUBLIC', '4a67d088-db5c-48f1-9ff2-0aace800ae68'],
  ['.azuredatabricks.net', 'PUBLIC', PROD_APP_ID],
  ['.databricks.azure.us', 'USGOVERNMENT', PROD_APP_ID],
  ['.databricks.azure.cn', 'CHINA', PROD_APP_ID],
];

function loopbackUrl(raw: string | undefined): URL | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopbackHostname(u.hostname) ? u : undefined;
  } catch {
    return undefined;
  }
}

function hostname(host: string): string {
  try {
    return new URL(host).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * The Azure cloud of a configuration, or undefined when it is not Azure Databricks. As the SDK's
 * IsAzure/Environment: the host's DNS zone decides; `azure_workspace_resource_id` marks a host
 * outside the known zones as Azure (cloud from `azure_environment`, default PUBLIC). A loopback
 * host counts as Azure PUBLIC only while a test-only endpoint override is set.
 */
export function azureCloud(host: string, v: ConfigValues, env: NodeJS.ProcessEnv): AzureCloud | undefined {
  const h = hostname(host);
  const zone = AZURE_ZONES.find(([z]) => h.endsWith(z));
  let cloud: AzureCloud | undefined;
  if (zone) cloud = { name: zone[1], loginEndpoint: LOGIN[zone[1]]!, applicationId: zone[2] };
  else if (v.azure_workspace_resource_id || (isLoopbackHostname(h) && (loopbackUrl(env[TEST_AZURE_LOGIN_ENV]) || loopbackUrl(env[TEST_AZURE_IMDS_ENV])))) {
    const name = (v.azure_environment ?? 'PUBLIC').toUpperCase();
    cloud = { name, loginEndpoint: LOGIN[name] ?? LOGIN.PUBLIC!, applicationId: PROD_APP_ID };
  }
  if (!cloud) return undefined;
  const login = loopbackUrl(env[TEST_AZURE_LOGIN_ENV]);
  return login ? { ...cloud, loginEndpoint: login.href.endsWith('/') ? login.href : `${login.href}/` } : cloud;
}

/** The managed-identity endpoint base: IMDS, or the loopback test override. */
export function imdsPrefix(env: NodeJS.ProcessEnv): string {
  return loopbackUrl(env[TEST_AZURE_IMDS_ENV])?.href.replace(/\/+$/, '') ?? AZURE_IMDS_PREFIX;
}

/** The Go SDK's boolean parsing of `azure_use_msi` / ARM_USE_MSI (strconv.ParseBool). */
export function truthy(s: string | undefined): boolean {
  return ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(s ?? '');
}

/**
 * An Entra ID / IMDS / metadata-service token answer: `access_token` and `expires_on` (epoch
 * seconds, a number or a numeric string), as the SDK's msiToken; the client-credentials (v1)
 * answer also carries `expires_in`, used when `expires_on` is absent.
 */
export function entraToken(json: unknown, now: number, what: string, code: string, hint: string): AccessToken {
  const o = (typeof json === 'object' && json !== null ? json : {}) as { access_token?: unknown; expires_on?: unknown; expires_in?: unknown };
  if (typeof o.access_token !== 'string' || o.access_token === '') {
    throw new DbxMcpError(`${what} answered without an access token`, { code, hint });
  }
  registerSecret(o.access_token);
  const on = Number(o.expires_on);
  const inSec = Number(o.expires_in);
  const expiresAt = Number.isFinite(on) && on > 0 ? on * 1000 : Number.isFinite(inSec) && inSec > 0 ? now + inSec * 1000 : NaN;
  if (Number.isNaN(expiresAt)) {
    throw new DbxMcpError(`${what} answered with a token without a valid expires_on`, { code, hint });
  }
  return { token: o.access_token, expiresAt };
}

/** The one line of an Entra ID error body worth showing (error + description up to its Trace ID), as the SDK's mapAzureActiveDirectoryError. */
export function entraError(json: unknown): string {
  const b = (typeof json === 'object' && json !== null ? json : {}) as { error?: unknown; error_description?: unknown };
  const desc = typeof b.error_description === 'string' ? b.error_description.split(/\r?\n| Trace ID/)[0]! : '';
  return [typeof b.error === 'string' ? b.error : '', desc].filter(Boolean).join(': ');
}
