// The per-kind auth restriction: a kind may refuse a profile's auth method (issue 14's `app`
// is OAuth-only). validateTarget checks it before the network for add, init and sync, so a
// refused kind writes nothing. The kind here is defined only in the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUTH_TYPES, AUTH_METHODS } from '../../../src/databricks/auth-methods/index.js';
import type { ServerKindDef } from '../../../src/databricks/server-kinds/index.js';
import { checkKindAuth } from '../../../src/databricks/validate-target.js';
import { ExitCode, UsageError } from '../../../src/errors.js';

const base: ServerKindDef = {
  add: { argument: { name: 'app', description: 'an app' }, description: 'a test kind' },
  initFlag: { value: '<app>', description: 'a test kind' },
  picker: { label: 'Test', hint: 'test' },
  fromUrl: () => undefined,
  parse: (t) => [t],
  url: (host, parts) => `${host}/${parts.join('/')}`,
  defaultName: (parts) => `test-${parts[0]}`,
  validate: () => Promise.resolve({ title: 't', warnings: [] }),
  pick: () => Promise.resolve([]),
  access: () => Promise.resolve({ status: 'skip', summary: 'a test kind' }),
};
const oauthOnly: ServerKindDef = {
  ...base,
  refuseAuth: (auth, profile) =>
    auth.oauth ? undefined : { message: `a test app needs OAuth, and profile ${profile ?? 'DEFAULT'} signs in with ${auth.type}`, hint: `Sign in with OAuth: databricks auth login --profile ${profile ?? 'DEFAULT'}` },
};

test('a kind that refuses non-OAuth methods refuses a PAT profile with a usage error and its fix', () => {
  assert.throws(
    () => checkKindAuth(oauthOnly, { authType: 'pat', profile: 'dev' }),
    (e: unknown) => e instanceof UsageError && e.exitCode === ExitCode.Usage && e.message === 'a test app needs OAuth, and profile dev signs in with pat' && e.hint === 'Sign in with OAuth: databricks auth login --profile dev',
  );
});

test('the restriction sees whether each method is OAuth, from the auth-method table', () => {
  for (const type of AUTH_TYPES) {
    const run = () => checkKindAuth(oauthOnly, { authType: type, profile: 'p' });
    if (AUTH_METHODS[type].oauth) assert.doesNotThrow(run, type);
    else assert.throws(run, UsageError, type);
  }
});

test('a kind without the hook accepts every auth method', () => {
  for (const type of AUTH_TYPES) assert.doesNotThrow(() => checkKindAuth(base, { authType: type, profile: undefined }));
});
