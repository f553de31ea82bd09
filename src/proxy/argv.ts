/**
 * The fast path for `dbx-mcp proxy …`, the command clients spawn for every session and keep
 * running all day: its flags are parsed with node's own `parseArgs` instead of commander, which
 * would load `child_process` (and commander itself) into a process that never needs them.
 *
 * Only a plain invocation takes this path: `proxy` first, then known flags. Anything else
 * (`--help`, an unknown or malformed flag, a blank value, a missing `--url`) returns undefined and goes through
 * commander, which stays the one source of help and usage errors. A test checks that the flags
 * here are exactly commander's.
 */
import { parseArgs } from 'node:util';
import type { ProxyOptions } from './run.js';
import type { GlobalOptions } from '../context.js';

/** Long flag names, as commander's program (global flags) and its `proxy` command declare them. */
export const FAST_GLOBAL_FLAGS = ['profile', 'json', 'yes', 'dry-run', 'verbose', 'quiet'] as const;
export const FAST_PROXY_FLAGS = ['url', 'meta', 'ca-bundle', 'log-level'] as const;

export interface ProxyArgv {
  globals: GlobalOptions;
  options: ProxyOptions;
}

/** `argv` without node and the script; undefined when commander should handle it. */
export function parseProxyArgv(argv: readonly string[]): ProxyArgv | undefined {
  if (argv[0] !== 'proxy') return undefined;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      strict: true,
      allowPositionals: false,
      options: {
        profile: { type: 'string' },
        json: { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' },
        'dry-run': { type: 'boolean' },
        verbose: { type: 'boolean' },
        quiet: { type: 'boolean' },
        url: { type: 'string' },
        meta: { type: 'string', multiple: true },
        'ca-bundle': { type: 'string' },
        'log-level': { type: 'string' },
      },
    });
  } catch {
    return undefined;
  }
  const v = parsed.values;
  if (!v.url) return undefined;
  // A blank value (an unset shell variable) is a usage error, which commander reports.
  const strings = [v.profile, v.url, v['ca-bundle'], v['log-level']].filter((s) => s !== undefined);
  if (strings.some((s) => s.trim() === '')) return undefined;
  // Same as commander's list flags: repeatable, and each value may hold a comma-separated list.
  const metaLists = v.meta?.map((m) => m.split(',').map((s) => s.trim()).filter(Boolean));
  if (metaLists?.some((l) => l.length === 0)) return undefined;
  const meta = metaLists?.flat();
  return {
    globals: { profile: v.profile, json: v.json, yes: v.yes, dryRun: v['dry-run'], verbose: v.verbose, quiet: v.quiet },
    options: { url: v.url, meta, caBundle: v['ca-bundle'], logLevel: v['log-level'] ?? 'warn' },
  };
}
