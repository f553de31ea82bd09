import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryPrint, isOwned, type OwnershipState } from '../../../src/clients/ownership.js';

const entry = { command: '/usr/bin/node', args: ['/opt/dbx-mcp/bin/dbx-mcp.js', 'proxy', '--url', 'https://h/api/2.0/mcp/sql', '--profile', 'DEFAULT'], env: { A: '1' } };

test('entryPrint: the same content in any key order, or toggled off by the client, is the same print', () => {
  const reordered = { env: { A: '1' }, args: entry.args, command: entry.command };
  assert.equal(entryPrint('cursor', reordered), entryPrint('cursor', entry));
  assert.equal(entryPrint('windsurf', { ...entry, disabled: true }), entryPrint('windsurf', entry));
  assert.notEqual(entryPrint('cursor', { ...entry, args: [...entry.args.slice(0, 3), 'https://elsewhere/mcp', '--profile', 'DEFAULT'] }), entryPrint('cursor', entry));
  assert.notEqual(entryPrint('cursor', { url: 'https://h/api/2.0/mcp/sql' }), entryPrint('cursor', entry));
  // An entry no reader understands is fingerprinted as it is; a TOML bigint does not throw.
  assert.match(entryPrint('codex', { weird: 10n }), /^[0-9a-f]{64}$/);
});

test('isOwned: a record with a print owns only an entry with that content; one without a print owns by name', () => {
  const file = '/home/u/.cursor/mcp.json';
  const record = { file, client: 'cursor' as const, name: 'sql', url: 'https://h/api/2.0/mcp/sql', auth: 'proxy' as const, writtenAt: '2026-01-01T00:00:00.000Z' };
  const withPrint: OwnershipState = { version: 1, entries: [{ ...record, print: entryPrint('cursor', entry) }] };
  assert.equal(isOwned(withPrint, { file, name: 'sql', current: entry }, 'linux'), true);
  assert.equal(isOwned(withPrint, { file, name: 'sql', current: { url: 'https://example.com/mcp' } }, 'linux'), false);
  assert.equal(isOwned(withPrint, { file, name: 'other', current: entry }, 'linux'), false);
  const legacy: OwnershipState = { version: 1, entries: [record] };
  assert.equal(isOwned(legacy, { file, name: 'sql', current: { url: 'https://example.com/mcp' } }, 'linux'), true);
});
