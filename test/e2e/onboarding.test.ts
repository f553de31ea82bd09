// The rendered onboarding scripts: bash syntax, a full offline run of the bash script against
// the fake workspace (an `npx` shim that runs the built bin, no Databricks CLI on PATH; the
// sign-in is `dbx-mcp login`, approved by a headless browser that opens the URL it prints), and
// the PowerShell script's commands. Run `npm run build` first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { startFakeWorkspace, DEMO_PAT, type FakeWorkspace } from '../../src/emulator/index.js';
import { BIN, isolatedEnv, runCli } from '../helpers/cli.js';
import { tempDir, writeTree } from '../helpers/temp.js';

let ws: FakeWorkspace;
before(async () => {
  ws = await startFakeWorkspace();
});
after(async () => {
  await ws.close();
});

function repoWithManifest(t: Parameters<typeof tempDir>[0]): string {
  const repo = tempDir(t, 'dbx-mcp-onb-repo-');
  writeTree(repo, {
    'dbx-mcp.json': JSON.stringify({
      version: 1,
      workspace: { host: ws.url },
      servers: [{ type: 'functions', target: 'main.tools', name: 'tools' }, { type: 'sql' }],
      clients: ['cursor', 'claude-code'],
    }),
  });
  return repo;
}

/**
 * A PATH dir with an `npx` shim that runs the built bin (and logs calls), as on a machine with
 * Node and no Databricks CLI; `withCli` adds a fake `databricks` that logs its calls, to prove
 * the script no longer uses it.
 */
function fakeTools(t: Parameters<typeof tempDir>[0], o: { withCli?: boolean } = {}): { bin: string; log: string } {
  const bin = tempDir(t, 'dbx-mcp-onb-bin-');
  const log = join(bin, 'calls.log');
  writeFileSync(
    join(bin, 'databricks'),
    `#!/bin/sh
echo "databricks $*" >> '${log}'
case "$1 $2" in
  "--version "*|"version "*) echo "Databricks CLI v0.250.0" ;;
  "auth token") echo '{"access_token":"x","token_type":"Bearer"}' ;;
  *) echo "fake databricks: unexpected $*" >&2; exit 3 ;;
esac
`,
  );
  writeFileSync(
    join(bin, 'npx'),
    `#!/bin/sh
echo "npx $*" >> '${log}'
if [ "$1" = "-y" ]; then case "$2" in dbx-mcp@*) shift 2; exec '${process.execPath}' '${BIN}' "$@" ;; esac; fi
echo "npx shim: refusing to download $*" >&2; exit 97
`,
  );
  chmodSync(join(bin, 'databricks'), 0o755);
  chmodSync(join(bin, 'npx'), 0o755);
  if (!o.withCli) rmSync(join(bin, 'databricks'));
  writeFileSync(log, '');
  return { bin, log };
}

/** The PATH of a machine with Node and the shim: no `databricks` on it. */
function machinePath(tools: { bin: string }): string {
  const PATH = [tools.bin, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter);
  assert.notEqual(spawnSync('sh', ['-c', 'command -v databricks'], { env: { PATH } }).status, 0, 'no databricks on this PATH');
  return PATH;
}

/** Runs the script; `browser`: a headless browser approves each sign-in URL dbx-mcp login prints. */
function runScript(script: string, cwd: string, env: NodeJS.ProcessEnv, o: { browser?: boolean } = {}): Promise<{ code: number | null; stdout: string; stderr: string; signIns: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { cwd, env: { DBX_MCP_TEST_LOGIN_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signIns = 0;
    const browsing: Promise<unknown>[] = [];
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      const urls = [...stderr.matchAll(/(http:\/\/\S+\/v1\/authorize\?\S+)/g)];
      if (o.browser && urls.length > signIns) {
        const url = urls[signIns]![1]!;
        signIns++;
        browsing.push(fetch(url, { redirect: 'manual' }).then((a) => fetch(a.headers.get('location')!)).then((r) => r.text()));
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', async (code) => {
      clearTimeout(timer);
      await Promise.all(browsing);
      resolve({ code, stdout, stderr, signIns });
    });
  });
}

test('the bash script passes bash -n and runs end to end offline with no Databricks CLI: dbx-mcp login, sync, doctor', async (t) => {
  const repo = repoWithManifest(t);
  const home = tempDir(t, 'dbx-mcp-onb-home-');
  mkdirSync(join(home, '.cursor'), { recursive: true });
  mkdirSync(join(home, '.claude'), { recursive: true });
  const r = await runCli(['onboarding-script', '--shell', 'bash', '--out', 'scripts/onboard.sh'], { home, cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const script = join(repo, 'scripts', 'onboard.sh');
  const text = readFileSync(script, 'utf8');
  assert.equal(spawnSync('bash', ['-n', script]).status, 0, 'bash -n');
  assert.ok(text.includes(`WORKSPACE_HOST='${ws.url}'`));
  assert.match(text, /MANIFEST_REL='\.\.\/dbx-mcp\.json'/);
  assert.match(text, /npx -y "dbx-mcp@\$\{DBX_MCP_VERSION\}"/);

  const tools = fakeTools(t);
  const env = isolatedEnv(home, { PATH: machinePath(tools) });
  // Run from elsewhere: the script must find the manifest next to itself.
  const res = await runScript(script, home, env, { browser: true });
  const calls = readFileSync(tools.log, 'utf8');
  assert.match(calls, new RegExp(`npx -y dbx-mcp@\\S+ login --host ${ws.url.replace(/[.]/g, '\\.')} --profile 127-0-0-1`), calls);
  assert.equal(res.signIns, 1);
  assert.match(readFileSync(join(home, '.databrickscfg'), 'utf8'), /\[127-0-0-1\]\nhost = \S+\nauth_type = databricks-cli\n/);
  assert.match(calls, /npx -y dbx-mcp@\S+ sync --yes --manifest \S+dbx-mcp\.json --profile 127-0-0-1/);
  assert.match(calls, /npx -y dbx-mcp@\S+ doctor --profile 127-0-0-1/);
  for (const f of [join(home, '.cursor', 'mcp.json'), join(home, '.claude.json')]) {
    assert.ok(existsSync(f), `${f} written`);
    const servers = (JSON.parse(readFileSync(f, 'utf8')) as { mcpServers: Record<string, unknown> }).mcpServers;
    assert.deepEqual(Object.keys(servers).sort(), ['databricks-sql', 'tools']);
  }
  // The script's status is doctor's: compare with doctor run directly on the same machine.
  const doctor = await runCli(['doctor', '--profile', '127-0-0-1'], { home, env: { PATH: env.PATH }, timeoutMs: 60_000 });
  t.diagnostic(`doctor exit ${doctor.code}`);
  assert.equal(res.code, doctor.code, `script: ${res.stderr}\ndoctor: ${doctor.stderr}`);

  // Second run: signed in already, nothing to change.
  writeFileSync(tools.log, '');
  const again = await runScript(script, repo, env, { browser: true });
  assert.equal(again.code, doctor.code, again.stderr + again.stdout);
  const calls2 = readFileSync(tools.log, 'utf8');
  assert.doesNotMatch(calls2, / login /);
  assert.match(calls2, /npx -y dbx-mcp@\S+ token --profile 127-0-0-1/, 'the sign-in is checked with dbx-mcp token');
  assert.match(calls2, /npx -y dbx-mcp@\S+ doctor --profile 127-0-0-1/, 'the matched profile is passed on');
  assert.match(again.stderr, /No changes/);
});

/** The rendered bash script and an environment whose PATH has no `databricks` at all. */
async function noCliMachine(t: Parameters<typeof tempDir>[0], cfg: string) {
  const repo = repoWithManifest(t);
  const home = tempDir(t, 'dbx-mcp-onb-home-');
  mkdirSync(join(home, '.cursor'), { recursive: true });
  writeTree(home, { '.databrickscfg': cfg });
  const r = await runCli(['onboarding-script', '--shell', 'bash', '--out', 'onboard.sh'], { home, cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const tools = fakeTools(t);
  return { repo, home, script: join(repo, 'onboard.sh'), env: isolatedEnv(home, { PATH: machinePath(tools) }), tools };
}

test('a PAT profile and no Databricks CLI: no sign-in, the script runs to the end', async (t) => {
  const m = await noCliMachine(t, `[DEFAULT]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
  const res = await runScript(m.script, m.repo, m.env);
  assert.doesNotMatch(res.stderr, /Signing in|Databricks CLI/);
  const calls = readFileSync(m.tools.log, 'utf8');
  assert.doesNotMatch(calls, / login | token /);
  assert.match(calls, /npx -y dbx-mcp@\S+ sync --yes --manifest \S+ --profile DEFAULT/);
  const servers = (JSON.parse(readFileSync(join(m.home, '.cursor', 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> }).mcpServers;
  assert.deepEqual(Object.keys(servers).sort(), ['databricks-sql', 'tools']);
  const doctor = await runCli(['doctor', '--profile', 'DEFAULT'], { home: m.home, env: { PATH: m.env.PATH }, timeoutMs: 60_000 });
  assert.equal(res.code, doctor.code, `the script's status is doctor's: ${res.stderr}`);
});

test('a databricks-cli profile with no sign-in yet (and no CLI): the script signs in again with dbx-mcp login --profile and goes on', async (t) => {
  const m = await noCliMachine(t, `[work]\nhost = ${ws.url}\nauth_type = databricks-cli\n`);
  const res = await runScript(m.script, m.repo, m.env, { browser: true });
  assert.match(res.stderr, /Your sign-in for profile work expired: signing in again/);
  assert.equal(res.signIns, 1);
  const calls = readFileSync(m.tools.log, 'utf8');
  assert.match(calls, /npx -y dbx-mcp@\S+ login --profile work\n/);
  assert.match(calls, /npx -y dbx-mcp@\S+ sync --yes --manifest \S+ --profile work/);
  assert.ok(existsSync(join(m.home, '.cursor', 'mcp.json')));
});

test('a sign-in that never comes back (the browser was closed) stops the script with one clear error and the command to run', async (t) => {
  const m = await noCliMachine(t, '');
  const res = await runScript(m.script, m.repo, { ...m.env, DBX_MCP_TEST_LOGIN_TIMEOUT_MS: '1000' });
  assert.equal(res.code, 1);
  assert.ok(res.stderr.includes(`error: signing in to ${ws.url} failed`), res.stderr);
  assert.match(res.stderr, new RegExp(`Fix: run: npx -y dbx-mcp@\\S+ login --host ${ws.url.replace(/[.]/g, '\\.')} --profile 127-0-0-1`));
  assert.doesNotMatch(readFileSync(m.tools.log, 'utf8'), /sync --yes/);
  assert.ok(!existsSync(join(m.home, '.cursor', 'mcp.json')));
});

test('the script never calls or installs the Databricks CLI, even where one is installed', async (t) => {
  const repo = repoWithManifest(t);
  const home = tempDir(t, 'dbx-mcp-onb-home-');
  writeTree(home, { '.databrickscfg': `[DEFAULT]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n` });
  assert.equal((await runCli(['onboarding-script', '--shell', 'bash', '--out', 'onboard.sh'], { home, cwd: repo })).code, 0);
  const text = readFileSync(join(repo, 'onboard.sh'), 'utf8');
  assert.doesNotMatch(text, /setup-cli|brew install databricks|databricks auth|databricks --version/);
  const tools = fakeTools(t, { withCli: true });
  await runScript(join(repo, 'onboard.sh'), repo, isolatedEnv(home, { PATH: [tools.bin, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter) }));
  assert.doesNotMatch(readFileSync(tools.log, 'utf8'), /^databricks /m);
});

test('the PowerShell script carries the same steps', async (t) => {
  const repo = repoWithManifest(t);
  const r = await runCli(['onboarding-script', '--shell', 'powershell'], { home: tempDir(t), cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const ps = r.stdout;
  assert.ok(ps.includes(`$WorkspaceHost = '${ws.url}'`));
  assert.match(ps, /\$NodeMin = '20\.18\.1'/);
  assert.match(ps, /\[version\]\$NodeVersion -lt \[version\]\$NodeMin/);
  assert.doesNotMatch(ps, /winget install --id Databricks|databricks auth/);
  assert.match(ps, /Invoke-DbxMcp @\('login', '--host', \$WorkspaceHost, '--profile', \$SuggestedProfile\)/);
  assert.match(ps, /npx -y "dbx-mcp@\$DbxMcpVersion" @Arguments/);
  assert.match(ps, /@\('sync', '--yes'\)/);
  assert.match(ps, /@\('doctor'\)/);
  assert.match(ps, /\$ManifestRel = 'dbx-mcp\.json'/);
  // The profile is probed first; a databricks-cli profile's sign-in is checked with dbx-mcp token.
  const probe = ps.indexOf('sync --check --json');
  assert.ok(probe > 0 && ps.indexOf("'login'") > probe, 'the profile is probed before signing in');
  assert.match(ps, /\$AuthType = if \(\$State -and \$State\.authType\)/);
  assert.match(ps, /& npx -y "dbx-mcp@\$DbxMcpVersion" token --profile \$ProfileName/);
  // Every sign-in is checked (the first one and the renewal of an expired one).
  assert.equal(ps.match(/\$Code = Invoke-DbxMcp @\('login'/g)?.length, 2);
  assert.equal(ps.match(/\$Code = Invoke-DbxMcp @\('login'[^\r\n]*\r\n\s*if \(\$Code -ne 0\) \{ Fail 'signing in failed'/g)?.length, 2);
  assert.ok(ps.includes('\r\n'), 'CRLF line endings');
  assert.doesNotMatch(ps, /\{\{/);
  // Parse (never run) the script when PowerShell happens to be installed.
  const file = join(tempDir(t), 'onboard.ps1');
  writeFileSync(file, ps);
  const parse = `$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile('${file}', [ref]$null, [ref]$e); if ($e.Count) { $e | Out-String; exit 1 }`;
  const pwsh = spawnSync('pwsh', ['-NoProfile', '-NonInteractive', '-Command', parse], { encoding: 'utf8' });
  if (pwsh.error) t.diagnostic('pwsh is not installed: PowerShell syntax not parsed');
  else assert.equal(pwsh.status, 0, pwsh.stdout + pwsh.stderr);
});
