/**
 * Workload identity federation in the fake workspace (source: breadth.md §3; Go SDK
 * oidc/tokensource.go): the token-exchange grant at /oidc/v1/token (and the account variant),
 * checked against the service principal's federation policies, and a GitHub Actions ID-token
 * endpoint on loopback. The subject tokens are unsigned JWT-shaped fixtures (`fakeIdToken`):
 * the emulator checks their claims, not a signature.
 */
import type { Ctx } from './http-util.js';
import { sendJson } from './http-util.js';
import { route, type Route } from './router.js';
import type { WorkspaceState } from './types.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** What a job's ACTIONS_ID_TOKEN_REQUEST_TOKEN is in the emulator. */
export const GITHUB_REQUEST_TOKEN = 'ghs_emulatorRequestToken0123456789abcdef';
export const GITHUB_SUBJECT = 'repo:acme/mcp-config:ref:refs/heads/main';
/** The issuer of the env-oidc / file-oidc fixture tokens. */
export const FIXTURE_ISSUER = 'https://idp.example.com';
/** The ID-token request path (GitHub's URL already carries a query, hence `$URL&audience=`). */
export const GITHUB_ID_TOKEN_PATH = '/_github/idtoken?api-version=2.0';

/**
 * The exchange's refusal. ❓ the exact body (breadth.md §3 says 400/401 `invalid_request` /
 * `invalid_client`): kept in this one constant.
 */
export const FEDERATION_REJECTED = { status: 400, error: 'invalid_request', description: 'Token exchange failed: no federation policy of the service principal accepts this token' } as const;

/** An unsigned JWT-shaped ID token with these claims (one hour). */
export function fakeIdToken(claims: { iss: string; sub: string; aud: string }): string {
  const b = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b({ alg: 'RS256', typ: 'JWT', kid: 'fixture' })}.${b({ ...claims, iat: now, exp: now + 3600 })}.c2lnbmF0dXJl`;
}

function claimsOf(jwt: string): { iss?: string; sub?: string; aud?: string | string[]; exp?: number } | undefined {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as ReturnType<typeof claimsOf>;
  } catch {
    return undefined;
  }
}

/**
 * The service principal that the subject token federates to, or undefined (refused). A policy's
 * default audience is the token endpoint URL (workspace) or the account id (account).
 */
export function federatedPrincipal(state: WorkspaceState, clientId: string, subject: string, defaultAudience: string): string | undefined {
  const c = claimsOf(subject);
  if (!c?.iss || (c.exp !== undefined && c.exp * 1000 < Date.now())) return undefined;
  const auds = Array.isArray(c.aud) ? c.aud : [c.aud];
  const sp = state.servicePrincipals.find((s) => s.applicationId === clientId);
  const ok = sp?.federationPolicies?.some((p) => p.issuer === c.iss && (p.subject === undefined || p.subject === c.sub) && auds.some((a) => (p.audiences ?? [defaultAudience]).includes(a ?? '')));
  return ok ? sp!.applicationId : undefined;
}

function githubIdToken(ctx: Ctx): void {
  if (ctx.req.headers.authorization !== `Bearer ${GITHUB_REQUEST_TOKEN}`) {
    return sendJson(ctx.res, 401, { message: 'Bad credentials' });
  }
  const aud = ctx.query.get('audience') ?? 'https://github.com/acme';
  sendJson(ctx.res, 200, { count: 1, value: fakeIdToken({ iss: GITHUB_ISSUER, sub: GITHUB_SUBJECT, aud }) });
}

export const federationRoutes: Route[] = [route('GET', /^\/_github\/idtoken$/, 'none', githubIdToken)];
