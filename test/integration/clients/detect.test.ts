import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCtx } from '../../../src/context.js';
import { clientIds, detectClients, getClient } from '../../../src/clients/registry.js';
import { displayPath } from '../../../src/util/paths.js';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'dbx-mcp-detect-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('nothing installed: every client says what it looked for', async () => {
  const home = join(root, 'empty');
  await mkdir(home);
  const ctx = await createCtx({}, { env: { HOME: home, PATH: '' }, interactive: false, platform: 'linux', cwd: home });
  const all = await detectClients(ctx);
  assert.deepEqual(all.map((d) => d.id), [...clientIds]);
  for (const d of all) {
    assert.equal(d.detected, false, d.id);
    assert.match(d.reason, /^not found: no ~\//, d.id);
  }
  assert.match(all.find((d) => d.id === 'claude-code')?.reason ?? '', /`claude` on PATH/);
  assert.match(all.find((d) => d.id === 'opencode')?.reason ?? '', /^not found: no ~\/\.config\/opencode and no `opencode` on PATH$/);
  assert.match(all.find((d) => d.id === 'gemini')?.reason ?? '', /^not found: no ~\/\.gemini and no `gemini` on PATH$/);
});

test('issue 13 JSON clients: detected by their config dir, by their CLI on PATH', async () => {
  const home = join(root, 'json-clients');
  const bin = join(root, 'json-bin');
  await mkdir(join(home, '.gemini'), { recursive: true });
  await mkdir(join(home, '.kiro'), { recursive: true });
  await mkdir(join(home, '.config', 'zed'), { recursive: true });
  await mkdir(bin);
  for (const b of ['opencode', 'copilot', 'cline']) {
    await writeFile(join(bin, b), '#!/bin/sh\n');
    await chmod(join(bin, b), 0o755);
  }
  const ctx = await createCtx({}, { env: { HOME: home, PATH: bin }, interactive: false, platform: 'linux', cwd: home });
  const by = Object.fromEntries((await detectClients(ctx)).map((d) => [d.id, d]));
  assert.equal(by.gemini?.reason, 'found ~/.gemini');
  assert.equal(by.kiro?.reason, 'found ~/.kiro');
  assert.equal(by.zed?.reason, 'found ~/.config/zed');
  for (const [id, b] of [['opencode', 'opencode'], ['copilot-cli', 'copilot'], ['cline', 'cline']] as const) {
    assert.equal(by[id]?.detected, true, id);
    assert.match(by[id]?.reason ?? '', new RegExp(`^\`${b}\` is on PATH`), id);
  }
});

test('detected by config file, by directory, and by a CLI on PATH', async () => {
  const home = join(root, 'full');
  const bin = join(root, 'bin');
  await mkdir(join(home, '.cursor'), { recursive: true });
  await writeFile(join(home, '.cursor', 'mcp.json'), '{}');
  await mkdir(join(home, '.codeium', 'windsurf-next'), { recursive: true });
  await mkdir(bin);
  await writeFile(join(bin, 'claude'), '#!/bin/sh\n');
  await chmod(join(bin, 'claude'), 0o755);
  const ctx = await createCtx({}, { env: { HOME: home, PATH: bin }, interactive: false, platform: 'linux', cwd: home });

  const cursor = await getClient('cursor').detect(ctx);
  assert.deepEqual(cursor, {
    id: 'cursor',
    detected: true,
    configPath: join(home, '.cursor', 'mcp.json'),
    configExists: true,
    reason: 'found ~/.cursor/mcp.json',
  });
  const ws = await getClient('windsurf').detect(ctx);
  assert.equal(ws.detected, true);
  assert.equal(ws.configPath, join(home, '.codeium', 'windsurf-next', 'mcp_config.json'));
  assert.equal(ws.configExists, false);
  const cc = await getClient('claude-code').detect(ctx);
  assert.equal(cc.detected, true);
  assert.match(cc.reason, /`claude` is on PATH/);
});

test('codex: detected by `codex` on PATH or ~/.codex; goose by its config dir', async () => {
  const home = join(root, 'codex-goose');
  const bin = join(root, 'bin-codex');
  await mkdir(bin, { recursive: true });
  await mkdir(home);
  await writeFile(join(bin, 'codex'), '#!/bin/sh\n');
  await chmod(join(bin, 'codex'), 0o755);
  const onPath = await getClient('codex').detect(await createCtx({}, { env: { HOME: home, PATH: bin }, interactive: false, platform: 'linux', cwd: home }));
  assert.equal(onPath.detected, true);
  assert.match(onPath.reason, /`codex` is on PATH/);
  await mkdir(join(home, '.codex'));
  await mkdir(join(home, '.config', 'goose'), { recursive: true });
  const ctx = await createCtx({}, { env: { HOME: home, PATH: '' }, interactive: false, platform: 'linux', cwd: home });
  const byDir = await getClient('codex').detect(ctx);
  assert.equal(byDir.detected, true);
  assert.equal(byDir.configPath, join(home, '.codex', 'config.toml'));
  const goose = await getClient('goose').detect(ctx);
  assert.equal(goose.detected, true);
  assert.equal(goose.configPath, join(home, '.config', 'goose', 'config.yaml'));
});

test('displayPath shortens home paths only', () => {
  const ctx = { home: '/home/u', platform: 'linux' as const };
  assert.equal(displayPath(ctx, '/home/u/.cursor/mcp.json'), '~/.cursor/mcp.json');
  assert.equal(displayPath(ctx, '/etc/x'), '/etc/x');
  assert.equal(displayPath({ home: 'C:\\Users\\u', platform: 'win32' }, 'C:\\Users\\u\\.claude.json'), '~\\.claude.json');
});
