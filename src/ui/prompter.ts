/**
 * Every question goes through a Prompter in the context. Each question names the flag that
 * answers it, so the non-interactive prompter can fail with the full list of missing flags.
 * Implementations: clack (terminal, loaded lazily), non-interactive (fails with exit 2),
 * scripted (tests: test/helpers/scripted-prompter.ts).
 */
import { NeedsInputError } from '../errors.js';

export interface Question {
  /** Stable id used by scripted answers in tests (e.g. `profile`, `clients`). */
  id: string;
  message: string;
  /** The flag that answers this question without a terminal, e.g. `--profile <name>`. */
  flag: string;
}

export interface Choice<T> {
  value: T;
  label: string;
  hint?: string;
}

export interface Prompter {
  readonly interactive: boolean;
  select<T>(q: Question & { choices: Choice<T>[]; initial?: T }): Promise<T>;
  multiselect<T>(q: Question & { choices: Choice<T>[]; initial?: T[]; required?: boolean }): Promise<T[]>;
  confirm(q: Question & { initial?: boolean }): Promise<boolean>;
  /**
   * `initial` pre-fills the field with editable text; `placeholder` only shows a greyed
   * example; `defaultValue` is the answer when the field is submitted empty (show it as the
   * placeholder). `validate` sees the answer after `defaultValue` is applied.
   */
  text(q: Question & { initial?: string; placeholder?: string; defaultValue?: string; validate?: (v: string) => string | undefined }): Promise<string>;
  password(q: Question & { validate?: (v: string) => string | undefined }): Promise<string>;
  /** Show a section heading / note (no answer). */
  note(message: string, title?: string): void;
}

/**
 * Call before asking anything when several answers may be missing: without a terminal it
 * throws one NeedsInputError that lists every missing flag at once (exit 2).
 */
export function requireAnswers(prompter: Prompter, missing: Question[]): void {
  if (!prompter.interactive && missing.length > 0) {
    throw new NeedsInputError(missing.map((q) => ({ flag: q.flag, question: q.message })));
  }
}

/** The prompter used without a terminal (no TTY, or CI set): every question is an error. */
export function createNonInteractivePrompter(): Prompter {
  const fail = (q: Question): never => {
    throw new NeedsInputError([{ flag: q.flag, question: q.message }]);
  };
  return {
    interactive: false,
    select: async (q) => fail(q),
    multiselect: async (q) => fail(q),
    confirm: async (q) => fail(q),
    text: async (q) => fail(q),
    password: async (q) => fail(q),
    note: () => {},
  };
}
