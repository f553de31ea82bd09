/**
 * Presentation of a write plan: the summary lines, the coloured unified diff of every file and
 * the notes. The plan itself (what changes, how it is applied) is config/file-plan.ts.
 */
import { redactedDiff } from '../config/diff.js';
import type { Plan } from '../config/file-plan.js';
import { newContent } from '../config/splice.js';
import { redact } from '../secrets.js';
import { createColors } from './colors.js';

/**
 * The plan as text, blocks separated by a blank line: the summary lines, the unified diff of
 * every file, then the notes; '' for an empty plan. Diffs are redactedDiff's (secrets masked
 * by key in every entry and profile, and by value), and everything passes through redact(): a
 * literal token in a config file must not reach the terminal or a log. `diffs: false` (--quiet):
 * the summary and notes only.
 */
export function renderPlan(plan: Plan, opts: { color: boolean; diffs?: boolean }): string {
  const parts: string[] = [];
  const summary = plan.changes.flatMap((c) => c.summary);
  if (summary.length > 0) parts.push(summary.join('\n'));
  for (const c of plan.changes) {
    const diff = opts.diffs === false ? '' : redactedDiff(c.path, c.before, newContent(c));
    if (diff !== '') parts.push(colorizeDiff(diff, opts.color).replace(/\n$/, ''));
    if (c.deletes) parts.push(`(${c.path} is deleted: dbx-mcp created it and it is empty again)`);
  }
  if (plan.notes.length > 0) parts.push(plan.notes.join('\n'));
  return parts.length === 0 ? '' : `${redact(parts.join('\n\n'))}\n`;
}

/** Colours a unified diff for a terminal (green +, red -, cyan @@, bold headers); as-is when `color` is false. */
export function colorizeDiff(diff: string, color: boolean): string {
  if (!color || diff === '') return diff;
  const c = createColors(true);
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++ ') || line.startsWith('--- ')) return c.bold(line);
      if (line.startsWith('@@')) return c.cyan(line);
      if (line.startsWith('+')) return c.green(line);
      if (line.startsWith('-')) return c.red(line);
      return line;
    })
    .join('\n');
}
