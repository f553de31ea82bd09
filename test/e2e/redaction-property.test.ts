/**
 * The redaction property through the real CLI (a representative subset; the seeded sweep over
 * every codec runs in-process in test/unit/secrets-property.test.ts): a HOME whose Cursor (JSON),
 * Codex (TOML) and Goose (YAML) files and ~/.databrickscfg (INI) hold canary secrets in other
 * servers and profiles; no command prints one, on stdout, stderr, --json or --dry-run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_GENIE_SPACES, DEMO_PAT, startFakeWorkspace } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { genIni, genJson, genToml, genYaml } from '../helpers/secret-configs.js';
import { tempDir } from '../helpers/temp.js';

const CLIENTS = 'cursor,codex,goose';

for (const seed of [42]) {
  test(`no canary in any command's output (seed ${seed})`, async (t) => {
    const ws = await startFakeWorkspace();
    t.after(() => ws.close());
    const home = tempDir(t);
    const files = [
      { path: join(home, '.cursor', 'mcp.json'), gen: genJson(seed) },
      { path: join(home, '.codex', 'config.toml'), gen: genToml(seed + 1) },
      { path: join(home, '.config', 'goose', 'config.yaml'), gen: genYaml(seed + 2) },
      { path: join(home, '.databrickscfg'), gen: genIni(seed + 3, ws.url, DEMO_PAT) },
    ];
    for (const f of files) {
      mkdirSync(join(f.path, '..'), { recursive: true });
      writeFileSync(f.path, f.gen.text, { mode: 0o600 });
    }
    const canaries = files.flatMap((f) => f.gen.canaries);
    const repo = tempDir(t);
    execFileSync('git', ['init', '-q', repo]);
    writeFileSync(join(repo, 'dbx-mcp.json'), JSON.stringify({ version: 1, workspace: { host: ws.url }, servers: [{ type: 'functions', target: 'main.tools' }], clients: CLIENTS.split(',') }));

    // Commands that edit run while the canaries are the files' last entries, so they sit in the diffs' context.
    const runs: [string[], string?][] = [
      [['sync', '--check'], repo],
      [['sync', '--check', '--json'], repo],
      [['add', 'sql', '--client', CLIENTS, '--dry-run']],
      [['add', 'sql', '--client', CLIENTS, '--dry-run', '--json']],
      [['init', '--profile', 'DEFAULT', '--client', CLIENTS, '--genie', DEMO_GENIE_SPACES.sales, '--yes']],
      [['add', 'sql', '--client', CLIENTS, '--yes']],
      [['list']],
      [['list', '--json']],
      [['remove', 'databricks-sql', '--client', CLIENTS, '--dry-run']],
      [['remove', 'databricks-sql', '--client', CLIENTS, '--dry-run', '--json']],
      [['doctor', '--json', '--client', CLIENTS]],
      [['doctor', '--verbose', '--client', CLIENTS]],
    ];
    for (const [args, cwd] of runs) {
      const r = await runCli(args, { home, cwd, timeoutMs: 60_000 });
      assert.ok(r.code !== null && r.code <= 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
      const shown = r.stdout + r.stderr;
      for (const c of canaries) assert.equal(shown.includes(c), false, `dbx-mcp ${args.join(' ')} printed ${c}:\n${shown}`);
    }
  });
}
