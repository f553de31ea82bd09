import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claudeMsixPackageDir, configPathFor, dbxMcpConfigDir, detectionDirs } from '../../../src/clients/paths.js';
import type { ClientId, PathInput, Scope } from '../../../src/clients/types.js';

const mac: PathInput = { platform: 'darwin', env: {}, home: '/Users/ann', cwd: '/Users/ann/repo' };
const linux: PathInput = { platform: 'linux', env: {}, home: '/home/ann', cwd: '/home/ann/repo' };
const win: PathInput = {
  platform: 'win32',
  env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' },
  home: 'C:\\Users\\ann',
  cwd: 'C:\\src\\repo',
};

const expected: Record<'darwin' | 'linux' | 'win32', Record<ClientId, Record<Scope, string | undefined>>> = {
  darwin: {
    'claude-desktop': { user: '/Users/ann/Library/Application Support/Claude/claude_desktop_config.json', project: undefined },
    cursor: { user: '/Users/ann/.cursor/mcp.json', project: '/Users/ann/repo/.cursor/mcp.json' },
    'claude-code': { user: '/Users/ann/.claude.json', project: '/Users/ann/repo/.mcp.json' },
    windsurf: { user: '/Users/ann/.codeium/windsurf/mcp_config.json', project: undefined },
    vscode: { user: '/Users/ann/Library/Application Support/Code/User/mcp.json', project: '/Users/ann/repo/.vscode/mcp.json' },
    gemini: { user: '/Users/ann/.gemini/settings.json', project: '/Users/ann/repo/.gemini/settings.json' },
    opencode: { user: '/Users/ann/.config/opencode/opencode.json', project: '/Users/ann/repo/opencode.json' },
    'copilot-cli': { user: '/Users/ann/.copilot/mcp-config.json', project: '/Users/ann/repo/.github/mcp.json' },
    zed: { user: '/Users/ann/.config/zed/settings.json', project: '/Users/ann/repo/.zed/settings.json' },
    kiro: { user: '/Users/ann/.kiro/settings/mcp.json', project: '/Users/ann/repo/.kiro/settings/mcp.json' },
    cline: { user: '/Users/ann/.cline/data/settings/cline_mcp_settings.json', project: undefined },
    codex: { user: '/Users/ann/.codex/config.toml', project: undefined },
    goose: { user: '/Users/ann/.config/goose/config.yaml', project: undefined },
  },
  linux: {
    'claude-desktop': { user: '/home/ann/.config/Claude/claude_desktop_config.json', project: undefined },
    cursor: { user: '/home/ann/.cursor/mcp.json', project: '/home/ann/repo/.cursor/mcp.json' },
    'claude-code': { user: '/home/ann/.claude.json', project: '/home/ann/repo/.mcp.json' },
    windsurf: { user: '/home/ann/.codeium/windsurf/mcp_config.json', project: undefined },
    vscode: { user: '/home/ann/.config/Code/User/mcp.json', project: '/home/ann/repo/.vscode/mcp.json' },
    gemini: { user: '/home/ann/.gemini/settings.json', project: '/home/ann/repo/.gemini/settings.json' },
    opencode: { user: '/home/ann/.config/opencode/opencode.json', project: '/home/ann/repo/opencode.json' },
    'copilot-cli': { user: '/home/ann/.copilot/mcp-config.json', project: '/home/ann/repo/.github/mcp.json' },
    zed: { user: '/home/ann/.config/zed/settings.json', project: '/home/ann/repo/.zed/settings.json' },
    kiro: { user: '/home/ann/.kiro/settings/mcp.json', project: '/home/ann/repo/.kiro/settings/mcp.json' },
    cline: { user: '/home/ann/.cline/data/settings/cline_mcp_settings.json', project: undefined },
    codex: { user: '/home/ann/.codex/config.toml', project: undefined },
    goose: { user: '/home/ann/.config/goose/config.yaml', project: undefined },
  },
  win32: {
    'claude-desktop': { user: 'C:\\Users\\ann\\AppData\\Roaming\\Claude\\claude_desktop_config.json', project: undefined },
    cursor: { user: 'C:\\Users\\ann\\.cursor\\mcp.json', project: 'C:\\src\\repo\\.cursor\\mcp.json' },
    'claude-code': { user: 'C:\\Users\\ann\\.claude.json', project: 'C:\\src\\repo\\.mcp.json' },
    windsurf: { user: 'C:\\Users\\ann\\.codeium\\windsurf\\mcp_config.json', project: undefined },
    vscode: { user: 'C:\\Users\\ann\\AppData\\Roaming\\Code\\User\\mcp.json', project: 'C:\\src\\repo\\.vscode\\mcp.json' },
    gemini: { user: 'C:\\Users\\ann\\.gemini\\settings.json', project: 'C:\\src\\repo\\.gemini\\settings.json' },
    opencode: { user: 'C:\\Users\\ann\\.config\\opencode\\opencode.json', project: 'C:\\src\\repo\\opencode.json' },
    'copilot-cli': { user: 'C:\\Users\\ann\\.copilot\\mcp-config.json', project: 'C:\\src\\repo\\.github\\mcp.json' },
    zed: { user: 'C:\\Users\\ann\\AppData\\Roaming\\Zed\\settings.json', project: 'C:\\src\\repo\\.zed\\settings.json' },
    kiro: { user: 'C:\\Users\\ann\\.kiro\\settings\\mcp.json', project: 'C:\\src\\repo\\.kiro\\settings\\mcp.json' },
    cline: { user: 'C:\\Users\\ann\\.cline\\data\\settings\\cline_mcp_settings.json', project: undefined },
    codex: { user: 'C:\\Users\\ann\\.codex\\config.toml', project: undefined },
    goose: { user: 'C:\\Users\\ann\\AppData\\Roaming\\Block\\goose\\config\\config.yaml', project: undefined },
  },
};

for (const input of [mac, linux, win]) {
  const table = expected[input.platform as 'darwin' | 'linux' | 'win32'];
  for (const client of Object.keys(table) as ClientId[]) {
    for (const scope of ['user', 'project'] as Scope[]) {
      test(`${input.platform} ${client} ${scope}`, () => {
        assert.equal(configPathFor(client, input, scope), table[client][scope]);
      });
    }
  }
}

test('opencode: opencode.jsonc when it exists (user and project), XDG_CONFIG_HOME respected', () => {
  const listDir = (dir: string): string[] => (dir === '/xdg/opencode' || dir === '/home/ann/repo' ? ['opencode.jsonc'] : []);
  const p = { ...linux, env: { XDG_CONFIG_HOME: '/xdg' }, listDir };
  assert.equal(configPathFor('opencode', p, 'user'), '/xdg/opencode/opencode.jsonc');
  assert.equal(configPathFor('opencode', p, 'project'), '/home/ann/repo/opencode.jsonc');
  assert.equal(configPathFor('opencode', { ...linux, env: { XDG_CONFIG_HOME: '/other' }, listDir }, 'user'), '/other/opencode/opencode.json');
});

test('cline: CLINE_MCP_SETTINGS_PATH names the file', () => {
  assert.equal(configPathFor('cline', { ...linux, env: { CLINE_MCP_SETTINGS_PATH: '/srv/cline.json' } }, 'user'), '/srv/cline.json');
});

test('project scope without cwd is undefined', () => {
  assert.equal(configPathFor('cursor', { ...linux, cwd: undefined }, 'project'), undefined);
});

test('linux Claude Desktop and VS Code respect an absolute XDG_CONFIG_HOME, ignore a relative one', () => {
  const p = { ...linux, env: { XDG_CONFIG_HOME: '/xdg' } };
  assert.equal(configPathFor('claude-desktop', p, 'user'), '/xdg/Claude/claude_desktop_config.json');
  assert.equal(configPathFor('vscode', p, 'user'), '/xdg/Code/User/mcp.json');
  const rel = { ...linux, env: { XDG_CONFIG_HOME: 'rel' } };
  assert.equal(configPathFor('vscode', rel, 'user'), '/home/ann/.config/Code/User/mcp.json');
});

test('XDG_CONFIG_HOME does not move macOS paths', () => {
  const p = { ...mac, env: { XDG_CONFIG_HOME: '/xdg' } };
  assert.equal(configPathFor('vscode', p, 'user'), expected.darwin.vscode.user);
});

test('Claude Code honours CLAUDE_CONFIG_DIR (user scope only)', () => {
  const p = { ...linux, env: { CLAUDE_CONFIG_DIR: '/opt/cc' } };
  assert.equal(configPathFor('claude-code', p, 'user'), '/opt/cc/.claude.json');
  assert.equal(configPathFor('claude-code', p, 'project'), '/home/ann/repo/.mcp.json');
  const w = { ...win, env: { ...win.env, CLAUDE_CONFIG_DIR: 'D:\\cc' } };
  assert.equal(configPathFor('claude-code', w, 'user'), 'D:\\cc\\.claude.json');
});

test('win32 Claude Desktop prefers the MSIX package dir when it exists', () => {
  const listed: string[] = [];
  const p: PathInput = {
    ...win,
    listDir: (dir) => {
      listed.push(dir);
      return dir === 'C:\\Users\\ann\\AppData\\Local\\Packages' ? ['Microsoft.Foo_1', 'Claude_pzs8sxrjxfjjc'] : [];
    },
  };
  assert.equal(
    configPathFor('claude-desktop', p, 'user'),
    'C:\\Users\\ann\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json',
  );
  assert.deepEqual(listed, ['C:\\Users\\ann\\AppData\\Local\\Packages']);
});

test('win32 MSIX: any Claude_* package, the known publisher hash first; none → roaming', () => {
  const p = (names: string[]): PathInput => ({ ...win, listDir: () => names });
  assert.equal(claudeMsixPackageDir(p(['Claude_zzz', 'Claude_aaa'])), 'C:\\Users\\ann\\AppData\\Local\\Packages\\Claude_aaa');
  assert.equal(
    claudeMsixPackageDir(p(['Claude_aaa', 'Claude_pzs8sxrjxfjjc'])),
    'C:\\Users\\ann\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc',
  );
  assert.equal(claudeMsixPackageDir(p(['ClaudeHelper', 'Other_x'])), undefined);
  assert.equal(configPathFor('claude-desktop', p([]), 'user'), expected.win32['claude-desktop'].user);
  const throwing: PathInput = { ...win, listDir: () => { throw new Error('EACCES'); } };
  assert.equal(configPathFor('claude-desktop', throwing, 'user'), expected.win32['claude-desktop'].user);
});

test('win32 falls back to %USERPROFILE%\\AppData when APPDATA / LOCALAPPDATA are unset', () => {
  const p: PathInput = { ...win, env: {} };
  assert.equal(configPathFor('vscode', p, 'user'), 'C:\\Users\\ann\\AppData\\Roaming\\Code\\User\\mcp.json');
  const seen: string[] = [];
  configPathFor('claude-desktop', { ...p, listDir: (d) => (seen.push(d), []) }, 'user');
  assert.deepEqual(seen, ['C:\\Users\\ann\\AppData\\Local\\Packages']);
});

test('Windsurf uses windsurf-next only when classic Windsurf never ran', () => {
  const withDirs = (names: string[]): PathInput => ({ ...mac, listDir: (d) => (d === '/Users/ann/.codeium' ? names : []) });
  assert.equal(configPathFor('windsurf', withDirs(['windsurf-next']), 'user'), '/Users/ann/.codeium/windsurf-next/mcp_config.json');
  assert.equal(configPathFor('windsurf', withDirs(['windsurf', 'windsurf-next']), 'user'), '/Users/ann/.codeium/windsurf/mcp_config.json');
  assert.equal(configPathFor('windsurf', withDirs([]), 'user'), '/Users/ann/.codeium/windsurf/mcp_config.json');
});

test('detection dirs include the app-data dirs per OS', () => {
  assert.ok(detectionDirs('claude-desktop', mac).includes('/Applications/Claude.app'));
  assert.ok(detectionDirs('claude-desktop', win).includes('C:\\Users\\ann\\AppData\\Roaming\\Claude'));
  assert.deepEqual(detectionDirs('windsurf', linux), ['/home/ann/.codeium/windsurf', '/home/ann/.codeium/windsurf-next']);
  assert.deepEqual(detectionDirs('claude-code', linux), ['/home/ann/.claude.json', '/home/ann/.claude']);
});

test('dbx-mcp config dir per OS', () => {
  assert.equal(dbxMcpConfigDir(linux), '/home/ann/.config/dbx-mcp');
  assert.equal(dbxMcpConfigDir({ ...linux, env: { XDG_CONFIG_HOME: '/xdg' } }), '/xdg/dbx-mcp');
  assert.equal(dbxMcpConfigDir(mac), '/Users/ann/.config/dbx-mcp');
  assert.equal(dbxMcpConfigDir(win), 'C:\\Users\\ann\\AppData\\Roaming\\dbx-mcp');
});

test('codex follows $CODEX_HOME; goose follows $XDG_CONFIG_HOME on Linux', () => {
  assert.equal(configPathFor('codex', { ...linux, env: { CODEX_HOME: '/srv/codex' } }, 'user'), '/srv/codex/config.toml');
  assert.equal(configPathFor('goose', { ...linux, env: { XDG_CONFIG_HOME: '/xdg' } }, 'user'), '/xdg/goose/config.yaml');
});
