import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { bashQuote, fillTemplate, packageRoot, powershellQuote, readTemplate } from '../../../src/team/templates.js';
import { ROOT } from '../../helpers/cli.js';
import { join } from 'node:path';

test('packageRoot finds the dbx-mcp package from the sources and from a dist/chunks path', () => {
  assert.equal(join(packageRoot(), '/'), join(ROOT, '/'));
  assert.equal(join(packageRoot(join(ROOT, 'dist', 'chunks', 'x.js')), '/'), join(ROOT, '/'));
  assert.match(readTemplate('onboarding.sh'), /^#!\/usr\/bin\/env bash/);
});

test('fillTemplate replaces every placeholder and refuses unknown ones', () => {
  assert.equal(fillTemplate('a={{x}} b={{y_z}}', { x: '1', y_z: '2' }), 'a=1 b=2');
  assert.throws(() => fillTemplate('{{missing}}', {}), /missing/);
});

test('quoting survives any text in bash and PowerShell', () => {
  for (const s of ["plain", "it's", "$(rm -rf /)", 'a "b" `c` \\d', "semi;colon & pipe|"]) {
    const r = spawnSync('bash', ['-c', `printf %s ${bashQuote(s)}`], { encoding: 'utf8' });
    assert.equal(r.stdout, s);
  }
  assert.equal(powershellQuote("it's"), "'it''s'");
  assert.equal(powershellQuote('a\u2019b'), "'a\u2019\u2019b'");
});

test('the templates use only known placeholders', () => {
  const known = new Set(['version', 'version_comment', 'host', 'host_comment', 'profile', 'node_min', 'manifest_rel', 'manifest_comment', 'servers_comment']);
  for (const name of ['onboarding.sh', 'onboarding.ps1']) {
    for (const m of readTemplate(name).matchAll(/\{\{([a-z_]+)\}\}/g)) assert.ok(known.has(m[1]!), `${name}: {{${m[1]}}}`);
  }
});
