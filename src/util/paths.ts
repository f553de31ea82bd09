/**
 * Path helpers every layer uses: the path flavour of a target platform, `~`-relative display,
 * PATH lookup and the project root. The per-client path table stays in clients/paths.ts.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Ctx } from '../context.js';

/** path.win32 for win32, path.posix otherwise. */
export function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** `~`-relative form of a path for messages (home paths are redacted in output). */
export function displayPath(ctx: Pick<Ctx, 'home' | 'platform'>, file: string): string {
  const P = pathFor(ctx.platform);
  const rel = P.relative(ctx.home, file);
  if (rel === '' || rel.startsWith('..') || P.isAbsolute(rel)) return file;
  return `~${P.sep}${rel}`;
}

/** First PATH entry holding an executable named `name` (PATHEXT variants on Windows). */
export function findOnPath(ctx: Pick<Ctx, 'env' | 'platform'>, name: string): string | undefined {
  const P = pathFor(ctx.platform);
  const pathVar = ctx.env.PATH ?? ctx.env.Path ?? '';
  const sep = ctx.platform === 'win32' ? ';' : ':';
  const exts = ctx.platform === 'win32' ? (ctx.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').concat('') : [''];
  for (const dir of pathVar.split(sep)) {
    if (dir === '') continue;
    for (const ext of exts) {
      const candidate = P.join(dir, name + ext.toLowerCase());
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * The repository the user is in: the nearest ancestor of cwd holding `.git` (a dir, or a file
 * in worktrees and submodules), else cwd itself, so `--scope project` from a subdirectory
 * still writes the repository's `.mcp.json`.
 */
export function findProjectRoot(ctx: Pick<Ctx, 'cwd' | 'platform'>): string {
  const P = pathFor(ctx.platform);
  let dir = P.resolve(ctx.cwd);
  for (;;) {
    if (existsSync(P.join(dir, '.git'))) return dir;
    const parent = P.dirname(dir);
    if (parent === dir) return P.resolve(ctx.cwd);
    dir = parent;
  }
}
