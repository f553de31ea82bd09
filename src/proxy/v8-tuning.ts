/** V8 flags for the long-running proxy process (its own module: cli.ts sets them before loading anything else). */
import { setFlagsFromString } from 'node:v8';

/**
 * Clients keep one proxy per server running all day, so memory counts more than peak
 * throughput. Measured with `npm run bench` (peak RSS over 1,000 sequential and 2,000 concurrent
 * calls): V8 doubles the young generation under load (up to 16 MB per semi-space) although the
 * proxy's live data is one message per request in flight, and its optimising compiler's
 * background jobs grow malloc arenas; together about 11 MB (62 → 51 MB). Without them the proxy stays faster
 * than a direct SDK connection: it waits on the network, and its parsing is native (JSON.parse,
 * indexOf). Called by the process entry (not by runProxy, which tests run in-process) before
 * the proxy's code is even loaded: set after loading, the same flags left the idle proxy at
 * 49 MB instead of 45 MB (test/bench/eras.ts; node -e 0: 39 MB).
 */
export function tuneV8ForProxy(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--no-opt');
}
