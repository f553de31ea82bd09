#!/usr/bin/env node
/**
 * Fails (exit 1) when the relative imports of src/ form a cycle. Part of `npm run lint`: the
 * layer rules in eslint.config.js keep imports pointing down, and this catches a cycle inside
 * one layer, which no per-folder rule can see. Static and dynamic `import('…')` both count
 * (a lazy import still ties the modules together); `import type` does not, as it is erased.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const srcDir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'src');

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of a module that exist at run time (type-only imports are skipped). */
export function runtimeImports(text) {
  const specs = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const staticRe = /^\s*(import|export)\s+(type\s+)?([^'"]*?)\s*from\s*['"](\.[^'"]+)['"]/gm;
  for (const m of code.matchAll(staticRe)) {
    if (m[2]) continue; // import type / export type
    // `import { type A, type B }` is erased too
    const clause = m[3].trim();
    if (/^\{[^}]*\}$/.test(clause) && clause.slice(1, -1).split(',').every((n) => n.trim() === '' || /^type\s/.test(n.trim()))) continue;
    specs.push(m[4]);
  }
  for (const m of code.matchAll(/^\s*import\s+['"](\.[^'"]+)['"]/gm)) specs.push(m[1]);
  // dynamic import('./x.js') in code, but not `typeof import('./x.js')` type annotations
  for (const m of code.matchAll(/(typeof\s+)?\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)) if (!m[1]) specs.push(m[2]);
  return specs;
}

export function findCycles(dir) {
  const files = tsFiles(dir);
  const graph = new Map();
  for (const f of files) {
    const deps = runtimeImports(readFileSync(f, 'utf8'))
      .map((s) => resolve(dirname(f), s).replace(/\.js$/, '.ts'))
      .filter((d) => files.includes(d));
    graph.set(f, deps);
  }
  const cycles = [];
  const state = new Map(); // 1 = on the stack, 2 = done
  const stack = [];
  const visit = (f) => {
    state.set(f, 1);
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].map((p) => relative(root, p)));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return cycles;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cycles = findCycles(srcDir);
  for (const c of cycles) console.error(`import cycle: ${c.join(' -> ')}`);
  if (cycles.length > 0) {
    console.error(`${cycles.length} import cycle(s) in ${relative(root, srcDir) || '.'}: move the shared piece down a layer so imports point one way.`);
    process.exit(1);
  }
}
