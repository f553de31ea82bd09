/**
 * Client detection shared by the adapters: the config dir exists, or the client's CLI is on
 * PATH (each client's documented config location; see the adapters). Only existence checks; never throws, always says why.
 */
import { existsSync, readdirSync } from 'node:fs';
import type { Ctx } from '../context.js';
import { configPathFor, detectionDirs } from './paths.js';
import type { ClientId, Detection, PathInput } from './types.js';
import { displayPath, findOnPath } from '../util/paths.js';

function exists(p: string): boolean {
  try {
    return existsSync(p);
  } catch {
    return false;
  }
}

/** A real directory listing for the path table's globs; [] when missing or unreadable. */
export function fsListDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The PathInput of a context (user scope uses home, project scope the given root). */
export function pathInputOf(ctx: Pick<Ctx, 'platform' | 'env' | 'home' | 'cwd'>, cwd: string = ctx.cwd): PathInput {
  return { platform: ctx.platform, env: ctx.env, home: ctx.home, cwd, listDir: fsListDir };
}

/** Detection by known directories, then by a CLI on PATH. */
export async function detectClient(ctx: Ctx, id: ClientId, binaries: string[]): Promise<Detection> {
  try {
    const p = pathInputOf(ctx);
    const configPath = configPathFor(id, p, 'user');
    const configExists = configPath !== undefined && exists(configPath);
    if (configExists && configPath !== undefined) {
      return { id, detected: true, configPath, configExists, reason: `found ${displayPath(ctx, configPath)}` };
    }
    const dir = detectionDirs(id, p).find(exists);
    if (dir !== undefined) {
      return { id, detected: true, configPath, configExists, reason: `found ${displayPath(ctx, dir)}` };
    }
    for (const bin of binaries) {
      const found = findOnPath(ctx, bin);
      if (found !== undefined) {
        return { id, detected: true, configPath, configExists, reason: `\`${bin}\` is on PATH (${displayPath(ctx, found)})` };
      }
    }
    const looked = detectionDirs(id, p).map((d) => displayPath(ctx, d));
    const bins = binaries.length > 0 ? ` and no ${binaries.map((b) => `\`${b}\``).join('/')} on PATH` : '';
    const missing = `no ${looked.join(', ')}${bins}`;
    return { id, detected: false, configPath, configExists, reason: `not found: ${missing}`, missing };
  } catch (e) {
    return { id, detected: false, configExists: false, reason: `could not check: ${(e as Error).message}` };
  }
}
