/**
 * The auth-method table: every `auth_type` dbx-mcp supports, one file each. `AuthType` is the
 * list below; the table is checked against it (`satisfies Record<AuthType, AuthMethod>`), so a
 * method declared in one place and missing in the other fails to compile.
 */
import { azureCli } from './azure-cli.js';
import { azureClientSecret } from './azure-client-secret.js';
import { azureMsi } from './azure-msi.js';
import { databricksCli } from './databricks-cli.js';
import { envOidc } from './env-oidc.js';
import { externalBrowser } from './external-browser.js';
import { fileOidc } from './file-oidc.js';
import { githubOidc } from './github-oidc.js';
import { loginCommand } from './login.js';
import { metadataService } from './metadata-service.js';
import { oauthM2m } from './oauth-m2m.js';
import { pat } from './pat.js';
import type { AuthMethod, ConfigValues, FixContext } from './types.js';

/**
 * The `auth_type` values dbx-mcp supports, in the SDKs' default order (source: Go SDK
 * config/auth_default.go). `external-browser` is not in the Go SDK's chain and is never picked
 * unasked (no `detect`); it sits next to `databricks-cli`, whose sign-in it shares, as in
 * databricks-sdk-py's DefaultCredentials.
 */
export const AUTH_TYPES = ['pat', 'oauth-m2m', 'databricks-cli', 'external-browser', 'metadata-service', 'github-oidc', 'env-oidc', 'file-oidc', 'azure-msi', 'azure-client-secret', 'azure-cli'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export const AUTH_METHODS = {
  pat,
  'oauth-m2m': oauthM2m,
  'databricks-cli': databricksCli,
  'external-browser': externalBrowser,
  'metadata-service': metadataService,
  'github-oidc': githubOidc,
  'env-oidc': envOidc,
  'file-oidc': fileOidc,
  'azure-msi': azureMsi,
  'azure-client-secret': azureClientSecret,
  'azure-cli': azureCli,
} as const satisfies Record<AuthType, AuthMethod>;

export function isAuthType(s: string): s is AuthType {
  return (AUTH_TYPES as readonly string[]).includes(s);
}

/**
 * The method the SDKs' default order picks without `auth_type`: the first whose `detect`
 * matches, a `fallback` method (the Databricks CLI) only when none other does.
 */
export function defaultAuthType(v: ConfigValues, host: string, env: NodeJS.ProcessEnv): AuthType | undefined {
  const matches = AUTH_TYPES.filter((t) => AUTH_METHODS[t].detect?.(v, host, env));
  return matches.find((t) => !AUTH_METHODS[t].fallback) ?? matches[0];
}

/** The fix for a dead token; with the method unknown (the profile did not resolve), signing in again. */
export function deadTokenFix(t: AuthType | undefined, a: FixContext): string {
  return t ? AUTH_METHODS[t].deadTokenFix(a) : `Sign in again: ${loginCommand(a.host, a.profile)}`;
}

/** The fix when no usable credential reached the workspace; with the method unknown, signing in. */
export function noCredentialFix(t: AuthType | undefined, a: FixContext): string {
  return t ? AUTH_METHODS[t].noCredentialFix(a) : `Sign in: ${loginCommand(a.host, a.profile)}`;
}

/** Every method's token-source error codes → doctor's `data.kind`. */
export const AUTH_ERROR_KINDS: Readonly<Record<string, string>> = Object.assign({}, ...AUTH_TYPES.map((t) => AUTH_METHODS[t].errorKinds));

/** Every config key a method reads ⇄ its environment variable, in table order. */
export const METHOD_ATTRS: Readonly<Record<string, string>> = Object.assign({}, ...AUTH_TYPES.map((t) => AUTH_METHODS[t].attrs));

/** Every config key that tunes a method without holding a credential. */
export const METHOD_SETTINGS: Readonly<Record<string, string>> = Object.assign({}, ...AUTH_TYPES.map((t) => AUTH_METHODS[t].settings));

/** Every config key whose value is a secret. */
export const SECRET_ATTRS: readonly string[] = AUTH_TYPES.flatMap((t) => AUTH_METHODS[t].secretAttrs);
