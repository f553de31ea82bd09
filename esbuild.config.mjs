// Builds dist/ from src/: one ESM entry with code splitting, so commands (and the
// heavy libraries they use: zod, clack, the emulator and its MCP SDK) load only when run.
// Runtime dependencies are bundled, except @napi-rs/keyring (native, prebuilt per platform, an
// optional dependency: where it is missing the token store uses the CLI's file, as the CLI does).
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
  // Not minified, so a --verbose stack trace names real functions and lines. A sourcemap
  // would need node --enable-source-maps (slow at startup) to be read; unminified costs
  // ~110 KB of the packed tarball and no measurable startup (test/bench/{size,startup}.mjs).
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __DBX_MCP_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
  banner: { js: "import { createRequire as __dbxCreateRequire } from 'node:module'; const require = __dbxCreateRequire(import.meta.url);" },
  external: ['@napi-rs/keyring'],
  logLevel: 'warning',
});
