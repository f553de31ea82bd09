/** A unified host in front of two fake workspaces of one account: A (default seed) and B (only "Unified Ops"). */
import type { TestContext } from 'node:test';
import { createState, DEMO_ACCOUNT_ID, startFakeWorkspace, startUnifiedHost, type UnifiedHost } from '../../src/emulator/index.js';

export const WS_A = '1111111111111111';
export const WS_B = '2222222222222222';
export const OPS_SPACE = '01f0bbbbbbbbbbbbbbbbbbbbbbbbbbbb';

export async function unifiedHost(t: TestContext): Promise<UnifiedHost> {
  const a = await startFakeWorkspace({ workspaceId: WS_A, accountId: DEMO_ACCOUNT_ID });
  const first = createState().genieSpaces[0]!;
  const b = await startFakeWorkspace({ workspaceId: WS_B, accountId: DEMO_ACCOUNT_ID, seed: { genieSpaces: [{ ...first, space_id: OPS_SPACE, title: 'Unified Ops' }] } });
  const u = await startUnifiedHost([a, b]);
  t.after(async () => {
    await u.close();
    await Promise.all([a.close(), b.close()]);
  });
  return u;
}
