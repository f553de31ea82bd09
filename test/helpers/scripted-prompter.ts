/**
 * Test prompter (scripted answers by question id). Test-only, so it lives with the tests.
 */
import { BackError, CancelledError } from '../../src/errors.js';
import type { Choice, Prompter, Question } from '../../src/ui/prompter.js';

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
/** An answer that simulates Escape (go back one step). */
export const BACK = Symbol('back');
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
    if (a.value === BACK) throw new BackError();
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
