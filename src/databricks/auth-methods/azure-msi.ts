/**
 * `azure-msi`: the managed identity of an Azure VM, container or runner. The token comes from the
 * Azure Instance Metadata Service, `GET http://169.254.169.254/metadata/identity/oauth2/token?
 * api-version=2018-02-01&resource=<Azure Databricks app id>[&client_id=<user-assigned identity>]`
 * with `Metadata: true`, bounded at 10 s (source: Go SDK v0.175 config/auth_azure_msi.go).
 * Picked unasked, as in the SDKs, when azure_use_msi / ARM_USE_MSI is true and the host is Azure
 * Databricks. No secret is sent (the endpoint is link-local: only the VM's host answers it); the
 * Databricks token goes only to the profile's workspace. The host is required: the SDK's
 * host-less lookup through Azure Resource Manager is not done (see azure-client-secret.ts for
 * the management-token header, likewise not sent).
 */
import { DbxMcpError, UsageError } from '../../errors.js';
import { redactedExcerpt } from '../../secrets.js';
import type { ResolvedConfig } from '../profiles.js';
import { AZURE_IMDS_PREFIX, azureCloud, entraToken, imdsPrefix, TEST_AZURE_IMDS_ENV, truthy } from './azure.js';
import { cached } from './token-cache.js';
import type { AccessToken, AuthMethod, TokenDeps } from './types.js';

const MSI_TIMEOUT_MS = 10_000;
const NOT_ON_AZURE = 'Run it on an Azure VM, container or runner with a managed identity assigned (and NO_PROXY=169.254.169.254 behind a proxy), or sign in another way (auth_type = azure-cli or azure-client-secret).';

async function fetchToken(deps: TokenDeps, c: ResolvedConfig): Promise<AccessToken> {
  const v = c.values ?? {};
  const cloud = azureCloud(c.host, v, deps.env);
  if (!cloud) {
    throw new DbxMcpError(`auth_type = azure-msi, but ${c.host} is not an Azure Databricks host`, { code: 'AZURE_NOT_AZURE', hint: 'Use the workspace URL (https://adb-<id>.<n>.azuredatabricks.net).' });
  }
  const url = `${imdsPrefix(deps.env)}/identity/oauth2/token`;
  let res;
  try {
    res = await deps.http.raw({
      method: 'GET',
      url,
      query: { 'api-version': '2018-02-01', resource: cloud.applicationId, client_id: v.azure_client_id || undefined },
      headers: { Metadata: 'true' },
      timeoutMs: MSI_TIMEOUT_MS,
      retryBudgetMs: 0,
    });
  } catch (e) {
    throw new DbxMcpError(`The Azure managed-identity endpoint did not answer (${(e as Error).message})`, { code: 'AZURE_MSI_UNREACHABLE', hint: NOT_ON_AZURE });
  }
  const idName = v.azure_client_id ? `the managed identity ${v.azure_client_id}` : 'the system-assigned managed identity';
  const fix = `Check that ${idName} is assigned to this machine and was added to the Azure Databricks workspace${v.azure_client_id ? '' : ' (for a user-assigned identity set ARM_CLIENT_ID to its client id)'}.`;
  if (res.status !== 200) {
    const b = (res.json ?? {}) as { error?: unknown; error_description?: unknown };
    const why = [b.error, b.error_description].filter((x) => typeof x === 'string').join(': ') || redactedExcerpt(res.text.trim(), 200);
    throw new DbxMcpError(`The Azure managed-identity endpoint gave no token for ${idName}: ${res.status} ${why}`.trim(), { code: 'AZURE_MSI_FAILED', hint: fix });
  }
  return entraToken(res.json, deps.now(), 'The Azure managed-identity endpoint', 'AZURE_MSI_FAILED', fix);
}

export const azureMsi: AuthMethod = {
  id: 'azure-msi',
  label: 'Azure managed identity (MSI)',
  attrs: { azure_use_msi: 'ARM_USE_MSI', azure_client_id: 'ARM_CLIENT_ID', azure_workspace_resource_id: 'DATABRICKS_AZURE_RESOURCE_ID' },
  settings: {},
  secretAttrs: [],
  detect: (v, host, env) => truthy(v.azure_use_msi) && Boolean(azureCloud(host, v, env)),
  credentialName: 'azure',
  validate(v, where) {
    // The SDK configures azure-msi only with azure_use_msi set, even when auth_type names it.
    if (!truthy(v.azure_use_msi)) {
      throw new UsageError(`auth_type = azure-msi in ${where}, but azure_use_msi is not true`, { hint: 'Set ARM_USE_MSI=true (or azure_use_msi = true in the profile); for a user-assigned identity also ARM_CLIENT_ID.' });
    }
  },
  createTokenSource: (deps, c) => cached('azure-msi', deps.now, () => fetchToken(deps, c)),
  refreshable: true,
  // ❓ UNCONFIRMED that Databricks Apps accept Entra ID tokens; marked OAuth (short-lived) like azure-cli.
  oauth: true,
  describeToken: (c) => `Entra ID token for ${c.values?.azure_client_id ? `the managed identity ${c.values.azure_client_id}` : 'the system-assigned managed identity'} (Azure instance metadata)`,
  inputs: (_c, env) => ({ token: `Azure instance metadata ${imdsPrefix(env)}/identity/oauth2/token${imdsPrefix(env) !== AZURE_IMDS_PREFIX ? ` (test override ${TEST_AZURE_IMDS_ENV})` : ''}` }),
  deadTokenFix: () => 'Check that the managed identity is assigned to this machine and was added to this Azure Databricks workspace (ARM_CLIENT_ID names a user-assigned identity).',
  noCredentialFix: () => NOT_ON_AZURE,
  expiringFix: 'It is renewed automatically from the instance metadata endpoint.',
  errorKinds: { AZURE_MSI_FAILED: 'invalid-token', AZURE_MSI_UNREACHABLE: 'no-credentials', AZURE_NOT_AZURE: 'no-credentials' },
};
