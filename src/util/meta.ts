/** `--meta key=value` flags (add, proxy): the `_meta` fields the proxy adds to tools/call. */
import { UsageError } from '../errors.js';

/** Parses `--meta k=v` pairs; a pair without a key is a usage error naming `command`'s help. */
export function parseMeta(pairs: readonly string[] | undefined, command: string): Record<string, string> | undefined {
  if (!pairs?.length) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--meta "${p}": expected key=value, e.g. --meta warehouse_id=abcdef1234567890`, { hint: `Run 'dbx-mcp ${command} --help' for its arguments and options.` });
    out[p.slice(0, eq).trim()] = p.slice(eq + 1);
  }
  return out;
}
