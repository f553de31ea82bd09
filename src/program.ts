/**
 * Commander program: flags only. Each action lazily imports its command module and hands
 * it a context; `runBoundary` is the only place that turns errors into messages and exit
 * codes (contract: Exit codes).
 */
import { Command, CommanderError, Option } from 'commander';
import { createCtx, VERSION, type Ctx, type GlobalOptions } from './context.js';
import { ExitCode, isDbxMcpError } from './errors.js';
import { createLogger } from './ui/logger.js';
import { redact } from './ui/redact.js';

type Runner = (ctx: Ctx) => Promise<ExitCode>;

function globalsOf(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** Runs a command body with a context and maps any error to an exit code. */
export async function runBoundary(globals: GlobalOptions, run: Runner, opts: { proxyMode?: boolean } = {}): Promise<ExitCode> {
  let ctx: Ctx | undefined;
  try {
    ctx = await createCtx(globals, { proxyMode: opts.proxyMode });
    return await run(ctx);
  } catch (e) {
    const log = ctx?.log ?? createLogger({ json: globals.json, level: globals.verbose ? 'verbose' : 'normal' });
    const home = ctx?.home;
    const scrub = (s: string) => (home ? redact(s).split(home).join('~') : redact(s));
    if (isDbxMcpError(e)) {
      log.error(scrub(e.message));
      if (e.hint) log.info(`  Fix: ${scrub(e.hint)}`);
      if (globals.verbose && e.cause) log.debug(scrub(String((e.cause as Error)?.stack ?? e.cause)));
      if (globals.json) log.out(JSON.stringify({ ok: false, error: { code: e.code, message: scrub(e.message), hint: e.hint ? scrub(e.hint) : undefined } }));
      return e.exitCode;
    }
    const err = e as Error;
    log.error(`Unexpected error: ${scrub(err?.message ?? String(e))}`);
    log.info('  This is a bug in dbx-mcp. Run again with --verbose and report it with the output (tokens are redacted).');
    if (globals.verbose) log.debug(scrub(err?.stack ?? ''));
    return ExitCode.Failed;
  }
}

function action(load: (args: unknown[], cmd: Command) => Runner, opts: { proxyMode?: boolean } = {}) {
  return async (...args: unknown[]) => {
    const cmd = args.at(-1) as Command;
    process.exitCode = await runBoundary(globalsOf(cmd), load(args.slice(0, -1), cmd), opts);
  };
}

const collect = (v: string, prev: string[] = []) => prev.concat(v.split(',').map((s) => s.trim()).filter(Boolean));

/** Flags shared by `init` and every `add` (contract: Commands). */
function writerFlags(cmd: Command): Command {
  return cmd
    .option('--client <ids>', 'clients to write (comma-separated or repeated): claude-desktop, cursor, claude-code, windsurf, vscode; default: every detected client', collect)
    .addOption(new Option('--scope <scope>', 'user (the client\'s per-user file) or project (a file in this repository)').choices(['user', 'project']).default('user'))
    .addOption(new Option('--auth <mode>', 'how the client authenticates').choices(['proxy', 'header', 'oauth', 'mcp-remote']))
    .option('--name <name>', 'server name to write (default: derived from the target)')
    .option('--client-id <id>', 'OAuth client id (auth mode oauth)')
    .option('--callback-port <port>', 'OAuth callback port for clients that pin one', (v) => Number(v))
    .option('--token-env <name>', 'environment variable the header entry references', 'DATABRICKS_TOKEN')
    .option('--literal-token', 'header/mcp-remote: write the token itself into a user-scoped file (mode 0600)')
    .option('--proxy-command <cmd>', 'command that launches dbx-mcp in proxy entries (default: this installation)')
    .option('--meta <key=value>', 'proxy: add _meta fields to tools/call (repeatable)', collect)
    .option('--force', 'take over a same-named entry that dbx-mcp did not write');
}

export function buildProgram(): Command {
  const program = new Command('dbx-mcp')
    .description('Set up, verify and bridge Databricks managed MCP servers in your MCP clients.')
    .version(VERSION, '-V, --version')
    .option('--profile <name>', 'Databricks profile (default: DATABRICKS_CONFIG_PROFILE, [__settings__] default_profile, [DEFAULT])')
    .option('--json', 'machine-readable output on stdout')
    .option('-y, --yes', 'accept the plan without asking')
    .option('--dry-run', 'print the plan (a diff of every file) and change nothing')
    .option('--verbose', 'more output on stderr')
    .option('--quiet', 'less output on stderr')
    .showHelpAfterError()
    .enablePositionalOptions(false)
    .exitOverride();

  const add = program.command('add').description('add one Databricks MCP server to your clients');
  writerFlags(add.command('genie').argument('<space_id>', 'Genie space id (32 hex characters, from the space URL)').description('a Genie space: /api/2.0/mcp/genie/{space_id}'))
    .action(action(([id, o]) => (ctx) => import('./commands/add.js').then((m) => m.runAdd(ctx, { kind: 'genie', target: id as string, ...(o as object) }))));
  writerFlags(add.command('vector-search').argument('<target>', '<catalog>.<schema>[.<index>]').description('Vector Search indexes: /api/2.0/mcp/vector-search/{c}/{s}[/{index}]'))
    .action(action(([t, o]) => (ctx) => import('./commands/add.js').then((m) => m.runAdd(ctx, { kind: 'vector-search', target: t as string, ...(o as object) }))));
  writerFlags(add.command('functions').argument('<target>', '<catalog>.<schema>[.<function>]').description('Unity Catalog functions: /api/2.0/mcp/functions/{c}/{s}[/{function}]'))
    .action(action(([t, o]) => (ctx) => import('./commands/add.js').then((m) => m.runAdd(ctx, { kind: 'functions', target: t as string, ...(o as object) }))));
  writerFlags(add.command('sql').description('Databricks SQL: /api/2.0/mcp/sql'))
    .action(action(([o]) => (ctx) => import('./commands/add.js').then((m) => m.runAdd(ctx, { kind: 'sql', target: '', ...(o as object) }))));
  writerFlags(add.command('external').argument('<connection>', 'Unity Catalog connection name').description('external MCP through a UC connection: /api/2.0/mcp/external/{connection}'))
    .action(action(([t, o]) => (ctx) => import('./commands/add.js').then((m) => m.runAdd(ctx, { kind: 'external', target: t as string, ...(o as object) }))));

  program
    .command('remove')
    .argument('<name>', 'server name')
    .description('remove a server from your clients (only entries dbx-mcp wrote)')
    .option('--client <ids>', 'clients (default: all)', collect)
    .addOption(new Option('--scope <scope>', 'user or project').choices(['user', 'project']).default('user'))
    .option('--force', 'also remove a same-named entry dbx-mcp did not write')
    .action(action(([name, o]) => (ctx) => import('./commands/remove.js').then((m) => m.runRemove(ctx, { name: name as string, ...(o as object) }))));

  program
    .command('list')
    .description('servers per client, with their auth mode')
    .option('--client <ids>', 'clients (default: all)', collect)
    .addOption(new Option('--scope <scope>', 'user or project').choices(['user', 'project']))
    .action(action(([o]) => (ctx) => import('./commands/list.js').then((m) => m.runList(ctx, o as object))));

  program
    .command('token')
    .description('print a fresh access token for the profile')
    .option('--headers', 'print {"Authorization":"Bearer …"} (a Claude Code headersHelper)')
    .action(action(([o]) => (ctx) => import('./commands/token.js').then((m) => m.runToken(ctx, o as object))));

  program
    .command('proxy')
    .description('stdio <-> streamable-http bridge with Databricks auth')
    .requiredOption('--url <mcp-url>', 'the MCP server URL')
    .option('--meta <key=value>', 'add _meta fields to tools/call (repeatable)', collect)
    .option('--ca-bundle <file>', 'extra CA certificates (PEM)')
    .option('--log-level <level>', 'stderr log level: error, warn, info, debug', 'warn')
    .action(action(([o]) => (ctx) => import('./commands/proxy.js').then((m) => m.runProxy(ctx, o as object)), { proxyMode: true }));

  return program;
}

/** Entry point: parse, run, set the exit code. Usage errors from commander exit 2. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      process.exitCode = e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
      return;
    }
    throw e;
  }
}
