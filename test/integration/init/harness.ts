/**
 * Test harness for init and oauth register: a fake workspace, a temporary HOME with a
 * .databrickscfg, and a context with a scripted (or non-interactive) prompter whose stdout
 * and stderr are captured.
 */
import { after, afterEach, before } from 'node:test';
import { PassThrough } from 'node:stream';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCtx, type Ctx, type Exec, type GlobalOptions } from '../../../src/context.js';
import { createLogger } from '../../../src/ui/logger.js';
import { createNonInteractivePrompter } from '../../../src/ui/prompter.js';
import { createScriptedPrompter, type AskedQuestion, type ScriptedAnswers } from '../../helpers/scripted-prompter.js';
import { isDbxMcpError, ExitCode } from '../../../src/errors.js';
import { startFakeWorkspace, type FakeWorkspace } from '../../../src/emulator/index.js';

export interface Harness {
  ctx: Ctx;
  out: () => string;
  err: () => string;
  asked: string[];
  /** Every question as asked (choices, placeholder, initial). */
  questions: AskedQuestion[];
  /** Typed answers the question's validation rejected (then the next scripted answer is typed). */
  rejected: { id: string; answer: unknown; error: string }[];
}

export function writeCfg(home: string, text: string): void {
  writeFileSync(join(home, '.databrickscfg'), text, { mode: 0o600 });
}

/** A context for `home`; `answers` makes it interactive with a scripted prompter. */
export async function harness(home: string, o: { globals?: GlobalOptions; answers?: ScriptedAnswers; exec?: Exec; env?: Record<string, string>; cwd?: string; argv?: string[] } = {}): Promise<Harness> {
  mkdirSync(home, { recursive: true });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const env = { HOME: home, PATH: '', NO_COLOR: '1', XDG_CONFIG_HOME: join(home, '.config'), ...o.env };
  const scripted = o.answers ? createScriptedPrompter(o.answers) : undefined;
  const globals = o.globals ?? {};
  const ctx = await createCtx(globals, {
    env,
    cwd: o.cwd ?? home,
    platform: 'linux',
    interactive: Boolean(scripted),
    prompt: scripted ?? createNonInteractivePrompter(),
    log: createLogger({ json: globals.json, env, stdout: stdout as never, stderr: stderr as never }),
    exec: o.exec ?? (async () => { throw Object.assign(new Error('not installed'), { code: 'ENOENT' }); }),
    argv: o.argv ?? ['/usr/bin/node', '/opt/dbx-mcp/bin/dbx-mcp.js'],
    execPath: '/usr/bin/node',
  });
  return { ctx, out: () => out, err: () => err, asked: scripted?.asked ?? [], questions: scripted?.questions ?? [], rejected: scripted?.rejected ?? [] };
}

/** Runs a command like the CLI boundary does: errors become exit codes (message kept for asserts). */
export async function run(fn: () => Promise<ExitCode>): Promise<{ code: ExitCode; error?: Error & { hint?: string } }> {
  try {
    return { code: await fn() };
  } catch (e) {
    if (isDbxMcpError(e)) return { code: e.exitCode, error: e };
    throw e;
  }
}

/**
 * One fake workspace for a test file: started before its tests, reset (requests, scenario,
 * OAuth app integrations) after each, closed at the end. `set` hands it to the file's variable.
 */
export function useSharedWorkspace(set: (ws: FakeWorkspace) => void): void {
  let ws: FakeWorkspace | undefined;
  before(async () => {
    ws = await startFakeWorkspace();
    set(ws);
  });
  after(async () => {
    await ws?.close();
  });
  afterEach(() => {
    ws?.reset();
    if (ws) ws.state.customAppIntegrations = [];
  });
}
