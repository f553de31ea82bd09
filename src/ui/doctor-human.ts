/**
 * Human output: grouped by environment / workspace / server / client / OAuth, one line per
 * check with ✔ ⚠ ✖ –, `Fix:` under every failure and warning, a summary line. `--verbose`
 * adds the details of every check (sources of profile values, per-client handshakes, …).
 */
import { createColors } from './colors.js';
import type { CheckGroup, CheckOutcome, Report } from '../doctor/types.js';

const GROUPS: Array<{ group: CheckGroup; title: string }> = [
  { group: 'environment', title: 'Environment' },
  { group: 'workspace', title: 'Workspace' },
  { group: 'server', title: 'Servers' },
  { group: 'client', title: 'Clients' },
  { group: 'oauth', title: 'OAuth' },
];

export function renderHuman(report: Report, opts: { color: boolean; verbose: boolean }): string {
  const c = createColors(opts.color);
  const icon = (o: CheckOutcome): string =>
    o.status === 'pass' ? c.green('✔') : o.status === 'warn' ? c.yellow('⚠') : o.status === 'fail' ? c.red('✖') : c.dim('–');
  const out: string[] = [];
  const line = (o: CheckOutcome, indent: string): void => {
    const title = o.subject && o.group === 'server' ? o.title.slice(o.title.indexOf(':') + 2) : o.title;
    // One line per check, whatever the summary holds.
    const text = `${indent}${icon(o)} ${title}: ${o.summary.replace(/\s*\n\s*/g, ' ')}`;
    out.push(o.status === 'skip' ? c.dim(text) : text);
    if (o.fix && (o.status === 'fail' || o.status === 'warn')) out.push(`${indent}    ${c.bold('Fix:')} ${o.fix}`);
    if (opts.verbose) for (const d of o.details ?? []) out.push(c.dim(`${indent}    ${d}`));
  };
  for (const g of GROUPS) {
    const checks = report.checks.filter((x) => x.group === g.group);
    if (checks.length === 0) continue;
    out.push(c.bold(g.title));
    if (g.group === 'server') {
      const subjects = [...new Set(checks.map((x) => x.subject ?? ''))];
      for (const s of subjects) {
        out.push(`  ${s}`);
        for (const o of checks.filter((x) => (x.subject ?? '') === s)) line(o, '    ');
      }
    } else {
      for (const o of checks) line(o, '  ');
    }
    out.push('');
  }
  const s = report.summary;
  const parts = [`${s.pass} passed`, `${s.warn} warning${s.warn === 1 ? '' : 's'}`, `${s.fail} failed`, `${s.skip} skipped`];
  // Problems are causes: when one cause failed several checks, say both numbers.
  const n = report.problems;
  const found = `✖ doctor found ${n} problem${n === 1 ? '' : 's'}${n !== s.fail ? ` (${s.fail} checks failed)` : ''}`;
  const verdict = s.fail > 0 ? c.red(found) : s.warn > 0 ? c.yellow('⚠ no failures, some warnings') : c.green('✔ everything checked out');
  out.push(`${verdict} — ${parts.join(', ')} (${(report.durationMs / 1000).toFixed(1)} s)`);
  return out.join('\n');
}
