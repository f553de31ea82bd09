/**
 * SIGINT/SIGTERM and the commit window of a write transaction (issue 19, item 5). Before the
 * window a signal cancels at once (exit 130): nothing has been written, and the locks go with
 * the process ('exit' hook). Inside it (from the first backup or rename to the record in
 * state.json) the signal is deferred: the transaction completes (or rolls back), then the
 * command stops, saying what was written. Nothing here prints: the boundary gives the reporter.
 */
type Reporter = {
  cancelled(signal: NodeJS.Signals): void;
  /** The transaction the signal waited for committed `written` (paths). */
  committed(signal: NodeJS.Signals, written: string[]): void;
};

let depth = 0;
let pending: NodeJS.Signals | null = null;
let reporter: Reporter | null = null;

/** Installs the handlers once per process (the CLI boundary; never in the proxy). */
export function handleInterrupts(r: Reporter): void {
  if (reporter) return;
  reporter = r;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (depth > 0) pending = sig;
      else r.cancelled(sig);
    });
  }
}

/** Runs `fn` as a commit window; `written` lists what it wrote once it succeeded. */
export async function commitWindow<T>(fn: () => Promise<T>, written: (result: T) => string[]): Promise<T> {
  depth++;
  let result: T;
  try {
    result = await fn();
  } finally {
    depth--;
  }
  if (depth === 0 && pending && reporter) reporter.committed(pending, written(result));
  return result;
}
