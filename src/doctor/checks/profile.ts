/**
 * Profile checks: which profile was resolved and where every value came from (like
 * `databricks auth describe`), and the Databricks CLI when the profile signs in through it.
 */
import type { Ctx } from '../../context.js';
import { AUTH_METHODS } from '../../databricks/auth-methods/index.js';
import { loginCommand, type ResolvedConfig, type ValueSource } from '../../databricks/profiles.js';
import { diagnoseError } from '../diagnose.js';
import type { Check, CheckResult } from '../types.js';

function describeSource(s: ValueSource, home: string): string {
  const name = s.name.split(home).join('~');
  return s.kind === 'flag' ? `flag ${name}` : s.kind === 'env' ? `env ${name}` : name;
}

function authLabel(c: ResolvedConfig): string {
  return AUTH_METHODS[c.authType].label;
}

export const profileResolvedCheck: Check = {
  id: 'profile.resolved',
  title: 'Databricks profile',
  group: 'workspace',
  async run(ctx, facts): Promise<CheckResult> {
    let c: ResolvedConfig;
    try {
      c = facts.config();
    } catch (e) {
      return diagnoseError(e, { profile: facts.profileFlag });
    }
    const sources: Record<string, string> = {
      ...Object.fromEntries(Object.entries(c.sources).map(([k, s]) => [k, describeSource(s, ctx.home)])),
      // Inputs the method reads from the environment alone (an OIDC subject token, `az`).
      ...AUTH_METHODS[c.authType].inputs?.(c, ctx.env),
    };
    const where = c.profile ? `profile "${c.profile}"` : 'environment variables';
    return {
      status: 'pass',
      summary: `${where} → ${c.host} (${authLabel(c)}; host from ${sources.host ?? 'unknown'})`,
      details: Object.entries(sources).map(([k, v]) => `${k}: from ${v}`),
      data: { profile: c.profile ?? null, host: c.host, authType: c.authType, isAccount: c.isAccount, sources },
    };
  },
};

async function cliVersion(ctx: Ctx, cli: string): Promise<{ version?: string; missing?: boolean; error?: string }> {
  try {
    const r = await ctx.exec(cli, ['--version'], { timeoutMs: 10_000 });
    const version = /v?(\d+\.\d+\.\d+)/.exec(r.stdout + r.stderr)?.[1];
    return r.exitCode === 0 ? { ...(version ? { version } : {}) } : { error: (r.stderr || r.stdout).trim().split('\n')[0] ?? `exit ${r.exitCode}` };
  } catch (e) {
    return (e as { code?: string }).code === 'ENOENT' ? { missing: true } : { error: (e as Error).message };
  }
}

export const profileCliCheck: Check = {
  id: 'profile.cli',
  title: 'Databricks CLI',
  group: 'workspace',
  dependsOn: ['profile.resolved'],
  timeoutMs: 30_000,
  async run(ctx, facts): Promise<CheckResult> {
    const c = facts.config();
    if (c.authType !== 'databricks-cli') return { status: 'skip', summary: `not needed: the profile uses a ${authLabel(c)}` };
    const cli = c.cliPath || 'databricks';
    const v = await cliVersion(ctx, cli);
    const login = loginCommand(c.host, c.profile, c.isAccount ? c.accountId : undefined);
    if (v.missing && !c.cliPath) {
      return {
        status: 'skip',
        summary: 'not installed, and not needed: dbx-mcp reads and refreshes the sign-in it shares with the CLI itself (dbx-mcp login)',
      };
    }
    if (v.missing) {
      return {
        status: 'fail',
        summary: `The Databricks CLI (${cli}) is not installed, and ${c.profile ? `profile "${c.profile}"` : 'this configuration'} signs in through it`,
        fix: `Install it (https://docs.databricks.com/dev-tools/cli/install.html, e.g. \`brew install databricks/tap/databricks\`), then run: ${login}`,
        data: { kind: 'cli-missing' },
      };
    }
    try {
      await facts.token();
    } catch (e) {
      const r = diagnoseError(e, { profile: c.profile, host: c.host, authType: c.authType });
      return { ...r, summary: `databricks ${v.version ?? ''} is installed but: ${r.summary}`.replace('  ', ' '), fix: r.fix ?? `Run: ${login}` };
    }
    return { status: 'pass', summary: `databricks ${v.version ? `v${v.version}` : '(version unknown)'} is installed and signed in to ${c.host}`, data: { version: v.version ?? null } };
  },
};
