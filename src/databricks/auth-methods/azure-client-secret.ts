/**
 * `azure-client-secret`: an Azure service principal (Entra ID application) signs in with its
 * client secret by client credentials at `<login endpoint><tenant>/oauth2/token` (Entra ID v1)
 * with `resource` = the Azure Databricks application id; the Entra ID token is the bearer the
 * workspace accepts (source: Go SDK v0.175 config/auth_azure_client_secret.go, azure.go).
 * Picked unasked, as in the SDKs, when azure_client_id, azure_client_secret and azure_tenant_id
 * are all set and the host is Azure Databricks (the SDK checks the tenant before it could
 * discover it, so no tenant discovery happens for this method there either).
 *
 * Token rule: the client secret goes only to the Entra ID endpoint of the host's Azure cloud
 * (azure.ts: a loopback stand-in only under the test-only DBX_MCP_TEST_AZURE_LOGIN_URL); the
 * Databricks token it yields goes only to the profile's workspace, like every token.
 * Not sent, unlike the SDK: the `X-Databricks-Azure-SP-Management-Token` and
 * `X-Databricks-Azure-Workspace-Resource-Id` headers, which only let a service principal that is
 * not yet a workspace user be added on first use; MCP clients send a bearer token alone, so the
 * service principal must already be added to the workspace.
 */
import { DbxMcpError, UsageError } from '../../errors.js';
import type { ResolvedConfig } from '../profiles.js';
import { azureCloud, entraError, entraToken } from './azure.js';
import { cached } from './token-cache.js';
import type { AccessToken, AuthMethod, FixContext, TokenDeps } from './types.js';

/** A tenant is a GUID or a domain (contoso.onmicrosoft.com): one path segment, nothing that could change the URL. */
const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/;

function names(a: FixContext): string {
  return a.profile ? `azure_client_id/azure_client_secret/azure_tenant_id of profile ${a.profile}` : 'ARM_CLIENT_ID/ARM_CLIENT_SECRET/ARM_TENANT_ID';
}

function deadTokenFix(a: FixContext): string {
  return `Check ${names(a)} (create a new client secret for the Entra ID application if it expired) and that the service principal was added to this Azure Databricks workspace.`;
}

async function fetchToken(deps: TokenDeps, c: ResolvedConfig): Promise<AccessToken> {
  const v = c.values ?? {};
  const cloud = azureCloud(c.host, v, deps.env);
  if (!cloud) {
    throw new DbxMcpError(`auth_type = azure-client-secret, but ${c.host} is not an Azure Databricks host`, {
      code: 'AZURE_NOT_AZURE',
      hint: 'Use the workspace URL (https://adb-<id>.<n>.azuredatabricks.net), or for a workspace outside Azure an OAuth service principal (client_id/client_secret, auth_type = oauth-m2m).',
    });
  }
  const tenant = v.azure_tenant_id ?? '';
  if (!TENANT.test(tenant)) {
    throw new DbxMcpError(`azure_tenant_id "${tenant}" is not a tenant id`, { code: 'AZURE_SP_FAILED', hint: 'Set ARM_TENANT_ID (or azure_tenant_id) to the directory (tenant) id: Azure portal → Microsoft Entra ID → Overview.' });
  }
  // The one place the client secret is sent: the Entra ID endpoint of the host's cloud.
  const url = `${cloud.loginEndpoint}${tenant}/oauth2/token`;
  const res = await deps.http.raw({
    method: 'POST',
    url,
    form: { grant_type: 'client_credentials', client_id: v.azure_client_id ?? '', client_secret: v.azure_client_secret ?? '', resource: cloud.applicationId },
    timeoutMs: 30_000,
  });
  const fix = deadTokenFix({ ...(c.profile ? { profile: c.profile } : {}) });
  if (res.status !== 200) {
    throw new DbxMcpError(`Entra ID refused the Azure service principal ${v.azure_client_id ?? ''} (${new URL(url).origin}: ${res.status} ${entraError(res.json)})`.trim(), { code: 'AZURE_SP_FAILED', hint: fix });
  }
  return entraToken(res.json, deps.now(), `Entra ID (${new URL(url).origin})`, 'AZURE_SP_FAILED', fix);
}

export const azureClientSecret: AuthMethod = {
  id: 'azure-client-secret',
  label: 'Azure service principal (client secret)',
  attrs: { azure_client_id: 'ARM_CLIENT_ID', azure_client_secret: 'ARM_CLIENT_SECRET', azure_workspace_resource_id: 'DATABRICKS_AZURE_RESOURCE_ID' },
  // azure_tenant_id is also azure-cli's setting (the same key ⇄ ARM_TENANT_ID); azure_environment picks the cloud of a host outside the known zones.
  settings: { azure_tenant_id: 'ARM_TENANT_ID', azure_environment: 'ARM_ENVIRONMENT' },
  secretAttrs: ['azure_client_secret'],
  detect: (v, host, env) => Boolean(v.azure_client_id && v.azure_client_secret && v.azure_tenant_id && azureCloud(host, v, env)),
  credentialName: 'azure',
  validate(v, where) {
    const missing = (['azure_client_id', 'azure_client_secret', 'azure_tenant_id'] as const).filter((k) => !v[k]);
    if (missing.length) {
      throw new UsageError(`auth_type = azure-client-secret in ${where}, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`, {
        hint: 'Set ARM_CLIENT_ID, ARM_CLIENT_SECRET and ARM_TENANT_ID (or azure_client_id, azure_client_secret, azure_tenant_id in the profile) to the Entra ID application\'s values.',
      });
    }
  },
  createTokenSource: (deps, c) => cached('azure-client-secret', deps.now, () => fetchToken(deps, c)),
  refreshable: true,
  // ❓ UNCONFIRMED that Databricks Apps accept Entra ID tokens; marked OAuth (short-lived) like azure-cli.
  oauth: true,
  describeToken: (c) => `Entra ID token for Azure service principal ${c.values?.azure_client_id ?? '?'} (client secret, tenant ${c.values?.azure_tenant_id ?? '?'})`,
  inputs: (c, env) => ({ token: `Entra ID client credentials at ${azureCloud(c.host, c.values ?? {}, env)?.loginEndpoint ?? '(not an Azure host)'}${c.values?.azure_tenant_id ?? ''}/oauth2/token` }),
  deadTokenFix,
  noCredentialFix: deadTokenFix,
  expiringFix: 'It is renewed automatically; if calls start failing, run doctor again.',
  errorKinds: { AZURE_SP_FAILED: 'invalid-token', AZURE_NOT_AZURE: 'no-credentials' },
};
