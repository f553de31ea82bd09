import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget } from '../../../src/databricks/mcp-urls.js';
import { UsageError } from '../../../src/errors.js';

const ID = '01ef34712a29169db030324fd0e1df5f';

test('a pasted Genie URL is accepted: the space page (with ?o=) and the MCP URL', () => {
  for (const raw of [
    `https://dbc-1.cloud.databricks.com/genie/rooms/${ID}?o=1234567890123456`,
    `https://adb-1.7.azuredatabricks.net/genie/rooms/${ID.toUpperCase()}/chats/01f0aa?o=7`,
    `https://dbc-1.cloud.databricks.com/api/2.0/mcp/genie/${ID}`,
    `dbc-1.cloud.databricks.com/genie/rooms/${ID}`,
    ` ${ID} `,
  ]) {
    assert.deepEqual(parseTarget('genie', raw), { kind: 'genie', parts: [ID] }, raw);
  }
});

test('a URL that holds no space id is still refused with the fix', () => {
  for (const raw of ['https://dbc-1.cloud.databricks.com/genie/rooms/', `https://dbc-1.cloud.databricks.com/genie/rooms/${ID}0`, 'https://dbc-1.cloud.databricks.com/api/2.0/mcp/sql']) {
    assert.throws(() => parseTarget('genie', raw), (e: unknown) => e instanceof UsageError && /whole URL/.test(e.hint ?? ''), raw);
  }
});

test('the other kinds take their managed MCP URL too, validated like typed input', () => {
  assert.deepEqual(parseTarget('functions', 'https://h.cloud.databricks.com/api/2.0/mcp/functions/main/tools'), { kind: 'functions', parts: ['main', 'tools'] });
  assert.deepEqual(parseTarget('vector-search', 'https://h.cloud.databricks.com/api/2.0/mcp/vector-search/main/docs/idx/'), { kind: 'vector-search', parts: ['main', 'docs', 'idx'] });
  assert.deepEqual(parseTarget('external', 'https://h.cloud.databricks.com/api/2.0/mcp/external/github_conn'), { kind: 'external', parts: ['github_conn'] });
  // Another kind's URL is not silently re-interpreted.
  assert.throws(() => parseTarget('functions', 'https://h.cloud.databricks.com/api/2.0/mcp/vector-search/main/docs'), UsageError);
});
