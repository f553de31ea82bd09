/**
 * The demo's last line names the command that runs this dbx-mcp again (review: it said
 * `npx dbx-mcp init` to a checkout user, which fails with E404 while the package is not
 * published). Real files and symlinks in each layout dbx-mcp is started from.
 */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { selfCommand } from '../../../src/util/launcher.js';
import { tempDir } from '../../helpers/temp.js';

function file(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  return path;
}

test('a checkout: node and the script, relative to the current folder when inside it', (t) => {
  const root = tempDir(t);
  const script = file(join(root, 'dbx-mcp', 'bin', 'dbx-mcp.js'));
  assert.equal(selfCommand(script, join(root, 'dbx-mcp')), 'node bin/dbx-mcp.js');
  assert.equal(selfCommand(script, join(root, 'elsewhere')), `node ${script}`);
});

test('npx: its cache, or a project dependency through node_modules/.bin', (t) => {
  const root = tempDir(t);
  assert.equal(selfCommand(file(join(root, '.npm', '_npx', 'abc123', 'node_modules', 'dbx-mcp', 'bin', 'dbx-mcp.js')), root), 'npx dbx-mcp');
  const dep = file(join(root, 'proj', 'node_modules', 'dbx-mcp', 'bin', 'dbx-mcp.js'));
  mkdirSync(join(root, 'proj', 'node_modules', '.bin'));
  symlinkSync(dep, join(root, 'proj', 'node_modules', '.bin', 'dbx-mcp'));
  assert.equal(selfCommand(join(root, 'proj', 'node_modules', '.bin', 'dbx-mcp'), join(root, 'proj')), 'npx dbx-mcp');
});

test('a global install on PATH: dbx-mcp', (t) => {
  const root = tempDir(t);
  const script = file(join(root, 'usr', 'lib', 'node_modules', 'dbx-mcp', 'bin', 'dbx-mcp.js'));
  mkdirSync(join(root, 'usr', 'bin'));
  symlinkSync(script, join(root, 'usr', 'bin', 'dbx-mcp'));
  assert.equal(selfCommand(join(root, 'usr', 'bin', 'dbx-mcp'), root), 'dbx-mcp');
  assert.equal(selfCommand(undefined, root), 'dbx-mcp');
});
