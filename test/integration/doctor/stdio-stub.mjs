// A minimal stdio MCP server for doctor's tests. It records each start in STUB_DIR: a line in
// starts.log with how many stubs were alive at that moment (their pid files), so a test can
// see how many processes doctor had running at once. Its own pid file goes when it ends.
import { appendFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const dir = process.env.STUB_DIR;
const me = join(dir, `${process.pid}.pid`);
writeFileSync(me, '');
const alive = readdirSync(dir).filter((f) => f.endsWith('.pid')).length;
appendFileSync(join(dir, 'starts.log'), `${alive}\n`);
const bye = () => {
  rmSync(me, { force: true });
  process.exit(0);
};
process.on('SIGTERM', bye);
const rl = createInterface({ input: process.stdin });
rl.on('close', bye);
rl.on('line', (line) => {
  const msg = JSON.parse(line);
  if (msg.id === undefined) return;
  const result = msg.method === 'initialize'
    ? { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'stub', version: '1' } }
    : { tools: [{ name: 'stub_tool', inputSchema: { type: 'object' } }] };
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }) + '\n');
});
