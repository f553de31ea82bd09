// Builds dist/ from src/: one ESM entry with code splitting, so commands (and the
// heavy libraries they use: zod, clack, the emulator and its MCP SDK) load only when run.
// Runtime dependencies are bundled: `npx dbx-mcp` installs exactly one package.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  // Prefer ESM builds: jsonc-parser's UMD "main" uses relative require() calls a bundle can't follow.
  mainFields: ['module', 'main'],
  minify: process.env.DBX_MCP_NO_MINIFY ? false : true,
  keepNames: false,
  sourcemap: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __DBX_MCP_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
  banner: { js: "import { createRequire as __dbxCreateRequire } from 'node:module'; const require = __dbxCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
