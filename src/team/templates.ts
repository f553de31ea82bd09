/**
 * Shipped templates (package `templates/`), found relative to the running code: the bundle
 * lives in dist/ or dist/chunks/, the sources in src/team/, so walk up from this module to the
 * dbx-mcp package.json rather than guessing a fixed depth.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DbxMcpError } from '../errors.js';

let cachedRoot: string | undefined;

/** The directory holding dbx-mcp's package.json (and bin/, dist/, templates/). */
export function packageRoot(from?: string): string {
  if (from === undefined && cachedRoot !== undefined) return cachedRoot;
  const found = findPackageRoot(from ?? fileURLToPath(import.meta.url));
  if (from === undefined) cachedRoot = found;
  return found;
}

function findPackageRoot(from: string): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'dbx-mcp') return dir;
      } catch {
        // an unreadable package.json on the way up is not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new DbxMcpError('Cannot find the dbx-mcp package directory (its templates are missing)', {
        code: 'TEMPLATES_MISSING',
        hint: 'Reinstall dbx-mcp (npm install -g dbx-mcp), or run it with npx -y dbx-mcp.',
      });
    }
    dir = parent;
  }
}

/** The text of `templates/<name>`. */
export function readTemplate(name: string): string {
  const file = join(packageRoot(), 'templates', name);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new DbxMcpError(`Cannot read the template ${file}: ${(e as Error).message}`, { code: 'TEMPLATES_MISSING', hint: 'Reinstall dbx-mcp.', cause: e });
  }
}

/**
 * Replaces every `{{key}}` with `values[key]` (already quoted for the target language by the
 * caller). A placeholder without a value is a bug in dbx-mcp, not the user's: it throws.
 */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{([a-z_]+)\}\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`template placeholder {{${key}}} has no value`);
    return v;
  });
}

/** A bash single-quoted word: safe for any text. */
export function bashQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A PowerShell single-quoted string (PowerShell also treats typographic single quotes as quotes). */
export function powershellQuote(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201A\u201B]/g, '$&$&')}'`;
}

/** Text safe inside a `#` comment line: no line breaks or control characters. */
export function commentText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
