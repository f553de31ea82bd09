/**
 * `--format github`: GitHub Actions workflow commands. Failures become `::error`, warnings
 * `::warning`, each with the fix; passing and skipped checks are plain lines inside a group.
 * Escaping follows the runner's rules: data escapes %, CR, LF; properties also : and ,.
 */
import type { Report } from '../doctor/types.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithub(report: Report): string {
  const lines: string[] = [];
  for (const c of report.checks) {
    if (c.status !== 'fail' && c.status !== 'warn') continue;
    const cmd = c.status === 'fail' ? 'error' : 'warning';
    const msg = c.fix ? `${c.summary}\nFix: ${c.fix}` : c.summary;
    lines.push(`::${cmd} title=${escapeProperty(`dbx-mcp doctor: ${c.id}`)}::${escapeData(msg)}`);
  }
  lines.push('::group::dbx-mcp doctor: all checks');
  for (const c of report.checks) lines.push(`${c.status.padEnd(4)} ${c.id}: ${c.summary.replace(/^::/, ': :')}`);
  lines.push('::endgroup::');
  const s = report.summary;
  lines.push(`dbx-mcp doctor: ${s.pass} passed, ${s.warn} warning${s.warn === 1 ? '' : 's'}, ${s.fail} failed, ${s.skip} skipped`);
  return lines.join('\n');
}
