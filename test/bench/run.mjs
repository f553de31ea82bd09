// `npm run bench`: every benchmark, figures printed side by side with the alternative.
// Benchmarks print figures; they do not assert (goals are shown next to the figures).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runStartupBench } from './startup.mjs';
import { runSizeBench } from './size.mjs';

console.log('\n## Startup (median wall time)');
console.table(runStartupBench());
console.log('\n## Package');
console.table(runSizeBench());

// TypeScript benchmarks (they start the emulator from src/) run through tsx.
for (const name of ['edit.ts', 'big-file.ts', 'doctor.ts', 'proxy.ts', 'proxy.mjs', 'write-concurrency.ts']) {
  const file = fileURLToPath(new URL(`./${name}`, import.meta.url));
  if (!existsSync(file)) continue;
  console.log(`\n## ${name.replace(/\.(mjs|ts)$/, '')}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
