/**
 * `env.pending-write`: no dbx-mcp write was interrupted and left unrecovered (its intent record,
 * config/intent.ts). Until one is recovered a config file and state.json may disagree, so an
 * entry dbx-mcp wrote can show as not its own. Doctor changes nothing: the fix says what will.
 */
import { pendingWrite } from '../../clients/pending-write.js';
import type { Check } from '../types.js';

export const pendingWriteCheck: Check = {
  id: 'env.pending-write',
  title: 'Interrupted dbx-mcp write',
  group: 'environment',
  async run(ctx) {
    const p = await pendingWrite(ctx);
    if (p === null) return { status: 'pass', summary: 'No interrupted dbx-mcp write is waiting to be recovered' };
    return { status: 'warn', summary: p.message, fix: p.fix, data: { kind: 'pending-write', files: p.files, recovery: p.direction } };
  },
};
