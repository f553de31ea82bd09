/**
 * The entry point. Command implementations are imported lazily, so `--help` loads only
 * commander, `--version` nothing, and `proxy` (spawned by clients for every session) neither
 * commander nor any other command. No network before arguments are parsed.
 */
import { VERSION } from './version.js';

// A closed pipe (`dbx-mcp add … | head -c 0`) is not a failure of the command: the write it did
// stands and the exit code says so. Without a handler Node throws an 'error' event (a stack
// trace, exit 1) at the first line printed after the reader went away (issue 19, item 6).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    throw e;
  });
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  // Before the proxy's code loads: the flags then shape all of it (v8-tuning.ts).
  if (argv[0] === 'proxy') (await import('./proxy/v8-tuning.js')).tuneV8ForProxy();
  const proxy = argv[0] === 'proxy' ? (await import('./proxy/argv.js')).parseProxyArgv(argv) : undefined;
  if (proxy) {
    const [{ runBoundary }, { runProxy }] = await Promise.all([import('./boundary.js'), import('./proxy/run.js')]);
    process.exitCode = await runBoundary(proxy.globals, (ctx) => runProxy(ctx, proxy.options), { proxyMode: true });
  } else {
    const { main } = await import('./program.js');
    await main(process.argv);
  }
}
