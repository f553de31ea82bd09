/**
 * doctor's progress line on a terminal: how many checks are done of how many, and the ones that
 * have been running for a while by name, so a 12-second run on a slow network says what it is
 * waiting for instead of only "Running checks…". The logger's spinner draws it on stderr (and
 * only on a TTY); this module only tracks the run and words the line.
 */
import type { RunProgress } from '../doctor/runner.js';

/** A check running at least this long is named in the line. */
export const SLOW_CHECK_MS = 2000;
/** At most this many slow checks are named; the rest are counted. */
const NAMED = 3;

export interface DoctorProgress extends RunProgress {
  /** The line as of now (asked at every spinner frame). */
  text(): string;
}

export function doctorProgress(now: () => number = Date.now, slowMs = SLOW_CHECK_MS): DoctorProgress {
  let total = 0;
  let done = 0;
  const running = new Map<string, { title: string; since: number }>();
  return {
    begin(n) {
      total = n;
    },
    started(c) {
      running.set(c.id, { title: c.title, since: now() });
    },
    finished(o) {
      running.delete(o.id);
      done++;
    },
    text() {
      // Before the checks start, the facts (profile, clients, token) are being gathered.
      if (total === 0) return 'Running checks…';
      const t = now();
      const slow = [...running.values()].filter((r) => t - r.since >= slowMs).sort((a, b) => a.since - b.since);
      const named = slow.slice(0, NAMED).map((r) => `${r.title} (${Math.floor((t - r.since) / 1000)} s)`);
      const more = slow.length > NAMED ? `, +${slow.length - NAMED} more` : '';
      return `Running checks… ${done}/${total} done${named.length ? ` · waiting for ${named.join(', ')}${more}` : ''}`;
    },
  };
}
