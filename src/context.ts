/**
 * The context: every side effect a command needs (environment, home, platform, cwd, clock,
 * prompter, logger, HTTP, process runner). Domain modules take a Ctx (or plain data) and
 * never touch `process` directly, so tests can run them with a temporary HOME, a fake
 * workspace and scripted answers.
 */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import type { WriteFs } from './config/write-fs.js';
import type { HttpClient } from './databricks/http.js';
import { createLogger, type Logger, type LogLevel } from './ui/logger.js';
import { createNonInteractivePrompter, type Prompter } from './ui/prompter.js';
import { UsageError } from './errors.js';

/** The logger's type, for domain modules that take one (they may not import ui/). */
export type { Logger } from './ui/logger.js';

/** Flags every command accepts (contract: global options). */
export interface GlobalOptions {
  profile?: string;
  json?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}
export interface ExecOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  input?: string;
}
/** Runs a program without a shell. Throws an error with `code: 'ENOENT'` when it is not installed. */
export type Exec = (file: string, args: string[], opts?: ExecOptions) => Promise<ExecResult>;

export interface Ctx {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly platform: NodeJS.Platform;
  readonly cwd: string;
  now(): number;
  readonly log: Logger;
  readonly prompt: Prompter;
  readonly http: HttpClient;
  readonly exec: Exec;
  /** A terminal is attached and CI is not set: questions may be asked. */
  readonly interactive: boolean;
  readonly version: string;
  readonly globals: GlobalOptions;
  /** The command line that started this process (node binary + script), for proxy entries. */
  readonly argv: readonly string[];
  readonly execPath: string;
  /** Seam for tests: every write of config and state files goes through it (default: the disk). */
  readonly writeFs?: WriteFs;
}

/** Replaced at build time (version.ts). */
export { VERSION } from './version.js';
import { VERSION } from './version.js';

/** TTY on stdin and stdout, and neither `CI` nor `DBX_MCP_NO_INPUT` set. */
export function isInteractive(
  env: NodeJS.ProcessEnv,
  stdin: { isTTY?: boolean } = process.stdin,
  stdout: { isTTY?: boolean } = process.stdout,
): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI !== 'false';
  return Boolean(stdin.isTTY) && Boolean(stdout.isTTY) && !ci && !env.DBX_MCP_NO_INPUT;
}

/**
 * Home directory honouring HOME / USERPROFILE from the given environment (tests set them). An
 * empty or relative one is refused (exit 2): every config path would resolve against the current
 * folder while the messages say `~/…` (issue 20, item 9).
 */
export function resolveHome(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const name = platform === 'win32' ? (env.USERPROFILE !== undefined ? 'USERPROFILE' : 'HOME') : 'HOME';
  const value = env[name];
  if (value !== undefined && !(platform === 'win32' ? win32.isAbsolute(value) : posix.isAbsolute(value))) {
    throw new UsageError(value === '' ? `${name} is set but empty, so dbx-mcp cannot tell where your config files are` : `${name} is the relative path "${value}", so dbx-mcp cannot tell where your config files are`, {
      code: 'BAD_HOME',
      hint: `Set ${name} to your home folder's absolute path (for example: export ${name}=${platform === 'win32' ? 'C:\\Users\\you' : '/home/you'}), or unset it, then run the command again.`,
    });
  }
  return value || homedir();
}

export const realExec: Exec = async (file, args, opts = {}) => {
  const { execa } = await import('execa');
  const r = await execa(file, args, {
    env: opts.env,
    extendEnv: opts.env === undefined,
    cwd: opts.cwd,
    timeout: opts.timeoutMs,
    input: opts.input,
    reject: false,
    stripFinalNewline: false,
    windowsHide: true,
  });
  if (r.failed && (r as { code?: string }).code === 'ENOENT') {
    throw Object.assign(new Error(`${file}: command not found`), { code: 'ENOENT' });
  }
  if (r.timedOut) throw Object.assign(new Error(`${file} timed out after ${opts.timeoutMs} ms`), { code: 'ETIMEDOUT' });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
};

/** An HttpClient that loads the HTTP modules only on the first request (`--help` needs none). */
function createLazyHttp(env: NodeJS.ProcessEnv, version: string): HttpClient {
  let real: Promise<HttpClient> | undefined;
  const get = () => (real ??= import('./databricks/http.js').then((m) => m.createHttpClient({ env, version })));
  return {
    request: async (req) => (await get()).request(req),
    raw: async (req) => (await get()).raw(req),
  };
}

export interface CreateCtxOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  platform?: NodeJS.Platform;
  prompt?: Prompter;
  log?: Logger;
  http?: HttpClient;
  exec?: Exec;
  interactive?: boolean;
  now?: () => number;
  proxyMode?: boolean;
  argv?: readonly string[];
  execPath?: string;
  writeFs?: WriteFs;
}

export async function createCtx(globals: GlobalOptions, o: CreateCtxOptions = {}): Promise<Ctx> {
  const env = o.env ?? process.env;
  const platform = o.platform ?? process.platform;
  const level: LogLevel = globals.quiet ? 'quiet' : globals.verbose ? 'verbose' : 'normal';
  const log = o.log ?? createLogger({ json: globals.json, level, proxy: o.proxyMode, env });
  const interactive = o.interactive ?? (!o.proxyMode && isInteractive(env));
  let prompt = o.prompt;
  if (!prompt) {
    prompt = interactive ? (await import('./ui/clack-prompter.js')).createClackPrompter() : createNonInteractivePrompter();
  }
  return {
    env,
    home: resolveHome(env, platform),
    platform,
    cwd: o.cwd ?? process.cwd(),
    now: o.now ?? Date.now,
    log,
    prompt,
    http: o.http ?? createLazyHttp(env, VERSION),
    exec: o.exec ?? realExec,
    interactive,
    version: VERSION,
    globals,
    argv: o.argv ?? process.argv,
    execPath: o.execPath ?? process.execPath,
    ...(o.writeFs && { writeFs: o.writeFs }),
    ...(!o.writeFs && env.DBX_MCP_TEST_PAUSE_AT_WRITE && { writeFs: await testPause(Number(env.DBX_MCP_TEST_PAUSE_AT_WRITE), log) }),
    ...(!o.writeFs && !env.DBX_MCP_TEST_PAUSE_AT_WRITE && env.DBX_MCP_TEST_WRITE_FAULT && { writeFs: await testFault(env.DBX_MCP_TEST_WRITE_FAULT) }),
  };
}

/** The suite's injected write failure (config/write-fault.ts); loaded only when asked for. */
async function testFault(spec: string): Promise<WriteFs> {
  const { faultingWriteFs } = await import('./config/write-fault.js');
  return faultingWriteFs(spec);
}

/** The suite's pause-at-step-n seam (config/write-pause.ts); loaded only when asked for. */
async function testPause(at: number, log: Logger): Promise<WriteFs> {
  const { pausingWriteFs } = await import('./config/write-pause.js');
  return pausingWriteFs(at, (line) => log.warn(line));
}
