import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../../../src/config/file-plan.js';
import { parseJsonc } from '../../../src/config/jsonc-edit.js';
import { createCtx, type Ctx } from '../../../src/context.js';
import { ConfigParseError, UsageError } from '../../../src/errors.js';
import { listServers } from '../../../src/clients/list.js';
import { configFileFor } from '../../../src/clients/target.js';
import { forgetRemoved, loadOwnership, ownershipFile, recordWritten } from '../../../src/clients/ownership.js';
import { planRemove, planUpsert, type UpsertRequest } from '../../../src/clients/plan.js';
import type { ServerSpec } from '../../../src/clients/types.js';

const URL_ = 'https://adb-1.azuredatabricks.net/api/2.0/mcp/genie/01ef';
const spec = (o: Partial<ServerSpec> = {}): ServerSpec => ({
  name: 'databricks-genie-sales',
  url: URL_,
  kind: 'genie',
  auth: 'proxy',
  profile: 'DEFAULT',
  launcher: { command: '/usr/bin/node', args: ['/opt/dbx-mcp/bin/dbx-mcp.js'] },
  ...o,
});

let root: string;
let home: string;
let repo: string;
let ctx: Ctx;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'dbx-mcp-clients-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh HOME and repository per test: tests share nothing. */
async function fresh(): Promise<void> {
  const dir = await mkdtemp(join(root, 't-'));
  home = join(dir, 'home');
  repo = join(dir, 'repo');
  await mkdir(home, { recursive: true });
  await mkdir(join(repo, '.git'), { recursive: true });
  ctx = await createCtx({}, { env: { HOME: home, PATH: '' }, interactive: false, cwd: repo, platform: 'linux', now: () => 1_750_000_000_000 });
}

/** Plan, apply, record: what a command does. */
async function upsert(req: UpsertRequest) {
  const r = await planUpsert(ctx, req);
  if (r.change) await applyPlan({ changes: [r.change], notes: [] });
  if (r.record && r.status !== 'conflict') await recordWritten(ctx, [r.record]);
  return r;
}

const cursorFile = () => join(home, '.cursor', 'mcp.json');

describe('planUpsert', () => {
  test('add → unchanged on re-run → update → unchanged', async () => {
    await fresh();
    const a = await upsert({ client: 'cursor', scope: 'user', spec: spec() });
    assert.equal(a.status, 'added');
    assert.equal(a.change?.before, null);
    assert.match(a.message, /Added "databricks-genie-sales" to Cursor \(~\/\.cursor\/mcp\.json\)/);
    assert.deepEqual(a.change?.summary, ['+ mcpServers.databricks-genie-sales (cursor, proxy)']);
    const doc = parseJsonc(await readFile(cursorFile(), 'utf8'), 'f') as { mcpServers: Record<string, { args: string[] }> };
    assert.deepEqual(doc.mcpServers['databricks-genie-sales']?.args.slice(1, 4), ['proxy', '--url', URL_]);

    const b = await upsert({ client: 'cursor', scope: 'user', spec: spec() });
    assert.equal(b.status, 'unchanged');
    assert.equal(b.change, null);

    const c = await upsert({ client: 'cursor', scope: 'user', spec: spec({ profile: 'prod' }) });
    assert.equal(c.status, 'updated');
    assert.ok(c.change?.after.includes('"prod"'));
    assert.equal((await upsert({ client: 'cursor', scope: 'user', spec: spec({ profile: 'prod' }) })).status, 'unchanged');
  });

  test("conflict with the user's own entry, then --force takes it over", async () => {
    await fresh();
    await mkdir(join(home, '.cursor'));
    const mine = '{\n  "mcpServers": {\n    "databricks-genie-sales": { "url": "https://example.com/mcp" }\n  }\n}\n';
    await writeFile(cursorFile(), mine);
    const r = await upsert({ client: 'cursor', scope: 'user', spec: spec() });
    assert.equal(r.status, 'conflict');
    assert.equal(r.change, null);
    assert.equal(r.record, null);
    assert.match(r.message, /an entry named "databricks-genie-sales" that dbx-mcp did not write exists in ~\/\.cursor\/mcp\.json; use --name to pick another name or --force to take it over/);
    assert.equal(await readFile(cursorFile(), 'utf8'), mine);

    const f = await upsert({ client: 'cursor', scope: 'user', spec: spec(), force: true });
    assert.equal(f.status, 'updated');
    // Once taken over it is ours: a later update needs no --force.
    assert.equal((await upsert({ client: 'cursor', scope: 'user', spec: spec({ profile: 'x' }) })).status, 'updated');
  });

  test('an unrecorded entry equal to what we render counts as ours (lost registry)', async () => {
    await fresh();
    await upsert({ client: 'claude-code', scope: 'user', spec: spec() });
    await rm(ownershipFile(ctx));
    assert.equal((await planUpsert(ctx, { client: 'claude-code', scope: 'user', spec: spec() })).status, 'unchanged');
    assert.equal((await planUpsert(ctx, { client: 'claude-code', scope: 'user', spec: spec({ profile: 'p2' }) })).status, 'conflict');
  });

  test('comments and unrelated content are preserved (VS Code JSONC)', async () => {
    await fresh();
    const file = join(home, '.config', 'Code', 'User', 'mcp.json');
    await mkdir(join(home, '.config', 'Code', 'User'), { recursive: true });
    const text = [
      '// my MCP servers',
      '{',
      '  "inputs": [],',
      '  "servers": {',
      '    // the git server',
      '    "git": { "type": "stdio", "command": "uvx", "args": ["mcp-server-git"] },',
      '  },',
      '}',
      '',
    ].join('\n');
    await writeFile(file, text);
    const r = await upsert({ client: 'vscode', scope: 'user', spec: spec({ auth: 'header' }) });
    assert.equal(r.status, 'added');
    const out = await readFile(file, 'utf8');
    assert.ok(out.startsWith('// my MCP servers\n{\n  "inputs": [],\n  "servers": {\n    // the git server\n    "git": { "type": "stdio", "command": "uvx", "args": ["mcp-server-git"] },'));
    assert.ok(out.includes('"Authorization": "Bearer ${env:DATABRICKS_TOKEN}"'));
  });

  test('a file that does not parse: ConfigParseError, file untouched', async () => {
    await fresh();
    await mkdir(join(home, '.cursor'));
    await writeFile(cursorFile(), '{ "mcpServers": { ');
    await assert.rejects(planUpsert(ctx, { client: 'cursor', scope: 'user', spec: spec() }), (e) => e instanceof ConfigParseError && e.exitCode === 2);
    await assert.rejects(listServers(ctx, 'cursor', 'user'), ConfigParseError);
    assert.equal(await readFile(cursorFile(), 'utf8'), '{ "mcpServers": { ');
  });

  test('project scope never receives a secret; env references and proxy are fine', async () => {
    await fresh();
    for (const s of [spec({ auth: 'header', literalToken: 'dapiSECRET' }), spec({ auth: 'mcp-remote', literalToken: 'dapiSECRET' })]) {
      await assert.rejects(
        planUpsert(ctx, { client: 'claude-code', scope: 'project', spec: s }),
        (e) => e instanceof UsageError && /--auth proxy/.test(e.hint ?? '') && !e.message.includes('dapiSECRET'),
      );
    }
    const ok = await upsert({ client: 'claude-code', scope: 'project', spec: spec({ auth: 'header' }) });
    assert.equal(ok.file, join(repo, '.mcp.json'));
    assert.equal(ok.change?.holdsSecret, false);
  });

  test('every client × auth × literal: a token only ever reaches a user file marked holdsSecret (0600), never a project file', async () => {
    await fresh();
    const TOKEN = 'dapiENUMERATED0123456789';
    for (const client of ['claude-desktop', 'cursor', 'claude-code', 'windsurf', 'vscode'] as const) {
      for (const auth of ['proxy', 'header', 'oauth', 'mcp-remote'] as const) {
        for (const literalToken of [undefined, TOKEN]) {
          const s = spec({ name: `s-${auth}`, auth, literalToken, oauth: { clientId: 'pub-client' } });
          const label = `${client}/${auth}/${literalToken ? 'literal' : 'env'}`;
          for (const scope of ['user', 'project'] as const) {
            if (configFileFor(ctx, client, scope) === undefined) continue;
            let r: Awaited<ReturnType<typeof planUpsert>>;
            try {
              r = await planUpsert(ctx, { client, scope, spec: s });
            } catch (e) {
              assert.ok(scope === 'project' && literalToken !== undefined && e instanceof UsageError, `${label}/${scope}: ${String(e)}`);
              assert.ok(!(e as Error).message.includes(TOKEN) && !((e as UsageError).hint ?? '').includes(TOKEN));
              continue;
            }
            const inFile = r.change?.after.includes(TOKEN) ?? false;
            assert.equal(r.change?.holdsSecret ?? false, inFile, `${label}/${scope}: holdsSecret says whether the token is in the file`);
            if (scope === 'project') assert.equal(inFile, false, `${label}: a token in a project file`);
          }
        }
      }
    }
  });

  test('project scope resolves to the repository root from a subdirectory', async () => {
    await fresh();
    const sub = join(repo, 'pkg', 'a');
    await mkdir(sub, { recursive: true });
    const subCtx = await createCtx({}, { env: ctx.env, interactive: false, cwd: sub, platform: 'linux' });
    const r = await planUpsert(subCtx, { client: 'vscode', scope: 'project', spec: spec() });
    assert.equal(r.file, join(repo, '.vscode', 'mcp.json'));
  });

  test('a scope the client has no file for is a usage error', async () => {
    await fresh();
    await assert.rejects(planUpsert(ctx, { client: 'windsurf', scope: 'project', spec: spec() }), UsageError);
    assert.deepEqual(await listServers(ctx, 'claude-desktop', 'project'), []);
  });

  test('a literal token in a user file: holdsSecret, written 0600', async () => {
    await fresh();
    const r = await upsert({ client: 'cursor', scope: 'user', spec: spec({ auth: 'header', literalToken: 'dapiX' }) });
    assert.equal(r.change?.holdsSecret, true);
    assert.equal((await stat(cursorFile())).mode & 0o777, 0o600);
  });
});

describe('chaining several entries into one file (baseText)', () => {
  test('the second plan starts from the first plan\'s text', async () => {
    await fresh();
    const file = configFileFor(ctx, 'vscode', 'project');
    assert.equal(file, join(repo, '.vscode', 'mcp.json'));
    const a = await planUpsert(ctx, { client: 'vscode', scope: 'project', spec: spec() });
    const b = await planUpsert(ctx, { client: 'vscode', scope: 'project', spec: spec({ name: 'sql', url: `${URL_}x` }), baseText: a.change?.after });
    assert.equal(b.status, 'added');
    assert.equal(b.change?.before, a.change?.after);
    const doc = parseJsonc(b.change?.after ?? '', 'f') as { servers: Record<string, unknown> };
    assert.deepEqual(Object.keys(doc.servers), ['databricks-genie-sales', 'sql']);
    const r = await planRemove(ctx, { client: 'vscode', scope: 'project', name: 'sql', baseText: b.change?.after, spec: spec({ name: 'sql', url: `${URL_}x` }) });
    assert.equal(r.status, 'removed');
    assert.equal(r.change?.after, a.change?.after);
  });
});

describe("Claude Code's ~/.claude.json", () => {
  test('only mcpServers changes in a large state file', async () => {
    await fresh();
    const big: Record<string, unknown> = {
      numStartups: 412,
      tipsHistory: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`tip-${i}`, i])),
      projects: Object.fromEntries(
        Array.from({ length: 200 }, (_, i) => [
          `/home/u/p${i}`,
          { allowedTools: [], history: Array.from({ length: 10 }, (_, j) => ({ display: `cmd ${j}`, pastedContents: {} })), mcpServers: {} },
        ]),
      ),
      mcpServers: { existing: { type: 'stdio', command: 'uvx', args: ['x'] } },
      oauthAccount: { emailAddress: 'u@example.com' },
      userID: 'abc',
    };
    const text = JSON.stringify(big, null, 2) + '\n';
    assert.ok(text.length > 100_000);
    const file = join(home, '.claude.json');
    await writeFile(file, text);
    await upsert({ client: 'claude-code', scope: 'user', spec: spec({ auth: 'header' }) });
    const out = await readFile(file, 'utf8');
    const parsed = JSON.parse(out) as Record<string, unknown> & { mcpServers: Record<string, unknown> };
    assert.deepEqual(Object.keys(parsed), Object.keys(big));
    assert.deepEqual({ ...parsed, mcpServers: undefined }, { ...big, mcpServers: undefined });
    assert.deepEqual(Object.keys(parsed.mcpServers), ['existing', 'databricks-genie-sales']);
    // Byte-level: everything before the top-level mcpServers object is identical.
    const cut = text.indexOf('\n  "mcpServers"');
    assert.equal(out.slice(0, cut), text.slice(0, cut));
    assert.ok(out.endsWith('  "oauthAccount": {\n    "emailAddress": "u@example.com"\n  },\n  "userID": "abc"\n}\n'));
    // Per-project mcpServers (Claude Code's local scope) are untouched.
    assert.deepEqual((parsed.projects as Record<string, { mcpServers: unknown }>)['/home/u/p0']?.mcpServers, {});

    const rm1 = await planRemove(ctx, { client: 'claude-code', scope: 'user', name: 'databricks-genie-sales' });
    assert.equal(rm1.status, 'removed');
    await applyPlan({ changes: rm1.change ? [rm1.change] : [], notes: [] });
    assert.equal(await readFile(file, 'utf8'), text);
  });
});

describe('planRemove and ownership', () => {
  test('removes only entries dbx-mcp wrote', async () => {
    await fresh();
    await mkdir(join(home, '.cursor'));
    await writeFile(cursorFile(), '{\n  "mcpServers": {\n    "mine": { "command": "uvx", "args": ["x"] }\n  }\n}\n');
    await upsert({ client: 'cursor', scope: 'user', spec: spec() });

    const theirs = await planRemove(ctx, { client: 'cursor', scope: 'user', name: 'mine' });
    assert.equal(theirs.status, 'conflict');
    assert.equal(theirs.change, null);
    assert.match(theirs.message, /did not write/);

    const absent = await planRemove(ctx, { client: 'cursor', scope: 'user', name: 'nope' });
    assert.equal(absent.status, 'absent');
    assert.equal((await planRemove(ctx, { client: 'windsurf', scope: 'user', name: 'x' })).status, 'absent');

    const ours = await planRemove(ctx, { client: 'cursor', scope: 'user', name: 'databricks-genie-sales' });
    assert.equal(ours.status, 'removed');
    assert.deepEqual(ours.change?.summary, ['- mcpServers.databricks-genie-sales (cursor)']);
    await applyPlan({ changes: ours.change ? [ours.change] : [], notes: [] });
    if (ours.record) await forgetRemoved(ctx, [ours.record]);
    assert.deepEqual((await loadOwnership(ctx)).entries, []);
    assert.equal(await readFile(cursorFile(), 'utf8'), '{\n  "mcpServers": {\n    "mine": { "command": "uvx", "args": ["x"] }\n  }\n}\n');

    const forced = await planRemove(ctx, { client: 'cursor', scope: 'user', name: 'mine', force: true });
    assert.equal(forced.status, 'removed');
  });

  test('an unrecorded entry equal to the given spec can be removed', async () => {
    await fresh();
    await upsert({ client: 'windsurf', scope: 'user', spec: spec() });
    await rm(ownershipFile(ctx));
    assert.equal((await planRemove(ctx, { client: 'windsurf', scope: 'user', name: 'databricks-genie-sales' })).status, 'conflict');
    assert.equal((await planRemove(ctx, { client: 'windsurf', scope: 'user', name: 'databricks-genie-sales', spec: spec() })).status, 'removed');
  });

  test('state.json: 0600, versioned, one record per file+name', async () => {
    await fresh();
    await upsert({ client: 'cursor', scope: 'user', spec: spec() });
    await upsert({ client: 'cursor', scope: 'user', spec: spec({ profile: 'p' }) });
    await upsert({ client: 'claude-desktop', scope: 'user', spec: spec() });
    const f = ownershipFile(ctx);
    assert.equal(f, join(home, '.config', 'dbx-mcp', 'state.json'));
    assert.equal((await stat(f)).mode & 0o777, 0o600);
    const state = JSON.parse(await readFile(f, 'utf8')) as { version: number; entries: { client: string; writtenAt: string }[] };
    assert.equal(state.version, 1);
    assert.deepEqual(state.entries.map((e) => e.client).sort(), ['claude-desktop', 'cursor']);
    assert.equal(state.entries[0]?.writtenAt, new Date(1_750_000_000_000).toISOString());
  });

  test('a corrupt state.json is treated as empty', async () => {
    await fresh();
    await mkdir(join(home, '.config', 'dbx-mcp'), { recursive: true });
    await writeFile(ownershipFile(ctx), 'not json');
    assert.deepEqual((await loadOwnership(ctx)).entries, []);
  });
});

describe('listServers', () => {
  test('hand-written and dbx-mcp entries, with auth, ownership and Databricks flags', async () => {
    await fresh();
    await mkdir(join(home, '.cursor'));
    await writeFile(
      cursorFile(),
      JSON.stringify({
        mcpServers: {
          git: { command: 'uvx', args: ['mcp-server-git'] },
          byhand: { url: `${URL_}2`, headers: { Authorization: 'Bearer ${env:T}' } },
          remote: { command: 'npx', args: ['-y', 'mcp-remote@latest', 'https://x.databricksapps.com/mcp'], disabled: true },
        },
      }),
    );
    await upsert({ client: 'cursor', scope: 'user', spec: spec() });
    const list = await listServers(ctx, 'cursor', 'user');
    assert.deepEqual(list, [
      { name: 'git', auth: 'stdio-other', owned: false, databricks: false, disabled: false },
      { name: 'byhand', url: `${URL_}2`, auth: 'header', owned: false, databricks: true, disabled: false },
      { name: 'remote', url: 'https://x.databricksapps.com/mcp', auth: 'mcp-remote', owned: false, databricks: true, disabled: true },
      { name: 'databricks-genie-sales', url: URL_, auth: 'proxy', owned: true, databricks: true, disabled: false },
    ]);
    assert.deepEqual(await listServers(ctx, 'vscode', 'user'), []);
  });
});
