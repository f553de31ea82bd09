/**
 * `metadata-service`: a token from a local HTTP server a parent process runs (the Databricks
 * VS Code extension): `GET <metadata_service_url>` with `X-Databricks-Metadata-Version: 1` and
 * `X-Databricks-Host: <host>`, answered with `{access_token, token_type, expires_on}` (epoch
 * seconds), bounded at 10 s (source: Go SDK v0.175 config/auth_metadata_service.go). The URL must
 * be on `localhost` or `127.0.0.1` (the SDK's rule, checked before every request) and is a secret
 * (its path is the session key; Go SDK config.go tags it sensitive). Picked unasked, in the SDKs'
 * order, right after databricks-cli, whenever the URL is set.
 * Token rule: only the host's name goes to the metadata server; the token it returns goes only
 * to the profile's workspace (the server vouches for that host by the header above).
 */
import { DbxMcpError, UsageError } from '../../errors.js';
import type { ResolvedConfig } from '../profiles.js';
import { entraToken } from './azure.js';
import { cached } from './token-cache.js';
import type { AccessToken, AuthMethod, FixContext, TokenDeps } from './types.js';

const TIMEOUT_MS = 10_000;

function where(a: FixContext): string {
  return a.profile ? `metadata_service_url of profile ${a.profile}` : 'DATABRICKS_METADATA_SERVICE_URL';
}

/** The SDK's check: a parseable URL whose host is exactly localhost or 127.0.0.1. */
function metadataUrl(raw: string | undefined, a: FixContext): URL {
  let u: URL | undefined;
  try {
    u = new URL(raw ?? '');
  } catch {
    // named below
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
    throw new UsageError(`${where(a)} is not a URL`, { code: 'METADATA_SERVICE_BAD_URL', hint: 'Leave DATABRICKS_METADATA_SERVICE_URL to the IDE extension that sets it, or unset it.' });
  }
  if (u.hostname !== 'localhost' && u.hostname !== '127.0.0.1') {
    throw new UsageError(`${where(a)} is not on localhost; only localhost URLs are allowed`, {
      code: 'METADATA_SERVICE_BAD_URL',
      hint: 'Point it at the local metadata server (http://localhost:<port>/…), or unset it and sign in another way.',
    });
  }
  return u;
}

async function fetchToken(deps: TokenDeps, c: ResolvedConfig): Promise<AccessToken> {
  const a = c.profile ? { profile: c.profile } : {};
  const url = metadataUrl(c.values?.metadata_service_url, a);
  const fix = `Check that the program that set ${where(a)} (e.g. the Databricks IDE extension) is running and signed in to ${c.host}.`;
  let res;
  try {
    res = await deps.http.raw({ method: 'GET', url: url.href, headers: { 'X-Databricks-Metadata-Version': '1', 'X-Databricks-Host': c.host }, timeoutMs: TIMEOUT_MS, retryBudgetMs: 0 });
  } catch {
    // The error would name the URL, which is a secret: say which setting instead.
    throw new DbxMcpError(`The local metadata service (${where(a)}) did not answer`, { code: 'METADATA_SERVICE_FAILED', hint: fix });
  }
  if (res.status !== 200) {
    throw new DbxMcpError(`The local metadata service gave no token for ${c.host}: ${res.status}`, { code: 'METADATA_SERVICE_FAILED', hint: fix });
  }
  return entraToken(res.json, deps.now(), 'The local metadata service', 'METADATA_SERVICE_FAILED', fix);
}

export const metadataService: AuthMethod = {
  id: 'metadata-service',
  label: 'Databricks metadata service (IDE)',
  attrs: { metadata_service_url: 'DATABRICKS_METADATA_SERVICE_URL' },
  settings: {},
  secretAttrs: ['metadata_service_url'],
  detect: (v) => Boolean(v.metadata_service_url),
  credentialName: 'metadata-service',
  validate(v, w) {
    if (!v.metadata_service_url) {
      throw new UsageError(`auth_type = metadata-service in ${w}, but metadata_service_url is not set`, { hint: 'Set DATABRICKS_METADATA_SERVICE_URL (the IDE extension sets it for the processes it starts).' });
    }
    metadataUrl(v.metadata_service_url, {});
  },
  createTokenSource: (deps, c) => cached('metadata-service', deps.now, () => fetchToken(deps, c)),
  refreshable: true,
  oauth: true,
  describeToken: () => 'OAuth token from the local Databricks metadata service',
  deadTokenFix: (a) => `Check that the program that set ${where(a)} (e.g. the Databricks IDE extension) is running and signed in to ${a.host ?? 'this workspace'}.`,
  noCredentialFix: (a) => `Check that the program that set ${where(a)} (e.g. the Databricks IDE extension) is running and signed in to ${a.host ?? 'this workspace'}.`,
  expiringFix: 'It is renewed automatically from the metadata service.',
  errorKinds: { METADATA_SERVICE_FAILED: 'no-credentials' },
};
