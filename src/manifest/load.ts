/**
 * Finding and reading the team manifest. Every problem is a UsageError (exit 2) that names
 * the file and the field, and lists every issue at once so one edit fixes them all.
 */
import { existsSync, statSync } from 'node:fs';
import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import { notARegularFile, readUserFileSync } from '../util/regular-file.js';
import { ourErrorMap } from '../util/zod-messages.js';
import { parseJsonc } from '../config/jsonc-edit.js';
import { checkManifest, MANIFEST_FILE, ManifestSchema, type Manifest } from './schema.js';
import { findSecrets } from './secrets.js';
import { serverName } from './specs.js';
import { pathFor } from '../util/paths.js';

/**
 * The manifest to use: `explicit` (resolved against cwd; UsageError when it does not exist),
 * else the nearest `dbx-mcp.json` in cwd or its ancestors; undefined when there is none.
 */
export function findManifest(ctx: Pick<Ctx, 'cwd' | 'platform'>, explicit?: string): string | undefined {
  const P = pathFor(ctx.platform);
  if (explicit !== undefined && explicit !== '') {
    const file = P.resolve(ctx.cwd, explicit);
    const st = statSync(file, { throwIfNoEntry: false });
    if (st === undefined) throw manifestNotFound(file);
    // A folder or FIFO is named as what it is (a FIFO would hang the read).
    if (!st.isFile()) throw notARegularFile(file, st, 'manifest file');
    return file;
  }
  let dir = P.resolve(ctx.cwd);
  for (;;) {
    const candidate = P.join(dir, MANIFEST_FILE);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = P.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function manifestNotFound(file: string): UsageError {
  return new UsageError(`Manifest ${file} does not exist`, {
    code: 'MANIFEST_NOT_FOUND',
    hint: 'Check the --manifest path, or create a manifest with `dbx-mcp init --save-manifest`.',
  });
}

/** `servers[1].space_id` from a zod path. */
function fieldOf(path: (string | number)[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '') || '(top level)';
}

/** Parses and validates manifest text; `file` names it in errors. */
export function parseManifest(text: string, file: string): Manifest {
  const doc = parseJsonc(text, file);
  const secrets = findSecrets(doc);
  if (secrets.length) {
    throw new UsageError(
      `${file} contains what looks like a secret (${secrets.map((s) => `${s.path}: ${s.what}`).join('; ')}); a team manifest is shared and must never hold one`,
      {
        code: 'MANIFEST_SECRET',
        hint: `Remove ${secrets.map((s) => s.path).join(', ')} from ${file} (and rotate the secret if it was committed). Each developer signs in with their own profile: databricks auth login --host <workspace-host>.`,
      },
    );
  }
  const r = ManifestSchema.safeParse(doc, { errorMap: ourErrorMap });
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${fieldOf(i.path)}: ${i.message}`);
    throw new UsageError(`${file} is not a valid dbx-mcp manifest:\n  ${lines.join('\n  ')}`, {
      code: 'MANIFEST_INVALID',
      hint: `Fix ${lines.length === 1 ? 'that field' : 'those fields'} in ${file}; the JSON Schema in $schema lets editors check it as you type.`,
    });
  }
  const manifest = r.data as Manifest;
  const issues = checkManifest(manifest, serverName);
  if (issues.length) {
    const lines = issues.map((i) => `${fieldOf(i.path)}: ${i.message}`);
    throw new UsageError(`${file} is not a valid dbx-mcp manifest:\n  ${lines.join('\n  ')}`, {
      code: 'MANIFEST_INVALID',
      hint: `Fix ${lines.length === 1 ? 'that field' : 'those fields'} in ${file}.`,
    });
  }
  return manifest;
}

/** Reads and validates the manifest at `path` (UsageError, exit 2, on any problem). */
export function loadManifest(_ctx: Pick<Ctx, 'cwd'>, path: string): Manifest {
  const unreadable = (e: Error) => new UsageError(`Cannot read manifest ${path}: ${e.message}`, { code: 'MANIFEST_NOT_FOUND', hint: 'Check the path and its permissions.' });
  const text = readUserFileSync(path, 'manifest file', unreadable)?.toString('utf8');
  if (text === undefined) throw manifestNotFound(path);
  return parseManifest(text, path);
}
