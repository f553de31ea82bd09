/**
 * Commander program: flags only. Each action lazily imports its command module and hands
 * it a context; `runBoundary` (boundary.ts) is the only place that turns errors into messages
 * and exit codes (contract: Exit codes).
 */
import { Command, CommanderError } from 'commander';
import { runBoundary, type Runner } from './boundary.js';
import { nonBlank, withFlags } from './cli-flags.js';
import { VERSION, type GlobalOptions } from './context.js';
import {
  DOCTOR_FLAGS,
  FLEET_FLAGS,
  FLEET_INSTALL_FLAGS,
  GLOBAL_FLAGS,
  INIT_FLAGS,
  LIST_FLAGS,
  LOGIN_FLAGS,
  OAUTH_REGISTER_FLAGS,
  ONBOARDING_SCRIPT_FLAGS,
  PROXY_FLAGS,
  REMOVE_FLAGS,
  SYNC_FLAGS,
  TOKEN_FLAGS,
  WRITER_FLAGS,
} from './workflows/flags.js';
import { addKinds, kindDef } from './databricks/server-kinds/index.js';
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

/** Flags shared by `init` and every `add` (contract: Commands), from their one declaration. */
function writerFlags(cmd: Command): Command {
  return withFlags(cmd, WRITER_FLAGS);
}

/**
 * The command tree. Every flag comes from its one declaration in workflows/flags.ts (the
 * command validates with the schema built from the same one), and `add <kind>` and init's
 * server flags from the server-kind table.
 */
export function buildProgram(): Command {
  const program = withFlags(
    new Command('dbx-mcp').description('Set up, verify and bridge Databricks managed MCP servers in your MCP clients.').version(VERSION, '-V, --version'),
    GLOBAL_FLAGS,
  )
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
  // `add url <url>`: any Databricks MCP URL, as the kind it belongs to (copied from the workspace UI).
  writerFlags(add.command('url').argument('<url>', 'a Databricks MCP URL (managed server, AI Gateway MCP service or app)').description('any Databricks MCP URL: added as the kind it belongs to')).action(
    action(([url, o]) => (ctx) => import('./commands/add.js').then((m) => m.runAdd(ctx, { kind: 'url', target: url as string, ...(o as object) }))),
  );

  const remove = program.command('remove').argument('<name>', 'server name').description('remove a server from your clients (only entries dbx-mcp wrote)');
  withFlags(remove, REMOVE_FLAGS).action(action(([name, o]) => (ctx) => import('./commands/remove.js').then((m) => m.runRemove(ctx, { name: name as string, ...(o as object) }))));

  withFlags(program.command('list').description('servers per client, with their auth mode'), LIST_FLAGS).action(
    action(([o]) => (ctx) => import('./commands/list.js').then((m) => m.runList(ctx, o as object))),
  );

  withFlags(program.command('token').description('print a fresh access token for the profile'), TOKEN_FLAGS).action(
    action(([o]) => (ctx) => import('./commands/token.js').then((m) => m.runToken(ctx, o as object))),
  );

  withFlags(
    program
      .command('login')
      .description('sign in with your browser (OAuth, no Databricks CLI needed); saves the profile and shares the sign-in with the Databricks CLI')
      .addHelpText('after', '\nExamples:\n  dbx-mcp login --host https://dbc-1234abcd-5678.cloud.databricks.com --profile dev\n  dbx-mcp login --profile dev            (sign in again; the profile names the host)\n  dbx-mcp login --host https://accounts.cloud.databricks.com --account-id <id> --profile ACCOUNT\n  dbx-mcp login --host <url> --no-browser (prints the URL to open elsewhere)'),
    LOGIN_FLAGS,
  ).action(action(([o]) => (ctx) => import('./commands/login.js').then((m) => m.runLogin(ctx, o as object))));

  withFlags(program.command('doctor').description('diagnose profiles, tokens, network, grants, client configs and every configured server'), DOCTOR_FLAGS).action(
    action(([o]) => (ctx) => import('./commands/doctor.js').then((m) => m.runDoctor(ctx, o as object))),
  );

  withFlags(writerFlags(program.command('init').description('wizard: profile, clients, servers, auth mode, OAuth app, plan, apply, verify')), INIT_FLAGS).action(
    action(([o]) => (ctx) => import('./commands/init.js').then((m) => m.runInit(ctx, o as object))),
  );

  const register = program
    .command('oauth')
    .description('OAuth app integration for MCP clients')
    .command('register')
    .description("create or update the account's OAuth custom app integration with every client's redirect URLs");
  withFlags(register, OAUTH_REGISTER_FLAGS).action(action(([o]) => (ctx) => import('./commands/oauth-register.js').then((m) => m.runOauthRegister(ctx, o as object))));

  withFlags(program.command('sync').description('apply the team manifest dbx-mcp.json to this machine'), SYNC_FLAGS).action(
    action(([o]) => (ctx) => import('./commands/sync.js').then((m) => m.runSync(ctx, o as object))),
  );

  withFlags(program.command('onboarding-script').description('print an onboarding script for the team manifest'), ONBOARDING_SCRIPT_FLAGS).action(
    action(([o]) => (ctx) => import('./commands/onboarding-script.js').then((m) => m.runOnboardingScript(ctx, o as object))),
  );

  const fleet = withFlags(program.command('fleet').description('managed-settings files per client and OS from the manifest, for device management'), FLEET_FLAGS);
  fleet.action(action(([o]) => (ctx) => import('./commands/fleet.js').then((m) => m.runFleet(ctx, o as object))));
  withFlags(fleet.command('install').argument('<dir>', 'an OS folder of the fleet output').description('merge a fleet OS folder into this machine (what install.sh / install.ps1 run)'), FLEET_INSTALL_FLAGS).action(
    action(([dir, o]) => (ctx) => import('./commands/fleet.js').then((m) => m.runFleetInstall(ctx, dir as string, o as object))),
  );

  withFlags(program.command('proxy').description('stdio <-> streamable-http bridge with Databricks auth'), PROXY_FLAGS).action(
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
