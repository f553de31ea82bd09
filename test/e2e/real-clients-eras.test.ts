/**
 * A real legacy-only client against a modern-only (MCP 2026-07-28) server (issue 21): Gemini CLI
 * 0.61 (pinned, .cache/real-clients) fails through its native header entry, doctor says
 * `protocol-mismatch` with the proxy fix, and the proxy entry that fix writes connects.
 * `gemini mcp list` connects to each server. Temporary HOME, loopback only, bounded by timeouts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { DEMO_GENIE_SPACES, DEMO_PAT } from '../../src/emulator/index.js';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { ensureRealClient } from '../support/real-clients.js';

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env, cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (_err, stdout, stderr) => resolve(String(stdout) + String(stderr)));
    child.stdin?.end();
  });
}

test('Gemini CLI (legacy only) × modern-only server: native entry fails, doctor says protocol-mismatch, its proxy fix connects', { timeout: 300_000 }, async (t) => {
  const gemini = ensureRealClient('gemini');
  const { ws, home } = await workspaceWithHome(t);
  ws.scenario.mcpEra = 'modern';
  assert.equal((await runCli(['add', 'sql', '--client', 'gemini', '--auth', 'header', '--yes'], { home })).code, 0);
  assert.equal((await runCli(['add', 'genie', DEMO_GENIE_SPACES.sales, '--client', 'gemini', '--yes'], { home })).code, 0);
  // Stdio servers start only in a trusted folder; Gemini CLI 0.61 prints the list on stderr.
  const env = isolatedEnv(home, { DATABRICKS_TOKEN: DEMO_PAT, GEMINI_CLI_TRUST_WORKSPACE: 'true' });
  const before = await run(gemini, ['mcp', 'list'], env, home);
  assert.match(before, /databricks-sql: .*\(http\) - Disconnected/, before);
  assert.match(before, /✓ databricks-genie-sales-analytics: .*proxy --url .*\(stdio\) - Connected/, before);

  const doctor = await runCli(['doctor', '--json', '--only', 'server.databricks-sql.handshake'], { home, env: { DATABRICKS_TOKEN: DEMO_PAT, DATABRICKS_HOST: ws.url } });
  const check = (JSON.parse(doctor.stdout) as { checks: Array<{ id: string; fix?: string; data?: Record<string, unknown> }> }).checks.find((c) => c.id === 'server.databricks-sql.handshake')!;
  assert.equal(check.data?.kind, 'protocol-mismatch', JSON.stringify(check));
  const fix = /dbx-mcp (add [^,]+?--auth proxy(?: --force)?)/.exec(check.fix ?? '')?.[1];
  assert.ok(fix, check.fix);

  const readd = await runCli([...fix.split(' '), '--yes'], { home });
  assert.equal(readd.code, 0, `${fix}\n${readd.stdout}${readd.stderr}`);
  const after = await run(gemini, ['mcp', 'list'], env, home);
  assert.match(after, /✓ databricks-sql: .*proxy --url .*\(stdio\) - Connected/, after);
});
