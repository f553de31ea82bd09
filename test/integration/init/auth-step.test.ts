import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authStep } from '../../../src/init/clients-step.js';
import type { InitOptions } from '../../../src/init/options.js';
import type { Prompter } from '../../../src/ui/prompter.js';
import { tempDir } from '../../helpers/temp.js';
import { harness } from './harness.js';

/** The hint shown for mcp-remote in the per-client auth question, for a scope. */
async function mcpRemoteHint(t: Parameters<typeof tempDir>[0], scope: InitOptions['scope']): Promise<string | undefined> {
  const h = await harness(tempDir(t), { answers: { 'auth.cursor': 'proxy' } });
  const prompt = h.ctx.prompt as Prompter;
  const select = prompt.select.bind(prompt);
  let hint: string | undefined;
  (prompt as { select: Prompter['select'] }).select = async (q) => {
    hint = q.choices.find((c) => c.value === 'mcp-remote')?.hint;
    return select(q);
  };
  await authStep(h.ctx, { scope } as InitOptions, ['cursor']);
  return hint;
}

test('the wizard never says the token is written into a project file (mcp-remote there references the variable)', async (t) => {
  assert.match((await mcpRemoteHint(t, 'user')) ?? '', /token is written into the file/);
  const project = (await mcpRemoteHint(t, 'project')) ?? '';
  assert.doesNotMatch(project, /written into the file/);
  assert.match(project, /environment variable/);
});
