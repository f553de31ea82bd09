/** The terminal prompter (@clack/prompts). Loaded only when a command actually asks. */
import * as p from '@clack/prompts';
import { BackError, CancelledError } from '../errors.js';
import { redact } from '../secrets.js';
import type { Prompter } from './prompter.js';

// clack answers Escape and Ctrl-C alike (a cancel); the last key pressed tells them apart:
// Escape goes back one step, Ctrl-C stops the wizard.
let lastKey: string | undefined;
process.stdin.on('keypress', (_s: unknown, key: { name?: string } | undefined) => (lastKey = key?.name));

function unwrap<T>(v: T | symbol): Exclude<T, symbol> {
  if (p.isCancel(v) || typeof v === 'symbol') throw lastKey === 'escape' ? new BackError() : new CancelledError();
  return v as Exclude<T, symbol>;
}

export function createClackPrompter(): Prompter {
  return {
    interactive: true,
    async select(q) {
      return unwrap(
        await p.select({
          message: q.message,
          options: q.choices.map((c) => ({ value: c.value, label: c.label, hint: c.hint })) as never,
          initialValue: q.initial,
        }),
      ) as never;
    },
    async multiselect(q) {
      return unwrap(
        await p.multiselect({
          message: q.message,
          options: q.choices.map((c) => ({ value: c.value, label: c.label, hint: c.hint })) as never,
          initialValues: q.initial,
          required: q.required ?? true,
        }),
      ) as never;
    },
    async confirm(q) {
      const v = await p.confirm({ message: q.message, initialValue: q.initial ?? true });
      // clack's cancelled frame keeps the highlighted answer ("Yes", struck through: plain
      // "Yes" where strikethrough is not shown). Its last two lines are that answer and a bar,
      // then a newline: the answer's line is rewritten to say the question was cancelled.
      if (p.isCancel(v) && process.stdout.isTTY) process.stdout.write(`\x1b[2A\r\x1b[2K${p.S_BAR}  Cancelled\x1b[2B\r`);
      return unwrap(v);
    },
    async text(q) {
      // clack validates the typed text and applies defaultValue afterwards: validate what
      // the answer will be, so an empty field with a default is accepted.
      const answerOf = (v: string | undefined) => (!v && q.defaultValue !== undefined ? q.defaultValue : (v ?? ''));
      const v = unwrap(
        await p.text({
          message: q.message,
          initialValue: q.initial,
          placeholder: q.placeholder ?? q.defaultValue,
          defaultValue: q.defaultValue,
          validate: q.validate ? (v) => q.validate?.(answerOf(v)) : undefined,
        }),
      );
      return answerOf(v);
    },
    async password(q) {
      return unwrap(await p.password({ message: q.message, validate: q.validate ? (v) => q.validate?.(v ?? '') : undefined }));
    },
    note(message, title) {
      // Notes bypass the logger; what they quote passes the same redaction.
      p.note(redact(message), title);
    },
  };
}
