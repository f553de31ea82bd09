/**
 * Environment checks: the Node running doctor, and the node/npx a GUI client would find for
 * its stdio entries (GUI apps started from the Dock or a menu get a minimal PATH, not the
 * shell's, which is the classic "spawn npx ENOENT").
 */
import { readerFor, readJsonEntry, type EntryReader } from '../../clients/read-entry.js';
import { isAbsolute } from 'node:path';
import { clientDefinition, type ClientId } from '../../clients/catalog/index.js';
import { unwrapCmd } from '../../clients/render.js';
import { GUI_PATH } from '../../mcp/handshake.js';
import type { Check, CheckResult } from '../types.js';
import type { EntryFact } from '../facts.js';
import { findOnPath } from '../../util/paths.js';

export const MIN_NODE = '20.18.1';

/** Compares dotted versions ("v22.1.0" or "22.1.0"). */
export function versionAtLeast(version: string, min: string): boolean {
  const a = version.replace(/^v/, '').split('.').map((n) => parseInt(n, 10) || 0);
  const b = min.split('.').map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** Clients that are GUI apps (they do not see the shell's PATH): the catalog says which. */
export function isGuiClient(client: ClientId): boolean {
  return clientDefinition(client).gui;
}

/** The real command of a stdio entry (unwrapping `cmd /c`). */
export function stdioCommandOf(entry: Record<string, unknown>, read: EntryReader = readJsonEntry): string | undefined {
  const e = read(entry);
  return e?.transport === 'stdio' ? unwrapCmd(e.command, e.args).command : undefined;
}

export const nodeVersionCheck: Check = {
  id: 'env.node',
  title: 'Node.js version',
  group: 'environment',
  async run() {
    const v = process.versions.node;
    if (versionAtLeast(v, MIN_NODE)) return { status: 'pass', summary: `Node v${v} (dbx-mcp needs ≥ ${MIN_NODE})`, data: { node: v } };
    return {
      status: 'fail',
      summary: `Node v${v} is older than ${MIN_NODE}, the oldest dbx-mcp supports`,
      fix: `Install Node ${MIN_NODE} or newer (https://nodejs.org, or \`nvm install --lts\`).`,
      data: { kind: 'node-too-old', node: v },
    };
  },
};

/** The node/npx GUI clients would run for the given stdio entries. */
export function guiNodeCheck(entries: EntryFact[]): Check {
  return {
    id: 'env.gui-node',
    title: 'Node that GUI clients find',
    group: 'environment',
    timeoutMs: 10_000,
    async run(ctx): Promise<CheckResult> {
      const gui = entries.filter((e) => isGuiClient(e.client) && !e.disabled);
      const bare = [...new Set(gui.map((e) => stdioCommandOf(e.entry, readerFor(e.client))).filter((c): c is string => c !== undefined && !isAbsolute(c) && /^(node|npx)(\.cmd|\.exe)?$/i.test(c)))];
      if (gui.length === 0) return { status: 'skip', summary: 'no stdio entries in GUI clients' };
      if (bare.length === 0 || ctx.platform === 'win32') {
        return { status: 'pass', summary: 'GUI stdio entries use absolute commands (no PATH lookup needed)' };
      }
      const env = { PATH: GUI_PATH };
      const missing = bare.filter((c) => findOnPath({ env, platform: ctx.platform }, c) === undefined);
      const who = [...new Set(gui.filter((e) => bare.includes(stdioCommandOf(e.entry, readerFor(e.client)) ?? '')).map((e) => e.client))].join(', ');
      if (missing.length > 0) {
        const inShell = missing.map((c) => findOnPath(ctx, c)).filter(Boolean);
        return {
          status: ctx.platform === 'darwin' ? 'fail' : 'warn',
          summary: `${missing.join(', ')} not found on the PATH a GUI app gets (${GUI_PATH}); ${who} would fail with "spawn ${missing[0]} ENOENT"`,
          fix: inShell.length
            ? `Use absolute paths in the entries (e.g. re-add with --proxy-command "${inShell[0]}"), or install Node system-wide so ${missing[0]} is in /usr/bin.`
            : `Install Node ${MIN_NODE}+ system-wide, or use absolute paths in the entries.`,
          data: { kind: 'command-not-found', commands: missing, clients: who.split(', ') },
        };
      }
      const node = findOnPath({ env, platform: ctx.platform }, 'node');
      if (!node) {
        return {
          status: 'warn',
          summary: `npx is on the GUI PATH but node is not`,
          fix: 'Install Node.js system-wide (so /usr/local/bin or /usr/bin has node), or give the entries absolute node paths: dbx-mcp add … --proxy-command "<absolute path to node> <absolute path to dbx-mcp.js>".',
          data: { kind: 'command-not-found', commands: ['node'] },
        };
      }
      let version = '';
      try {
        version = (await ctx.exec(node, ['--version'], { env, timeoutMs: 5_000 })).stdout.trim();
      } catch {
        // reported below as unknown
      }
      if (version && !versionAtLeast(version, MIN_NODE)) {
        return {
          status: 'fail',
          summary: `GUI clients run ${node} ${version}, older than ${MIN_NODE} (${who})`,
          fix: `Upgrade the system Node (${node}) to ${MIN_NODE}+, or use an absolute path to a newer node in the entries.`,
          data: { kind: 'node-too-old', node: version, path: node },
        };
      }
      return { status: 'pass', summary: `GUI clients find ${bare.join(', ')} with ${node} ${version || '(version unknown)'}`, data: { path: node, node: version } };
    },
  };
}
