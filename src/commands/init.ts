/**
 * `dbx-mcp init`: the wizard (src/init/wizard.ts), fully scriptable from flags, and
 * `init --demo`, the same wizard against a built-in emulated workspace (src/init/demo.ts).
 */
import type { Ctx } from '../context.js';
import type { ExitCode } from '../errors.js';
import { InitOptions } from '../init/options.js';
import { initJson } from '../init/result-json.js';
import { runWizard } from '../init/wizard.js';
import { checkScopeFlags } from '../workflows/project-scope.js';
import { parseOptions } from '../workflows/writer-options.js';

export async function runInit(ctx: Ctx, raw: object): Promise<ExitCode> {
  const o = parseOptions(InitOptions, raw, 'init');
  checkScopeFlags(o);
  if (o.demo) {
    const { runDemo } = await import('../init/demo.js');
    return runDemo(ctx, o);
  }
  const r = await runWizard(ctx, o);
  if (ctx.globals.json) ctx.log.out(JSON.stringify(initJson(r)));
  return r.code;
}
