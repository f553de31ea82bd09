/**
 * `host:8080` typed without a scheme gets https:// (as the SDKs normalise hosts); when a plain
 * HTTP server answers the TLS handshake, the diagnosis is the scheme, not an untrusted
 * certificate (issue 10, item 12).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PAT } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp.js';

test('a loopback host:port without a scheme: "speaks plain HTTP, not HTTPS" and the http:// form, for add and doctor', async (t) => {
  const { ws, home } = await workspaceWithHome(t);
  const hostPort = ws.url.replace(/^http:\/\//, ''); // the emulator speaks plain HTTP
  writeFileSync(join(home, '.databrickscfg'), `[DEFAULT]\nhost = ${hostPort}\ntoken = ${DEMO_PAT}\n`);

  const add = await runCli(['add', 'sql', '--client', 'cursor', '--yes'], { home });
  assert.equal(add.code, 1, add.stderr);
  assert.match(add.stderr, new RegExp(`Cannot reach https://${hostPort}: ${hostPort} speaks plain HTTP, not HTTPS`));
  assert.match(add.stderr, new RegExp(`Fix: Write the host with its scheme: http://${hostPort}`));
  assert.doesNotMatch(add.stderr, /certificate/);
  assert.equal(existsSync(join(home, '.cursor/mcp.json')), false, 'nothing was written');

  const doctor = await runCli(['doctor', '--json', '--only', 'workspace'], { home });
  const report = JSON.parse(doctor.stdout) as { checks: { id: string; status: string; summary: string; fix?: string }[] };
  const reach = report.checks.find((c) => c.id === 'workspace.reachable');
  assert.equal(reach?.status, 'fail', doctor.stdout);
  assert.match(reach.summary, /speaks plain HTTP, not HTTPS/);
  assert.match(reach.fix ?? '', new RegExp(`http://${hostPort}`));
});

test('proxy --url without a scheme: exit 2 and the URL with its scheme', async (t) => {
  const home = tempDir(t);
  for (const url of ['localhost:8080/api/2.0/mcp/sql', '127.0.0.1:8080/api/2.0/mcp/sql']) {
    const r = await runCli(['proxy', '--url', url], { home });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`Fix: Write the URL with its scheme: https://${url.replace(/\./g, '\\.')}`), url);
  }
});
