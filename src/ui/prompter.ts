/**
 * Every question goes through a Prompter in the context. Each question names the flag that
 * answers it, so the non-interactive prompter can fail with the full list of missing flags.
 * Implementations: clack (terminal, loaded lazily), non-interactive (fails with exit 2),
 * scripted (tests: answers keyed by question id).
 */
import { CancelledError, NeedsInputError } from '../errors.js';

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

export type ScriptedAnswers = Record<string, unknown>;

const SEQUENCE = Symbol('sequence');
/** A scripted answer given again and again to the same question, in order (the last one repeats). */
export interface AnswerSequence {
  [SEQUENCE]: unknown[];
}
/** Answers for a question asked more than once (re-asked after a rejection, or after going back). */
export function inOrder(...answers: unknown[]): AnswerSequence {
  return { [SEQUENCE]: answers };
}

/** A question as the scripted prompter saw it (tests assert on placeholders, choices, …). */
export type AskedQuestion = Question & { kind: 'select' | 'multiselect' | 'confirm' | 'text' | 'password'; initial?: unknown; placeholder?: string; defaultValue?: string; choices?: Choice<unknown>[] };

/**
 * Test prompter: answers by question id. An answer of `CANCEL` simulates Ctrl-C; `inOrder(…)`
 * answers a question asked several times. Text and password answers go through the
 * question's `validate` like a terminal would: a rejected answer is recorded in `rejected`
 * and the next answer of the sequence is typed instead. Records every question in `asked`
 * (ids) and `questions` (the whole question).
 */
export const CANCEL = Symbol('cancel');
export function createScriptedPrompter(answers: ScriptedAnswers): Prompter & { asked: string[]; questions: AskedQuestion[]; rejected: { id: string; answer: unknown; error: string }[] } {
  const asked: string[] = [];
  const questions: AskedQuestion[] = [];
  const rejected: { id: string; answer: unknown; error: string }[] = [];
  const times = new Map<string, number>();
  const next = (id: string): { found: boolean; value?: unknown } => {
    if (!(id in answers)) return { found: false };
    const a = answers[id];
    const n = times.get(id) ?? 0;
    times.set(id, n + 1);
    // A wizard that re-asks forever is a bug the test must see, not a hang.
    if (n >= 50) throw new Error(`scripted prompter: question "${id}" asked more than 50 times`);
    if (typeof a === 'object' && a !== null && SEQUENCE in a) {
      const seq = (a as AnswerSequence)[SEQUENCE];
      return { found: true, value: seq[Math.min(n, seq.length - 1)] };
    }
    return { found: true, value: a };
  };
  const answer = <T>(q: AskedQuestion, fallback?: T): T => {
    asked.push(q.id);
    questions.push(q);
    const a = next(q.id);
    if (!a.found) {
      if (fallback !== undefined) return fallback;
      throw new Error(`scripted prompter: no answer for question "${q.id}" (${q.message})`);
    }
    if (a.value === CANCEL) throw new CancelledError();
    return a.value as T;
  };
  const typed = (q: AskedQuestion & { validate?: (v: string) => string | undefined }, fallback?: string): string => {
    for (let v = answer<string>(q, fallback); ; v = answer<string>(q)) {
      const value = v === '' && q.defaultValue !== undefined ? q.defaultValue : v;
      const error = q.validate?.(value);
      if (error === undefined) return value;
      rejected.push({ id: q.id, answer: v, error });
      asked.pop();
      questions.pop();
    }
  };
  return {
    interactive: true,
    asked,
    questions,
    rejected,
    select: async (q) => answer({ ...q, kind: 'select' }, q.initial),
    multiselect: async (q) => answer({ ...q, kind: 'multiselect' }, q.initial),
    confirm: async (q) => answer({ ...q, kind: 'confirm' }, q.initial),
    text: async (q) => typed({ ...q, kind: 'text' }, q.initial ?? q.defaultValue),
    password: async (q) => typed({ ...q, kind: 'password' }),
    note: () => {},
  };
}
