/**
 * A test seam for the write transaction, switched on only by DBX_MCP_TEST_PAUSE_AT_WRITE=<n>
 * (read by createCtx): before the n-th change to the disk (temp file, backup, rename, chmod,
 * mkdir, delete; counted from 1) the process says so on stderr and waits for a signal, then goes
 * on. The suite kills or signals it there to prove every step recovers (issue 19, Proof).
 */
import { realWriteFs, type WriteFs } from './write-fs.js';

export function pausingWriteFs(at: number, say: (line: string) => void): WriteFs {
  let step = 0;
  const gate = async (what: string) => {
    if (++step !== at) return;
    say(`dbx-mcp test: paused before write step ${step} (${what})`);
    // A signal listener does not keep the event loop alive: this timer does (and bounds the pause).
    let keep: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      keep = setTimeout(resolve, 60_000);
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
    });
    clearTimeout(keep);
  };
  return {
    createFile: async (p, c, m) => (await gate(`create ${p}`), realWriteFs.createFile(p, c, m)),
    rename: async (a, b) => (await gate(`rename ${a}`), realWriteFs.rename(a, b)),
    chmod: async (p, m) => (await gate(`chmod ${p}`), realWriteFs.chmod(p, m)),
    mkdir: async (d, m) => (await gate(`mkdir ${d}`), realWriteFs.mkdir(d, m)),
    remove: async (p) => (await gate(`remove ${p}`), realWriteFs.remove(p)),
  };
}
