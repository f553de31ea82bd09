// The rendered onboarding scripts: bash syntax, a full offline run of the bash script against
// the fake workspace (fake `databricks`, an `npx` shim that runs the built bin), and the
// PowerShell script's commands. Run `npm run build` first.
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
 * A PATH dir with a fake `databricks` (logs calls; `auth login` writes a PAT profile) and an
 * `npx` shim; `noCli`: the `npx` shim only, as on a machine without the Databricks CLI.
 */
function fakeTools(t: Parameters<typeof tempDir>[0], o: { noCli?: boolean; loginFails?: boolean } = {}): { bin: string; log: string } {
  const bin = tempDir(t, 'dbx-mcp-onb-bin-');
  const log = join(bin, 'calls.log');
  writeFileSync(
    join(bin, 'databricks'),
    `#!/bin/sh
echo "databricks $*" >> '${log}'
case "$1 $2" in
  "--version "*|"version "*) echo "Databricks CLI v0.250.0" ;;
  "auth token") echo '{"access_token":"x","token_type":"Bearer"}' ;;
  "auth login")
    ${o.loginFails ? 'echo "Error: the browser window was closed" >&2; exit 1' : ''}
    host=""; profile="DEFAULT"
    while [ $# -gt 0 ]; do case "$1" in --host) host="$2"; shift ;; --profile) profile="$2"; shift ;; esac; shift; done
    printf '[%s]\\nhost = %s\\ntoken = ${DEMO_PAT}\\n' "$profile" "$host" >> "$HOME/.databrickscfg" ;;
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
  if (o.noCli) rmSync(join(bin, 'databricks'));
  writeFileSync(log, '');
  return { bin, log };
}

function runScript(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('the bash script passes bash -n and runs end to end offline: login, sync, doctor', async (t) => {
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
  const env = isolatedEnv(home, { PATH: `${tools.bin}:${process.env.PATH}` });
  // Run from elsewhere: the script must find the manifest next to itself.
  const res = await runScript(script, home, env);
  const calls = readFileSync(tools.log, 'utf8');
  assert.ok(calls.includes(`databricks auth login --host ${ws.url} --profile 127-0-0-1`), calls);
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
  const again = await runScript(script, repo, env);
  assert.equal(again.code, doctor.code, again.stderr + again.stdout);
  const calls2 = readFileSync(tools.log, 'utf8');
  assert.doesNotMatch(calls2, /auth login/);
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
  const tools = fakeTools(t, { noCli: true });
  const PATH = [tools.bin, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter);
  assert.notEqual(spawnSync('sh', ['-c', 'command -v databricks'], { env: { PATH } }).status, 0, 'no databricks on this PATH');
  return { repo, home, script: join(repo, 'onboard.sh'), env: isolatedEnv(home, { PATH, DBX_MCP_SKIP_CLI_INSTALL: '1' }), tools };
}

test('DBX_MCP_SKIP_CLI_INSTALL=1 with a PAT profile and no Databricks CLI: the script needs no CLI and runs to the end', async (t) => {
  const m = await noCliMachine(t, `[DEFAULT]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
  const res = await runScript(m.script, m.repo, m.env);
  assert.doesNotMatch(res.stderr, /Databricks CLI is not installed/);
  assert.match(res.stderr, /The Databricks CLI is not needed: profile DEFAULT uses auth type pat/);
  assert.match(readFileSync(m.tools.log, 'utf8'), /npx -y dbx-mcp@\S+ sync --yes --manifest \S+ --profile DEFAULT/);
  const servers = (JSON.parse(readFileSync(join(m.home, '.cursor', 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> }).mcpServers;
  assert.deepEqual(Object.keys(servers).sort(), ['databricks-sql', 'tools']);
  const doctor = await runCli(['doctor', '--profile', 'DEFAULT'], { home: m.home, env: { PATH: m.env.PATH }, timeoutMs: 60_000 });
  assert.equal(res.code, doctor.code, `the script's status is doctor's: ${res.stderr}`);
});

test('DBX_MCP_SKIP_CLI_INSTALL=1 without the CLI where it is needed (no profile yet, or a databricks-cli profile): one clear error, nothing written', async (t) => {
  const none = await noCliMachine(t, '');
  const r1 = await runScript(none.script, none.repo, none.env);
  assert.equal(r1.code, 1);
  assert.match(r1.stderr, new RegExp(`error: the Databricks CLI is not installed, and it is needed to sign in to ${ws.url.replace(/[.]/g, '\\.')}`));
  assert.match(r1.stderr, /Fix: install it .*or add a profile for/);
  assert.doesNotMatch(readFileSync(none.tools.log, 'utf8'), /sync --yes/);

  const cli = await noCliMachine(t, `[work]\nhost = ${ws.url}\nauth_type = databricks-cli\n`);
  const r2 = await runScript(cli.script, cli.repo, cli.env);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /error: the Databricks CLI is not installed, and profile work signs in through it/);
  assert.doesNotMatch(readFileSync(cli.tools.log, 'utf8'), /sync --yes/);
  assert.ok(!existsSync(join(cli.home, '.cursor', 'mcp.json')));
});

test('a failed `databricks auth login` stops the script with one clear error and the command to run', async (t) => {
  const repo = repoWithManifest(t);
  const home = tempDir(t, 'dbx-mcp-onb-home-');
  mkdirSync(join(home, '.cursor'), { recursive: true });
  const r = await runCli(['onboarding-script', '--shell', 'bash', '--out', 'onboard.sh'], { home, cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const tools = fakeTools(t, { loginFails: true });
  const res = await runScript(join(repo, 'onboard.sh'), repo, isolatedEnv(home, { PATH: `${tools.bin}:${process.env.PATH}` }));
  assert.equal(res.code, 1);
  assert.ok(res.stderr.includes(`error: signing in to ${ws.url} failed`), res.stderr);
  assert.ok(res.stderr.includes(`Fix: run: databricks auth login --host ${ws.url} --profile 127-0-0-1`), res.stderr);
  assert.doesNotMatch(readFileSync(tools.log, 'utf8'), /sync --yes/);
  assert.ok(!existsSync(join(home, '.cursor', 'mcp.json')));
});

test('the PowerShell script carries the same steps', async (t) => {
  const repo = repoWithManifest(t);
  const r = await runCli(['onboarding-script', '--shell', 'powershell'], { home: tempDir(t), cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const ps = r.stdout;
  assert.ok(ps.includes(`$WorkspaceHost = '${ws.url}'`));
  assert.match(ps, /\$NodeMin = '20\.18\.1'/);
  assert.match(ps, /\[version\]\$NodeVersion -lt \[version\]\$NodeMin/);
  assert.match(ps, /winget install --id Databricks\.DatabricksCLI/);
  assert.match(ps, /databricks auth login --host \$WorkspaceHost --profile \$SuggestedProfile/);
  assert.match(ps, /npx -y "dbx-mcp@\$DbxMcpVersion" @Arguments/);
  assert.match(ps, /@\('sync', '--yes'\)/);
  assert.match(ps, /@\('doctor'\)/);
  assert.match(ps, /\$ManifestRel = 'dbx-mcp\.json'/);
  // The CLI is checked (and installed) only when the sign-in needs it, after the profile probe.
  const probe = ps.indexOf('sync --check --json');
  const needCli = ps.indexOf("$NeedCli = ($ErrCode -eq 'NO_PROFILE') -or ($AuthType -eq 'databricks-cli')");
  assert.ok(probe > 0 && needCli > probe, 'the profile is probed before deciding on the CLI');
  assert.ok(ps.indexOf('winget install --id Databricks') > needCli && ps.indexOf("DBX_MCP_SKIP_CLI_INSTALL -eq '1'") > needCli, 'no CLI check before that');
  assert.match(ps, /\$AuthType = if \(\$State -and \$State\.authType\)/);
  // Every sign-in is checked (the first one and the renewal of an expired one).
  assert.equal(ps.match(/& databricks auth login /g)?.length, 2);
  assert.equal(ps.match(/& databricks auth login [^\r\n]*\r\n\s*if \(\$LASTEXITCODE -ne 0\) \{ Fail 'signing in failed'/g)?.length, 2);
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
