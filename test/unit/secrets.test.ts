import assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeToken, redact } from '../../src/secrets.js';

const PAT = 'dapi0123456789abcdef0123456789abcdef';
const OAUTH_SECRET = 'dose0123456789abcdef0123456789abcdef';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXZhbHVl';

test('redact masks every token shape: PATs, OAuth client secrets, JWTs, bearer values', () => {
  assert.equal(redact(`token ${PAT} here`), 'token *** here');
  assert.equal(redact(`client_secret=${OAUTH_SECRET}`), 'client_secret=***');
  assert.equal(redact(`access ${JWT}.`), 'access ***.');
  assert.equal(redact('Authorization: Bearer opaque-token-value'), 'Authorization: Bearer ***');
});

test('redact masks a PAT with its -<n> suffix whole, keeping nothing of it', () => {
  assert.equal(redact(`x ${PAT}-3 y`), 'x *** y');
});

test('looksLikeToken (doctor\'s plaintext-secret check) knows the same shapes as redact', () => {
  for (const s of [PAT, `${PAT}-2`, OAUTH_SECRET, JWT, 'Bearer opaque-token-value']) {
    assert.equal(looksLikeToken(s), true, s);
    assert.equal(redact(s).includes(s), false, s);
  }
  // Placeholders the clients expand are not tokens.
  for (const s of ['Bearer ${DATABRICKS_TOKEN}', 'Bearer ${env:DATABRICKS_TOKEN}', 'Bearer ${input:databricks-token}', 'dapi-not-hex', 'https://example.cloud.databricks.com/api/2.0/mcp/sql']) {
    assert.equal(looksLikeToken(s), false, s);
  }
});
