import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
// @ts-expect-error: a plain .mjs tool without types
import { findCycles } from '../../tools/import-cycles.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The layer-rule messages ESLint reports for `code` as if it were the file at `filePath`. */
async function layerErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

test('a domain module importing ui/ fails lint', async () => {
  const errors = await layerErrors("import { createLogger } from '../ui/logger.js';\nexport const log = createLogger;\n", 'src/databricks/x.ts');
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /never imports ui\//);
});

test('a domain module importing a command (or a workflow) fails lint, at any depth', async () => {
  const command = await layerErrors("import { runAdd } from '../../commands/add.js';\nexport const f = runAdd;\n", 'src/doctor/checks/x.ts');
  assert.equal(command.length, 1);
  assert.match(command[0]!, /Commands are the top layer/);
  const workflow = await layerErrors("import { planWrites } from '../workflows/write-flow.js';\nexport const f = planWrites;\n", 'src/clients/x.ts');
  assert.equal(workflow.length, 1);
  assert.match(workflow[0]!, /Workflows/);
});

test('a lazy import() in the wrong direction fails lint too', async () => {
  const errors = await layerErrors("export const later = () => import('../../commands/doctor.js');\n", 'src/doctor/checks/x.ts');
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /Commands are the top layer/);
  assert.deepEqual(await layerErrors("export const later = () => import('../secrets.js');\n", 'src/doctor/x.ts'), []);
});

test('base and the emulator import nothing above them; only init --demo imports the emulator', async () => {
  assert.equal((await layerErrors("import { getClient } from '../clients/registry.js';\nexport const f = getClient;\n", 'src/util/x.ts')).length, 1);
  assert.equal((await layerErrors("import { redact } from '../secrets.js';\nimport { getClient } from '../clients/registry.js';\nexport const f = [redact, getClient];\n", 'src/emulator/x.ts')).length, 1);
  assert.equal((await layerErrors("import { startFakeWorkspace } from '../emulator/index.js';\nexport const f = startFakeWorkspace;\n", 'src/init/x.ts')).length, 1);
  assert.deepEqual(await layerErrors("import { startFakeWorkspace } from '../emulator/index.js';\nexport const f = startFakeWorkspace;\n", 'src/init/demo.ts'), []);
});

test('imports that point down pass', async () => {
  assert.deepEqual(await layerErrors("import { redact } from '../secrets.js';\nimport { pathFor } from '../util/paths.js';\nimport { getClient } from '../clients/registry.js';\nexport const f = [redact, pathFor, getClient];\n", 'src/databricks/x.ts'), []);
  assert.deepEqual(await layerErrors("import { planWrites } from '../workflows/write-flow.js';\nimport { renderPlan } from '../ui/plan.js';\nexport const f = [planWrites, renderPlan];\n", 'src/commands/x.ts'), []);
  // a type from the domain may be named in base (erased at build)
  assert.deepEqual(await layerErrors("import type { HttpClient } from '../databricks/http.js';\nexport type H = HttpClient;\n", 'src/util/x.ts'), []);
});

test('the cycle check finds a cycle, including through a dynamic import, and ignores type-only imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbx-mcp-cycles-'));
  try {
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'one.ts'), "import { two } from '../two.js';\nexport const one = two;\n");
    writeFileSync(join(dir, 'two.ts'), "export const two = 2;\nexport const later = () => import('./a/one.js');\n");
    writeFileSync(join(dir, 'three.ts'), "import type { Four } from './four.js';\nexport type Three = Four;\n");
    writeFileSync(join(dir, 'four.ts'), "import type { Three } from './three.js';\nexport type Four = Three | 4;\n");
    const cycles: string[][] = findCycles(dir);
    assert.equal(cycles.length, 1);
    assert.deepEqual(cycles[0]!.map((p) => p.split(/[\\/]/).slice(-2).join('/')), ['a/one.ts', `${dir.split(/[\\/]/).pop()}/two.ts`, 'a/one.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('src/ has no import cycle', () => {
  assert.deepEqual(findCycles(join(root, 'src')), []);
});
