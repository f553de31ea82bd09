/**
 * The errors of a write that cannot be done or failed midway: each names the path, says what was
 * left or put back, and gives the fix that fits the cause (a full disk, a read-only mount, a
 * folder or file this user may not write).
 */
import { dirname } from 'node:path';
import { DbxMcpError } from '../errors.js';
import { errno } from './write-fs.js';

/** A file on a read-only mount: told apart from a read-only file, since chmod cannot fix it. */
export function readOnlyMount(path: string, dir: string, restored = ''): DbxMcpError {
  return new DbxMcpError(`${path} is on a read-only file system (EROFS); nothing was written${restored}`, {
    code: 'CONFIG_READONLY',
    hint: `The file system that holds ${dir} is mounted read-only, so chmod cannot help: remount it read-write (or ask whoever manages this machine), then run the command again.`,
  });
}

export function notAFile(path: string, isDir: boolean): DbxMcpError {
  return new DbxMcpError(`${path} is ${isDir ? 'a folder' : 'not a regular file'}, not a config file; nothing was written`, {
    code: 'CONFIG_WRITE',
    hint: `Move ${path} aside, then run the command again.`,
  });
}


/**
 * The error of a failed write step at `path`, after the rollback: it names the path, says what
 * was put back (`restored`: files this transaction had already written), and fits the fix to the
 * cause (a full disk, a read-only mount, a folder or file this user may not write).
 */
export function writeError(path: string, e: unknown, restored: string[] = []): DbxMcpError {
  if (e instanceof DbxMcpError) return e;
  const code = errno(e);
  const back = restored.length ? `; ${restored.join(', ')} ${restored.length === 1 ? 'was' : 'were'} already written and ${restored.length === 1 ? 'has' : 'have'} been put back as ${restored.length === 1 ? 'it was' : 'they were'}` : '';
  const dir = dirname(path);
  if (code === 'EROFS') return readOnlyMount(path, dir, back);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new DbxMcpError(`Could not write ${path}: ${code === 'ENOSPC' ? 'no space left on the disk' : 'disk quota exceeded'} (${code}); nothing was changed${back}`, {
      code: 'CONFIG_WRITE',
      cause: e,
      hint: `Free some space on the disk that holds ${dir}${process.platform === 'win32' ? '' : ` (df -h ${dir} shows what is left)`}, then run the command again.`,
    });
  }
  return new DbxMcpError(`Could not write ${path}${code ? ` (${code})` : ''}; it was left unchanged${back}`, {
    code: 'CONFIG_WRITE',
    cause: e,
    hint: code === 'EACCES' || code === 'EPERM'
      ? `Check that you own ${path} and its folder ${dir} and can write to them (ls -ld ${dir}), then run the command again.`
      : 'Run the command again; if it keeps failing, run it with --verbose and report the output.',
  });
}
