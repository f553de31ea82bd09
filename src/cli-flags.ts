/**
 * Value parsers for commander flags and arguments. A value that cannot be right is refused
 * while parsing, as a usage error (exit 2) that names the flag: an unset shell variable
 * (`--client "$CLIENTS"`) must not silently mean "every client", and `--timeout abc` must not
 * reach a command as NaN.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { FlagSpec } from './workflows/flags.js';

const blank = (v: string) => v.trim() === '';

/** Any string value: refuses "" and whitespace (an unset shell variable). */
export function nonBlank(v: string): string {
  if (blank(v)) throw new InvalidArgumentError('It is empty (an unset shell variable?): pass a value.');
  return v;
}

/**
 * A repeatable, comma-separated list (`--client a,b --client c`). Empty items between commas
 * are dropped, but a value with no item at all is refused.
 */
export function listFlag(v: string, prev: string[] = []): string[] {
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('It names nothing (an unset shell variable?): pass at least one value, or leave the flag out.');
  return prev.concat(items);
}

/** A number in [min, max] (`integer`: whole numbers only), parsed strictly: "12abc" is refused. */
export function numberFlag(o: { min: number; max: number; integer?: boolean; unit?: string }): (v: string) => number {
  const what = `${o.integer ? 'a whole number' : 'a number'}${o.unit ? ` of ${o.unit}` : ''} from ${o.min} to ${o.max}`;
  return (v: string) => {
    const n = blank(v) ? NaN : Number(v);
    if (!Number.isFinite(n) || (o.integer && !Number.isInteger(n)) || n < o.min || n > o.max) {
      throw new InvalidArgumentError(`Expected ${what}.`);
    }
    return n;
  };
}

/** The commander option for a flag declared in workflows/flags.ts (the command validates it with the schema built from the same declaration). */
function optionOf(f: FlagSpec): Option {
  const o = new Option(f.flags, f.description);
  switch (f.type) {
    case 'boolean':
    case 'optional-value':
      return o;
    case 'list':
      return o.argParser(listFlag);
    case 'number':
      o.argParser(numberFlag(f.range));
      return f.default !== undefined ? o.default(f.default) : o;
    case 'string':
      if (f.choices) o.choices(f.choices);
      if (f.required) o.makeOptionMandatory();
      return f.default !== undefined ? o.default(f.default) : o;
  }
}

/** Adds every declared flag to `cmd`, in declaration order. */
export function withFlags(cmd: Command, specs: Readonly<Record<string, FlagSpec>>): Command {
  for (const f of Object.values(specs)) cmd.addOption(optionOf(f));
  return cmd;
}
