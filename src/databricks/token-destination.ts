/**
 * Where a token may go (contract: Security model). The one rule every sender obeys — the proxy,
 * doctor's handshakes, add/sync/init validation, OAuth probes:
 *
 *   a token of profile P goes only to P's workspace origin (scheme, host and port exact, after
 *   IDN/punycode normalisation by the WHATWG URL parser), or to the origin of a Databricks App
 *   that P's workspace's Apps API returns (`GET /api/2.0/apps/{name}` → `url`), looked up once
 *   per run. Nothing else, whatever the flags.
 *
 * Environment-only auth (DATABRICKS_HOST) is a profile whose host is DATABRICKS_HOST.
 * `tokenDestinationVerdict` is pure; `createAppVouch` is the small async part for app hosts;
 * `checkTokenDestination` puts the two together and is what every sender calls (the proxy at
 * start, doctor before each handshake, init's verification).
 *
 * Sign-in inputs are not tokens of P and have their own single destination (auth-methods/azure.ts):
 * an Azure client secret goes only to the Entra ID endpoint of the host's Azure cloud, managed
 * identity requests only to the instance metadata endpoint, a metadata-service request only to
 * its localhost URL; the Databricks token each yields is P's and obeys the rule above.
 */
import type { Api } from './api.js';
import { destinationOrigin } from './host.js';
import { appNameOfUrl } from './server-kinds/app.js';

/** Why a destination was refused (all are `data.kind: "foreign-host"` to callers). */
export type RefusalReason = 'other-host' | 'look-alike' | 'other-port' | 'http-downgrade' | 'other-scheme' | 'not-a-url';

export type DestinationVerdict =
  | { ok: true; via: 'workspace' | 'app'; origin: string }
  | {
      ok: false;
      kind: 'foreign-host';
      reason: RefusalReason;
      /** The refused destination's origin (punycode), or the raw text when it is no URL. */
      host: string;
      /** The profile's workspace origin. */
      profileHost: string;
      /** One line: what was refused and why (names both hosts). */
      message: string;
      /** The exact next step. */
      fix: string;
    };

export interface VerdictOptions {
  /** Origins (or app URLs) the profile's workspace vouched for (createAppVouch). */
  appOrigins?: Iterable<string>;
  /** The profile's name, for the message and the fix (undefined: DATABRICKS_HOST). */
  profile?: string;
}

/** The verdict for sending profile P's token (P's workspace: `profileHost`) to `url`. */
export function tokenDestinationVerdict(profileHost: string, url: string | URL, o: VerdictOptions = {}): DestinationVerdict {
  const mine = destinationOrigin(profileHost) ?? profileHost;
  const dest = destinationOrigin(url);
  const who = o.profile ? `profile ${o.profile}` : 'DATABRICKS_HOST';
  if (dest === undefined) {
    const text = String(url);
    return refused('not-a-url', text, mine, `${text} is not an http(s) URL; the token of ${who} (${mine}) is not sent`, `Use a URL on the workspace of ${who}: ${mine}/…`);
  }
  if (dest === mine) return { ok: true, via: 'workspace', origin: dest };
  for (const a of o.appOrigins ?? []) if (destinationOrigin(a) === dest) return { ok: true, via: 'app', origin: dest };
  const d = new URL(dest);
  const m = new URL(mine);
  let reason: RefusalReason = 'other-host';
  if (d.hostname === m.hostname) reason = d.protocol === m.protocol ? 'other-port' : d.protocol === 'http:' ? 'http-downgrade' : 'other-scheme';
  else if (/(^|\.)xn--/i.test(d.hostname)) reason = 'look-alike';
  const why: Record<RefusalReason, string> = {
    'other-host': 'another host',
    'look-alike': `a look-alike of another host (an international name, sent as ${d.hostname})`,
    'other-port': `the workspace's host on another port (${d.port || 'default'} instead of ${m.port || 'default'})`,
    'http-downgrade': 'the workspace over plain http (a downgrade)',
    'other-scheme': 'the workspace under another scheme',
    'not-a-url': 'not a URL',
  };
  return refused(
    reason,
    dest,
    mine,
    `${dest} is not the workspace of ${who} (${mine}) nor an app it vouches for: ${why[reason]}; its token is not sent there`,
    `If the server is on ${mine}, correct the URL to ${mine}/…; if it is on another workspace, sign in to it (databricks auth login --host ${dest}) and name that profile with --profile`,
  );
}

/** The app origin a workspace vouches for at a URL (createAppVouch), or undefined. */
export type AppVouch = (url: URL) => Promise<string | undefined>;

/**
 * The one check before a sender attaches profile P's token to a request for `url`: the rule
 * above, and, for a URL of an app's MCP form that is not P's workspace, one question to P's
 * workspace (`vouch`: its Apps API) whether that app is there. Without `vouch` no app is allowed.
 * Never sends anything to `url` itself.
 */
export async function checkTokenDestination(profile: { host: string; profile?: string | undefined }, url: string | URL, vouch?: AppVouch): Promise<DestinationVerdict> {
  const o = profile.profile ? { profile: profile.profile } : {};
  const first = tokenDestinationVerdict(profile.host, url, o);
  if (first.ok || first.reason === 'not-a-url' || !vouch) return first;
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return first;
  }
  if (appNameCandidates(u).length === 0) return first;
  const app = await vouch(u).catch(() => undefined);
  return tokenDestinationVerdict(profile.host, url, { ...o, appOrigins: app ? [app] : [] });
}

/** P's workspace as the voucher for apps: its Apps API (`GET /api/2.0/apps/{name}` → `url`), asked once per name. */
export function workspaceAppVouch(api: Api): AppVouch {
  // Loaded only when an app URL is asked about: the workspace API module brings zod, which the
  // proxy otherwise never needs (its peak RSS, test/e2e/proxy-footprint.test.ts).
  return createAppVouch(async (name) => {
    const { getApp } = await import('./workspace.js');
    return (await getApp(api, name)).url ?? undefined;
  });
}

function refused(reason: RefusalReason, host: string, profileHost: string, message: string, fix: string): DestinationVerdict {
  return { ok: false, kind: 'foreign-host', reason, host, profileHost, message, fix };
}



/** What the workspace says about an app: its `url`, or undefined (no such app, no URL, no access). */
export type AppUrlLookup = (name: string) => Promise<string | undefined>;

/**
 * Names an app MCP URL may carry: `<name>-<workspace id>.<cloud>.databricksapps.com/mcp`, or an
 * app served under a path (`<apps host>/<name>/mcp`, as the emulator's apps server does).
 */
export function appNameCandidates(url: URL): string[] {
  const names = new Set<string>();
  const fromHost = appNameOfUrl(url);
  if (fromHost) names.add(fromHost);
  const m = /^\/([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)\/mcp\/?$/.exec(url.pathname);
  if (m) names.add(m[1]!);
  return [...names];
}

/**
 * `vouch(url)`: the app origin the profile's workspace returns for the app `url` names, or
 * undefined. Only URLs of an app's MCP form (`…/mcp`) are looked up, so a refused managed-MCP
 * URL costs no request; each name is asked once per run (the promise is cached). An app URL
 * must match the Apps API's `url` in origin and path prefix.
 */
export function createAppVouch(lookup: AppUrlLookup): (url: string | URL) => Promise<string | undefined> {
  const cache = new Map<string, Promise<string | undefined>>();
  const ask = (name: string): Promise<string | undefined> => {
    let p = cache.get(name);
    if (!p) cache.set(name, (p = lookup(name).catch(() => undefined)));
    return p;
  };
  return async (raw) => {
    let url: URL;
    try {
      url = typeof raw === 'string' ? new URL(raw) : raw;
    } catch {
      return undefined;
    }
    for (const name of appNameCandidates(url)) {
      const appUrl = await ask(name);
      if (!appUrl) continue;
      let a: URL;
      try {
        a = new URL(appUrl);
      } catch {
        continue;
      }
      const prefix = a.pathname.replace(/\/+$/, '');
      if (a.origin.toLowerCase() === url.origin.toLowerCase() && (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) return a.origin.toLowerCase();
    }
    return undefined;
  };
}
