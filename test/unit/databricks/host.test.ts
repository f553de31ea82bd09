import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeHost, isAccountHost, canonicalHost } from '../../../src/databricks/host.js';

test('normalizeHost adds the scheme and drops path, query and trailing slash', () => {
  assert.equal(normalizeHost('dbc-1234.cloud.databricks.com'), 'https://dbc-1234.cloud.databricks.com');
  assert.equal(normalizeHost('https://adb-1.2.azuredatabricks.net/?o=123#x'), 'https://adb-1.2.azuredatabricks.net');
  assert.equal(normalizeHost('  HTTPS://Example.Cloud.Databricks.com/sql/1.0/ '), 'https://example.cloud.databricks.com');
});

test('normalizeHost accepts http only on loopback', () => {
  assert.equal(normalizeHost('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080');
  assert.equal(normalizeHost('http://localhost:1'), 'http://localhost:1');
  assert.equal(normalizeHost('http://[::1]:9'), 'http://[::1]:9');
  assert.throws(() => normalizeHost('http://dbc-1.cloud.databricks.com'), (e: Error & { exitCode?: number }) => e.exitCode === 2 && /https/.test(e.message));
  assert.throws(() => normalizeHost('ftp://x'), /not an http/);
  assert.throws(() => normalizeHost(''), /empty/);
});

test('account hosts are recognised like the SDK does', () => {
  assert.equal(isAccountHost('https://accounts.cloud.databricks.com'), true);
  assert.equal(isAccountHost('https://accounts-dod.cloud.databricks.us'), true);
  assert.equal(isAccountHost('https://dbc-1.cloud.databricks.com'), false);
  assert.equal(canonicalHost('Dbc-1.cloud.databricks.com/'), 'https://dbc-1.cloud.databricks.com');
});
