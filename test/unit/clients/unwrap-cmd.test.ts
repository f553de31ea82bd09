import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyEntry } from '../../../src/clients/list.js';
import { stdioCommand } from '../../../src/clients/render.js';
import { stdioCommandOf } from '../../../src/doctor/checks/environment.js';

const forms = [
  { command: 'cmd', args: ['/c', 'npx', '-y', 'dbx-mcp', 'proxy', '--url', 'https://x.cloud.databricks.com/api/2.0/mcp/sql'] },
  { command: 'cmd.exe', args: ['/C', 'npx', '-y', 'dbx-mcp', 'proxy', '--url', 'https://x.cloud.databricks.com/api/2.0/mcp/sql'] },
  { command: 'C:\\Windows\\System32\\cmd.exe', args: ['/c', 'npx', '-y', 'dbx-mcp', 'proxy', '--url', 'https://x.cloud.databricks.com/api/2.0/mcp/sql'] },
];

test('doctor and list unwrap every `cmd /c` form alike, including cmd.exe by full path', () => {
  for (const entry of forms) {
    assert.equal(stdioCommandOf(entry), 'npx', entry.command);
    assert.deepEqual(classifyEntry(entry), { auth: 'proxy', url: 'https://x.cloud.databricks.com/api/2.0/mcp/sql' }, entry.command);
  }
});

test('unwrapping gives back what stdioCommand wrapped on Windows', () => {
  const wrapped = stdioCommand('npx', ['-y', 'mcp-remote@0.15.1'], 'win32');
  assert.equal(wrapped.command, 'cmd');
  assert.equal(stdioCommandOf(wrapped), 'npx');
  assert.equal(stdioCommandOf({ command: 'cmd', args: ['/k', 'npx'] }), 'cmd');
  assert.equal(stdioCommandOf({ command: 'cmd' }), 'cmd');
});
