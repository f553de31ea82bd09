/**
 * `dbx-mcp init`: the wizard (src/init/wizard.ts), fully scriptable from flags, and
 * `init --demo`, the same wizard against a built-in emulated workspace (src/init/demo.ts).
 */
import type { Ctx } from '../context.js';
import { ExitCode } from '../errors.js';
import { InitOptions } from '../init/options.js';
import { runWizard, type WizardResult } from '../init/wizard.js';
import { checkScopeFlags } from '../workflows/project-scope.js';
import { parseOptions } from '../workflows/writer-options.js';

/** The `--json` result of init. */
export function initJson(r: WizardResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ok: r.code === ExitCode.Ok,
    status: r.status,
    dryRun: r.status === 'dry-run',
    host: r.host,
    profile: r.profile ?? null,
    user: r.user,
    servers: r.servers.map((s) => ({ name: s.name, kind: s.target.kind, title: s.title, url: s.url, warnings: s.warnings })),
    clients: r.auths.map((a) => ({ client: a.client, auth: a.auth, ...(a.oauth && { oauthClientId: a.oauth.clientId, oauthSource: a.oauth.source }) })),
    files: r.files,
    verify: r.verify,
    ...extra,
  };
}

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
