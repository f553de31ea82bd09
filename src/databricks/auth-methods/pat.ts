/** `pat`: a personal access token in `token` / DATABRICKS_TOKEN; it never refreshes. */
import { UsageError } from '../../errors.js';
import { registerSecret } from '../../secrets.js';
import { loginCommand } from './login.js';
import type { AuthMethod, FixContext } from './types.js';

function deadTokenFix(a: FixContext): string {
  // Without a profile the token came from the environment: naming "profile DEFAULT" would send the user to the wrong place.
  const where = a.profile ? `as "token" in profile ${a.profile} (or DATABRICKS_TOKEN)` : 'as DATABRICKS_TOKEN';
  return `Create a new personal access token (workspace → User settings → Developer → Access tokens) and set it ${where}, or switch to OAuth: ${loginCommand(a.host, a.profile)}`;
}

export const pat: AuthMethod = {
  id: 'pat',
  label: 'personal access token',
  attrs: { token: 'DATABRICKS_TOKEN' },
  settings: {},
  secretAttrs: ['token'],
  detect: (v) => Boolean(v.token),
  credentialName: 'pat',
  validate(v, where) {
    if (!v.token) throw new UsageError(`auth_type = pat in ${where}, but no token is set`, { hint: 'Add "token = dapi…" or remove auth_type.' });
  },
  createTokenSource: (_deps, c) => ({
    kind: 'pat',
    getToken: async () => {
      registerSecret(c.token);
      return { token: c.token! };
    },
  }),
  refreshable: false,
  oauth: false,
  describeToken: (c) => `personal access token (from ${c.sources.token?.kind === 'env' ? c.sources.token.name : `profile "${c.profile}"`})`,
  deadTokenFix,
  noCredentialFix: deadTokenFix,
  expiringFix: 'It is renewed automatically; if calls start failing, run doctor again.',
  errorKinds: {},
};
