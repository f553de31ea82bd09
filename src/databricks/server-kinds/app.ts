/**
 * A custom MCP server on a Databricks App: `<app url>/mcp`, the app's URL resolved with the Apps
 * API (`GET /api/2.0/apps/{name}`). The app runs on its own host (`*.databricksapps.com`), not
 * the workspace's, and accepts OAuth tokens only: a PAT profile is refused before the network.
 */
import { loginCommand } from '../auth-methods/login.js';
import { DbxMcpError, UsageError } from '../../errors.js';
import { slugify } from './shared.js';
import type { ServerKindDef } from './types.js';

/** App names: lowercase letters, digits and hyphens (Apps API). */
const APP_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** `<name>-<workspace id>.<cloud>.databricksapps.com`: the app's name is before the numeric workspace id. */
const APP_HOST = /^([a-z0-9-]+?)(?:-\d{6,})?\.(?:[a-z0-9-]+\.)*databricksapps\.com$/i;

/** The app name of an app's MCP URL (`https://<name>-<id>.<cloud>.databricksapps.com/mcp`); undefined otherwise. */
export function appNameOfUrl(url: URL): string | undefined {
  if (url.pathname.replace(/\/+$/, '') !== '/mcp') return undefined;
  return APP_HOST.exec(url.hostname)?.[1]?.toLowerCase();
}

const appPermissionsPath = (name: string) => `/api/2.0/permissions/apps/${encodeURIComponent(name)}`;

/** No CAN_USE on the app: one wording for `add app` (refused) and doctor (its grants check). */
function noCanUse(name: string, user: string, level: string | undefined): { summary: string; fix: string } {
  return {
    summary: `${user} has ${level ?? 'no permission'} on the app ${name}, not CAN USE`,
    fix: `Ask the owner of the app ${name} for CAN USE (Compute → Apps → ${name} → Permissions), then run this again.`,
  };
}

export const app = {
  add: { argument: { name: 'app_name', description: 'Databricks App name (Compute → Apps)' }, description: 'a custom MCP server on a Databricks App: <app url>/mcp (OAuth sign-in only)' },
  initFlag: { value: '<app_name>', description: 'a Databricks App serving MCP (repeatable)' },
  picker: { label: 'Databricks Apps', hint: 'custom MCP servers your team deployed as apps' },
  fromUrl: (url) => {
    const name = appNameOfUrl(url);
    return name ? [name] : undefined;
  },
  parse(t, raw) {
    if (!APP_NAME.test(t)) throw new UsageError(`"${raw}" is not an app name`, { hint: 'Use the app name shown under Compute → Apps (lowercase letters, digits and hyphens), e.g. dbx-mcp add app mcp-sales' });
    return [t];
  },
  resolvesUrl: true,
  url(_host, parts) {
    // Reached only if a caller skipped validate: the app's host is not derived from the workspace's.
    throw new DbxMcpError(`The URL of app ${parts[0]} comes from the Apps API`, { hint: `Run 'dbx-mcp add app ${parts[0]}', which looks it up.` });
  },
  defaultName: (parts) => `databricks-app-${slugify(parts[0]!)}`,
  async validate(api, parts, refusedAs) {
    const { appIsRunning, getApp, getCurrentUser } = await import('../workspace.js');
    const { atLeastLevel, bestPermissionLevel } = await import('../permissions.js');
    const name = parts[0]!;
    const a = await getApp(api, name).catch(refusedAs(`App ${name}`, 'Check the name under Compute → Apps, or ask its owner for CAN USE.'));
    // Seeing an app is not using it: its MCP server answers 403 without CAN_USE. An ACL this
    // identity cannot read is no verdict (doctor's grants check says the same).
    const me = await getCurrentUser(api);
    const level = await bestPermissionLevel(api, appPermissionsPath(name), { user: me.userName ?? '', groups: (me.groups ?? []).flatMap((g) => (g.display ? [g.display] : [])) });
    if (level !== null && !atLeastLevel(level, 'CAN_USE')) {
      const lacks = noCanUse(name, me.userName || 'this identity', level);
      throw new DbxMcpError(lacks.summary, { code: 'NO_ACCESS', hint: lacks.fix });
    }
    if (!a.url) throw new DbxMcpError(`App ${name} has no URL yet (it has never been deployed)`, { code: 'TARGET_NOT_FOUND', hint: `Deploy it (databricks apps deploy ${name}), then run this again.` });
    const warnings = appIsRunning(a) ? [] : [`App ${name} is not running (${a.app_status?.state ?? 'unknown'}/${a.compute_status?.state ?? 'unknown'}): its MCP server answers once it is started (databricks apps start ${name}).`];
    return { title: a.name, warnings, url: `${a.url.replace(/\/+$/, '')}/mcp` };
  },
  manifest: { key: 'app', pattern: '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$', message: 'expected a Databricks App name (lowercase letters, digits and hyphens)', description: 'Databricks App name', needs: 'an app name' },
  noAccess: (parts) => ({ what: `the app ${parts[0]} does not exist, is not running, or you lack CAN USE on it`, fix: `Check it under Compute → Apps (databricks apps get ${parts[0]}); ask its owner for CAN USE.`, kind: 'no-access' }),
  refuseAuth: (auth, profile) =>
    auth.oauth
      ? undefined
      : {
          message: `Databricks Apps accept OAuth tokens only, and ${profile ? `profile ${profile}` : 'this sign-in'} uses ${auth.type === 'pat' ? 'a personal access token' : auth.type}`,
          hint: `Sign in with OAuth (${loginCommand(auth.host, profile ? `${profile}-oauth` : undefined)}) and pass that profile with --profile, or use a service principal profile (client_id/client_secret).`,
        },
  async pick(kit) {
    const { appIsRunning, listApps } = await import('../workspace.js');
    const apps = (await kit.listing('Listing Databricks Apps', () => listApps(kit.api))).filter((a) => a.url);
    if (apps.length === 0) {
      kit.warn('No deployed Databricks App is visible to you (pass --app <app_name> to name one).');
      return [];
    }
    const names = await kit.prompt.multiselect<string>({
      id: 'app',
      message: 'Databricks Apps (custom MCP servers at <app url>/mcp)',
      flag: '--app <app_name>',
      choices: kit.shortList(apps, 'apps').map((a) => ({ value: a.name, label: a.name, hint: [a.description, appIsRunning(a) ? '' : 'not running'].filter(Boolean).join(' · ') })),
      initial: kit.initial.filter((i) => apps.some((a) => a.name === i)),
      required: true,
    });
    return names.map((n) => {
      const a = apps.find((x) => x.name === n)!;
      return {
        parts: [n],
        title: n,
        url: `${a.url!.replace(/\/+$/, '')}/mcp`,
        warnings: appIsRunning(a) ? [] : [`App ${n} is not running: its MCP server answers once it is started (databricks apps start ${n}).`],
      };
    });
  },
  // The app exists, is running, and this identity has CAN USE on it.
  async access(probe, parts) {
    const { appIsRunning, getApp } = await import('../workspace.js');
    const name = parts[0]!;
    let a;
    try {
      a = await getApp(probe.api, name);
    } catch (e) {
      return probe.refused(e);
    }
    if (!appIsRunning(a)) {
      return { status: 'fail', summary: `the app ${name} is not running (${a.app_status?.state ?? 'unknown'}, compute ${a.compute_status?.state ?? 'unknown'})`, fix: `Start it (databricks apps start ${name}) or ask its owner to.`, data: { kind: 'app-not-running' } };
    }
    const level = await probe.level(appPermissionsPath(name));
    if (level !== null && !probe.atLeast(level, 'CAN_USE')) return { status: 'fail', ...noCanUse(name, probe.user, level), data: { kind: 'no-access', privilege: 'CAN_USE', securableType: 'APP', securable: name } };
    return { status: 'pass', summary: `the app ${name} is running${level ? ` and you have ${level}` : ''}` };
  },
} as const satisfies ServerKindDef;
