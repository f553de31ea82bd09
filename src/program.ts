/**
 * Commander program: flags only. Each action lazily imports its command module and hands
 * it a context; `runBoundary` (boundary.ts) is the only place that turns errors into messages
 * and exit codes (contract: Exit codes).
 */
import { Command, CommanderError, Option } from 'commander';
import { runBoundary, type Runner } from './boundary.js';
import { listFlag, nonBlank, numberFlag, optionOf } from './cli-flags.js';
import { VERSION, type GlobalOptions } from './context.js';
import { WRITER_FLAGS } from './workflows/flags.js';
import { addKinds, initFlagSyntax, kindDef } from './databricks/server-kinds.js';
import { ExitCode } from './errors.js';

function globalsOf(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

function action(load: (args: unknown[], cmd: Command) => Runner, opts: { proxyMode?: boolean } = {}) {
  return async (...args: unknown[]) => {
    const cmd = args.at(-1) as Command;
    process.exitCode = await runBoundary(globalsOf(cmd), load(args.slice(0, -1), cmd), opts);
  };
}

const port = numberFlag({ min: 1024, max: 65535, integer: true });

/** Flags shared by `init` and every `add` (contract: Commands), from their one declaration. */
function writerFlags(cmd: Command): Command {
  for (const f of Object.values(WRITER_FLAGS)) cmd.addOption(optionOf(f));
  return cmd;
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
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (text, write) => write(`✖ ${text.replace(/^error: /, '')}`) })
    .enablePositionalOptions(false)
    .exitOverride();

  const add = program.command('add').description('add one Databricks MCP server to your clients');
  // One subcommand per kind of the server-kind table: `add genie <space_id>`, `add sql`, …
  for (const kind of addKinds) {
    const def = kindDef(kind);
    const sub = add.command(kind).description(def.add.description);
    if (def.add.argument) sub.argument(`<${def.add.argument.name}>`, def.add.argument.description);
    writerFlags(sub).action(
      action((args) => {
        const [target, o] = def.add.argument ? args : ['', args[0]];
        return (ctx) => import('./commands/add.js').then((m) => m.runAdd(ctx, { kind, target: target as string, ...(o as object) }));
      }),
    );
  }

  program
    .command('remove')
    .argument('<name>', 'server name')
    .description('remove a server from your clients (only entries dbx-mcp wrote)')
    .option('--client <ids>', 'clients (default: all)', listFlag)
    .addOption(new Option('--scope <scope>', 'user or project').choices(['user', 'project']).default('user'))
    .option('--force', 'also remove a same-named entry dbx-mcp did not write')
    .action(action(([name, o]) => (ctx) => import('./commands/remove.js').then((m) => m.runRemove(ctx, { name: name as string, ...(o as object) }))));

  program
    .command('list')
    .description('servers per client, with their auth mode')
    .option('--client <ids>', 'clients (default: all)', listFlag)
    .addOption(new Option('--scope <scope>', 'user or project').choices(['user', 'project']))
    .action(action(([o]) => (ctx) => import('./commands/list.js').then((m) => m.runList(ctx, o as object))));

  program
    .command('token')
    .description('print a fresh access token for the profile')
    .option('--headers', 'print {"Authorization":"Bearer …"} (a Claude Code headersHelper)')
    .action(action(([o]) => (ctx) => import('./commands/token.js').then((m) => m.runToken(ctx, o as object))));

  program
    .command('doctor')
    .description('diagnose profiles, tokens, network, grants, client configs and every configured server')
    .option('--client <ids>', 'clients to inspect (default: all detected)', listFlag)
    .option('--strict', 'exit 1 on warnings too')
    .option('--timeout <seconds>', 'overall deadline (1..3600)', numberFlag({ min: 1, max: 3600, unit: 'seconds' }), 60)
    .option('--only <ids>', 'run only these checks (ids or prefixes, comma-separated)', listFlag)
    .option('--skip <ids>', 'skip these checks (ids or prefixes)', listFlag)
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json', 'github']))
    .action(action(([o]) => (ctx) => import('./commands/doctor.js').then((m) => m.runDoctor(ctx, o as object))));

  const init = writerFlags(program.command('init').description('wizard: profile, clients, servers, auth mode, OAuth app, plan, apply, verify'))
    .option('--demo', 'run against a built-in emulated workspace with a temporary HOME (touches nothing of yours)');
  // One flag per kind of the server-kind table: repeatable when it takes a target.
  for (const kind of addKinds) {
    const { value, description } = kindDef(kind).initFlag;
    if (value) init.option(initFlagSyntax(kind), description, listFlag);
    else init.option(initFlagSyntax(kind), description);
  }
  init
    .option('--from <manifest>', 'take servers, clients and auth mode from a team manifest (dbx-mcp.json)')
    .option('--save-manifest [path]', 'write the choices as a team manifest (default ./dbx-mcp.json)')
    .option('--oauth-profile <name>', 'account profile used to register the OAuth app (auth mode oauth)')
    .option('--no-verify', 'skip the MCP handshake after writing')
    .option('--no-install', 'when run from npx, do not offer a permanent install')
    .action(action(([o]) => (ctx) => import('./commands/init.js').then((m) => m.runInit(ctx, o as object))));

  program
    .command('oauth')
    .description('OAuth app integration for MCP clients')
    .command('register')
    .description("create or update the account's OAuth custom app integration with every client's redirect URLs")
    .option('--name <name>', 'integration name', 'dbx-mcp')
    .option('--client <ids>', 'clients whose redirect URLs to register (default: all)', listFlag)
    .option('--connector <ids>', 'also register web connectors: claude-ai, chatgpt (repeatable)', listFlag)
    .option('--callback-port <port>', 'pinned loopback callback port (1024..65535)', port)
    .option('--confidential', 'create a confidential client (a secret is printed once)')
    .option('--secret-file <path>', 'with --confidential: write the secret to this file (mode 0600) instead of printing it')
    .option('--scopes <scopes>', 'comma-separated scopes', 'all-apis,offline_access')
    .option('--access-token-ttl <minutes>', 'access token lifetime (5..1440)', numberFlag({ min: 5, max: 1440, integer: true, unit: 'minutes' }))
    .option('--refresh-token-ttl <minutes>', 'refresh token lifetime (5..129600)', numberFlag({ min: 5, max: 129600, integer: true, unit: 'minutes' }))
    .action(action(([o]) => (ctx) => import('./commands/oauth-register.js').then((m) => m.runOauthRegister(ctx, o as object))));

  program
    .command('sync')
    .description('apply the team manifest dbx-mcp.json to this machine')
    .option('--check', 'exit 1 with the diff when this machine does not match (changes nothing)')
    .option('--manifest <path>', 'manifest file (default: dbx-mcp.json in this directory or an ancestor)')
    .option('--client <ids>', 'clients (default: the manifest\'s, else detected)', listFlag)
    .addOption(new Option('--scope <scope>', 'user or project').choices(['user', 'project']))
    .option('--force', 'take over same-named entries dbx-mcp did not write')
    .option('--proxy-command <cmd>', 'command that launches dbx-mcp in proxy entries')
    .action(action(([o]) => (ctx) => import('./commands/sync.js').then((m) => m.runSync(ctx, o as object))));

  program
    .command('onboarding-script')
    .description('print an onboarding script for the team manifest')
    .addOption(new Option('--shell <shell>', 'script language').choices(['bash', 'powershell']).default('bash'))
    .option('--manifest <path>', 'manifest file (default: dbx-mcp.json in this directory or an ancestor)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(action(([o]) => (ctx) => import('./commands/onboarding-script.js').then((m) => m.runOnboardingScript(ctx, o as object))));

  program
    .command('proxy')
    .description('stdio <-> streamable-http bridge with Databricks auth')
    .requiredOption('--url <mcp-url>', 'the MCP server URL')
    .option('--meta <key=value>', 'add _meta fields to tools/call (repeatable)', listFlag)
    .option('--ca-bundle <file>', 'extra CA certificates (PEM)')
    .option('--log-level <level>', 'stderr log level: error, warn, info, debug', 'warn')
    .action(
      action(
        ([o]) =>
          (ctx) =>
            import('./proxy/run.js').then((m) => {
              m.tuneV8ForProxy();
              return m.runProxy(ctx, o as never);
            }),
        { proxyMode: true },
      ),
    );

  applyUsageRules(program);
  return program;
}

/** Every command and its subcommands, depth first. */
function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

/** `dbx-mcp add genie`, for hints. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Two rules for every command, applied once the tree is built so no flag can miss them:
 * a value-taking flag or an argument refuses a blank value (the list and number parsers
 * refuse theirs already), and a usage error is one line plus the help command to run, not
 * the whole help.
 */
function applyUsageRules(program: Command): void {
  for (const cmd of allCommands(program)) {
    for (const opt of cmd.options) if ((opt.required || opt.optional) && !opt.parseArg) opt.argParser(nonBlank);
    for (const arg of cmd.registeredArguments) if (!arg.parseArg) arg.argParser(nonBlank);
    cmd.showHelpAfterError(`  Fix: Run '${commandPath(cmd)} --help' for its arguments and options.`);
  }
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
