/**
 * A test seam for the write transaction, switched on only by DBX_MCP_TEST_WRITE_FAULT=<ERRNO>:<text>
 * (read by createCtx): creating any file whose path contains <text> (its temp file, its backup)
 * fails with that errno, the way a full disk (ENOSPC), a read-only mount (EROFS) or a folder that
 * refuses writes (EACCES) fails it. The suite uses it where it cannot mount a tiny tmpfs.
 */
import { realWriteFs, type WriteFs } from './write-fs.js';

export function faultingWriteFs(spec: string): WriteFs {
  const at = spec.indexOf(':');
  const code = at === -1 ? spec : spec.slice(0, at);
  const match = at === -1 ? '' : spec.slice(at + 1);
  return {
    ...realWriteFs,
    createFile: async (p, c, m) => {
      if (p.includes(match)) throw Object.assign(new Error(`${code}: injected write fault, open '${p}'`), { code, path: p });
      return realWriteFs.createFile(p, c, m);
    },
  };
}
