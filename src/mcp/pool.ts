/**
 * A bound on how many handshakes run at once. Spawning a stdio server costs a process and, for
 * a Node server such as the proxy, about 90 ms of CPU and 40 MB of memory: started all at once,
 * 48 servers took 2.1 GB and gained nothing on 2 cores. Tasks queue in arrival order.
 */
import { availableParallelism } from 'node:os';

export interface Pool {
  readonly size: number;
  /** Runs `task` when a slot is free; the result (or rejection) is the task's. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** Slots for spawned servers: one per core, at least 2 (one slow server must not hold the rest). */
export function spawnPoolSize(cores: number = availableParallelism()): number {
  return Math.max(2, Math.min(8, cores));
}

export function createPool(size: number): Pool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a positive integer (got ${size})`);
  let active = 0;
  const queue: Array<() => void> = [];
  // A freed slot passes straight to the next waiter, so a newcomer can never overtake it.
  const release = (): void => {
    const next = queue.shift();
    if (next) next();
    else active--;
  };
  return {
    size,
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= size) await new Promise<void>((resolve) => queue.push(resolve));
      else active++;
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
