// Installs every pinned real client and the Node 24 binary into .cache (used by .ci/run).
import { ensureNode24, ensureRealClient, REAL_CLIENTS, type RealClient } from './real-clients.js';

for (const name of Object.keys(REAL_CLIENTS) as RealClient[]) {
  const t0 = Date.now();
  const bin = ensureRealClient(name);
  console.log(`${name}: ${bin} (${Date.now() - t0} ms)`);
}
console.log(`node 24: ${ensureNode24()}`);
