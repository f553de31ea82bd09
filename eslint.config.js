// Lint: typescript-eslint's recommended rules plus the project's own guards:
// no console in src (the logger owns the terminal; the proxy's stdout is the protocol), and the
// layer rule: imports point one way, commands → workflows → domain → base, with ui/ (renderers
// and prompts) used by commands and workflows only. test/tools/import-cycles.mjs (also run by
// `npm run lint`) catches cycles inside a layer.
import tseslint from 'typescript-eslint';

// Import specifiers are relative (`../ui/logger.js`, `../../commands/add.js`), so each rule
// matches a folder name after any number of `../`.
const up = '^(\\.\\./)+';
const COMMANDS = { regex: `${up}(commands/|program\\.js$|cli\\.js$|boundary\\.js$|cli-flags\\.js$)`, message: 'Commands are the top layer: nothing below them imports a command. Move the shared piece down (src/workflows/ or a domain folder).' };
const WORKFLOWS = { regex: `${up}(workflows|init|team)/`, message: 'Workflows (src/workflows/, init/, team/) are used by commands only: move the shared piece into a domain folder.' };
const UI = { regex: `${up}ui/`, message: 'The domain never imports ui/: return data and let the command or workflow render it (get the Logger type from context.js).' };
const EMULATOR = { regex: `${up}emulator/`, message: 'The emulator is a test workspace: only init --demo (src/init/demo.ts) and the tests import it.' };
// Base modules may name a domain type (`import type`, erased at build): the Ctx carries an HttpClient.
const DOMAIN = { regex: `${up}(clients|config|databricks|mcp|proxy|oauth|manifest|doctor)/`, allowTypeImports: true, message: 'Base modules (context, errors, secrets, util/) import nothing above them (types only).' };
// typescript-eslint's variant of no-restricted-imports: it knows `import type` (allowTypeImports).
// A lazy `import('…')` is checked too (no-restricted-imports sees only static imports). esquery's
// regex literal cannot hold a '/', so the folder separator is matched as [^\w.].
const lazy = (p) => ({ selector: `ImportExpression[source.value=/${p.regex.replaceAll('\\/', '[^\\w.]').replaceAll('/', '[^\\w.]')}/]`, message: p.message });
const layer = (...patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
  'no-restricted-syntax': ['error', ...patterns.map(lazy)],
});
const DOMAIN_DIRS = ['clients', 'config', 'databricks', 'mcp', 'proxy', 'oauth', 'manifest', 'doctor'].map((d) => `src/${d}/**/*.ts`);
const WORKFLOW_DIRS = ['workflows', 'init', 'team'].map((d) => `src/${d}/**/*.ts`);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-console': 'error',
      // Mutually referencing objects are declared first and assigned once later.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // import('…') type annotations are how lazily loaded modules are typed.
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The layer rule, one block per layer (a later block for the same file replaces the option).
  { files: ['src/commands/**/*.ts', 'src/program.ts', 'src/cli.ts', 'src/boundary.ts', 'src/cli-flags.ts'], rules: layer(EMULATOR) },
  { files: WORKFLOW_DIRS, rules: layer(COMMANDS, EMULATOR) },
  { files: ['src/init/demo.ts'], rules: layer(COMMANDS) },
  { files: DOMAIN_DIRS, rules: layer(COMMANDS, WORKFLOWS, UI, EMULATOR) },
  { files: ['src/ui/**/*.ts'], rules: layer(COMMANDS, WORKFLOWS, EMULATOR) },
  // context.ts composes the Ctx every layer gets, so it alone of the base may create the logger and prompter.
  { files: ['src/context.ts'], rules: layer(COMMANDS, WORKFLOWS, EMULATOR) },
  { files: ['src/errors.ts', 'src/secrets.ts', 'src/secret-keys.ts', 'src/redact-text.ts', 'src/redact-scanner.ts', 'src/util/**/*.ts'], rules: layer(COMMANDS, WORKFLOWS, DOMAIN, UI, EMULATOR) },
  { files: ['src/emulator/**/*.ts'], rules: layer(COMMANDS, WORKFLOWS, DOMAIN, UI) },
  {
    files: ['test/**/*.ts', 'test/**/*.mjs', '*.mjs', 'bin/**/*.js'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
