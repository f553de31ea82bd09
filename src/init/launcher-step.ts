/**
 * How proxy entries start dbx-mcp. Run from npx's temporary cache, the wizard offers a global
 * install of this exact version, so entries launch by absolute path (fast, offline, no npx
 * cache eviction); the install itself runs only after the plan is confirmed. Otherwise the
 * pinned `npx -y dbx-mcp@<version>` form is written (contract: Auth modes, proxy).
 */
import { clientDefinition } from '../clients/catalog/index.js';
import { realpathSync } from 'node:fs';
import type { Ctx } from '../context.js';
import { DbxMcpError } from '../errors.js';
import { isNpxCache } from '../util/launcher.js';
import type { ClientAuth, InitOptions } from './options.js';
import { pathFor } from '../util/paths.js';

export interface LauncherChoice {
  /** `--proxy-command` for specBase, when the entries launch a global install. */
  proxyCommand?: string;
  /** Runs `npm install -g dbx-mcp@<version>` (after the plan is confirmed). */
  install?: () => Promise<void>;
  /** Shown when the entries use npx. */
  note?: string;
}

function runningFromNpxCache(ctx: Ctx): boolean {
  const script = ctx.argv[1];
  if (!script) return false;
  try {
    return isNpxCache(realpathSync(script));
  } catch {
    return isNpxCache(script);
  }
}

/** Quotes one word for splitCommand (double quotes; paths with `"` are not supported by it anyway). */
const q = (s: string) => (/[\s'"]/.test(s) ? `"${s}"` : s);

export async function launcherStep(ctx: Ctx, o: InitOptions, auths: ClientAuth[]): Promise<LauncherChoice> {
  const usesProxy = auths.some((a) => a.auth === 'proxy' || (a.auth === 'header' && clientDefinition(a.client).dialect.httpEntry === undefined));
  if (o.proxyCommand || !usesProxy) return {};
  const pinned = `npx -y dbx-mcp@${ctx.version}`;
  // A global install's absolute path would not exist on a teammate's machine.
  if (o.scope === 'project') return { note: `Project entries start dbx-mcp with \`${pinned}\` (pinned to this version) on every machine.` };
  if (!runningFromNpxCache(ctx)) return {};
  if (!o.install || !ctx.prompt.interactive) return { note: `Proxy entries start dbx-mcp with \`${pinned}\` (pinned to this version).` };
  const install = await ctx.prompt.confirm({
    id: 'install',
    message: `Install dbx-mcp@${ctx.version} globally (npm install -g)? Proxy entries then start fast and work offline; otherwise they run \`${pinned}\`.`,
    flag: '--no-install',
    initial: true,
  });
  if (!install) return { note: `Proxy entries start dbx-mcp with \`${pinned}\`.` };
  const npm = ctx.platform === 'win32' ? 'npm.cmd' : 'npm';
  const prefix = await ctx.exec(npm, ['prefix', '-g'], { timeoutMs: 30_000 }).catch(() => undefined);
  if (!prefix || prefix.exitCode !== 0 || !prefix.stdout.trim()) {
    ctx.log.warn(`Could not find npm's global folder; proxy entries will use \`${pinned}\`.`);
    return {};
  }
  const P = pathFor(ctx.platform);
  const root = prefix.stdout.trim();
  const script = ctx.platform === 'win32' ? P.join(root, 'node_modules', 'dbx-mcp', 'bin', 'dbx-mcp.js') : P.join(root, 'lib', 'node_modules', 'dbx-mcp', 'bin', 'dbx-mcp.js');
  return {
    proxyCommand: `${q(ctx.execPath)} ${q(script)}`,
    install: async () => {
      const spin = ctx.log.spinner(`npm install -g dbx-mcp@${ctx.version}`);
      const r = await ctx.exec(npm, ['install', '-g', `dbx-mcp@${ctx.version}`], { timeoutMs: 300_000 }).catch((e: Error) => ({ exitCode: 1, stdout: '', stderr: e.message }));
      if (r.exitCode !== 0) {
        spin.stop(undefined, false);
        throw new DbxMcpError(`npm install -g dbx-mcp@${ctx.version} failed: ${r.stderr.trim().split('\n').at(-1) ?? ''}`, {
          code: 'INSTALL_FAILED',
          hint: `Nothing was written. Fix npm's global install (e.g. permissions of ${root}), or rerun with --no-install to write \`${pinned}\` entries.`,
        });
      }
      spin.stop(`Installed dbx-mcp@${ctx.version} in ${root}`);
    },
  };
}
