// The contract has one word for "you may not": `no-access` (issue 20 item 1). The proxy's
// JSON-RPC error data (what an MCP client and doctor read) and the classified API error both use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyApiError } from '../../../src/databricks/api-errors.js';
import { httpFailure } from '../../../src/proxy/errors.js';

const t = { url: 'https://dbc-1.cloud.databricks.com/api/2.0/mcp/sql', host: 'https://dbc-1.cloud.databricks.com', profile: 'DEFAULT', authType: 'pat' as const };

test('a 403 is no-access, in the classification and in the proxy error data; never permission-denied', () => {
  assert.equal(classifyApiError(403, { error_code: 'PERMISSION_DENIED', message: 'You need CAN_USE on app mcp-x.' }).kind, 'no-access');
  const f = httpFailure(403, JSON.stringify({ error_code: 'PERMISSION_DENIED', message: 'You need CAN_USE on app mcp-x.' }), {}, t);
  assert.equal(f.data?.kind, 'no-access');
  assert.ok(!JSON.stringify(f).includes('permission-denied'));
});
