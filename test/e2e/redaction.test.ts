/**
 * Secrets of OTHER servers and OTHER profiles never reach a diff (issue 18, item 4): values
 * under header/env entries and secret-looking keys are shown as `***`, while the diff still
 * shows which line changes. The canaries are not token-shaped, so only the key rule hides them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { workspaceWithHome } from '../helpers/workspace.js';

const API_KEY = 'sk-live-canary-0001-abcdefgh';
const OPENAI = 'sk-canary-0002-openai-ijklmn';

function cursorWithOtherServer(home: string): string {
  const file = join(home, '.cursor', 'mcp.json');
  mkdirSync(join(home, '.cursor'), { recursive: true });
  writeFileSync(file, `{
  "mcpServers": {
    "other": {
      "url": "https://api.example.com/mcp",
      "headers": { "X-Api-Key": "${API_KEY}" },
      "env": {
        "OPENAI_API_KEY": "${OPENAI}"
      }
    }
  }
}
`);
  return file;
}

test('add --dry-run masks another server\'s header and env values, still showing the structure', async (t) => {
  const { home } = await workspaceWithHome(t);
  const file = cursorWithOtherServer(home);
  const before = readFileSync(file, 'utf8');
  const r = await runCli(['add', 'sql', '--client', 'cursor', '--dry-run'], { home });
  assert.equal(r.code, 0, r.stderr);
  for (const canary of [API_KEY, OPENAI]) assert.equal((r.stdout + r.stderr).includes(canary), false, `${canary} printed:\n${r.stdout}`);
  assert.match(r.stdout, /"OPENAI_API_KEY": "\*\*\*"/, 'the key stays visible, its value is masked');
  assert.match(r.stdout, /^\+ {4}"databricks-sql": \{/m, 'the added entry is shown');
  assert.equal(readFileSync(file, 'utf8'), before);
});

test('--json of add --dry-run carries no other server\'s secret either', async (t) => {
  const { home } = await workspaceWithHome(t);
  cursorWithOtherServer(home);
  const r = await runCli(['add', 'sql', '--client', 'cursor', '--dry-run', '--json'], { home });
  assert.equal(r.code, 0, r.stderr);
  for (const canary of [API_KEY, OPENAI]) assert.equal((r.stdout + r.stderr).includes(canary), false, canary);
});
