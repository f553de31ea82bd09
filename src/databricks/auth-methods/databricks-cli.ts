/**
 * `databricks-cli`: `databricks auth token --profile <p>` (JSON), cached until shortly before
 * expiry; the CLI owns the refresh token and its keyring (source: Databricks CLI
 * cmd/auth/token.go; Databricks CLI libs/auth/storage/filestore.go). Without the CLI on PATH
 * (and no `databricks_cli_path`), dbx-mcp reads and refreshes the CLI's store itself (u2m.ts),
 * so a profile signed in by `dbx-mcp login` or by the CLI works with Node alone.
 */
import { DbxMcpError } from '../../errors.js';
import { registerSecret } from '../../secrets.js';
import type { ResolvedConfig } from '../profiles.js';
import { databricksCliOnPath, loginCommand } from './login.js';
import { cached, tokenFields, type TokenFields } from './token-cache.js';
import type { AccessToken, AuthMethod, TokenDeps } from './types.js';
import { storedAccessToken } from './u2m.js';

async function fetchCliToken(deps: TokenDeps, config: ResolvedConfig, force = false): Promise<AccessToken> {
  if (!config.cliPath && !databricksCliOnPath(deps.env)) return storedAccessToken(deps, config, force);
  const cli = config.cliPath || 'databricks';
  const args = ['auth', 'token', '--output', 'json'];
  if (config.profile) args.push('--profile', config.profile);
  else args.push('--host', config.host);
  if (config.isAccount && config.accountId) args.push('--account-id', config.accountId);
  if (force) args.push('--force-refresh');
  const login = loginCommand(config.host, config.profile, config.isAccount ? config.accountId : undefined);
  // Concurrent `auth token` calls can collide on the CLI's cache lock; retry those (source: Databricks CLI libs/auth/storage/filestore.go).
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await deps.exec(cli, args, { timeoutMs: 30_000 });
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') {
        // The CLI went missing between the PATH check and the run: its store still holds the sign-in.
        if (!config.cliPath) return storedAccessToken(deps, config, force);
        throw new DbxMcpError(`The Databricks CLI (${cli}) is not installed, and profile "${config.profile ?? config.host}" signs in through it (auth_type = databricks-cli)`, {
          code: 'CLI_MISSING',
          hint: `Install it (https://docs.databricks.com/dev-tools/cli/install.html, e.g. \`brew install databricks/tap/databricks\` or \`curl -fsSL https://raw.githubusercontent.com/databricks/setup-cli/main/install.sh | sh\`), then run: ${login}`,
        });
      }
      throw new DbxMcpError(`Running \`${cli} auth token\` failed: ${(e as Error).message}`, { code: 'CLI_FAILED', hint: `Run ${login}` });
    }
    if (res.exitCode !== 0) {
      const err = res.stderr.trim();
      if (attempt < 3 && /cache update|exit status 45|lock/i.test(err)) continue;
      const notLoggedIn = /not configured|no cached credentials|refresh token is invalid|auth login|expired/i.test(err);
      throw new DbxMcpError(
        notLoggedIn
          ? `Not signed in to ${config.host} with the Databricks CLI (profile ${config.profile ?? '(env)'})`
          : `\`${cli} auth token\` failed: ${err.split('\n')[0] || `exit code ${res.exitCode}`}`,
        { code: notLoggedIn ? 'CLI_NOT_LOGGED_IN' : 'CLI_FAILED', hint: `Run: ${login}` },
      );
    }
    let parsed: TokenFields | undefined;
    try {
      parsed = tokenFields(JSON.parse(res.stdout));
    } catch {
      parsed = undefined;
    }
    if (!parsed) {
      throw new DbxMcpError('`databricks auth token` printed something that is not a token', {
        code: 'CLI_FAILED',
        hint: `Update the Databricks CLI (databricks version ≥ 0.200), then run: ${login}`,
      });
    }
    registerSecret(parsed.access_token);
    const expiresAt = parsed.expiry ? Date.parse(parsed.expiry) : parsed.expires_in ? deps.now() + Number(parsed.expires_in) * 1000 : undefined;
    return { token: parsed.access_token, expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt };
  }
}

export const databricksCli: AuthMethod = {
  id: 'databricks-cli',
  label: 'OAuth via the Databricks CLI',
  attrs: {},
  settings: { databricks_cli_path: 'DATABRICKS_CLI_PATH' },
  secretAttrs: [],
  // Last in the SDKs' order for the methods dbx-mcp has: a host alone means "the CLI signed in to it".
  detect: (v) => Boolean(v.host),
  fallback: true,
  validate() {
    // Nothing to check up front: the CLI says whether it is signed in when asked for a token.
  },
  createTokenSource: (deps, c) => cached('databricks-cli', deps.now, (force) => fetchCliToken(deps, c, force)),
  refreshable: true,
  oauth: true,
  describeToken: (c) => (c.cliPath || databricksCliOnPath(process.env) ? 'OAuth token from the Databricks CLI' : 'OAuth token from the sign-in shared with the Databricks CLI'),
  deadTokenFix: (a) => `Sign in again: ${loginCommand(a.host, a.profile)}`,
  noCredentialFix: (a) => `Sign in: ${loginCommand(a.host, a.profile)}`,
  expiringFix: 'The CLI refreshes it on the next use; if that fails, run `databricks auth login`.',
  errorKinds: { CLI_MISSING: 'cli-missing', CLI_NOT_LOGGED_IN: 'no-credentials', U2M_NOT_SIGNED_IN: 'no-credentials', U2M_REFRESH_INVALID: 'invalid-token', U2M_REFRESH_FAILED: 'invalid-token', KEYRING_UNREACHABLE: 'no-credentials' },
};
