/**
 * How proxy entries start dbx-mcp (contract: Auth modes, `proxy`). GUI clients start with a
 * minimal PATH, so a permanent installation (global install, project dependency, checkout)
 * is launched by absolute node + script paths. A run from npx's temporary cache would leave
 * a path that npx may delete, so it writes `npx -y dbx-mcp@<exact version>` instead.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { UsageError } from '../errors.js';
import type { Launcher } from '../clients/types.js';

export interface LauncherInput {
  execPath: string;
  /** process.argv[1]: the script that started us (the bin shim, possibly a symlink). */
  script: string | undefined;
  version: string;
  override?: string;
}

/** True when the script lives in npx's cache (`…/_npx/<hash>/node_modules/…`). */
export function isNpxCache(path: string): boolean {
  return /[\\/]_npx[\\/]/.test(path);
}

/** Splits a command line into words, honouring single and double quotes. */
export function splitCommand(cmd: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(cmd); m; m = re.exec(cmd)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

export function resolveLauncher(input: LauncherInput): Launcher & { kind: 'absolute' | 'npx' | 'custom' } {
  if (input.override) {
    const [command, ...args] = splitCommand(input.override);
    if (!command) throw new UsageError('--proxy-command is empty', { hint: 'Pass the command that starts dbx-mcp, e.g. --proxy-command "/usr/local/bin/dbx-mcp".' });
    return { kind: 'custom', command, args };
  }
  let script = input.script;
  if (script) {
    try {
      script = realpathSync(script);
    } catch {
      // keep as given
    }
  }
  if (!script || isNpxCache(script)) return { kind: 'npx', command: 'npx', args: ['-y', `dbx-mcp@${input.version}`] };
  return { kind: 'absolute', command: input.execPath, args: [script] };
}

/**
 * What a person types to run this dbx-mcp again (the demo's "now on your own workspace" line):
 * `npx dbx-mcp` from npx's cache or a project's node_modules/.bin, `dbx-mcp` from a global
 * install on PATH, `node <script>` from a checkout (relative to `cwd` when it is inside it).
 * Not on the registry yet, so a checkout must not be told `npx dbx-mcp`.
 */
export function selfCommand(script: string | undefined, cwd: string): string {
  if (!script) return 'dbx-mcp';
  let real = script;
  try {
    real = realpathSync(script);
  } catch {
    // keep as given
  }
  if (isNpxCache(real) || /[\\/]node_modules[\\/]\.bin[\\/]/.test(script)) return 'npx dbx-mcp';
  if (/[\\/]node_modules[\\/]dbx-mcp[\\/]/.test(real)) return 'dbx-mcp';
  const rel = relative(cwd, real);
  const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : real;
  return `node ${/[\s'"]/.test(shown) ? `"${shown}"` : shown}`;
}
