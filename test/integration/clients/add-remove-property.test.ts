/**
 * Property, for every codec (file format) and every catalog client of that format: for generated config files (LF/CRLF, BOM, comments everywhere,
 * trailing commas, minified, unknown keys, other servers, no servers key, empty or comment-only
 * file, no file), `add` keeps
 * every byte outside its entry, a second `add` plans nothing, and `remove` gives back the exact
 * bytes the user had (no file: no file). Runs the real write flow (planWrites + apply, state.json
 * included) in a temporary HOME. Seeded, so a failure names a case that can be re-run.
 * A new codec adds its generator to GENERATORS (the compiler asks for it); a new client of an
 * existing format is picked up from the catalog.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planWrites } from '../../../src/workflows/write-flow.js';
import { parse as parseStrictCommas, type ParseError } from 'jsonc-parser';
import { loadCodec, type CodecOptions, type ConfigFormat } from '../../../src/config/codecs/index.js';
import { CLIENTS as CATALOG } from '../../../src/clients/catalog/index.js';
import { createCtx } from '../../../src/context.js';
import { configFileFor } from '../../../src/clients/target.js';
import { getClient } from '../../../src/clients/registry.js';
import type { ClientId, ServerSpec } from '../../../src/clients/types.js';
import { tempDir } from '../../helpers/temp.js';

const CLIENTS: ClientId[] = CATALOG.map((c) => c.id);
const CASES_PER_CLIENT = 60;
const SEED = 20_261_130;

/** mulberry32: small, seeded, good enough to pick shapes. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
  };
}
type Rng = ReturnType<typeof rng>;

interface Style {
  eol: '\n' | '\r\n';
  indent: string;
  minified: boolean;
  trailingComma: boolean;
  comments: boolean;
}

const WORDS = ['theme', 'numStartups', 'tipsHistory', 'projects', 'editor.fontSize', 'inputs', 'autoUpdates', 'x-ü-ключ', 'userID'];

function scalar(r: Rng): unknown {
  return r.pick<unknown>([true, false, null, 0, 42, -1.5, 'dark', 'with "quotes" and \\ slash', 'ünïcödé ✓', '']);
}

function value(r: Rng, depth: number): unknown {
  const k = depth > 2 ? 0 : r.int(4);
  if (k === 0 || k === 1) return scalar(r);
  if (k === 2) return Array.from({ length: r.int(3) }, () => scalar(r));
  return Object.fromEntries(Array.from({ length: r.int(3) }, (_, i) => [`${r.pick(WORDS)}${i}`, value(r, depth + 1)]));
}

function comment(r: Rng): string {
  return r.chance(0.5) ? `// note ${r.int(100)}` : `/* block ${r.int(100)} */`;
}

/** JSONC text for an object: pretty with the style's comments and commas, or minified. */
function render(r: Rng, obj: Record<string, unknown>, s: Style, depth = 0): string {
  const entries = Object.entries(obj);
  if (s.minified) {
    const parts = entries.map(([k, v]) => `${JSON.stringify(k)}:${isObj(v) ? render(r, v, s, depth + 1) : JSON.stringify(v)}`);
    return `{${s.comments && r.chance(0.3) ? `/*m*/` : ''}${parts.join(',')}}`;
  }
  const pad = s.indent.repeat(depth + 1);
  const close = s.indent.repeat(depth);
  if (entries.length === 0) {
    return s.comments && r.chance(0.3) ? `{${s.eol}${pad}// nothing yet${s.eol}${close}}` : '{}';
  }
  const lines: string[] = [];
  entries.forEach(([k, v], i) => {
    if (s.comments && r.chance(0.3)) lines.push(`${pad}${comment(r)}`);
    const last = i === entries.length - 1;
    const comma = !last || s.trailingComma ? ',' : '';
    const tail = s.comments && r.chance(0.3) ? ` ${comment(r)}` : '';
    const val = isObj(v) ? render(r, v, s, depth + 1) : JSON.stringify(v);
    lines.push(`${pad}${JSON.stringify(k)}: ${val}${comma}${tail}`);
  });
  if (s.comments && r.chance(0.2)) lines.push(`${pad}${comment(r)}`);
  return `{${s.eol}${lines.join(s.eol)}${s.eol}${close}}`;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSONC config file for `serversKey`, or null for "no file". */
function genJsonc(r: Rng, serversKey: string, options: CodecOptions): string | null {
  if (r.chance(0.1)) return null;
  // A file with no JSON value yet: empty, blank, or only comments.
  if (r.chance(0.08)) return r.pick(['', '\n', '  \r\n', '// settings go here\n', '\uFEFF', '/* nothing */']);
  const s: Style = {
    eol: r.chance(0.4) ? '\r\n' : '\n',
    indent: r.pick(['  ', '    ', '\t']),
    minified: r.chance(0.2),
    // A client that rejects trailing commas (Gemini CLI) never has a file with one.
    trailingComma: r.chance(0.3) && options.trailingCommas !== 'never',
    comments: r.chance(0.6),
  };
  const doc: Record<string, unknown> = {};
  const unknown = r.int(4);
  const serversAt = r.chance(0.3) ? -1 : r.int(unknown + 1);
  for (let i = 0; i <= unknown; i++) {
    if (i === serversAt) {
      doc[serversKey] = Object.fromEntries(Array.from({ length: r.int(3) }, (_, j) => [`their-server-${j}`, { command: 'npx', args: ['-y', `pkg-${j}`], env: { A: 'b' } }]));
    }
    if (i < unknown) doc[`${r.pick(WORDS)}-${i}`] = value(r, 1);
  }
  let text = render(r, doc, s);
  if (s.comments && r.chance(0.3)) text = `${comment(r)}${s.eol}${text}`;
  if (s.comments && r.chance(0.2)) text = `${text}${s.eol}// the end`;
  if (r.chance(0.8)) text += s.eol;
  if (r.chance(0.2)) text = `\uFEFF${text}`;
  return text;
}

/** A hand-written TOML file (Codex's config.toml): comments, other tables, blank lines, other servers; null: no file. */
function genToml(r: Rng, serversKey: string): string | null {
  if (r.chance(0.1)) return null;
  if (r.chance(0.08)) return r.pick(['', '\n', '# codex settings\n', '\r\n\r\n', '# only a comment']);
  const eol = r.chance(0.4) ? '\r\n' : '\n';
  const c = r.chance(0.6);
  const blank = () => (r.chance(0.5) ? [''] : []);
  const lines: string[] = [];
  if (c) lines.push(`# config.toml ${r.int(100)}`);
  lines.push(`model = ${JSON.stringify(r.pick(['o3', 'gpt-5', 'ünïcödé ✓']))}${c && r.chance(0.5) ? '  # mine' : ''}`);
  if (r.chance(0.5)) lines.push(`approval_policy = "never"`, ...blank());
  if (r.chance(0.5)) lines.push(...blank(), '[features]', `web_search = ${r.pick(['true', 'false'])}`);
  if (r.chance(0.5)) lines.push(...blank(), `[profiles.${r.pick(['fast', 'deep'])}]`, `model = "o4-mini"`, `history = { persistence = "none" }`);
  if (r.chance(0.6)) {
    for (let j = 0; j < r.int(3); j++) {
      lines.push('', ...(c && r.chance(0.5) ? [`# their server ${j}`] : []), `[${serversKey}.their-server-${j}]`, `command = "npx"`, `args = ["-y", "pkg-${j}"]`, `env = { A = "b" }`);
    }
  }
  if (r.chance(0.3)) lines.push('', '[[hooks]]', 'event = "start"');
  if (c && r.chance(0.3)) lines.push('', '# the end');
  let text = lines.join(eol);
  if (r.chance(0.8)) text += eol;
  return text;
}

/** A hand-written YAML file (Goose's config.yaml): comments, other extensions and keys, blank lines; null: no file. */
function genYaml(r: Rng, serversKey: string): string | null {
  if (r.chance(0.1)) return null;
  if (r.chance(0.08)) return r.pick(['', '\n', '# goose settings\n', '\r\n', '# only a comment']);
  const eol = r.chance(0.4) ? '\r\n' : '\n';
  const c = r.chance(0.6);
  const ind = r.pick(['  ', '    ']);
  const lines: string[] = [];
  if (c) lines.push(`# config.yaml ${r.int(100)}`);
  lines.push(`GOOSE_PROVIDER: ${r.pick(['openai', 'databricks', '"quoted: value"'])}${c && r.chance(0.5) ? ' # mine' : ''}`);
  if (r.chance(0.5)) lines.push('', `GOOSE_MODEL: 'gpt-4o'`);
  if (r.chance(0.7)) {
    lines.push(...(r.chance(0.5) ? [''] : []), `${serversKey}:`);
    if (c && r.chance(0.5)) lines.push(`${ind}# built in`);
    lines.push(`${ind}developer:`, `${ind}${ind}bundled: true`, `${ind}${ind}enabled: true${c ? ' # keep' : ''}`, `${ind}${ind}name: developer`, `${ind}${ind}timeout: 300`, `${ind}${ind}type: builtin`);
    for (let j = 0; j < r.int(2); j++) lines.push(`${ind}their-server-${j}:`, `${ind}${ind}type: stdio`, `${ind}${ind}cmd: npx`, `${ind}${ind}args: [-y, pkg-${j}]`, `${ind}${ind}envs: {}`);
  }
  if (r.chance(0.4)) lines.push('', 'GOOSE_MODE: smart_approve', 'list:', '- a', '- b');
  if (c && r.chance(0.3)) lines.push('', '# the end');
  let text = lines.join(eol);
  if (r.chance(0.8)) text += eol;
  return text;
}

/** How to generate a random file of each format (with the servers key at `serversKey`, or null: no file). */
const GENERATORS = {
  jsonc: genJsonc,
  toml: genToml,
  yaml: genYaml,
} satisfies Record<ConfigFormat, (r: Rng, serversKey: string, options: CodecOptions) => string | null>;

/** `small` is `big` with some characters taken out (in order). */
function isSubsequence(small: string, big: string): boolean {
  let i = 0;
  for (let j = 0; j < big.length && i < small.length; j++) if (big[j] === small[i]) i++;
  return i === small.length;
}

/** The differing middles of two texts, after their common prefix and suffix. */
function middles(a: string, b: string): [string, string] {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let q = 0;
  while (q < a.length - p && q < b.length - p && a[a.length - 1 - q] === b[b.length - 1 - q]) q++;
  return [a.slice(p, a.length - q), b.slice(p, b.length - q)];
}

const spec: ServerSpec = {
  name: 'databricks-sql',
  url: 'https://adb-1.azuredatabricks.net/api/2.0/mcp/sql',
  kind: 'sql',
  auth: 'proxy',
  profile: 'DEFAULT',
  launcher: { command: '/usr/bin/node', args: ['/opt/dbx-mcp/bin/dbx-mcp.js'] },
};

for (const def of CATALOG) {
  const client = def.id;
  test(`add then remove keeps every other byte and gives the file back: ${client} (${def.format})`, async (t) => {
    const codec = await loadCodec(def.format);
    const genFile = GENERATORS[def.format];
    const root = tempDir(t);
    const serversPath = getClient(client).serversPath;
    const r = rng(SEED + CLIENTS.indexOf(client));
    for (let n = 0; n < CASES_PER_CLIENT; n++) {
      const home = join(root, `h${n}`);
      mkdirSync(home);
      const ctx = await createCtx({}, { env: { HOME: home, PATH: '', XDG_CONFIG_HOME: join(home, '.config'), APPDATA: join(home, 'AppData', 'Roaming') }, interactive: false, cwd: home, platform: 'linux', now: () => 1_750_000_000_000 });
      const file = configFileFor(ctx, client, 'user')!;
      const original = genFile(r, serversPath[0] as string, def.formatOptions ?? {});
      const where = `${client} case ${n}: ${JSON.stringify(original)}`;
      if (original !== null) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, original);
      }

      const add = await planWrites(ctx, { clients: [client], scope: 'user', upserts: [spec] });
      await add.apply();
      const added = readFileSync(file, 'utf8');
      if (def.formatOptions?.trailingCommas === 'never') {
        const errors: ParseError[] = [];
        parseStrictCommas(added.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: false, disallowComments: false });
        assert.deepEqual(errors, [], `no trailing comma (the client rejects them): ${where}\n${added}`);
      }
      const doc = codec.parse(added, file) as Record<string, unknown>;
      const servers = serversPath.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], doc) as Record<string, unknown>;
      assert.deepEqual(servers[spec.name], getClient(client).render(spec, 'linux').entry, where);
      if (original !== null) {
        const expected = codec.parse(original, file) as Record<string, unknown>;
        const { [spec.name]: _entry, ...others } = servers;
        const { [serversPath[0] as string]: _s, ...rest } = doc;
        const { [serversPath[0] as string]: before, ...restBefore } = expected;
        assert.deepEqual(rest, restBefore, `other keys kept: ${where}`);
        assert.deepEqual(others, before ?? {}, `other servers kept: ${where}`);
        const [gone, inserted] = middles(original, added);
        assert.ok(isSubsequence(gone, inserted), `no byte outside the entry lost: ${where}\n${JSON.stringify(added)}`);
        assert.ok(inserted.includes(spec.name), where);
      }

      const again = await planWrites(ctx, { clients: [client], scope: 'user', upserts: [spec] });
      assert.equal(again.plan.changes.length, 0, `second add plans nothing: ${where}`);

      const rm = await planWrites(ctx, { clients: [client], scope: 'user', removals: [{ client, name: spec.name }] });
      await rm.apply();
      if (original === null) assert.equal(existsSync(file), false, `the file add created is gone: ${where}`);
      else assert.equal(readFileSync(file, 'utf8'), original, `remove gives back the original bytes: ${where}`);
    }
  });
}
