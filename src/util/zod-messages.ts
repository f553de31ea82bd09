/**
 * Our wording for zod's issues. zod's defaults ("String must contain at least 1 character(s)",
 * "Expected number, received nan") describe the validator, not the input; every message that
 * can reach a user goes through this map instead. Messages a schema sets itself (`.regex(re,
 * msg)`) take precedence, as zod applies them before any error map.
 */
import { z } from 'zod';

const list = (values: readonly unknown[]) => values.map((v) => `"${String(v)}"`).join(', ');

function text(issue: z.ZodIssueOptionalMessage): string | undefined {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === 'undefined') return 'is required';
      if (issue.expected === 'number') return 'must be a number';
      return `must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}, not ${issue.received}`;
    case z.ZodIssueCode.invalid_enum_value:
      return `must be one of ${list(issue.options)}, not "${String(issue.received)}"`;
    case z.ZodIssueCode.invalid_literal:
      return `must be ${JSON.stringify(issue.expected)}`;
    case z.ZodIssueCode.unrecognized_keys:
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${list(issue.keys)}`;
    case z.ZodIssueCode.too_small: {
      const n = Number(issue.minimum);
      if (issue.type === 'string') return n <= 1 ? 'must not be empty' : `must be at least ${n} characters long`;
      if (issue.type === 'array' || issue.type === 'set') return `needs at least ${n} item${n === 1 ? '' : 's'}`;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${n}`;
    }
    case z.ZodIssueCode.too_big: {
      const n = Number(issue.maximum);
      if (issue.type === 'string') return `must be at most ${n} characters long`;
      if (issue.type === 'array' || issue.type === 'set') return `takes at most ${n} item${n === 1 ? '' : 's'}`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${n}`;
    }
    case z.ZodIssueCode.not_multiple_of:
      return `must be a multiple of ${String(issue.multipleOf)}`;
    case z.ZodIssueCode.invalid_string:
      return issue.validation === 'url' ? 'must be a URL' : 'has the wrong format';
    case z.ZodIssueCode.invalid_union_discriminator:
      return `must be one of ${list(issue.options)}`;
    case z.ZodIssueCode.invalid_union:
      return 'is not one of the accepted forms';
    default:
      return 'is not valid';
  }
}

/** Pass as `schema.safeParse(value, { errorMap: ourErrorMap })`. */
export const ourErrorMap: z.ZodErrorMap = (issue) => ({ message: text(issue) ?? 'is not valid' });
