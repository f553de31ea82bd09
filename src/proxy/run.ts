/**
 * `dbx-mcp proxy --url <mcp-url> [--profile p] [--meta k=v ...] [--ca-bundle f] [--log-level l]`:
 * the stdio ↔ streamable-HTTP bridge (contract: proxy). Option checking and Databricks wiring
 * live here, in the proxy domain so doctor's in-process probe can run it too; the bridge itself
 * is bridge.ts. The command layer (cli.ts, program.ts) only parses flags and calls runProxy.
 *
 * Profile problems do not end the process: the client would only see "server disconnected".
 * Instead every request is answered with the problem and its fix, which the client shows.
 */
import type { Ctx } from '../context.js';
import { AUTH_METHODS } from '../databricks/auth-methods/index.js';
import { createApi } from '../databricks/api.js';
import { createTokenSource, type TokenSource } from '../databricks/auth.js';
import { checkTokenDestination, workspaceAppVouch } from '../databricks/token-destination.js';
import { isLoopbackHostname } from '../databricks/host.js';
import { userAgent } from '../databricks/http.js';
import { AUTH_ENV_VARS, listProfiles, resolveConfig, loginCommand, type ResolvedConfig } from '../databricks/profiles.js';
import { routingHeaders as workspaceHeaders } from '../databricks/routing.js';
import { createTransport } from '../databricks/transport.js';
import { ExitCode, UsageError } from '../errors.js';
import { runBridge, type BridgeOptions, type ProxyIo } from './bridge.js';
import { genericFailure, UPSTREAM_ERROR, type ProxyFailure } from './errors.js';
import { createProxyLog, PROXY_LOG_LEVELS, type ProxyLogLevel } from './log.js';
import { profilesForHost } from '../databricks/profile-match.js';
import { parseMeta } from '../util/meta.js';

export interface ProxyOptions {
  url: string;
  meta?: string[];
  caBundle?: string;
  logLevel?: string;
}

/** Internal knobs for tests and benchmarks (not flags). */
export type ProxyTuning = Pick<BridgeOptions, 'policy' | 'clock' | 'requestTimeoutMs' | 'drainMs' | 'eventStream' | 'onEra'>;

/** Databricks Apps host their MCP servers on *.databricksapps.com; they accept OAuth tokens only. */
export function isAppsUrl(url: URL): boolean {
  return /\.databricksapps\.com$/i.test(url.hostname);
}

/**
 * The profile when none is named (no --profile, DATABRICKS_CONFIG_PROFILE or DATABRICKS_HOST):
 * the one whose host is the --url's workspace. Entries in committed project files carry no
 * --profile, since each teammate names their profiles differently; the default profile may be
 * for another workspace. Among several matches the default wins, else the first in the file.
 * Undefined (the usual default) for a path-only --url, an Apps URL, or no match.
 */
export function profileForUrl(ctx: Pick<Ctx, 'env' | 'home'>, rawUrl: string): string | undefined {
  // A named profile, or any auth setting in the environment (resolveConfig then uses the
  // environment alone, or merges it into the named profile), keeps the usual rules.
  if (ctx.env.DATABRICKS_CONFIG_PROFILE || AUTH_ENV_VARS.some((v) => ctx.env[v])) return undefined;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return undefined;
  }
  if (isAppsUrl(url)) return undefined;
  let matches;
  try {
    matches = profilesForHost(listProfiles(ctx), url.origin);
  } catch {
    return undefined; // resolveConfig reports the broken file
  }
  return (matches.find((m) => m.isDefault) ?? matches[0])?.name;
}

/** `--url`: absolute http(s) (http only for loopback), or a path on the profile's host. */
export function parseProxyUrl(raw: string, host: string | undefined): URL {
  let url: URL;
  try {
    url = raw.startsWith('/') && host ? new URL(raw, host) : new URL(raw);
  } catch {
    const schemeless = !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !raw.startsWith('/');
    throw new UsageError(`--url ${raw} is not a URL`, { hint: schemeless ? `Write the URL with its scheme: https://${raw} (http:// only for a loopback server).` : 'Pass the MCP server URL, e.g. https://<workspace-host>/api/2.0/mcp/sql' });
  }
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    throw new UsageError(`--url ${url.origin} uses http://`, { hint: `Use https://${url.host}${url.pathname} (plain http is accepted only for loopback servers).` });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    // `localhost:8080/mcp` parses with the scheme "localhost:"; a host without a scheme is the usual cause.
    const schemeless = !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
    throw new UsageError(`--url ${raw} is not an http(s) URL`, { hint: schemeless ? `Write the URL with its scheme: https://${raw} (http:// only for a loopback server).` : 'Pass the MCP server URL, e.g. https://<workspace-host>/api/2.0/mcp/sql' });
  }
  return url;
}

export { tuneV8ForProxy } from './v8-tuning.js';

/** Runs the proxy until stdin ends or a signal arrives. */
export async function runProxy(ctx: Ctx, opts: ProxyOptions, io: ProxyIo = { stdin: process.stdin, stdout: process.stdout, signals: process }, tuning: ProxyTuning = {}): Promise<ExitCode> {
  const level = (opts.logLevel ?? (ctx.globals.verbose ? 'debug' : 'warn')) as ProxyLogLevel;
  if (!PROXY_LOG_LEVELS.includes(level)) throw new UsageError(`--log-level ${opts.logLevel}: expected one of ${PROXY_LOG_LEVELS.join(', ')}`, { hint: "Run 'dbx-mcp proxy --help' for its arguments and options." });
  const log = createProxyLog(ctx.log, ctx.globals.verbose && level !== 'debug' ? 'debug' : level);
  const meta = parseMeta(opts.meta, 'proxy');

  let config: ResolvedConfig | undefined;
  let startupFailure: ProxyFailure | undefined;
  try {
    config = resolveConfig(ctx, ctx.globals.profile || profileForUrl(ctx, opts.url));
  } catch (e) {
    // A broken ~/.databrickscfg is fixed without touching the client's entry: answer with it.
    if (e instanceof UsageError && e.code !== 'PROFILE_NOT_FOUND' && e.code !== 'CONFIG_PARSE') throw e;
    startupFailure = genericFailure(e);
  }
  const url = parseProxyUrl(opts.url, config?.host);
  const transport = createTransport(ctx.env, opts.caBundle);

  let tokenSource: TokenSource | undefined;
  if (config && !startupFailure) {
    // The one rule (databricks/token-destination.ts): the --url must be the profile's workspace,
    // or an app that workspace's Apps API returns (one lookup, with the profile's token, to the workspace).
    const verdict = await checkTokenDestination(config, url, workspaceAppVouch(createApi(ctx, config, createTokenSource(ctx, config))));
    const method = AUTH_METHODS[config.authType];
    const named = Boolean(ctx.globals.profile || ctx.env.DATABRICKS_CONFIG_PROFILE);
    if (!verdict.ok && !named && !isAppsUrl(url)) {
      // No profile was named (--profile, DATABRICKS_CONFIG_PROFILE; a committed project entry
      // names none) and none is for this host: say so, with the sign-in for that host.
      startupFailure = {
        code: UPSTREAM_ERROR,
        message: `No Databricks profile is for ${url.host}: the token of ${config.profile ? `profile ${config.profile}` : 'DATABRICKS_HOST'} is for ${new URL(config.host).host} and is not sent to another host. Fix: sign in to that workspace (${loginCommand(url.origin, undefined)}), or name the profile to use with --profile in the entry`,
        data: { kind: 'no-profile-for-host', host: url.host, profileHost: verdict.profileHost },
      };
    } else if (!verdict.ok) {
      // The one rule (databricks/token-destination.ts): nothing is sent; every request is
      // answered with the refusal, which names both hosts and the fix.
      startupFailure = { code: UPSTREAM_ERROR, message: `${verdict.message}. Fix: ${verdict.fix}`, data: { kind: verdict.kind, reason: verdict.reason, host: verdict.host, profileHost: verdict.profileHost } };
    } else if (verdict.via === 'app' && !method.oauth) {
      startupFailure = {
        code: UPSTREAM_ERROR,
        message: `${url.origin} is a Databricks App, and Apps accept OAuth tokens only, not the ${method.label} of profile ${config.profile ?? '(env)'}. Fix: sign in with OAuth (${loginCommand(config.host, config.profile ? `${config.profile}-oauth` : undefined)}) and pass that profile with --profile, or use a service principal profile (client_id/client_secret)`,
        data: { kind: 'apps-needs-oauth' },
      };
    } else {
      tokenSource = createTokenSource(ctx, config);
    }
  }
  // A unified host routes by the profile's workspace id; only the profile's own host gets the
  // header. No discovery here: it could not supply a unified host's workspace (its metadata
  // names none), and doctor is where a missing one is diagnosed (workspace.routing).
  const routingHeaders = config && tokenSource && new URL(config.host).host === url.host ? workspaceHeaders(config.workspaceId) : {};
  if (startupFailure) log.error(startupFailure.message);
  else log.info(`forwarding to ${url.href}${config ? ` as profile ${config.profile ?? '(env)'} (${config.authType})` : ''}`);

  try {
    const reason = await runBridge(
      {
        url,
        target: { url: url.href, host: config?.host, profile: config?.profile, authType: config?.authType },
        transport,
        userAgent: userAgent(ctx.version),
        version: ctx.version,
        routingHeaders,
        log,
        tokenSource,
        startupFailure,
        meta,
        ...tuning,
      },
      io,
    );
    log.debug(`stopped: ${reason}`);
    return reason === 'SIGINT' ? ExitCode.Cancelled : ExitCode.Ok;
  } finally {
    transport.close();
  }
}
