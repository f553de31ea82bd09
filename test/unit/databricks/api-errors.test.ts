import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyApiError, parseRetryAfter } from '../../../src/databricks/api-errors.js';

// Bodies verbatim from source: responses observed on real workspaces; UC responses observed on real workspaces; Go SDK apierr/errors.go.
test('IP ACL 403 (integer error_code, trailing ReqId) yields the source IP and workspace id', () => {
  const i = classifyApiError(403, { error_code: 403, message: 'Source IP address: 75.125.237.108 is blocked by Databricks IP ACL for workspace: 7474646471015793 [ReqId: d326a0e7-36b8-4972-85c0-f75a17f7d175]' });
  assert.equal(i.kind, 'ip-acl');
  assert.deepEqual(i.ipAcl, { sourceIp: '75.125.237.108', scope: 'workspace', id: '7474646471015793' });
  assert.equal(i.requestId, 'd326a0e7-36b8-4972-85c0-f75a17f7d175');
  assert.equal(i.errorCode, undefined, 'an integer error_code counts as absent');
  // A string "403" from third-party fakes is accepted too.
  assert.equal(classifyApiError(403, { error_code: '403', message: 'Source IP address: 44.208.188.173 is blocked by Databricks IP ACL for workspace: 1557520918149316. ' }).ipAcl?.sourceIp, '44.208.188.173');
});

test('auth failures: 401 no credential, 403 invalid token, wrong org, entitlement, HTML page', () => {
  assert.equal(classifyApiError(401, { error_code: 401, message: 'Credential was not sent or was of an unsupported type for this API.' }).kind, 'no-credentials');
  assert.equal(classifyApiError(403, { error_code: 403, message: 'Invalid access token.' }).kind, 'invalid-token');
  assert.equal(classifyApiError(403, { error_code: 403, message: 'Invalid access token. [ReqId: 1a2b]' }).message, 'Invalid access token.');
  assert.equal(classifyApiError(403, { error_code: 403, message: 'Invalid access to Org: 123' }).kind, 'wrong-workspace');
  assert.equal(classifyApiError(403, { error_code: 403, message: 'This API is disabled for users without the databricks-sql-access or workspace-access entitlements. Contact your administrator for more information.' }).kind, 'missing-entitlement');
  assert.equal(classifyApiError(403, '<html><title>Error 403 Invalid access token.</title><pre>    Invalid access token.</pre></html>').kind, 'invalid-token');
  assert.equal(classifyApiError(403, undefined, { 'x-databricks-reason-phrase': 'Invalid access token.' }).kind, 'invalid-token');
});

test('UC permission denied carries the missing privilege; not-found codes', () => {
  const i = classifyApiError(403, { error_code: 'PERMISSION_DENIED', message: "User does not have USE CATALOG on Catalog 'main'.", details: [{ '@type': 'type.googleapis.com/google.rpc.RequestInfo', request_id: 'r1' }] });
  assert.equal(i.kind, 'no-access');
  assert.deepEqual(i.missingPrivilege, { privilege: 'USE_CATALOG', securableType: 'CATALOG', securable: 'main' });
  assert.equal(i.requestId, 'r1');
  assert.equal(classifyApiError(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'x' }).kind, 'not-found');
  assert.equal(classifyApiError(404, { error_code: 'SCHEMA_DOES_NOT_EXIST', message: 'x' }).kind, 'not-found');
  assert.equal(classifyApiError(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'x' }).kind, 'bad-request');
});

test('429 with Retry-After seconds, HTTP date, or RetryInfo', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  const i = classifyApiError(429, { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }, { 'retry-after': '2' }, now);
  assert.equal(i.kind, 'rate-limited');
  assert.equal(i.retryAfterMs, 2000);
  assert.equal(parseRetryAfter('Sun, 22 Nov 2026 10:00:05 GMT', now), 5000);
  assert.equal(parseRetryAfter('garbage', now), undefined);
  assert.equal(classifyApiError(429, { error_code: 'RESOURCE_EXHAUSTED', message: 'x', details: [{ retry_delay: '3.5s' }] }).retryAfterMs, 3500);
  assert.equal(classifyApiError(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'x' }).kind, 'unavailable');
});

test('a JSON-RPC error body (an MCP server answering 400) gives its code and message, never [object Object]', () => {
  const i = classifyApiError(400, { jsonrpc: '2.0', id: null, error: { code: -32020, message: 'Bad Request: MCP-Protocol-Version header is absent' } });
  assert.equal(i.message, '-32020 Bad Request: MCP-Protocol-Version header is absent');
  assert.doesNotMatch(classifyApiError(400, { error: { weird: true } }).message, /\[object Object\]/);
  assert.doesNotMatch(classifyApiError(500, { message: { nested: 'x' } }).message, /\[object Object\]/);
});
