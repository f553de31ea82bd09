/**
 * Golden files: the exact text every client × auth mode × scope × platform × starting file gets
 * from planning one server. They pin today's output so that a restructuring of the client code
 * (catalog, codecs) provably writes byte-identical configs. After a deliberate change of output,
 * regenerate with `GOLDEN_UPDATE=1 node test/run.mjs golden` and review the diff of
 * test/fixtures/golden/entries.json like any other change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCtx } from '../../../src/context.js';
import { clientIds, getClient } from '../../../src/clients/registry.js';
import type { ConfigFormat } from '../../../src/config/codecs/index.js';
import { planUpsert } from '../../../src/clients/plan.js';
import type { AuthMode, Scope, ServerSpec } from '../../../src/clients/types.js';

const GOLDEN = fileURLToPath(new URL('../../fixtures/golden/entries.json', import.meta.url));
const AUTHS: AuthMode[] = ['proxy', 'header', 'oauth', 'mcp-remote'];
const SCOPES: Scope[] = ['user', 'project'];
const PLATFORMS: NodeJS.Platform[] = ['linux', 'darwin', 'win32'];
const TOKEN = 'dapi-golden-0000000000000000000000';

/** A hand-kept file of each format: comments, CRLF, unknown keys and another server. */
const HAND_KEPT = {
  jsonc: (key: string) => `// kept by hand\r\n{\r\n  "theme": "dark", // unknown key\r\n  "${key}": {\r\n    "other": { "command": "other-server" }\r\n  }\r\n}\r\n`,
  toml: (key: string) => `# kept by hand\r\nmodel = "o3" # unknown key\r\n\r\n[${key}.other]\r\ncommand = "other-server"\r\n`,
  yaml: (key: string) => `# kept by hand\r\nGOOSE_MODEL: o3 # unknown key\r\n${key}:\r\n  other:\r\n    type: stdio\r\n    cmd: other-server\r\n`,
} satisfies Record<ConfigFormat, (serversKey: string) => string>;

/** Starting files: none, and a hand-kept one in the client's format. */
const STARTS: Record<string, (serversKey: string, format: ConfigFormat) => string | null> = {
  'no file': () => null,
  'hand-kept': (key, format) => HAND_KEPT[format](key),
};

function spec(auth: AuthMode, literal: boolean, scope: Scope): ServerSpec {
  return {
    name: 'databricks-genie-sales',
    url: 'https://adb-1.azuredatabricks.net/api/2.0/mcp/genie/01ef34712a29169db030324fd0e1df5f',
    kind: 'genie',
    auth,
    profile: scope === 'project' ? undefined : 'DEFAULT',
    tokenEnvVar: 'DATABRICKS_TOKEN',
    literalToken: literal ? TOKEN : undefined,
    oauth: auth === 'oauth' ? { clientId: '6f1c2a9e-1d2b-4c3d-9e8f-0a1b2c3d4e5f', callbackPort: 33418 } : undefined,
    launcher: scope === 'project' ? { command: 'npx', args: ['-y', 'dbx-mcp@0.0.0-golden'] } : { command: '/usr/bin/node', args: ['/opt/dbx-mcp/bin/dbx-mcp.js'] },
    meta: { warehouse_id: 'abcdef1234567890' },
  };
}

test('every client × auth mode × scope × platform writes exactly the golden text', async () => {
  // Fixed paths that exist nowhere: planning with a given base text reads no file, and the
  // golden text must not depend on a random temporary folder.
  const home = '/golden/home';
  const repo = '/golden/repo';

  const actual: Record<string, string> = {};
  for (const platform of PLATFORMS) {
    const ctx = await createCtx({}, { env: { HOME: home, USERPROFILE: home, APPDATA: join(home, 'AppData', 'Roaming'), PATH: '' }, interactive: false, cwd: repo, platform, now: () => 1_750_000_000_000 });
    for (const client of clientIds) {
      for (const scope of SCOPES) {
        for (const auth of AUTHS) {
          for (const literal of scope === 'user' && (auth === 'header' || auth === 'mcp-remote') ? [false, true] : [false]) {
            for (const [startName, start] of Object.entries(STARTS)) {
              const key = `${platform} ${client} ${scope} ${auth}${literal ? ' literal' : ''} ${startName}`;
              const { serversPath, format } = getClient(client);
              const serversKey = serversPath[0] as string;
              try {
                const r = await planUpsert(ctx, { client, scope, spec: spec(auth, literal, scope), projectRoot: repo, baseText: start(serversKey, format), ownership: { version: 1, entries: [] } as never });
                const file = r.file;
                actual[key] = `${r.status} ${file} ${r.change?.holdsSecret ? '0600' : '-'}\n${r.change?.after ?? '(no change)'}`;
              } catch (e) {
                actual[key] = `error: ${(e as Error).message}`;
              }
            }
          }
        }
      }
    }
  }

  if (process.env.GOLDEN_UPDATE === '1' || !existsSync(GOLDEN)) {
    writeFileSync(GOLDEN, JSON.stringify(actual, null, 1) + '\n');
    if (process.env.GOLDEN_UPDATE !== '1') assert.fail(`${GOLDEN} did not exist: written; review and commit it`);
    return;
  }
  const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, string>;
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(golden).sort(), 'the same combinations');
  for (const k of Object.keys(golden)) assert.equal(actual[k], golden[k], k);
});
