/**
 * Token sources: where a bearer token for a resolved configuration comes from. Each auth
 * method's source is defined with the method (auth-methods/); this is the one entry point the
 * commands, doctor and the proxy use. Concurrent callers share one fetch; tokens are registered
 * for redaction as soon as seen.
 */
import type { Ctx } from '../context.js';
import { AUTH_METHODS } from './auth-methods/index.js';
import type { TokenSource } from './auth-methods/types.js';
import type { HttpClient } from './http.js';
import type { ResolvedConfig } from './profiles.js';

export type { AccessToken, TokenSource } from './auth-methods/types.js';

type Deps = Pick<Ctx, 'exec' | 'env' | 'now'> & { http: HttpClient; home?: string };

/** Creates the token source for a configuration. Nothing is fetched until getToken(). */
export function createTokenSource(deps: Deps, config: ResolvedConfig): TokenSource {
  return AUTH_METHODS[config.authType].createTokenSource(deps, config);
}
