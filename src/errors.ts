/**
 * Typed errors. Every user-facing error carries the exact next step (`hint`) and the exit
 * code the CLI boundary (src/cli.ts) turns it into. Domain modules throw these; only the
 * boundary prints them and sets the exit status.
 */

export const ExitCode = {
  Ok: 0,
  Failed: 1,
  Usage: 2,
  Cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface DbxMcpErrorOptions {
  /** The exact next step: a command to run, a grant to request, a URL to allow-list. */
  hint?: string;
  /** A stable machine-readable code (e.g. `CONFIG_PARSE`, `NOT_FOUND`). */
  code?: string;
  exitCode?: ExitCode;
  cause?: unknown;
  /** What the command had established before it failed, for the `--json` error object. */
  details?: Record<string, unknown>;
}

export class DbxMcpError extends Error {
  readonly hint: string | undefined;
  readonly code: string;
  readonly exitCode: ExitCode;
  /** Merged into the `--json` error object (e.g. the profile sync had chosen); never a secret. */
  details: Record<string, unknown> | undefined;
  constructor(message: string, opts: DbxMcpErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DbxMcpError';
    this.hint = opts.hint;
    this.details = opts.details;
    this.code = opts.code ?? 'FAILED';
    this.exitCode = opts.exitCode ?? ExitCode.Failed;
  }
}

/** Bad flags, malformed ids, bad input: exit 2. */
export class UsageError extends DbxMcpError {
  constructor(message: string, opts: Omit<DbxMcpErrorOptions, 'exitCode'> = {}) {
    super(message, { code: 'USAGE', ...opts, exitCode: ExitCode.Usage });
    this.name = 'UsageError';
  }
}

/** A config file that does not parse: exit 2, the file is left untouched. */
export class ConfigParseError extends DbxMcpError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
    /** dbx-mcp's newest backup of the file, when one exists: the hint offers it. */
    readonly backup?: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}; the file was not changed`, {
      code: 'CONFIG_PARSE',
      exitCode: ExitCode.Usage,
      hint: `Fix the syntax at line ${line}, column ${column} of ${file}${backup ? ` (or restore dbx-mcp's backup of it: cp ${backup} ${file})` : ''}, then run the command again.`,
    });
    this.name = 'ConfigParseError';
  }
}

/** Without a terminal, questions that have no answer from flags fail at once, all listed. */
export class NeedsInputError extends DbxMcpError {
  constructor(readonly missing: { flag: string; question: string }[]) {
    super(
      `No terminal to ask on, and these answers are missing: ${missing.map((m) => m.flag).join(', ')}`,
      {
        code: 'NEEDS_INPUT',
        exitCode: ExitCode.Usage,
        hint: `Pass ${missing.map((m) => `${m.flag} (${m.question})`).join('; ')}.`,
      },
    );
    this.name = 'NeedsInputError';
  }
}

/** The user pressed Ctrl-C or answered "no" to a cancelling question: exit 130, nothing written. */
export class CancelledError extends DbxMcpError {
  constructor(message = 'Cancelled; nothing was written.') {
    super(message, { code: 'CANCELLED', exitCode: ExitCode.Cancelled });
    this.name = 'CancelledError';
  }
}

/** Escape at a question: go back one step. A step that has no step before it treats it as a cancel. */
export class BackError extends CancelledError {
  constructor() {
    super();
    this.name = 'BackError';
  }
}

export function isDbxMcpError(e: unknown): e is DbxMcpError {
  return e instanceof DbxMcpError;
}
