/**
 * Starting the bin so that a test can stop it at a named step of a write: with
 * DBX_MCP_TEST_PAUSE_AT_WRITE=<n> it says "paused before write step n" on stderr and waits for
 * a signal (src/config/write-pause.ts); `marker` resolves at that line, so no test sleeps.
 */
import { spawn } from 'node:child_process';
import { BIN, isolatedEnv } from './cli.js';

/** Starts the bin; `marker` resolves true once stderr matches `re`, false if it ends first. */
export function start(args: string[], home: string, env: Record<string, string>, re: RegExp) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: home, env: isolatedEnv(home, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let seen: (v: boolean) => void = () => undefined;
  const marker = new Promise<boolean>((r) => (seen = r));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (re.test(stderr)) seen(true);
  });
  child.stdout.resume();
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      seen(false);
      resolve({ code, stderr: signal ? `${stderr}\n(ended by ${signal})` : stderr });
    }),
  );
  return { child, marker, done };
}

