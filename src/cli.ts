/**
 * The program definition and the single error → exit-code boundary. Command implementations
 * are imported lazily inside their actions, so `--help` and `--version` load only commander
 * (and `--version` not even that). No network before arguments are parsed.
 */
import { VERSION } from './context.js';

// Fast path: answering --version needs nothing else.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { main } = await import('./program.js');
  await main(process.argv);
}
