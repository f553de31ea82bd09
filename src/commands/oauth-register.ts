/**
 * `dbx-mcp oauth register`: create or update the account's OAuth custom app integration with
 * the redirect URLs of the chosen clients and connectors (contract: oauth register). The
 * domain work is in src/oauth/register.ts; this module parses flags and prints.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { clientIds, isClientId, type ClientId } from '../clients/index.js';
import { applyPlan, checkPlan, readFileText, type Plan } from '../config/file-plan.js';
import type { Ctx } from '../context.js';
import { createApi } from '../databricks/api.js';
import { resolveConfig } from '../databricks/profiles.js';
import { DbxMcpError, ExitCode, UsageError } from '../errors.js';
import { AdminRequiredError, CONNECTOR_IDS, registerIntegration, tokenPolicy, type ConnectorId, type RegisterResult } from '../oauth/register.js';
import { optionsSchema, parseOptions } from '../workflows/parse-options.js';
import { OAUTH_REGISTER_FLAGS } from '../workflows/flags.js';
import { findProjectRoot } from '../util/paths.js';

/** Validated from the flags' one declaration (workflows/flags.ts). */
const Options = optionsSchema(OAUTH_REGISTER_FLAGS);

/** A path inside a git repository is a project file: a secret never goes there. */
function assertNotProjectFile(ctx: Ctx, file: string): string {
  const abs = resolve(ctx.cwd, file.startsWith('~') ? join(ctx.home, file.slice(1)) : file);
  const root = findProjectRoot({ cwd: dirname(abs), platform: ctx.platform });
  const rel = relative(root, abs);
  if (existsSync(join(root, '.git')) && !rel.startsWith('..') && !isAbsolute(rel)) {
    throw new UsageError(`--secret-file ${file} is inside the repository ${root}; a client secret never goes into a project file`, {
      hint: 'Write it outside the repository, e.g. --secret-file ~/.config/dbx-mcp/oauth-secret (or keep it in a secret manager).',
    });
  }
  return abs;
}

export async function runOauthRegister(ctx: Ctx, raw: object): Promise<ExitCode> {
  const o = parseOptions(Options, raw, 'oauth register');
  const bad = [...(o.client ?? []).filter((c) => !isClientId(c)).map((c) => `client "${c}"`), ...(o.connector ?? []).filter((c) => !(CONNECTOR_IDS as readonly string[]).includes(c)).map((c) => `connector "${c}"`)];
  if (bad.length) throw new UsageError(`Unknown ${bad.join(', ')}`, { hint: `Clients: ${clientIds.join(', ')}; connectors: ${CONNECTOR_IDS.join(', ')}.` });
  if (o.secretFile && !o.confidential) throw new UsageError('--secret-file only makes sense with --confidential', { hint: 'Add --confidential, or drop --secret-file (public clients have no secret).' });
  tokenPolicy(o.accessTokenTtl, o.refreshTokenTtl); // exit 2 before any request
  const secretPath = o.secretFile ? assertNotProjectFile(ctx, o.secretFile) : undefined;

  // Databricks shows a new secret once: the file must be known writable before it is created.
  if (secretPath) await checkPlan(secretPlan(secretPath, await readFileText(secretPath), ''));

  const config = resolveConfig(ctx, ctx.globals.profile);
  if (!config.accountId) {
    throw new UsageError(`Profile "${config.profile ?? '(environment)'}" has no account_id: oauth register talks to the account API`, {
      hint: 'Use an account-level profile: databricks auth login --host https://accounts.cloud.databricks.com --account-id <account-id> --profile ACCT, then --profile ACCT.',
    });
  }
  const clients = (o.client?.length ? [...new Set(o.client)] : [...clientIds]) as ClientId[];
  const connectors = [...new Set(o.connector ?? [])] as ConnectorId[];
  const api = createApi(ctx, config);
  const spin = ctx.log.spinner(`Looking for OAuth app integration "${o.name}" in account ${config.accountId}`);
  let r: RegisterResult;
  try {
    r = await registerIntegration(api, config.accountId, {
      name: o.name, clients, connectors, callbackPort: o.callbackPort, confidential: o.confidential,
      scopes: o.scopes.split(',').map((s) => s.trim()).filter(Boolean), accessTokenTtl: o.accessTokenTtl, refreshTokenTtl: o.refreshTokenTtl,
      dryRun: ctx.globals.dryRun,
    }, config.profile);
    spin.stop();
  } catch (e) {
    spin.stop(undefined, false);
    if (!(e instanceof AdminRequiredError)) throw e;
    return reportAdminRequired(ctx, e);
  }

  let secretWritten: string | undefined;
  if (r.clientSecret && secretPath) {
    try {
      await applyPlan(secretPlan(secretPath, await readFileText(secretPath), r.clientSecret + '\n'), { now: ctx.now, fs: ctx.writeFs, maxBackups: 0 });
      secretWritten = secretPath;
    } catch (e) {
      // The integration exists now and its secret is never shown again: print it rather than lose it.
      ctx.log.warn(`${e instanceof DbxMcpError ? e.message : String(e)}; the secret is printed below instead`);
    }
  }
  if (ctx.globals.json) {
    ctx.log.out(JSON.stringify({
      integration_id: r.integrationId ?? null, client_id: r.clientId ?? null, name: r.name, redirect_urls: r.redirectUrls,
      confidential: r.confidential, created: r.created, updated: r.updated,
      ...(r.dryRun && { dry_run: true }),
      ...(r.clientSecret && !secretWritten && { client_secret: r.clientSecret }),
      ...(secretWritten && { secret_file: secretWritten }),
    }), { reveal: Boolean(r.clientSecret && !secretWritten) });
    return ExitCode.Ok;
  }
  printHuman(ctx, r, connectors, secretWritten);
  return ExitCode.Ok;
}

/** The secret file as a plan: an existing file is refused (nothing overwrites a secret). */
function secretPlan(path: string, before: string | null, secret: string): Plan {
  if (before !== null) {
    throw new UsageError(`--secret-file ${path} already exists; dbx-mcp does not overwrite it`, {
      hint: 'Pass a path that does not exist yet (or move the old file aside first).',
    });
  }
  return { changes: [{ path, before: null, after: secret, holdsSecret: true, summary: [] }], notes: [] };
}

function reportAdminRequired(ctx: Ctx, e: AdminRequiredError): ExitCode {
  if (ctx.globals.json) {
    ctx.log.out(JSON.stringify({ ok: false, error: { code: e.code, message: e.message }, request: e.body, command: e.adminCommand }));
    return ExitCode.Failed;
  }
  ctx.log.error(e.message);
  ctx.log.info('Hand an account admin this request (the JSON body of the API call):');
  ctx.log.out(JSON.stringify(e.body, null, 2));
  ctx.log.info('or the same with the Databricks CLI:');
  ctx.log.out(e.adminCommand);
  ctx.log.info('Then pass the client id it prints: dbx-mcp init --auth oauth --client-id <client_id>');
  return ExitCode.Failed;
}

function printHuman(ctx: Ctx, r: RegisterResult, connectors: ConnectorId[], secretFile: string | undefined): void {
  const pre = r.dryRun ? 'Dry run: would have ' : '';
  if (r.created) ctx.log.success(`${pre}${r.dryRun ? 'created' : 'Created'} OAuth app integration "${r.name}" (${r.confidential ? 'confidential' : 'public'} client)`);
  else if (r.updated) ctx.log.success(`${pre}${r.dryRun ? 'updated' : 'Updated'} "${r.name}": added ${r.added.length} redirect URL${r.added.length === 1 ? '' : 's'}${r.scopesAdded.length ? ` and scopes ${r.scopesAdded.join(', ')}` : ''} (the PATCH carries the merged list of ${r.redirectUrls.length})`);
  else ctx.log.success(`"${r.name}" already has every redirect URL (${r.redirectUrls.length}): nothing to change.`);
  if (r.confidentialMismatch) ctx.log.warn(`"${r.name}" is a ${r.confidential ? 'confidential' : 'public'} client; that cannot be changed after creation (use another --name for a new integration).`);
  if (r.clientId) ctx.log.out(`client_id: ${r.clientId}`);
  ctx.log.info('redirect URLs:');
  for (const u of r.redirectUrls) ctx.log.info(`  ${r.added.includes(u) && !r.created ? '+' : ' '} ${u}`);
  if (r.clientSecret) {
    if (secretFile) ctx.log.success(`Client secret written to ${secretFile} (mode 0600). Databricks never shows it again.`);
    else {
      ctx.log.warn('Client secret (shown once; Databricks never shows it again; store it in a secret manager, never in a project file):');
      ctx.log.out(`client_secret: ${r.clientSecret}`, { reveal: true });
    }
  } else if (!r.created && r.confidential) {
    ctx.log.info('This integration is confidential: its secret was shown when it was created and cannot be shown again.');
  }
  for (const c of connectors) {
    const where = c === 'claude-ai' ? 'Claude.ai / Claude Desktop: Settings → Connectors → Add custom connector → Advanced settings' : 'ChatGPT: Settings → Connectors → Create (developer mode) → OAuth';
    ctx.log.step(`${where}: paste your MCP server URL (https://<workspace>/api/2.0/mcp/…) and Client ID ${r.clientId ?? '<client_id>'}${r.confidential ? ' (+ the client secret)' : ''}. The workspace must accept connections from the vendor's cloud (IP access lists).`);
  }
  if (!r.dryRun && (r.created || r.updated)) ctx.log.info('Databricks may take a few minutes (up to 30) to apply OAuth app changes.');
  if (r.clientId && !r.dryRun) ctx.log.step(`Use it: dbx-mcp init --auth oauth --client-id ${r.clientId}`);
}
