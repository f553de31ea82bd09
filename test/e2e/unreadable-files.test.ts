/**
 * The review's siblings of the unreadable fleet plan: a file dbx-mcp reads by a path it did not
 * create, that exists but cannot be read (a symlink loop, no permission, an I/O error), is
 * refused naming the file and the reason, never reported as "Unexpected error … a bug".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

const skip = process.platform === 'win32';
const NODE_ONLY_PATH = dirname(process.execPath);

test('a Databricks CLI token cache that is a symlink loop is refused with its path (exit 2), not reported as a bug', { skip }, async (t) => {
  const { home, ws } = await workspaceWithHome(t, { cfg: '' });
  writeFileSync(join(home, '.databrickscfg'), `[__settings__]\nauth_storage = plaintext\n\n[dev]\nhost = ${ws.url}\nauth_type = databricks-cli\n`, { mode: 0o600 });
  const cache = join(home, '.databricks', 'token-cache.json');
  mkdirSync(dirname(cache), { recursive: true });
  symlinkSync(cache, cache); // ELOOP on every open
  const r = await runCli(['token', '--profile', 'dev'], { home, env: { PATH: NODE_ONLY_PATH }, timeoutMs: 15_000 });
  assert.doesNotMatch(r.stderr, /Unexpected error|This is a bug|\n\s+at /, r.stderr);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /token cache .*token-cache\.json \(ELOOP\)/, r.stderr);
});
