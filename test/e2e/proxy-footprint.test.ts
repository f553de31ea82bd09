/**
 * The proxy starts with every client session, one per server: its path loads only what it
 * needs (issue 21: peak RSS ≤ 1.2× a bare node). Walks the static imports of the built bundle
 * from the chunks `dbx-mcp proxy` loads (cli.ts: argv, boundary, run) and lists every source
 * module in them; no prompt, codec, doctor, commander or zod module may be among them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

function staticGraph(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const walk = (f: string): void => {
    if (seen.has(f)) return;
    seen.add(f);
    const text = readFileSync(f, 'utf8');
    // Static `import … from "./x.js"` / `import "./x.js"` / `export … from`; dynamic import() is lazy.
    for (const m of text.matchAll(/^(?:import|export)[^;]*?"(\.{1,2}\/[^"]+)";/gms)) walk(resolve(dirname(f), m[1]!));
  };
  for (const e of entries) walk(e);
  return seen;
}

test('the proxy path loads no prompt, codec, doctor, commander or zod module', () => {
  const chunks = readdirSync(join(DIST, 'chunks'));
  const entries = ['argv-', 'boundary-', 'run-'].map((p) => {
    const c = chunks.find((x) => x.startsWith(p));
    assert.ok(c, `no ${p}*.js chunk in dist/chunks (run npm run build)`);
    return join(DIST, 'chunks', c);
  });
  const modules = new Set<string>();
  for (const f of staticGraph([join(DIST, 'cli.js'), ...entries])) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^\/\/ (\S+)$/gm)) modules.add(m[1]!.replace(/^(\.\.\/)+main\//, ''));
  }
  assert.ok([...modules].some((m) => m.includes('src/proxy/forwarder.ts')), 'the walk found the proxy itself');
  const unwanted = [...modules].filter((m) => /node_modules\/(zod|commander|@clack)\/|src\/(doctor|config\/codecs|ui\/clack-prompter|commands)\//.test(m));
  assert.deepEqual(unwanted, []);
});
