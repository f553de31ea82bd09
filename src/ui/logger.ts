/**
 * The only module that writes to the terminal. Two channels:
 * - `out`: the command's result (stdout). In `--json` mode only JSON goes here.
 * - everything else (info, warn, error, step, debug, spinners): stderr.
 * In proxy mode stdout is the MCP protocol, so `out` is refused and all logs go to stderr.
 * Every line passes through `redact`, so a token never reaches the terminal.
 */
import { createColors } from './colors.js';
import { redact } from '../secrets.js';

export type LogLevel = 'quiet' | 'normal' | 'verbose';

export interface Logger {
  readonly json: boolean;
  readonly level: LogLevel;
  readonly color: boolean;
  /** Whether stderr is a terminal and spinners may be drawn. */
  readonly fancy: boolean;
  /**
   * The command's result on stdout, redacted. `reveal` skips redaction for the one value the
   * user asked to see (a new OAuth client secret, shown once): nothing else may pass it.
   */
  out(text: string, opts?: { reveal?: boolean }): void;
  info(text: string): void;
  success(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  step(text: string): void;
  debug(text: string): void;
  /**
   * A spinner on a terminal; plain start/stop lines otherwise (never in --json or without a TTY).
   * A function as `text` is asked again at every frame (a progress line that changes).
   */
  spinner(text: string | (() => string)): { stop(text?: string, ok?: boolean): void };
}

export interface LoggerOptions {
  json?: boolean;
  level?: LogLevel;
  /** Proxy mode: stdout belongs to the protocol. */
  proxy?: boolean;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
}

/** Colour rules: NO_COLOR wins, then FORCE_COLOR, then "is the stream a TTY". */
export function shouldColor(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(isTTY);
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const env = opts.env ?? process.env;
  const level = opts.level ?? 'normal';
  const json = Boolean(opts.json);
  const color = shouldColor(env, stderr.isTTY);
  const c = createColors(color);
  const fancy = Boolean(stderr.isTTY) && !json && !opts.proxy && level !== 'quiet' && !env.CI;
  const err = (line: string) => stderr.write(redact(line) + '\n');

  return {
    json,
    level,
    color,
    fancy,
    out(text, o) {
      if (opts.proxy) throw new Error('BUG: proxy mode must not write results to stdout');
      stdout.write((o?.reveal ? text : redact(text)) + (text.endsWith('\n') ? '' : '\n'));
    },
    info(text) {
      if (level !== 'quiet') err(text);
    },
    success(text) {
      if (level !== 'quiet') err(`${c.green('✔')} ${text}`);
    },
    warn(text) {
      err(`${c.yellow('⚠')} ${text}`);
    },
    error(text) {
      err(`${c.red('✖')} ${text}`);
    },
    step(text) {
      if (level !== 'quiet') err(`${c.cyan('→')} ${text}`);
    },
    debug(text) {
      if (level === 'verbose') err(c.dim(text));
    },
    spinner(text) {
      if (!fancy) {
        if (level === 'verbose') err(c.dim(`… ${typeof text === 'function' ? text() : text}`));
        return { stop: (t, ok = true) => void (t && level === 'verbose' && err(c.dim(`${ok ? '✔' : '✖'} ${t}`))) };
      }
      const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
      let i = 0;
      const columns = (stderr as { columns?: number }).columns;
      // One terminal line at most: a wrapped line would not be cleared by the next frame's \r.
      const fit = (t: string) => (columns !== undefined && columns > 4 && t.length > columns - 3 ? `${t.slice(0, columns - 4)}…` : t);
      const draw = () => stderr.write(`\r\x1b[2K${c.cyan(frames[i++ % frames.length] ?? '')} ${fit(redact(typeof text === 'function' ? text() : text))}`);
      draw();
      const timer = setInterval(draw, 80);
      timer.unref();
      return {
        stop(t, ok = true) {
          clearInterval(timer);
          stderr.write('\r\x1b[2K');
          if (t) err(`${ok ? c.green('✔') : c.red('✖')} ${t}`);
        },
      };
    },
  };
}
