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
