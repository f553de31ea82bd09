/** A fake workspace plus a temporary HOME whose ~/.databrickscfg points at it. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace, type StartOptions } from '../../src/emulator/index.js';
import { tempDir } from './temp.js';

export interface WorkspaceHome {
  ws: FakeWorkspace;
  home: string;
}

export async function workspaceWithHome(t: TestContext, opts: StartOptions & { cfg?: string } = {}): Promise<WorkspaceHome> {
  const ws = await startFakeWorkspace(opts);
  t.after(() => ws.close());
  const home = tempDir(t);
  writeFileSync(join(home, '.databrickscfg'), opts.cfg ?? `[DEFAULT]\nhost  = ${ws.url}\ntoken = ${DEMO_PAT}\n`, { mode: 0o600 });
  return { ws, home };
}
