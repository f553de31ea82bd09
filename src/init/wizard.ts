/**
 * The init wizard: profile → clients → servers → auth per client → OAuth app → launcher →
 * plan/diff/confirm/apply → verify → outro. Without a terminal, every answer a flag does not
 * give is collected first and reported at once (exit 2), before anything else happens.
 */
import { detectClients, type ClientId } from '../clients/index.js';
import { applyPlan } from '../config/file-plan.js';
import type { Ctx } from '../context.js';
import { BackError, CancelledError, ExitCode } from '../errors.js';
import { requireAnswers, type Question } from '../ui/prompter.js';
import { confirmAndApply, type ApplyStatus } from '../workflows/write-flow.js';
import { planInit, verifyServers, type VerifyResult } from './apply-step.js';
import { authStep, clientsStep } from './clients-step.js';
import { checkInitFlags } from './input-check.js';
import { launcherStep } from './launcher-step.js';
import { needsCustomClient, oauthStep } from './oauth-step.js';
import { hasServerFlags, type ChosenServer, type ClientAuth, type InitOptions, type WizardDefaults } from './options.js';
import { checkManifestHost, manifestChange, optionsFromManifest } from './manifest-step.js';
import { printOutro } from './outro.js';
import { profileStep, resolvableProfile } from './profile-step.js';
import { SERVERS_FLAG } from './servers-step.js';
import { displayPath } from '../util/paths.js';
import { serversStep } from './servers-step.js';

export interface WizardResult {
  code: ExitCode;
  status: ApplyStatus;
  host: string;
  profile: string | undefined;
  user: string;
  servers: ChosenServer[];
  auths: ClientAuth[];
  clients: ClientId[];
  files: string[];
  verify: VerifyResult[];
}

/** Every answer still missing when there is no terminal to ask on. */
export async function missingAnswers(ctx: Ctx, o: InitOptions, d: WizardDefaults): Promise<Question[]> {
  const missing: Question[] = [];
  if (!resolvableProfile(ctx)) missing.push({ id: 'profile', message: 'which Databricks workspace profile', flag: '--profile <name>' });
  const clients: ClientId[] = o.client?.length ? (o.client as ClientId[]) : (d.clients ?? (await detectClients(ctx)).filter((x) => x.detected).map((x) => x.id));
  if (clients.length === 0) missing.push({ id: 'clients', message: 'which MCP clients (none was detected)', flag: '--client <ids>' });
  const anyDefaults = Boolean(d.genie?.length || d.vectorSearch?.length || d.functions?.length || d.sql || d.external?.length);
  if (!hasServerFlags(o) && !anyDefaults) missing.push({ id: 'servers', message: 'which servers', flag: SERVERS_FLAG });
  if (o.auth === 'oauth' && !o.oauthProfile && needsCustomClient(o, clients.map((client) => ({ client, auth: 'oauth' }))).length) {
    missing.push({ id: 'client-id', message: 'the OAuth client id for --auth oauth', flag: '--client-id <id> (or --oauth-profile <account profile>)' });
  }
  if (!ctx.globals.yes && !ctx.globals.dryRun && !d.autoYes) missing.push({ id: 'apply', message: 'accept the plan', flag: '--yes' });
  return missing;
}

export async function runWizard(ctx: Ctx, flags: InitOptions, defaults: WizardDefaults = {}): Promise<WizardResult> {
  const fromManifest = optionsFromManifest(ctx, flags);
  const o = fromManifest.o;
  const d: WizardDefaults = { ...defaults, ...fromManifest.d };
  await checkInitFlags(ctx, o);
  if (!ctx.prompt.interactive) requireAnswers(ctx.prompt, await missingAnswers(ctx, o, d));
  else ctx.prompt.note(`Profile → clients → servers → auth → plan → verify.${d.workspaceLabel ? `\nWorkspace: ${d.workspaceLabel}` : ''}\nNothing is written until you confirm the plan; Ctrl-C leaves everything as it was.`, 'dbx-mcp init');

  const { profile, clients, servers } = await firstSteps(ctx, o, d, fromManifest.host);
  const chosenAuths = await authStep(ctx, o, clients);
  const oauth = await oauthStep(ctx, o, profile.config, chosenAuths);
  const launcher = await launcherStep(ctx, o, oauth.auths);

  const manifest = o.saveManifest ? await manifestChange(ctx, o.saveManifest, profile.config.host, servers, oauth.auths) : null;
  const planned = await planInit(ctx, o, {
    servers,
    auths: oauth.auths,
    profile: profile.config.profile,
    proxyCommand: launcher.proxyCommand,
    extra: [profile.pendingProfile, oauth.adminRequest, manifest ?? undefined].filter((c) => c !== undefined),
    literalToken: async () => (await profile.api.tokens.getToken()).token,
  });
  const status = await confirmAndApply(ctx, planned, { yes: Boolean(ctx.globals.yes || d.autoYes), dryRun: Boolean(ctx.globals.dryRun), json: ctx.log.json, beforeApply: launcher.install });
  const base = {
    status, host: profile.config.host, profile: profile.config.profile, user: profile.user, servers, auths: oauth.auths, clients,
    files: planned.plan.changes.map((c) => c.path), verify: [] as VerifyResult[],
  };
  if (status === 'declined') return { ...base, code: ExitCode.Cancelled };
  if (status === 'dry-run') return { ...base, code: ExitCode.Ok };
  const verify = o.verify ? await verifyServers(ctx, profile.api, servers) : [];
  printOutro(ctx, { auths: oauth.auths, clients, verify, adminCommand: oauth.adminCommand, launcherNote: launcher.note });
  if (!o.saveManifest && ctx.prompt.interactive && d.offerManifest !== false) await offerManifest(ctx, profile.config.host, servers, oauth.auths);
  const conflicts = planned.outcomes.some((x) => x.status === 'conflict');
  return { ...base, verify, code: conflicts || verify.some((v) => !v.ok) ? ExitCode.Failed : ExitCode.Ok };
}

/**
 * Profile → clients → servers, where Escape goes back one step (the answers given so far are
 * kept as the pre-selected ones). Escape at the profile list, like Ctrl-C, ends the wizard; a
 * new profile entered before that is not written, and the message says so.
 */
async function firstSteps(ctx: Ctx, o: InitOptions, d: WizardDefaults, manifestHost: string | undefined) {
  let profile: Awaited<ReturnType<typeof profileStep>> | undefined;
  let clients: ClientId[] | undefined;
  let lastClients: ClientId[] | undefined;
  for (;;) {
    try {
      if (!profile) {
        profile = await profileStep(ctx);
        checkManifestHost(ctx, manifestHost, profile.config.host);
      }
      clients ??= await clientsStep(ctx, o, lastClients ? { ...d, clients: lastClients } : d);
      const servers = await serversStep(ctx, profile.api, o, d);
      return { profile, clients, servers };
    } catch (e) {
      if (e instanceof BackError && ctx.prompt.interactive && profile) {
        if (clients) [lastClients, clients] = [clients, undefined];
        else profile = undefined;
        continue;
      }
      if (e instanceof CancelledError && profile?.pendingProfile && profile.config.profile) {
        throw new CancelledError(`Cancelled; nothing was written (the new profile [${profile.config.profile}] was not added to ${displayPath(ctx, profile.pendingProfile.path)} either).`);
      }
      throw e;
    }
  }
}

/** The offer at the end: save these choices as a team manifest (./dbx-mcp.json). */
async function offerManifest(ctx: Ctx, host: string, servers: ChosenServer[], auths: ClientAuth[]): Promise<void> {
  // Everything is written by now: Ctrl-C here just means "no".
  const save = await ctx.prompt
    .confirm({ id: 'save-manifest', message: 'Save these choices as a team manifest (./dbx-mcp.json) so teammates get the same servers with `dbx-mcp sync`?', flag: '--save-manifest [path]', initial: false })
    .catch((e: unknown) => {
      if (e instanceof CancelledError) return false;
      throw e;
    });
  if (!save) return;
  const change = await manifestChange(ctx, true, host, servers, auths);
  if (!change) {
    ctx.log.success('dbx-mcp.json already holds these choices.');
    return;
  }
  await applyPlan({ changes: [change], notes: [] }, { now: ctx.now, fs: ctx.writeFs });
  ctx.log.success(`Wrote ${change.path}: commit it; teammates run \`npx dbx-mcp sync\`.`);
}
