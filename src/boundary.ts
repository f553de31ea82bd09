/**
 * The single error → exit-code boundary (contract: Exit codes): every command body runs inside
 * `runBoundary`, whether commander parsed its flags (program.ts) or the proxy's fast path did
 * (proxy/argv.ts).
 */
import { createCtx, type Ctx, type GlobalOptions } from './context.js';
import { noteSignInEnvironment } from './databricks/auth-methods/login.js';
import { ExitCode, isDbxMcpError } from './errors.js';
import { createLogger } from './ui/logger.js';
import { redact } from './secrets.js';
import { handleInterrupts } from './util/interrupts.js';

export type Runner = (ctx: Ctx) => Promise<ExitCode>;

/** Runs a command body with a context and maps any error to an exit code. */
export async function runBoundary(globals: GlobalOptions, run: Runner, opts: { proxyMode?: boolean } = {}): Promise<ExitCode> {
  let ctx: Ctx | undefined;
  try {
    ctx = await createCtx(globals, { proxyMode: opts.proxyMode });
    // Sign-in fixes name `dbx-mcp login` when this machine has no Databricks CLI.
    noteSignInEnvironment(ctx.env, ctx.platform);
    if (!opts.proxyMode) interruptsFor(ctx);
    return await run(ctx);
  } catch (e) {
    const log = ctx?.log ?? createLogger({ json: globals.json, level: globals.verbose ? 'verbose' : 'normal' });
    const home = ctx?.home;
    const scrub = (s: string) => (home ? redact(s).split(home).join('~') : redact(s));
    if (isDbxMcpError(e)) {
      log.error(scrub(e.message));
      if (e.hint) log.info(`  Fix: ${scrub(e.hint)}`);
      if (globals.verbose && e.cause) log.debug(scrub(String((e.cause as Error)?.stack ?? e.cause)));
      // In proxy mode stdout is the protocol: the error went to stderr above. `fix`, as in doctor's
      // checks: one name for "the exact next step" in every JSON output (README: Exit codes).
      if (globals.json && !opts.proxyMode) log.out(JSON.stringify({ ok: false, ...e.details, error: { code: e.code, message: scrub(e.message), fix: e.hint ? scrub(e.hint) : undefined } }));
      return e.exitCode;
    }
    const err = e as Error;
    log.error(`Unexpected error: ${scrub(err?.message ?? String(e))}`);
    log.info('  This is a bug in dbx-mcp. Run again with --verbose and report it with the output (tokens are redacted).');
    if (globals.verbose) log.debug(scrub(err?.stack ?? ''));
    return ExitCode.Failed;
  }
}

/**
 * SIGINT/SIGTERM: exit 130 with nothing written before a transaction's commit window; inside
 * it, once the transaction completed, exit 0 naming what was written (README: Exit codes).
 */
function interruptsFor(ctx: Ctx): void {
  handleInterrupts({
    cancelled(sig) {
      ctx.log.error(`Interrupted (${sig}); nothing was written.`);
      process.exit(ExitCode.Cancelled);
    },
    committed(sig, written) {
      ctx.log.warn(`Interrupted (${sig}) while writing; the write was completed first: ${written.join(', ')}.`);
      process.exit(ExitCode.Ok);
    },
  });
}
