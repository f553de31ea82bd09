/**
 * Before doctor handshakes an entry, the trust boundary (contract: Security model):
 * - where the entry's token would go: the token rule (databricks/token-destination.ts) against
 *   the profile that entry uses — a dbx-mcp proxy entry's own --profile (or the profile the proxy
 *   would pick), doctor's profile for every other entry. A refused URL is a failing check
 *   (`foreign-host`) and no handshake: neither the profile's token nor a header's
 *   `${DATABRICKS_TOKEN}` travels there.
 * - what doctor may start: a stdio entry of a project-scope file (a cloned repository chose it)
 *   runs only when it is exactly dbx-mcp's own proxy form with the launcher resolved to this
 *   package, or with --trust-project. User-scope entries are the user's own.
 */
import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import type { Ctx } from '../context.js';
import { resolveConfig, type ResolvedConfig } from '../databricks/profiles.js';
import { checkTokenDestination } from '../databricks/token-destination.js';
import { parseProxyUrl, profileForUrl } from '../proxy/run.js';
import type { EntryFact, Facts } from './facts.js';
import type { ProxyEntry, StdioCommand } from './proxy-probe.js';
import type { CheckResult } from './types.js';

/** Whom a refusal is about: the entry, its URL and the profile whose token it would carry. */
async function verdictFor(facts: Facts, config: ResolvedConfig, url: string, client: string): Promise<CheckResult | undefined> {
  const v = await checkTokenDestination(config, url, (u) => facts.appVouch(config, u.href));
  if (v.ok) return undefined;
  return {
    status: 'fail',
    summary: `${client}: not checked — ${v.message}`,
    fix: `${v.fix}; or remove the entry if you did not write it`,
    data: { kind: 'foreign-host', reason: v.reason, host: v.host, profileHost: v.profileHost },
  };
}

/** The proxy entry's own profile, as the proxy resolves it (run.ts), or undefined if it does not resolve. */
function proxyEntryConfig(ctx: Ctx, proxy: ProxyEntry): ResolvedConfig | undefined {
  const c = { env: proxy.full.env, home: ctx.home };
  try {
    return resolveConfig(c, proxy.argv.globals.profile || profileForUrl(c, proxy.argv.options.url));
  } catch {
    return undefined; // the in-process proxy reports it, without a token
  }
}

/**
 * A failing `foreign-host` result when the entry's URL is not for the workspace whose token it
 * would carry; undefined when it may be handshaked (or there is nothing to compare with).
 */
export async function destinationRefusal(ctx: Ctx, facts: Facts, e: EntryFact, url: string, proxy?: ProxyEntry): Promise<CheckResult | undefined> {
  if (proxy) {
    const config = proxyEntryConfig(ctx, proxy);
    if (!config) return undefined;
    let target: URL;
    try {
      target = parseProxyUrl(proxy.argv.options.url, config.host);
    } catch {
      return undefined; // a bad --url: the proxy says so (exit 2) without a token
    }
    return verdictFor(facts, config, target.href, e.client);
  }
  let config: ResolvedConfig;
  try {
    config = facts.config();
  } catch {
    return {
      status: 'skip',
      summary: `${e.client}: not checked — no Databricks profile resolves, so nothing says ${safeOrigin(url)} is your workspace`,
    };
  }
  return verdictFor(facts, config, url, e.client);
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** `npx -y dbx-mcp@<exact version>`: what project-scope entries run (contract: --scope project). */
function isNpxLauncher(l: StdioCommand): boolean {
  return /^npx(\.cmd)?$/i.test(basename(l.command)) && l.command === basename(l.command) && l.args.length === 2 && l.args[0] === '-y' && /^dbx-mcp@\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(l.args[1]!);
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** `<this node> <this package's script>`: the absolute form, resolved to the running installation. */
function isThisInstallation(ctx: Ctx, l: StdioCommand): boolean {
  const script = ctx.argv[1];
  return Boolean(script) && l.args.length === 1 && real(l.command) === real(ctx.execPath) && real(l.args[0]!) === real(script!);
}

/**
 * True when doctor may start this stdio entry: not in a project file, or exactly dbx-mcp's own
 * proxy form (known flags only, no env or cwd of its own, the launcher this package), or the
 * user passed --trust-project.
 */
export function mayStart(ctx: Ctx, facts: Facts, e: EntryFact, proxy: ProxyEntry | undefined, entryEnv: Record<string, string>, cwd: string | undefined): boolean {
  if (e.scope !== 'project' || facts.trustProject) return true;
  if (!proxy || Object.keys(entryEnv).length > 0 || cwd !== undefined) return false;
  return isNpxLauncher(proxy.launcher) || isThisInstallation(ctx, proxy.launcher);
}

export function untrustedResult(e: EntryFact, command: string): CheckResult {
  return {
    status: 'warn',
    summary: `${e.client} (project): not started: project entry not trusted — ${basename(command)} is a command this repository chose, not dbx-mcp's own proxy`,
    fix: `Read the entry in ${e.file}; if you trust this repository, run: dbx-mcp doctor --trust-project (it starts the repository's commands)`,
    data: { kind: 'untrusted-command', command: basename(command) },
  };
}
