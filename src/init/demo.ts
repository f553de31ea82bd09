/**
 * `init --demo`: the wizard against the built-in emulated workspace (src/emulator, loaded only
 * here) on 127.0.0.1, with a fresh temporary HOME holding a demo profile, so nothing of the
 * user's is read or written. Ends with a doctor run after one injected failure (a revoked
 * grant), so a newcomer sees both a passing report and an exact fix, then says where the
 * demo files are.
 */
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientId } from '../clients/types.js';
import { createCtx, type Ctx } from '../context.js';
import { UsageError, type ExitCode } from '../errors.js';
import { initJson } from './result-json.js';
import type { ChosenServer, InitOptions, WizardDefaults } from './options.js';
import { runWizard } from './wizard.js';
import { displayPath } from '../util/paths.js';
import { selfCommand } from '../util/launcher.js';

type Emulator = typeof import('../emulator/index.js');
type Workspace = Awaited<ReturnType<Emulator['startFakeWorkspace']>>;

/** `--demo` runs on one emulated workspace; `--demo unified` on a unified host in front of two. */
const DEMO_HOSTS = ['workspace', 'unified'] as const;
type DemoHost = (typeof DEMO_HOSTS)[number];

function demoHost(value: unknown): DemoHost {
  if (value === true || value === undefined || value === 'workspace') return 'workspace';
  if (value === 'unified') return 'unified';
  throw new UsageError(`--demo takes no value or one of ${DEMO_HOSTS.join(', ')}; got "${String(value)}"`, { hint: 'dbx-mcp init --demo   (or: dbx-mcp init --demo unified)' });
}

/**
 * The emulated workspace the demo's profile points at. On a unified host the profile is the one
 * Databricks CLI 1.13 writes (host, account_id, workspace_id): every workspace call is routed by
 * `X-Databricks-Workspace-Id`, and a second workspace of the account sits behind the same host.
 */
async function startDemoHost(emu: Emulator, host: DemoHost): Promise<{ ws: Workspace; profile: string; label: string; close: () => Promise<void> }> {
  if (host === 'workspace') {
    const ws = await emu.startFakeWorkspace();
    return { ws, profile: `host  = ${ws.url}\ntoken = ${emu.DEMO_PAT}\n`, label: `an emulated Databricks workspace at ${ws.url}`, close: () => ws.close() };
  }
  const ws = await emu.startFakeWorkspace({ workspaceId: emu.DEMO_WORKSPACE_ID });
  const other = await emu.startFakeWorkspace({ workspaceId: String(BigInt(emu.DEMO_WORKSPACE_ID) + 1n), seed: { genieSpaces: [] } });
  const u = await emu.startUnifiedHost([ws, other]);
  return {
    ws,
    profile: `host         = ${u.url}\ntoken        = ${emu.DEMO_PAT}\naccount_id   = ${u.accountId}\nworkspace_id = ${emu.DEMO_WORKSPACE_ID}\n`,
    label: `an emulated unified host at ${u.url} (account ${u.accountId}; workspace ${emu.DEMO_WORKSPACE_ID} of two, routed by X-Databricks-Workspace-Id)`,
    close: async () => {
      await u.close();
      await Promise.all([ws.close(), other.close()]);
    },
  };
}

export const DEMO_PROFILE = 'demo';
const DEMO_CLIENTS: ClientId[] = ['claude-desktop', 'cursor', 'claude-code'];

/** The environment of the demo: the user's minus anything Databricks or proxy, HOME moved. */
export function demoEnv(env: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^(DATABRICKS_|CLAUDE_CONFIG_DIR$|CODEX_HOME$|XDG_CONFIG_HOME$|APPDATA$|LOCALAPPDATA$)/i.test(k)) continue;
    if (/^(https?_proxy|all_proxy|no_proxy)$/i.test(k)) continue; // loopback only: never through a proxy
    out[k] = v;
  }
  return { ...out, HOME: home, USERPROFILE: home, APPDATA: join(home, 'AppData', 'Roaming'), LOCALAPPDATA: join(home, 'AppData', 'Local'), XDG_CONFIG_HOME: join(home, '.config') };
}

/** Takes one privilege away from the demo user, on the server that shows it best. */
function injectFailure(emu: Emulator, ws: Workspace, servers: ChosenServer[]): string | undefined {
  const user = emu.DEMO_USER;
  const who = (p: string) => p === user || p === emu.DEMO_GROUP;
  const order = ['vector-search', 'functions', 'external', 'genie'];
  const s = [...servers].sort((a, b) => order.indexOf(a.target.kind) - order.indexOf(b.target.kind))[0];
  if (!s) return undefined;
  const [c, sc] = s.target.parts;
  switch (s.target.kind) {
    case 'vector-search':
    case 'functions': {
      const schema = `${c}.${sc}`;
      ws.state.grants = ws.state.grants.filter((g) => !(who(g.principal) && (g.name === schema || g.name.startsWith(`${schema}.`))));
      return `${user} loses every privilege on the schema ${schema} (as if a grant had been revoked)`;
    }
    case 'external':
      ws.state.grants = ws.state.grants.filter((g) => !(who(g.principal) && g.type === 'CONNECTION' && g.name === c));
      return `${user} loses USE CONNECTION on ${c}`;
    case 'genie': {
      const space = ws.state.genieSpaces.find((x) => x.space_id === c);
      if (space) space.acl = space.acl.filter((a) => !who(a.user_name ?? a.group_name ?? ''));
      return `${user} loses CAN RUN on the Genie space "${s.title}"`;
    }
    default:
      return undefined;
  }
}

async function runDoctorOnce(ctx: Ctx, clients: ClientId[]): Promise<{ text: string; json: string; fail: number; pass: number }> {
  const { renderReport, runDoctorPipeline } = await import('../workflows/doctor.js');
  const report = await runDoctorPipeline(ctx, { profile: DEMO_PROFILE, clients, deadlineMs: 60_000 });
  return { text: renderReport(report, 'human', { color: ctx.log.color, verbose: false }), json: renderReport(report, 'json', { color: false, verbose: false }), fail: report.summary.fail, pass: report.summary.pass };
}

export async function runDemo(ctx: Ctx, o: InitOptions): Promise<ExitCode> {
  const host = demoHost(o.demo);
  const emu: Emulator = await import('../emulator/index.js');
  const dir = await mkdtemp(join(tmpdir(), 'dbx-mcp-demo-'));
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true });
  const demo = await startDemoHost(emu, host);
  const { ws } = demo;
  try {
    const cfg = join(home, '.databrickscfg');
    await writeFile(cfg, `; dbx-mcp demo: an emulated ${host} on loopback (it stops when the demo ends)\n[${DEMO_PROFILE}]\n${demo.profile}`, { mode: 0o600 });
    await chmod(cfg, 0o600);
    const demoCtx = await createCtx(
      { ...ctx.globals, profile: DEMO_PROFILE },
      { env: demoEnv(ctx.env, home), cwd: home, platform: ctx.platform, prompt: ctx.prompt, log: ctx.log, interactive: ctx.interactive, exec: ctx.exec, argv: ctx.argv, execPath: ctx.execPath, now: ctx.now },
    );
    ctx.log.info(`Demo: ${demo.label}, signed in as ${emu.DEMO_USER}; HOME for this run is ${home} (nothing of yours is touched).`);
    const defaults: WizardDefaults = {
      clients: DEMO_CLIENTS,
      genie: [emu.DEMO_GENIE_SPACES.sales],
      functions: ['main.tools'],
      vectorSearch: [emu.DEMO_VECTOR_INDEX],
      autoYes: !ctx.prompt.interactive,
      offerManifest: false,
      workspaceLabel: host === 'workspace' ? `emulated demo workspace (${ws.url})` : 'emulated demo workspace behind a unified host',
    };
    // No global install and no manifest offer from a demo: they would outlive it.
    const r = await runWizard(demoCtx, { ...o, demo: undefined, install: false, from: undefined, saveManifest: undefined, oauthProfile: undefined }, defaults);
    if (r.status === 'declined' || r.status === 'dry-run') {
      if (ctx.globals.json) ctx.log.out(JSON.stringify(initJson(r, { demo: { dir, home } })));
      return r.code;
    }

    const injected = injectFailure(emu, ws, r.servers);
    if (!ctx.globals.json) ctx.log.step(`Now a doctor run, after breaking one thing on purpose: ${injected ?? 'nothing to break'}.`);
    const doctor = await runDoctorOnce(demoCtx, r.clients);
    if (ctx.globals.json) {
      ctx.log.out(JSON.stringify(initJson(r, { demo: { dir, home, injected: injected ?? null, doctor: JSON.parse(doctor.json) } })));
    } else {
      ctx.log.out(doctor.text.replace(/\n$/, ''));
      ctx.log.info(`${doctor.pass} checks passed; the ${doctor.fail === 1 ? 'failure comes' : `${doctor.fail} failures come`} from the one problem injected above, each with its exact fix. On your workspace the doctor checks the same things.`);
      ctx.log.info('');
      ctx.log.info(`Demo files (kept for you to look at; the emulated workspace stops now): ${dir}`);
      for (const f of r.files) ctx.log.info(`  ${displayPath(demoCtx, f).replace(/^~/, home)}`);
      ctx.log.step(`On your own workspace: ${selfCommand(ctx.argv[1], ctx.cwd)} init`);
    }
    return r.code;
  } finally {
    await demo.close();
  }
}
