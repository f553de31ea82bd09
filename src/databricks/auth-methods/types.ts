/**
 * What an auth method is, as data: one `AuthMethod` per `auth_type` value, collected in
 * index.ts. Profiles (selection and validation), the token sources, doctor and the proxy read
 * the table, so a new method is one file here plus its test.
 */
import type { Ctx } from '../../context.js';
import type { HttpClient } from '../http.js';
import type { AuthType, ResolvedConfig } from '../profiles.js';

/** The attributes of a configuration by config-file key (`token`, `client_id`, …), env or file. */
export type ConfigValues = Readonly<Partial<Record<string, string>>>;

export interface AccessToken {
  token: string;
  /** Epoch milliseconds; undefined for tokens without a known expiry (PATs). */
  expiresAt?: number;
  /** For a token from the Databricks CLI's shared store: which one (doctor names it). */
  from?: 'keyring' | 'token-cache.json';
}

export interface TokenSource {
  readonly kind: AuthType;
  /** A valid token; `forceRefresh` skips the cache (after a 401/403 "Invalid access token"). */
  getToken(opts?: { forceRefresh?: boolean }): Promise<AccessToken>;
}

/** What a token source may use: run a command (`databricks`, `az`), read env-only inputs, call HTTP. */
export type TokenDeps = Pick<Ctx, 'exec' | 'env' | 'now'> & { http: HttpClient; home?: string };

/** Who is signing in where, for fixes that name the profile and host. */
export interface FixContext {
  profile?: string;
  host?: string;
}

export interface AuthMethod {
  /** The `auth_type` value that selects it. */
  readonly id: AuthType;
  /** What it is, for doctor's profile.resolved and skip messages ("personal access token"). */
  readonly label: string;
  /**
   * Config-file keys this method reads ⇄ their environment variables (SDK config struct tags).
   * A method whose inputs are environment-only (e.g. a CI's OIDC request URL) reads them from
   * `TokenDeps.env` in its token source and lists none here.
   */
  readonly attrs: Readonly<Record<string, string>>;
  /**
   * Keys that tune the method but hold no credential (`databricks_cli_path`): set in the
   * environment, they do not switch to environment-only auth the way `attrs` do.
   */
  readonly settings: Readonly<Record<string, string>>;
  /** Those of `attrs` whose values are secrets: registered for redaction as soon as resolved. */
  readonly secretAttrs: readonly string[];
  /**
   * Without `auth_type`: whether the values select this method. The table's `DEFAULT_ORDER`
   * asks each method in the SDKs' order; undefined means the method is never picked unasked.
   */
  detect?(v: ConfigValues, host: string, env: NodeJS.ProcessEnv): boolean;
  /**
   * Picked unasked only when no other method's `detect` matches. The SDKs skip the Databricks
   * CLI when it holds no token for the host, which dbx-mcp cannot know without running it, so
   * "a host alone" must not shadow the methods after it in the order (the OIDC ones in CI).
   */
  readonly fallback?: boolean;
  /**
   * Environment-only inputs it would use (not config keys), by name → where they come from,
   * for doctor's profile.resolved ("subject_token" → "env ACTIONS_ID_TOKEN_REQUEST_URL"). Never values.
   */
  inputs?(c: ResolvedConfig, env: NodeJS.ProcessEnv): Record<string, string>;
  /** Its name in the SDK's "more than one authorization method configured" error, when it holds a credential. */
  readonly credentialName?: string;
  /** Throws UsageError when a configuration that names it in `auth_type` lacks what it needs. */
  validate(v: ConfigValues, where: string): void;
  /** The token source; nothing is fetched until getToken(). */
  createTokenSource(deps: TokenDeps, c: ResolvedConfig): TokenSource;
  /** Whether asking again can give a new token (after a 401 the call is retried once with a forced refresh); a PAT cannot. */
  readonly refreshable: boolean;
  /** Whether its tokens are OAuth tokens (short-lived; the only kind Databricks Apps accept). */
  readonly oauth: boolean;
  /** For doctor's auth.token: where the token comes from. */
  describeToken(c: ResolvedConfig): string;
  /** The exact fix when its token is dead (invalid, expired, rejected): doctor, the proxy and the commands all use it. */
  deadTokenFix(a: FixContext): string;
  /** The fix when no usable credential reached the workspace. */
  noCredentialFix(a: FixContext): string;
  /** The fix doctor gives when the token expires within minutes. */
  readonly expiringFix: string;
  /** DbxMcpError codes its token source throws → doctor's `data.kind`. */
  readonly errorKinds: Readonly<Record<string, string>>;
}
