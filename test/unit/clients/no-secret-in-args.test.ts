/**
 * No code path puts a secret into a command line: every client × auth mode × literal token ×
 * token variable × platform × launcher, rendered directly and through a team manifest. A
 * token in `args` is printed by `claude mcp list`/`get` and visible to every local user in
 * `ps`; a `${VAR}` in args that the client expands itself (Claude Code) is the same thing
 * once expanded. Secrets may appear only in `env` or `headers` values, and only in entries
 * marked holdsSecret (which plan.ts keeps out of project files and writes at 0600).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientId } from '../../../src/clients/catalog/index.js';
import { readerFor } from '../../../src/clients/read-entry.js';
import { clientIds, renderEntry } from '../../../src/clients/registry.js';
import { clientDefinition } from '../../../src/clients/catalog/index.js';
import { AUTH_HEADER_ENV_VAR } from '../../../src/clients/render.js';
import type { AuthMode, Rendered, ServerSpec } from '../../../src/clients/types.js';
import { manifestToSpecs } from '../../../src/manifest/specs.js';
import type { Manifest } from '../../../src/manifest/schema.js';

const TOKEN = 'dapi0123456789abcdef0123456789abcd';
const AUTHS: AuthMode[] = ['proxy', 'header', 'oauth', 'mcp-remote'];
const PLATFORMS: NodeJS.Platform[] = ['linux', 'darwin', 'win32'];
const LAUNCHERS = [
  { command: '/usr/bin/node', args: ['/abs/dbx-mcp/bin/dbx-mcp.js'] },
  { command: 'npx', args: ['-y', 'dbx-mcp@0.1.0'] },
];
const URLS = ['https://adb-1.azuredatabricks.net/api/2.0/mcp/sql', 'http://127.0.0.1:5555/api/2.0/mcp/sql'];

/** Every string in a JSON value, with the path of keys that leads to it. */
function strings(v: unknown, path: string[] = []): { path: string[]; value: string }[] {
  if (typeof v === 'string') return [{ path, value: v }];
  if (Array.isArray(v)) return v.flatMap((x, i) => strings(x, [...path, String(i)]));
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => strings(x, [...path, k]));
  return [];
}

/** The assertions every rendered entry must pass. */
function assertNoSecretInArgs(r: Rendered, label: string, tokenVar: string, literal: string | undefined, client: ClientId): void {
  // Through the client's reader: OpenCode's command line is one array under `command`.
  const read = readerFor(client)(r.entry);
  const commandLine = read?.transport === 'stdio' ? [read.command, ...read.args] : [];
  for (const word of commandLine) {
    assert.ok(!word.includes(TOKEN), `${label}: the token is in the command line: ${word}`);
    // A reference to the token's variable in args is expanded by clients like Claude Code into
    // the real token on the child's command line; only the entry-local header variable may be there.
    assert.ok(!word.includes(tokenVar), `${label}: the token variable ${tokenVar} is referenced in the command line: ${word}`);
    assert.ok(!/Bearer/i.test(word), `${label}: a bearer value is in the command line: ${word}`);
    if (word.includes('${')) assert.equal(word, `Authorization:\${${AUTH_HEADER_ENV_VAR}}`, `${label}: unexpected reference in args`);
  }
  // The static OAuth client info is public: a client id, never a client secret.
  const args = commandLine.slice(1);
  const i = args.indexOf('--static-oauth-client-info');
  if (i !== -1) assert.deepEqual(Object.keys(JSON.parse(args[i + 1]!) as object), ['client_id'], `${label}: static client info`);

  const holders = strings(r.entry).filter((s) => s.value.includes(TOKEN));
  for (const h of holders) {
    const [first, second] = h.path;
    // `environment`: OpenCode's name, `envs`: Goose's name for a stdio entry's environment.
    assert.ok(first === 'env' || first === 'environment' || first === 'envs' || first === 'headers', `${label}: the token is at ${h.path.join('.')}, not in env/headers`);
    assert.equal(h.path.length, 2, `${label}: the token is nested at ${h.path.join('.')}`);
    assert.ok(second !== undefined);
  }
  assert.equal(r.holdsSecret, holders.length > 0, `${label}: holdsSecret must say whether the entry holds the token`);
  if (literal === undefined) assert.equal(holders.length, 0, `${label}: a token appeared without one being given`);
}

test('no client × auth × literal × variable × platform × launcher puts a secret into command or args', () => {
  let n = 0;
  for (const client of clientIds) {
    for (const auth of AUTHS) {
      for (const literal of [undefined, TOKEN]) {
        for (const tokenVar of ['DATABRICKS_TOKEN', 'TEAM_DBX_TOKEN']) {
          for (const platform of PLATFORMS) {
            for (const launcher of LAUNCHERS) {
              for (const url of URLS) {
                const spec: ServerSpec = {
                  name: 'databricks-sql',
                  url,
                  kind: 'sql',
                  auth,
                  profile: 'DEFAULT',
                  tokenEnvVar: tokenVar,
                  literalToken: literal,
                  oauth: { clientId: 'a1b2c3d4-public-client', callbackPort: 3334 },
                  launcher,
                  meta: { warehouse_id: 'w1' },
                };
                const label = `${client}/${auth}/${literal ? 'literal' : 'env'}/${tokenVar}/${platform}/${launcher.command}/${url}`;
                if (literal !== undefined && auth === 'header' && clientDefinition(client).literalTokenRefusal !== undefined) {
                  assert.throws(() => renderEntry(client, spec, platform), (e: unknown) => e instanceof Error && !`${e.message}`.includes(TOKEN), label);
                  n++;
                  continue;
                }
                assertNoSecretInArgs(renderEntry(client, spec, platform), label, tokenVar, literal, client);
                n++;
              }
            }
          }
        }
      }
    }
  }
  assert.equal(n, clientIds.length * AUTHS.length * 2 * 2 * PLATFORMS.length * LAUNCHERS.length * URLS.length);
});

test('manifest specs (sync, both scopes, every auth) render without a secret anywhere', () => {
  const ctx = { execPath: '/usr/bin/node', argv: ['/usr/bin/node', '/abs/dbx-mcp/bin/dbx-mcp.js'], version: '0.1.0' };
  for (const auth of AUTHS) {
    const manifest: Manifest = {
      version: 1,
      workspace: { host: 'https://adb-1.azuredatabricks.net' },
      servers: [{ type: 'sql' }, { type: 'genie', space_id: '01ef34712a29169db030324fd0e1df5f' }],
      auth,
      oauth: { clientId: 'a1b2c3d4-public-client' },
    };
    for (const scope of ['user', 'project'] as const) {
      for (const spec of manifestToSpecs(ctx, manifest, 'DEFAULT', { scope })) {
        assert.equal(spec.literalToken, undefined);
        for (const client of clientIds) {
          for (const platform of PLATFORMS) {
            const r = renderEntry(client, spec, platform);
            assertNoSecretInArgs(r, `manifest/${auth}/${scope}/${client}/${platform}`, 'DATABRICKS_TOKEN', undefined, client);
          }
        }
      }
    }
  }
});
