/**
 * A syntax error in ~/.databrickscfg (issue 10, item 6) reaches the user as file:line and what
 * is wrong — from a command (exit 2), from doctor (a failed profile check with the same message
 * and fix) and from the proxy (every request is answered with it; the client shows it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { startChild } from '../support/proxy-harness.js';

const UNCLOSED = '# work\n[DEFAULT\nhost  = https://dbc-1.cloud.databricks.com\ntoken = dapi0123456789abcdef0123456789abcdef\n';
const MESSAGE = '~/.databrickscfg:2: the section header [DEFAULT has no closing "]"';

function homeWith(t: Parameters<typeof tempDir>[0], cfg: string): string {
  const home = tempDir(t);
  writeFileSync(join(home, '.databrickscfg'), cfg, { mode: 0o600 });
  return home;
}

test('token: exit 2 with file, line and what is wrong, not "no profiles"', async (t) => {
  const home = homeWith(t, UNCLOSED);
  const r = await runCli(['token'], { home });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.split('\n')[0], `✖ ${MESSAGE}`);
  assert.match(r.stderr, /Fix: Close the header with "\]" in ~\/\.databrickscfg \(line 2\)/);
  assert.doesNotMatch(r.stderr, /no profiles|has no host|dapi/);
  assert.equal(r.stdout, '');

  const noEquals = await runCli(['token'], { home: homeWith(t, '[DEFAULT]\nhost https://dbc-1.cloud.databricks.com\n') });
  assert.equal(noEquals.code, 2);
  assert.match(noEquals.stderr, /^✖ ~\/\.databrickscfg:2: expected "key = value", but the line has no "="/);

  const twice = await runCli(['token'], { home: homeWith(t, '[DEFAULT]\nhost = https://a.cloud.databricks.com\n[DEFAULT]\ntoken = x\n') });
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /^✖ ~\/\.databrickscfg:3: the section \[DEFAULT\] appears twice \(first at line 1\)/);
});

test('default_profile naming a missing section: the error names it', async (t) => {
  const home = homeWith(t, '[__settings__]\ndefault_profile = staging\n\n[DEFAULT]\nhost = https://dbc-1.cloud.databricks.com\ntoken = dapi1\n');
  const r = await runCli(['token'], { home });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /default_profile in ~\/\.databrickscfg names the profile "staging", which is not in the file/);
  assert.match(r.stderr, /Fix: Set default_profile to one of DEFAULT/);
});

test('doctor: the profile check fails with the same message and fix', async (t) => {
  const home = homeWith(t, UNCLOSED);
  const r = await runCli(['doctor', '--json', '--only', 'profile'], { home });
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { checks: { id: string; status: string; summary: string; fix?: string; data?: { kind?: string } }[] };
  const check = report.checks.find((c) => c.id === 'profile.resolved');
  assert.ok(check, r.stdout);
  assert.equal(check.status, 'fail');
  assert.equal(check.summary, MESSAGE.replace('~', home));
  assert.ok(check.fix?.startsWith(`Close the header with "]" in ${join(home, '.databrickscfg')} (line 2)`), check.fix);
  assert.equal(check.data?.kind, 'config-invalid');
});

test('proxy: stays up and answers every request with the file, the line and the fix', async (t) => {
  const home = homeWith(t, UNCLOSED);
  const p = startChild({ home, args: ['--url', 'https://dbc-1.cloud.databricks.com/api/2.0/mcp/sql'] });
  t.after(() => p.child.kill()); // when an assertion fails before end()
  const init = await p.rpc.initialize();
  const error = init.error as { message: string } | undefined;
  assert.ok(error, JSON.stringify(init));
  assert.match(error.message, /\.databrickscfg:2: the section header \[DEFAULT has no closing "\]"/);
  assert.match(error.message, /Fix: Close the header/);
  assert.equal(await p.end(), 0);
  assert.match(p.stderr(), /\.databrickscfg:2/);
  assert.doesNotMatch(p.stderr() + JSON.stringify(init), /dapi/);
});

test('profile problems: an unknown, missing-default or dangling default profile is exit 2; no profile at all is exit 1; --json names the next step `fix`', async (t) => {
  const two = '[dev]\nhost = https://dbc-1.cloud.databricks.com\ntoken = dapi1\n\n[prod]\nhost = https://dbc-2.cloud.databricks.com\ntoken = dapi2\n';
  const cases: [string, string, string[], number, RegExp, RegExp][] = [
    ['unknown --profile', two, ['--profile', 'nope'], 2, /Profile "nope" was not found/, /Use one of: dev, prod/],
    ['no default among several', two, [], 2, /No default Databricks profile in \S+, and none was named/, /Pick one with --profile \(dev, prod\)/],
    ['default_profile names a missing one', `[__settings__]\ndefault_profile = staging\n\n${two}`, [], 2, /names the profile "staging"/, /Set default_profile to one of dev, prod/],
    ['no profiles at all', '# nothing yet\n', [], 1, /No Databricks configuration found/, /(?:databricks auth|dbx-mcp) login/],
  ];
  for (const [what, cfg, flags, code, message, fix] of cases) {
    const home = homeWith(t, cfg);
    for (const args of [['token', ...flags], ['add', 'sql', '--client', 'cursor', '--yes', ...flags]]) {
      const r = await runCli([...args, '--json'], { home });
      assert.equal(r.code, code, `${what} (${args[0]}): ${r.stderr}`);
      const out = JSON.parse(r.stdout) as { ok: boolean; error: Record<string, unknown> };
      assert.equal(out.ok, false);
      assert.match(String(out.error.message), message, what);
      assert.match(String(out.error.fix), fix, what);
      assert.equal('hint' in out.error, false, `${what}: one name for the next step, as doctor's checks`);
    }
  }
});
