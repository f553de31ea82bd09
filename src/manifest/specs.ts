/**
 * From manifest servers to what the client adapters write (ServerSpec). No network: names
 * come from the manifest or from the target alone, so every machine computes the same names
 * and `sync --check` is deterministic.
 */
import type { Launcher, Scope, ServerSpec } from '../clients/types.js';
import type { Ctx } from '../context.js';
import { normalizeHost } from '../databricks/host.js';
import { defaultServerName, mcpUrl, parseTarget, type McpTarget } from '../databricks/mcp-urls.js';
import { kindDef } from '../databricks/server-kinds/index.js';
import { resolveLauncher } from '../util/launcher.js';
import type { Manifest, ManifestServer } from './schema.js';

/** The MCP target a manifest server stands for. */
export function serverTarget(s: ManifestServer): McpTarget {
  const f = kindDef(s.type).manifest;
  return parseTarget(s.type, f ? (s as Record<string, unknown> as Record<string, string>)[f.key]! : '');
}

/** The server's name: its `name`, else the default derived from its target (no title lookup). */
export function serverName(s: ManifestServer): string {
  return s.name ?? defaultServerName(serverTarget(s));
}

/** Options of manifestToSpecs. */
export interface SpecOptions {
  scope: Scope;
  /** `--proxy-command`: overrides the launcher in proxy entries. */
  proxyCommand?: string;
  /**
   * MCP URLs the workspace resolved, by server name: a kind whose URL is not derived from the
   * workspace host (`resolvesUrl`, e.g. an app) needs its URL from here.
   */
  resolvedUrls?: ReadonlyMap<string, string>;
}

/**
 * The launcher for proxy entries. A committed project file must work on every teammate's
 * machine, so it never holds this machine's absolute paths: `npx -y dbx-mcp@<version>`.
 */
export function launcherFor(ctx: Pick<Ctx, 'execPath' | 'argv' | 'version'>, o: SpecOptions): Launcher {
  if (o.scope === 'project' && !o.proxyCommand) return { command: 'npx', args: ['-y', `dbx-mcp@${ctx.version}`] };
  const l = resolveLauncher({ execPath: ctx.execPath, script: ctx.argv[1], version: ctx.version, override: o.proxyCommand });
  return { command: l.command, args: l.args };
}

/**
 * Every manifest server as a ServerSpec for this machine. `profile` is the user's profile for
 * the manifest's host (undefined: environment-only auth, or a project file, where a personal
 * profile name would not fit teammates). Never carries a secret.
 */
export function manifestToSpecs(
  ctx: Pick<Ctx, 'execPath' | 'argv' | 'version'>,
  manifest: Manifest,
  profile: string | undefined,
  opts: SpecOptions,
): ServerSpec[] {
  const host = normalizeHost(manifest.workspace.host);
  const launcher = launcherFor(ctx, opts);
  const auth = manifest.auth ?? 'proxy';
  return manifest.servers.map((s) => ({
    name: serverName(s),
    url: opts.resolvedUrls?.get(serverName(s)) ?? mcpUrl(host, serverTarget(s)),
    kind: s.type,
    auth,
    ...(opts.scope === 'user' && profile !== undefined ? { profile } : {}),
    ...(manifest.oauth ? { oauth: { clientId: manifest.oauth.clientId, callbackPort: manifest.oauth.callbackPort } } : {}),
    launcher,
    ...(s.meta && Object.keys(s.meta).length ? { meta: s.meta } : {}),
  }));
}
