/**
 * Property: whatever secrets another server or profile holds, under whatever key name, no diff
 * dbx-mcp shows carries one (issue 18, item 4). Seeded configs in every codec; each is edited the
 * way add / remove / a token rotation edit it (the real codecs), and the rendered plan, the sync
 * --json diff and the masked text are searched for every canary.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactedDiff } from '../../src/config/diff.js';
import { loadCodec, type ConfigFormat } from '../../src/config/codecs/index.js';
import { planFileEdit } from '../../src/config/file-plan.js';
import { formatOfPath, maskSecrets } from '../../src/redact-text.js';
import { redact } from '../../src/secrets.js';
import { renderPlan } from '../../src/ui/plan.js';
import { genIni, genJson, genToml, genYaml, type Generated } from '../helpers/secret-configs.js';

const SEEDS = 80;
const ENTRY = { command: '/usr/bin/node', args: ['/opt/dbx-mcp/bin/dbx-mcp.js', 'proxy', '--url', 'https://ws.example.com/api/2.0/mcp/sql', '--profile', 'DEFAULT'] };

const CODECS: { format: ConfigFormat; file: string; table: string; gen: (seed: number) => Generated }[] = [
  { format: 'jsonc', file: '/h/.cursor/mcp.json', table: 'mcpServers', gen: genJson },
  { format: 'toml', file: '/h/.codex/config.toml', table: 'mcp_servers', gen: genToml },
  { format: 'yaml', file: '/h/.config/goose/config.yaml', table: 'extensions', gen: genYaml },
];

function assertHidden(shown: string, canaries: string[], what: string): void {
  for (const c of canaries) assert.equal(shown.includes(c), false, `${what}: ${c} shown in\n${shown}`);
}

function shownFor(file: string, before: string | null, after: string): string {
  const change = planFileEdit(file, before, after, { holdsSecret: false, summary: [`~ ${file}`] });
  assert.ok(change, `the edit changes ${file}:\n${before}`);
  return renderPlan({ changes: [change], notes: [] }, { color: false }) + redactedDiff(file, before, after);
}

for (const { format, file, table, gen } of CODECS) {
  test(`${format}: add, remove and a rotated secret show no canary (${SEEDS} seeds)`, async () => {
    const codec = await loadCodec(format);
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { text, canaries } = gen(seed);
      assert.doesNotThrow(() => codec.parse(text, file), `seed ${seed} generates a valid file:\n${text}`);
      assertHidden(redact(maskSecrets(text, formatOfPath(file))), canaries, `seed ${seed} masked`);
      const added = codec.set(text, [table, 'databricks-sql'], ENTRY, file);
      const add = shownFor(file, text, added);
      assertHidden(add, canaries, `seed ${seed} add`);
      assert.match(add, /^\+.*databricks-sql/m, `seed ${seed}: the diff still shows what is added`);
      assertHidden(shownFor(file, added, text), canaries, `seed ${seed} remove`);
      assertHidden(shownFor(file, text, codec.remove(text, [table, 'other-0'], file)), canaries, `seed ${seed} remove other`);
      const first = canaries[0] as string;
      const rotated = text.split(first).join(`${first}r`);
      const rot = shownFor(file, text, rotated);
      assertHidden(rot, [...canaries, `${first}r`], `seed ${seed} rotate`);
      assert.match(rot, /^-.*\*\*\*/m, `seed ${seed}: a changed secret is a changed line`);
      assertHidden(shownFor(file, null, text), canaries, `seed ${seed} new file`);
    }
  });
}

test(`ini: a new profile and a rotated token show no other profile's secret (${SEEDS} seeds)`, () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const { text, canaries } = genIni(seed, 'https://ws.example.com', `cnryDEFAULT${seed}`);
    const all = [...canaries, `cnryDEFAULT${seed}`];
    assertHidden(shownFor('/h/.databrickscfg', text, `${text}\n[work]\nhost  = https://w.example.com\ntoken = cnryNEW${seed}\n`), [...all, `cnryNEW${seed}`], `seed ${seed} new profile`);
    assertHidden(shownFor('/h/.databrickscfg', text, text.split(`cnryDEFAULT${seed}`).join('cnryROTATED')), [...all, 'cnryROTATED'], `seed ${seed} rotate`);
  }
});
