/**
 * A corrupt state.json (issue 20, item 6): the registry says why it is corrupt instead of reading
 * as empty, and while it is (or was) corrupt an entry in a form only dbx-mcp writes counts as ours.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOwned, parseOwnership } from '../../../src/clients/ownership.js';
import { hasDbxMcpShape } from '../../../src/clients/render.js';

test('parseOwnership: unparseable or wrongly shaped text is corrupt, not empty', () => {
  for (const text of ['{oops', '[]', 'null', '"x"', '{"entries": {}}']) assert.ok(parseOwnership(text).corrupt, text);
  for (const text of [null, '{}', '{"version":1,"entries":[]}']) assert.equal(parseOwnership(text).corrupt, undefined, String(text));
  assert.equal(parseOwnership('{"version":1,"entries":[],"recoveredFrom":"state.json.corrupt-20261207-101010"}').recoveredFrom, 'state.json.corrupt-20261207-101010');
});

test('hasDbxMcpShape: dbx-mcp proxy entries (every launcher) and its mcp-remote form; nothing a user writes by hand', () => {
  const url = 'https://dbc-1.cloud.databricks.com/api/2.0/mcp/sql';
  const ours = [
    { command: '/usr/bin/node', args: ['/opt/lib/node_modules/dbx-mcp/bin/dbx-mcp.js', 'proxy', '--url', url, '--profile', 'DEFAULT'] },
    { command: 'npx', args: ['-y', 'dbx-mcp@0.2.0', 'proxy', '--url', url] },
    { command: 'cmd', args: ['/c', 'npx', '-y', 'dbx-mcp@0.2.0', 'proxy', '--url', url] },
    { command: 'C:\\Program Files\\nodejs\\node.exe', args: ['C:\\repo\\node_modules\\dbx-mcp\\bin\\dbx-mcp.js', 'proxy', '--url', url] },
    { command: 'dbx-mcp', args: ['proxy', '--url', url] },
    { command: 'npx', args: ['-y', 'mcp-remote@0.15.1', url, '--transport', 'http-only', '--header', 'Authorization:${DBX_MCP_AUTH_HEADER}'], env: { DBX_MCP_AUTH_HEADER: 'Bearer ${DATABRICKS_TOKEN}' } },
  ];
  for (const e of ours) assert.equal(hasDbxMcpShape(e), true, JSON.stringify(e));
  const theirs = [
    { command: 'npx', args: ['-y', 'other-mcp', 'proxy', '--url', url] },
    { command: 'npx', args: ['-y', 'mcp-remote@0.15.1', url, '--header', 'Authorization:${AUTH}'], env: { AUTH: 'Bearer x' } },
    { command: 'node', args: ['/home/me/dbx-mcp-fork.js', 'proxy', '--url', url] },
    { url, headers: { Authorization: 'Bearer ${env:DATABRICKS_TOKEN}' } },
    { command: 'dbx-mcp', args: ['token'] },
  ];
  for (const e of theirs) assert.equal(hasDbxMcpShape(e), false, JSON.stringify(e));
});

test('isOwned: the shape counts only while the registry is or was corrupt', () => {
  const current = { command: 'npx', args: ['-y', 'dbx-mcp@0.2.0', 'proxy', '--url', 'https://dbc-1.cloud.databricks.com/api/2.0/mcp/sql'] };
  const q = { file: '/h/.cursor/mcp.json', name: 'databricks-sql', current };
  assert.equal(isOwned(parseOwnership('{"version":1,"entries":[]}'), q, 'linux'), false);
  assert.equal(isOwned(parseOwnership('{oops'), q, 'linux'), true);
  assert.equal(isOwned(parseOwnership('{"version":1,"entries":[],"recoveredFrom":"state.json.corrupt-20261207-101010"}'), q, 'linux'), true);
});
