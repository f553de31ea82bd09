/** In-process doctor runs against the fake workspace, with a capturing logger. */
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { runDoctor } from '../../../src/commands/doctor.js';
import { createCtx, type GlobalOptions } from '../../../src/context.js';
import type { Logger } from '../../../src/ui/logger.js';
import { redact } from '../../../src/secrets.js';
import { DEMO_PAT, startFakeWorkspace, type FakeWorkspace, type StartOptions } from '../../../src/emulator/index.js';
import { tempDir } from '../../helpers/temp.js';

export interface Captured {
  out: string[];
  err: string[];
}

export function capturingLogger(json = false): Logger & { captured: Captured } {
  const captured: Captured = { out: [], err: [] };
  const e = (s: string): void => void captured.err.push(redact(s));
  return {
    captured,
    json,
    level: 'normal',
    color: false,
    fancy: false,
    out: (s) => void captured.out.push(redact(s)),
    info: e,
    success: e,
    warn: e,
    error: e,
    step: e,
    debug: () => undefined,
    spinner: () => ({ stop: () => undefined }),
  };
}

export interface Setup {
  ws: FakeWorkspace;
  home: string;
}

export async function setup(t: TestContext, opts: StartOptions & { cfg?: (ws: FakeWorkspace) => string } = {}): Promise<Setup> {
  const ws = await startFakeWorkspace(opts);
  t.after(() => ws.close());
  const home = tempDir(t, 'dbx-mcp-doctor-');
  writeFileSync(join(home, '.databrickscfg'), opts.cfg ? opts.cfg(ws) : `[DEFAULT]\nhost  = ${ws.url}\ntoken = ${DEMO_PAT}\n`, { mode: 0o600 });
  return { ws, home };
}

/** Writes a client file (JSON) under home with mode 0600 unless told otherwise. */
export function writeJson(home: string, rel: string, value: unknown, mode = 0o600): string {
  const p = join(home, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, JSON.stringify(value, null, 2), { mode });
  return p;
}

/** A Cursor header entry referencing ${env:DBX_TEST_TOKEN}. */
export function cursorHeader(url: string): Record<string, unknown> {
  return { url, headers: { Authorization: 'Bearer ${env:DBX_TEST_TOKEN}' } };
}

export interface DoctorRun {
  code: number;
  stdout: string;
  json: {
    version: number;
    ok: boolean;
    summary: { pass: number; warn: number; fail: number; skip: number };
    checks: Array<{ id: string; status: string; title: string; summary: string; fix?: string; data?: Record<string, unknown> }>;
  };
  check(id: string): DoctorRun['json']['checks'][number];
}

/** Runs doctor in-process with --json (unless format says otherwise). */
export async function doctor(home: string, opts: Record<string, unknown> = {}, globals: GlobalOptions = { json: true }, env: Record<string, string> = {}): Promise<DoctorRun> {
  const log = capturingLogger(Boolean(globals.json));
  const ctx = await createCtx(globals, {
    env: { HOME: home, PATH: process.env.PATH ?? '', DBX_TEST_TOKEN: DEMO_PAT, ...env },
    interactive: false,
    log,
    cwd: home,
    platform: 'linux',
  });
  const code = await runDoctor(ctx, { timeout: 30, ...opts });
  const stdout = log.captured.out.join('\n');
  let json = undefined as unknown as DoctorRun['json'];
  if (globals.json || opts.format === 'json') json = JSON.parse(stdout) as DoctorRun['json'];
  return {
    code,
    stdout,
    json,
    check(id) {
      const c = json.checks.find((x) => x.id === id);
      if (!c) throw new Error(`no check ${id} in ${json.checks.map((x) => x.id).join(', ')}`);
      return c;
    },
  };
}

/** A loopback port nothing listens on (bound, then closed): connections to it are refused. */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
