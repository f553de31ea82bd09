// Package benchmark: packed tarball size, and how many packages `npx dbx-mcp` installs
// (measured by installing the packed tarball into an empty prefix, offline).
// Goal (issue 2): one package, ≤ 500 KB packed (issue 5 allows 1 MB once the emulator ships).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function countPackages(nodeModules) {
  let n = 0;
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) n += readdirSync(join(nodeModules, name)).length;
    else n++;
  }
  return n;
}

export function runSizeBench(limitKb = 1024) {
  const dir = mkdtempSync(join(tmpdir(), 'dbx-mcp-pack-'));
  try {
    const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const info = JSON.parse(out)[0];
    const tgz = join(dir, info.filename);
    const prefix = join(dir, 'install');
    execFileSync(npm, ['install', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tgz], { stdio: 'ignore' });
    const packages = countPackages(join(prefix, 'node_modules'));
    const kb = statSync(tgz).size / 1024;
    return [
      ['packed tarball', `${kb.toFixed(0)} KB`, `goal ≤ ${limitKb} KB ${kb <= limitKb ? '✔' : '✖'}`],
      ['unpacked', `${(info.unpackedSize / 1024).toFixed(0)} KB`, `${info.entryCount} files`],
      ['packages installed by npx dbx-mcp', String(packages), `goal 1 ${packages === 1 ? '✔' : '✖'}`],
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(runSizeBench());
}
