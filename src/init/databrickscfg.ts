/**
 * Adding a PAT profile to ~/.databrickscfg as a planned change: the new section is appended as
 * text after the existing content, which stays byte for byte (never re-serialised with an INI
 * library, which would drop comments and mangle values holding `#` or `;`). Applied with the
 * rest of the plan (backup first, mode 0600), so a cancelled wizard writes nothing.
 */
import type { FileChange } from '../config/file-plan.js';
import { readFileText } from '../config/file-plan.js';
import { parseIni } from '../databricks/ini-file.js';

export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Profile names already in the file (including sections dbx-mcp does not list). */
export async function existingSections(file: string): Promise<Set<string>> {
  return new Set(parseIni((await readFileText(file)) ?? '', file).keys());
}

/** A suggestion for a new profile's name that is not taken. */
export function suggestProfileName(taken: Set<string>): string {
  if (!taken.has('DEFAULT')) return 'DEFAULT';
  for (let i = 1; ; i++) {
    const n = i === 1 ? 'dbx-mcp' : `dbx-mcp-${i}`;
    if (!taken.has(n)) return n;
  }
}

/** The change that appends `[name]` with host and token to the config file. */
export async function planAppendPatProfile(file: string, name: string, host: string, token: string, workspaceId?: string): Promise<FileChange> {
  const before = await readFileText(file);
  const text = before ?? '';
  const sep = text === '' ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  // A pasted unified-host URL's workspace (?o=/?w=) is kept, as `databricks auth login` writes it.
  const routing = workspaceId ? `workspace_id = ${workspaceId}\n` : '';
  const after = `${text}${sep}[${name}]\nhost  = ${host}\n${routing}token = ${token}\n`;
  return { path: file, before, after, holdsSecret: true, summary: [`+ [${name}] (personal access token for ${host})`] };
}

/**
 * The change that sets keys of `[name]` (creating the section at the end when it is missing)
 * and removes the `clear` keys from it, as `databricks auth login` saves a profile (source:
 * Databricks CLI libs/databrickscfg/ops.go SaveToProfile). Every byte outside the edited lines
 * stays: other sections, comments, blank lines, the file's line endings.
 */
export async function planSetProfile(file: string, name: string, set: Readonly<Record<string, string>>, clear: readonly string[], summary: string): Promise<FileChange> {
  const before = await readFileText(file);
  const text = before ?? '';
  parseIni(text, file); // refuse a file the CLI would not read either, before editing it
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text === '' ? [] : text.split(/(?<=\n)/);
  const headerName = (l: string) => /^\s*\[([^\]]*)\]/.exec(l)?.[1]?.trim();
  const start = lines.findIndex((l) => headerName(l) === name);
  const entry = (k: string) => `${k} = ${set[k]}`;
  if (start < 0) {
    const sep = text === '' ? '' : text.endsWith(`${eol}${eol}`) ? '' : text.endsWith('\n') ? eol : `${eol}${eol}`;
    const after = `${text}${sep}[${name}]${eol}${Object.keys(set).map((k) => entry(k) + eol).join('')}`;
    return { path: file, before, after, holdsSecret: true, summary: [`+ [${name}] ${summary}`] };
  }
  let end = lines.findIndex((l, i) => i > start && headerName(l) !== undefined);
  if (end < 0) end = lines.length;
  const pending = new Set(Object.keys(set));
  const drop = new Set(clear.map((k) => k.toLowerCase()));
  const body: string[] = [];
  for (const l of lines.slice(start + 1, end)) {
    const key = /^\s*([^=:#;\s][^=:]*?)\s*[=:]/.exec(l)?.[1]?.toLowerCase();
    if (key && pending.has(key)) {
      body.push(entry(key) + (l.endsWith('\r\n') ? '\r\n' : l.endsWith('\n') ? '\n' : ''));
      pending.delete(key);
    } else if (!key || !drop.has(key)) {
      body.push(l);
    }
  }
  // New keys go after the section's last non-blank line, before the blank lines that end it.
  let at = body.length;
  while (at > 0 && body[at - 1]!.trim() === '') at--;
  if (at > 0 && !body[at - 1]!.endsWith('\n')) body[at - 1] += eol;
  if (at === 0 && !lines[start]!.endsWith('\n')) lines[start] += eol;
  body.splice(at, 0, ...[...pending].map((k) => entry(k) + eol));
  const after = [...lines.slice(0, start + 1), ...body, ...lines.slice(end)].join('');
  return { path: file, before, after, holdsSecret: true, summary: [`~ [${name}] ${summary}`] };
}
