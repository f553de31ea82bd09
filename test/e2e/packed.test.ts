/**
 * Issue 20, item 20: dbx-mcp is not on the npm registry yet. The package as `npm pack` makes it
 * runs (its bin, `init --help`, `doctor` against the emulator), installs offline as a project's
 * dev dependency (it has no runtime dependencies: dist is bundled) so that the project entries'
 * `npx -y dbx-mcp@<version>` resolves the local copy, and doctor names the npm 404 of an entry
 * whose version is not published, with that fix. Temporary HOME; npm's registry is a loopback
 * server that answers 404, so nothing leaves the machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, ROOT } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

async function registry404(t: { after(fn: () => void): void }): Promise<{ url: string; asked: string[] }> {
  const asked: string[] = [];
  const srv = createServer((req, res) => {
    asked.push(req.url ?? '');
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"Not found"}');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.after(() => srv.close());
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`, asked };
}

test('the packed tarball runs, installs offline as a dev dependency that npx resolves, and doctor names an unpublished version', { timeout: 120_000 }, async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const reg = await registry404(t);
  // npm reads ~/.npmrc: every registry request goes to the loopback 404 server.
  writeFileSync(join(home, '.npmrc'), `registry=${reg.url}\ncache=${join(home, '.npm')}\nupdate-notifier=false\nfund=false\naudit=false\n`);
  const env = isolatedEnv(home, { npm_config_userconfig: join(home, '.npmrc') });

  const packs = join(home, 'packs');
  mkdirSync(packs);
  execFileSync('npm', ['pack', '--pack-destination', packs, '--silent'], { cwd: ROOT, env, stdio: 'pipe' });
  const tgz = join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz')) as string);
  assert.match(tgz, new RegExp(`dbx-mcp-${VERSION.replace(/\./g, '\\.')}\\.tgz$`));

  // The team's path: the tarball as a dev dependency of the project, installed without the registry.
  const project = join(home, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'team-project', version: '1.0.0', private: true }));
  const bin = join(project, 'node_modules', 'dbx-mcp', 'bin', 'dbx-mcp.js');

  // Asynchronous: the emulator answers from this process's event loop.
  const run = (cmd: string, args: string[], cwd = project) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(cmd, args, { cwd, env, encoding: 'utf8', timeout: 60_000 }, (e, stdout, stderr) => resolve({ status: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr }));
    });
  const install = await run('npm', ['install', '--offline', '--save-dev', tgz]);
  assert.equal(install.status, 0, install.stderr);
  let r = await run(process.execPath, [bin, '--version']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), VERSION);
  r = await run(process.execPath, [bin, 'init', '--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage: dbx-mcp init/);
  // What a project entry runs: npx finds the dev dependency, no registry needed.
  r = await run('npx', ['-y', `dbx-mcp@${VERSION}`, '--version']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), VERSION);
  r = await run(process.execPath, [bin, 'doctor', '--json']);
  const report = JSON.parse(r.stdout) as { checks: { id: string; status: string; fix?: string; data?: { kind?: string; package?: string } }[] };
  assert.equal(report.checks.find((c) => c.id === 'workspace.reachable')?.status, 'pass', r.stdout);

  // Outside the project npx asks the registry, which has no such version: doctor says so.
  writeFileSync(join(home, '.claude.json'), JSON.stringify({
    mcpServers: { 'databricks-sql': { type: 'stdio', command: 'npx', args: ['-y', `dbx-mcp@${VERSION}`, 'proxy', '--url', `${ws.url}/api/2.0/mcp/sql`] } },
  }));
  r = await run(process.execPath, [bin, 'doctor', '--json', '--client', 'claude-code'], home);
  const d = JSON.parse(r.stdout) as typeof report;
  const hs = d.checks.find((c) => c.id === 'server.databricks-sql.handshake');
  assert.equal(hs?.data?.kind, 'not-published', JSON.stringify(hs));
  assert.equal(hs?.data?.package, `dbx-mcp@${VERSION}`);
  assert.match(hs?.fix ?? '', /npm install -D .*\.tgz/);
  assert.ok(reg.asked.some((u) => u.includes('dbx-mcp')), 'npx asked the (loopback) registry');
});
