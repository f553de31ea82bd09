// The managed-policy rules doctor applies (each client's `managed.blocks`, clients/catalog/*-managed.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientDefinition, type ClientId } from '../../../src/clients/catalog/index.js';
import type { PolicyDoc } from '../../../src/clients/catalog/managed.js';
import type { ReadEntry } from '../../../src/clients/catalog/definition.js';

const blockedByPolicy = (id: ClientId, docs: PolicyDoc[], name: string, e: ReadEntry | undefined) => clientDefinition(id).managed.blocks!(docs, name, e);
import { managedFilesFor } from '../../../src/clients/managed-scope.js';

const stdio = (command: string, ...args: string[]) => ({ transport: 'stdio' as const, command, args, env: {} });
const http = (url: string) => ({ transport: 'http' as const, url, headers: {} });

test('Claude Code: managed-mcp.json is exclusive; the allowlist matches by exact command, URL pattern or name; the denylist wins', () => {
  assert.match(blockedByPolicy('claude-code', [{ name: 'managed-mcp.json', file: '/etc/claude-code/managed-mcp.json', doc: { mcpServers: {} } }], 'x', http('https://a'))!.reason, /exclusive/);
  const docs = [{ name: 'managed-settings.json', file: 'S', doc: { allowedMcpServers: [{ serverCommand: ['npx', '-y', 'p'] }, { serverUrl: 'https://*.example.com/*' }, { serverName: 'named' }], deniedMcpServers: [{ serverName: 'evil' }] } }];
  assert.equal(blockedByPolicy('claude-code', docs, 'a', stdio('npx', '-y', 'p')), undefined);
  assert.ok(blockedByPolicy('claude-code', docs, 'a', stdio('npx', '-y', 'p', '--extra')));
  assert.equal(blockedByPolicy('claude-code', docs, 'b', http('https://mcp.example.com/x')), undefined);
  assert.ok(blockedByPolicy('claude-code', docs, 'b', http('https://example.org/x')));
  assert.equal(blockedByPolicy('claude-code', docs, 'named', http('https://anything')), undefined);
  assert.match(blockedByPolicy('claude-code', [{ name: 'managed-settings.json', file: 'S', doc: { deniedMcpServers: [{ serverName: 'evil' }] } }], 'evil', undefined)!.reason, /denylist/);
  assert.equal(blockedByPolicy('claude-code', [], 'x', undefined), undefined);
});

test('Gemini CLI: mcp.allowed and mcp.excluded of the system settings', () => {
  const docs = [{ name: 'settings.json', file: 'G', doc: { mcp: { allowed: ['a'], excluded: ['b'] } } }];
  assert.equal(blockedByPolicy('gemini', docs, 'a', undefined), undefined);
  assert.match(blockedByPolicy('gemini', docs, 'c', undefined)!.reason, /mcp\.allowed/);
  assert.match(blockedByPolicy('gemini', docs, 'b', undefined)!.reason, /mcp\.excluded/);
});

test('Codex: requirements.toml allows a name only with its identity', () => {
  const docs = [{ name: 'requirements.toml', file: 'R', doc: { mcp_servers: { a: { identity: { command: 'npx' } }, u: { identity: { url: 'https://h/mcp' } } } } }];
  assert.equal(blockedByPolicy('codex', docs, 'a', stdio('npx', '-y')), undefined);
  assert.match(blockedByPolicy('codex', docs, 'a', stdio('node'))!.reason, /identity/);
  assert.equal(blockedByPolicy('codex', docs, 'u', http('https://h/mcp')), undefined);
  assert.match(blockedByPolicy('codex', docs, 'z', stdio('npx'))!.reason, /allowlist/);
});

test('managed paths per OS, under DBX_MCP_MANAGED_ROOT when set', () => {
  assert.deepEqual(managedFilesFor('claude-code', { platform: 'linux', env: {} }).map((f) => f.path), ['/etc/claude-code/managed-mcp.json', '/etc/claude-code/managed-settings.json']);
  assert.equal(managedFilesFor('claude-code', { platform: 'darwin', env: {} })[0]!.path, '/Library/Application Support/ClaudeCode/managed-mcp.json');
  assert.equal(managedFilesFor('claude-code', { platform: 'win32', env: {} })[0]!.path, 'C:\\Program Files\\ClaudeCode\\managed-mcp.json');
  assert.equal(managedFilesFor('claude-code', { platform: 'win32', env: { DBX_MCP_MANAGED_ROOT: 'D:\\img' } })[0]!.path, 'D:\\img\\Program Files\\ClaudeCode\\managed-mcp.json');
  assert.equal(managedFilesFor('gemini', { platform: 'linux', env: { DBX_MCP_MANAGED_ROOT: '/tmp/r' } })[0]!.path, '/tmp/r/etc/gemini-cli/settings.json');
  assert.deepEqual(managedFilesFor('codex', { platform: 'win32', env: {} }), []);
  assert.deepEqual(managedFilesFor('cursor', { platform: 'linux', env: {} }), []);
});
