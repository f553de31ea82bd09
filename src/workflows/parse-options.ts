/** Flag values → a command's typed options, or one usage error (exit 2) in our words. */
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { ourErrorMap } from '../util/zod-messages.js';
import type { FlagSpec, FlagSpecs, FlagValue, ValueOf } from './flags.js';

/** The zod rule for one flag's value, from its declaration (flags.ts). */
function schemaOf(f: FlagSpec): z.ZodTypeAny {
  switch (f.type) {
    case 'boolean':
      return f.negatable ? z.boolean().default(true) : z.boolean().optional();
    case 'optional-value':
      return z.union([z.string(), z.literal(true)]).optional();
    case 'list': {
      const item = f.pattern ? z.string().regex(f.pattern.regex, f.pattern.message) : z.string();
      return z.array(item).optional();
    }
    case 'number': {
      const n = f.rangeCheckedByDomain ? z.number() : (f.range.integer ? z.number().int() : z.number()).min(f.range.min).max(f.range.max);
      return f.default !== undefined ? n.default(f.default) : n.optional();
    }
    case 'string': {
      let v: z.ZodTypeAny;
      if (f.choices) v = z.enum(f.choices);
      else {
        // Never empty (commander refuses a blank value too); a pattern says so in its own words.
        let str = f.pattern ? z.string().regex(f.pattern.regex, f.pattern.message) : z.string().min(1);
        if (f.maxLength !== undefined) str = str.max(f.maxLength);
        v = str;
      }
      return f.default !== undefined ? v.default(f.default) : f.required ? v : v.optional();
    }
  }
}

/** The zod schema of a command's options, built from the same declaration as its commander flags. */
export function optionsSchema<S extends FlagSpecs>(specs: S): z.ZodObject<{ [K in keyof S]: z.ZodType<FlagValue<S[K]>, z.ZodTypeDef, ValueOf<S[K]> | undefined> }> {
  return z.object(Object.fromEntries(Object.entries(specs).map(([key, f]) => [key, schemaOf(f)]))) as never;
}

/**
 * zod issues → one UsageError (exit 2) naming every bad flag (`--callback-port`) or argument
 * (`<name>`, listed in `args`), in our wording, with the help command of `command` (`add genie`).
 */
export function parseOptions<T extends z.ZodTypeAny>(schema: T, raw: unknown, command: string, args: readonly string[] = []): z.infer<T> {
  const r = schema.safeParse(raw, { errorMap: ourErrorMap });
  if (r.success) return r.data;
  const nameOf = (key: string) => (args.includes(key) ? `<${key}>` : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  const msgs = r.error.issues.map((i) => {
    const item = i.path.length > 1 ? ` "${String((raw as Record<string, unknown[]>)[String(i.path[0])]?.[Number(i.path[1])])}"` : '';
    return `${i.path.length ? `${nameOf(String(i.path[0]))}${item}: ` : ''}${i.message}`;
  });
  throw new UsageError(msgs.join('; '), { hint: `Run 'dbx-mcp ${command} --help' for its arguments and options.` });
}
