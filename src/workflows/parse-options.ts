/** Flag values → a command's typed options, or one usage error (exit 2) in our words. */
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { ourErrorMap } from '../util/zod-messages.js';

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
