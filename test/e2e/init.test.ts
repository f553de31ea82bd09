/**
 * init through the built bin: the demo without a terminal, a flags-only run against a running
 * fake workspace, and the interactive wizard driven through a real terminal (tmux).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES, DEMO_PAT, startFakeWorkspace, type FakeWorkspace } from '../../src/emulator/index.js';
import { BIN, isolatedEnv, runCli } from '../helpers/cli.js';
import { tempDir, writeTree } from '../helpers/temp.js';

let ws: FakeWorkspace;
before(async () => {
  ws = await startFakeWorkspace();
});
after(async () => {
  await ws.close();
});

const SALES = DEMO_GENIE_SPACES.sales;

test('init --demo --yes: works without a terminal and touches nothing outside its temporary HOME', async (t) => {
  const home = tempDir(t);
  const tmp = tempDir(t);
  const r = await runCli(['init', '--demo', '--yes'], { home, env: { TMPDIR: tmp }, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(home), [], 'the user HOME is untouched');
  assert.match(r.stderr, /databricks-genie-sales-analytics answers: \d+ tools/);
  assert.match(r.stdout, /✔ MCP handshake/);
  assert.match(r.stdout, /✖ .*lacks USE SCHEMA on schema main\.docs/);
  assert.match(r.stdout, /Fix: .*GRANT USE SCHEMA ON SCHEMA main\.docs/);
  const dir = /Demo files .*: (\S+)/.exec(r.stderr)?.[1];
  assert.ok(dir && dir.startsWith(tmp), `demo dir in TMPDIR: ${dir}`);
  const demoHome = join(dir, 'home');
  assert.ok(existsSync(join(demoHome, '.cursor', 'mcp.json')));
  assert.ok(existsSync(join(demoHome, '.claude.json')));
  assert.ok(existsSync(join(demoHome, '.config', 'Claude', 'claude_desktop_config.json')));
  // Run from a checkout: the next step is the checkout's command, not `npx dbx-mcp` (not on the registry yet).
  assert.ok(r.stderr.includes(`On your own workspace: node ${BIN} init`), r.stderr);
});

test('init --demo --json: one JSON object with the doctor report', async (t) => {
  const home = tempDir(t);
  const r = await runCli(['init', '--demo', '--json', '--client', 'cursor'], { home, env: { TMPDIR: tempDir(t) }, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.status, 'applied');
  assert.deepEqual(j.clients, [{ client: 'cursor', auth: 'proxy' }]);
  assert.equal(j.demo.doctor.ok, false);
  assert.ok(j.demo.doctor.summary.fail >= 1);
});

test('flags-only init against a running workspace', async (t) => {
  const home = tempDir(t);
  writeTree(home, { '.databrickscfg': `[dev]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n` });
  const r = await runCli(['init', '--profile', 'dev', '--client', 'cursor,claude-code', '--genie', SALES, '--sql', '--yes'], { home });
  assert.equal(r.code, 0, r.stderr);
  const cursor = JSON.parse(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8'));
  assert.deepEqual(Object.keys(cursor.mcpServers), ['databricks-genie-sales-analytics', 'databricks-sql']);
  assert.equal(cursor.mcpServers['databricks-sql'].args[0], BIN);
  assert.match(r.stderr, /databricks-sql answers/);

  const again = await runCli(['init', '--profile', 'dev', '--client', 'cursor,claude-code', '--genie', SALES, '--sql', '--yes'], { home });
  assert.equal(again.code, 0);
  assert.match(again.stderr, /No changes/);

  const missing = await runCli(['init'], { home: tempDir(t) });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--profile.*--client.*--genie.*--yes/);
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** The built bin's `init` in a tmux session; the pane is read until each expected screen shows. */
function tmuxWizard(t: Parameters<typeof tempDir>[0], home: string) {
  const session = `dbx-mcp-e2e-${process.pid}-${Date.now()}`;
  const env = isolatedEnv(home, { CI: undefined, NO_COLOR: undefined, TERM: 'xterm-256color' });
  const envArgs = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  const marker = join(home, 'exit-code');
  const cmd = ['env', '-i', ...envArgs, process.execPath, BIN, 'init'].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  // The exit code is written aside and renamed into place: the test must never read a file
  // the shell has created but not yet written (an empty code).
  tmux('new-session', '-d', '-s', session, '-x', '150', '-y', '60', '-c', home, `${cmd}; echo $? > '${marker}.tmp'; mv '${marker}.tmp' '${marker}'; sleep 60`);
  t.after(() => spawnSync('tmux', ['kill-session', '-t', session]));
  const pane = () => tmux('capture-pane', '-p', '-t', session, '-S', '-200');
  const waitFor = async (re: RegExp, ms = 15_000) => {
    const end = Date.now() + ms;
    for (;;) {
      const text = pane();
      if (re.test(text)) return text;
      if (Date.now() > end) throw new Error(`timed out waiting for ${re}; the terminal shows:\n${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);
  const exitCode = async () => {
    const end = Date.now() + 15_000;
    while (!existsSync(marker) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    const code = readFileSync(marker, 'utf8').trim();
    rmSync(marker);
    return code;
  };
  return { pane, waitFor, keys, exitCode };
}

test('the wizard in a real terminal (tmux): arrow keys, space, enter → files written', { skip: !hasTmux && 'tmux is not installed' }, async (t) => {
  const home = tempDir(t);
  writeTree(home, { '.databrickscfg': `[dev]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n` });
  const { pane, waitFor, keys, exitCode } = tmuxWizard(t, home);

  await waitFor(/Which Databricks workspace profile\?/);
  keys('Enter'); // dev is pre-selected
  await waitFor(/Which MCP clients should get the servers\?/);
  keys('Down', 'Space', 'Enter'); // Cursor (second in the list)
  await waitFor(/Which kinds of Databricks MCP servers\?/);
  keys('Enter'); // Genie spaces are pre-selected
  await waitFor(/Genie spaces[\s\S]*Sales Analytics/);
  keys('Space', 'Enter');
  await waitFor(/Auth mode for Cursor/);
  keys('Enter'); // proxy (recommended)
  await waitFor(/Write 1 file\?/);
  keys('Enter');
  await waitFor(/Save these choices as a team manifest/, 30_000);
  keys('Enter'); // default: no
  const code = await exitCode();
  const text = pane();
  assert.equal(code, '0', text);
  assert.match(text, /databricks-genie-sales-analytics answers: \d+ tools/);
  assert.match(text, /Next steps/);
  const cursor = JSON.parse(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8'));
  assert.deepEqual(cursor.mcpServers['databricks-genie-sales-analytics'].args.slice(1), ['proxy', '--url', `${ws.url}/api/2.0/mcp/genie/${SALES}`, '--profile', 'dev']);
});

test('the wizard in a real terminal: a rejected token is asked again; Enter on the profile name takes the placeholder', { skip: !hasTmux && 'tmux is not installed' }, async (t) => {
  const home = tempDir(t);
  writeTree(home, { '.databrickscfg': '' });
  const { pane, waitFor, keys, exitCode } = tmuxWizard(t, home);

  // No profile yet: "Sign in with your browser" comes first; this test takes the PAT path below it.
  await waitFor(/Which Databricks workspace profile\?[\s\S]*Sign in with your browser[\s\S]*Add a personal access token profile/);
  keys('Down', 'Enter');
  await waitFor(/Workspace URL/);
  keys('-l', ws.url);
  keys('Enter');
  await waitFor(/Personal access token/);
  keys('-l', 'dapi00000000000000000000000000000000');
  keys('Enter');
  const nameScreen = await waitFor(/Name of the new profile/);
  assert.match(nameScreen, /Name of the new profile\s*\n\S*\s+DEFAULT/, 'the suggestion is shown');
  // Typing replaces a placeholder; pre-filled text would become "DEFAULTw".
  keys('-l', 'w');
  const typed = await waitFor(/Name of the new profile\s*\n\S*\s+w/);
  assert.doesNotMatch(typed, /DEFAULTw/);
  keys('BSpace');
  await waitFor(/Name of the new profile\s*\n\S*\s+DEFAULT/);
  keys('Enter'); // empty: takes the placeholder
  await waitFor(/rejected that token \(403\)[\s\S]*Personal access token/);
  keys('-l', DEMO_PAT);
  keys('Enter');
  await waitFor(/Signed in to .* as jane@example\.com \(profile DEFAULT\)/);
  await waitFor(/Which MCP clients should get the servers\?/);
  keys('Down', 'Space', 'Enter'); // Cursor
  await waitFor(/Which kinds of Databricks MCP servers\?/);
  keys('Enter');
  await waitFor(/Genie spaces[\s\S]*Sales Analytics/);
  keys('Space', 'Enter');
  await waitFor(/Auth mode for Cursor/);
  keys('Enter');
  await waitFor(/Write 2 files\?/);
  keys('Enter');
  await waitFor(/Save these choices as a team manifest/, 30_000);
  keys('Enter');
  const code = await exitCode();
  assert.equal(code, '0', pane());
  assert.equal(readFileSync(join(home, '.databrickscfg'), 'utf8'), `[DEFAULT]\nhost  = ${ws.url}\ntoken = ${DEMO_PAT}\n`);
  assert.doesNotMatch(pane(), /dapi0000|dapi5e1f/, 'no token on the screen');
});

test('the wizard in a real terminal: Ctrl-C at "Write 1 file?" shows the question as cancelled, not answered "Yes"', { skip: !hasTmux && 'tmux is not installed' }, async (t) => {
  const home = tempDir(t);
  writeTree(home, { '.databrickscfg': `[dev]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n` });
  const { pane, waitFor, keys, exitCode } = tmuxWizard(t, home);
  await waitFor(/Which Databricks workspace profile\?/);
  keys('Enter');
  await waitFor(/Which MCP clients should get the servers\?/);
  keys('Down', 'Space', 'Enter');
  await waitFor(/Which kinds of Databricks MCP servers\?/);
  keys('Enter');
  await waitFor(/Genie spaces[\s\S]*Sales Analytics/);
  keys('Space', 'Enter');
  await waitFor(/Auth mode for Cursor/);
  keys('Enter');
  await waitFor(/Write 1 file\?/);
  keys('C-c');
  const code = await exitCode();
  const after = pane().split(/Write 1 file\?/).pop()!;
  assert.equal(code, '130', pane());
  assert.doesNotMatch(after, /\bYes\b/, after);
  assert.match(after, /Cancelled/);
  assert.ok(!existsSync(join(home, '.cursor', 'mcp.json')), 'nothing written');
});

test('the wizard in a real terminal: Escape at the Genie list goes back to the kinds of servers (was exit 130)', { skip: !hasTmux && 'tmux is not installed' }, async (t) => {
  const home = tempDir(t);
  writeTree(home, { '.databrickscfg': `[dev]\nhost = ${ws.url}\ntoken = ${DEMO_PAT}\n` });
  const { pane, waitFor, keys, exitCode } = tmuxWizard(t, home);
  await waitFor(/Which Databricks workspace profile\?/);
  keys('Enter');
  await waitFor(/Which MCP clients should get the servers\?/);
  keys('Down', 'Space', 'Enter');
  await waitFor(/Which kinds of Databricks MCP servers\?/);
  keys('Enter');
  await waitFor(/Genie spaces[\s\S]*Sales Analytics/);
  keys('Escape');
  await waitFor(/■  Genie spaces[\s\S]*Which kinds of Databricks MCP servers\?/);
  keys('C-c');
  assert.equal(await exitCode(), '130', pane());
});
