/**
 * `azure-cli`: an Entra ID token for the Azure Databricks resource from the signed-in Azure CLI
 * (`az account get-access-token --resource 2ff814a6-… --output json`, + `--tenant` when set),
 * cached until shortly before `expires_on` (source: Go SDK config/auth_azure_cli.go; breadth.md §3).
 * Selected by `auth_type = azure-cli` only: the SDKs try it unasked on *.azuredatabricks.net after
 * the Databricks CLI, and dbx-mcp cannot tell whether either is signed in without running it, so
 * an Azure profile without auth_type keeps signing in through the Databricks CLI as before.
 */
import { DbxMcpError } from '../../errors.js';
import { registerSecret } from '../../secrets.js';
import type { ResolvedConfig } from '../profiles.js';
import { cached } from './token-cache.js';
import type { AccessToken, AuthMethod, TokenDeps } from './types.js';

/** The Azure Databricks first-party application (its resource id in Entra ID). */
export const AZURE_DATABRICKS_RESOURCE = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';

function azLogin(tenant: string | undefined): string {
  return tenant ? `az login --tenant ${tenant}` : 'az login';
}

async function fetchAzToken(deps: TokenDeps, c: ResolvedConfig): Promise<AccessToken> {
  const tenant = c.values?.azure_tenant_id;
  const args = ['account', 'get-access-token', '--resource', AZURE_DATABRICKS_RESOURCE, '--output', 'json'];
  if (tenant) args.push('--tenant', tenant);
  let res;
  try {
    res = await deps.exec('az', args, { timeoutMs: 30_000 });
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') {
      throw new DbxMcpError(`The Azure CLI (az) is not installed, and ${c.profile ? `profile "${c.profile}"` : 'this configuration'} signs in through it (auth_type = azure-cli)`, {
        code: 'AZ_MISSING',
        hint: `Install it (https://learn.microsoft.com/cli/azure/install-azure-cli), then run: ${azLogin(tenant)}`,
      });
    }
    throw new DbxMcpError(`Running \`az account get-access-token\` failed: ${(e as Error).message}`, { code: 'AZ_FAILED', hint: `Run: ${azLogin(tenant)}` });
  }
  if (res.exitCode !== 0) {
    const first = res.stderr.trim().split('\n').find((l) => l.trim()) ?? `exit code ${res.exitCode}`;
    throw new DbxMcpError(`The Azure CLI has no token for Azure Databricks: ${first}`, { code: 'AZ_NOT_LOGGED_IN', hint: `Run: ${azLogin(tenant)}` });
  }
  let o: { accessToken?: unknown; expires_on?: unknown; expiresOn?: unknown } = {};
  try {
    o = JSON.parse(res.stdout) as typeof o;
  } catch {
    // reported below
  }
  if (typeof o.accessToken !== 'string' || o.accessToken === '') {
    throw new DbxMcpError('`az account get-access-token` printed something that is not a token', { code: 'AZ_FAILED', hint: `Update the Azure CLI (az upgrade), then run: ${azLogin(tenant)}` });
  }
  registerSecret(o.accessToken);
  // expires_on (epoch seconds) since az 2.54; older versions only give expiresOn in local time.
  const epoch = Number(o.expires_on);
  const expiresAt = Number.isFinite(epoch) && epoch > 0 ? epoch * 1000 : typeof o.expiresOn === 'string' ? Date.parse(o.expiresOn) : NaN;
  return { token: o.accessToken, expiresAt: Number.isNaN(expiresAt) ? deps.now() + 5 * 60_000 : expiresAt };
}

export const azureCli: AuthMethod = {
  id: 'azure-cli',
  label: 'Azure CLI (Entra ID)',
  attrs: {},
  settings: { azure_tenant_id: 'ARM_TENANT_ID' },
  secretAttrs: [],
  validate() {
    // Nothing to check up front: az says whether it is signed in when asked for a token.
  },
  createTokenSource: (deps, c) => cached('azure-cli', deps.now, () => fetchAzToken(deps, c)),
  refreshable: true,
  oauth: true,
  describeToken: () => 'Entra ID token from the Azure CLI',
  inputs: (c) => ({ token: `az account get-access-token${c.values?.azure_tenant_id ? ` --tenant ${c.values.azure_tenant_id}` : ''}` }),
  deadTokenFix: () => 'Sign in to Azure again: az login (add --tenant <tenant id> for another directory), and check that you are a user of this Azure Databricks workspace.',
  noCredentialFix: () => 'Sign in to Azure: az login (add --tenant <tenant id> for another directory).',
  expiringFix: 'The Azure CLI renews it on the next use; if that fails, run `az login`.',
  errorKinds: { AZ_MISSING: 'cli-missing', AZ_NOT_LOGGED_IN: 'no-credentials' },
};
