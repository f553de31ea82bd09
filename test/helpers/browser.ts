/**
 * `dbx-mcp login` driven by a headless "browser": the built bin runs with a temporary HOME and
 * `--no-browser`; as soon as it prints the authorize URL, this opens it with fetch (the emulator
 * approves the signed-in browser user at once and answers 302 to the redirect URI), then follows
 * that redirect to the loopback listener, as a browser would. `redirect` may change where the
 * browser goes back to (a forged `state`); `closeBrowser` never opens the URL (the user closed
 * the tab), so only the bounded wait ends the run.
 */
import { spawn } from 'node:child_process';
import { BIN, isolatedEnv, type CliResult } from './cli.js';

export interface BrowserRun extends CliResult {
  /** The authorize URL the bin printed. */
  authorizeUrl?: URL;
  /** The loopback page the "browser" got back (status and text). */
  callback?: { status: number; text: string };
}

export interface BrowserOptions {
  home: string;
  env?: Record<string, string | undefined>;
  redirect?: (location: URL) => URL;
  closeBrowser?: boolean;
  timeoutMs?: number;
}

const URL_RE = /(https?:\/\/\S+\/v1\/authorize\?\S+)/;

export function loginWithBrowser(args: string[], o: BrowserOptions): Promise<BrowserRun> {
  return new Promise((resolve, reject) => {
    const env = isolatedEnv(o.home, { DBX_MCP_TEST_LOGIN_PORT: '0', ...o.env });
    const child = spawn(process.execPath, [BIN, 'login', '--no-browser', ...args], { cwd: o.home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: BrowserRun = { code: null, stdout: '', stderr: '' };
    let browsing: Promise<void> | undefined;
    const browse = async (url: URL) => {
      const approve = await fetch(url, { redirect: 'manual' });
      const location = approve.headers.get('location');
      if (approve.status !== 302 || !location) {
        run.callback = { status: approve.status, text: await approve.text() };
        return;
      }
      const back = o.redirect ? o.redirect(new URL(location)) : new URL(location);
      const res = await fetch(back);
      run.callback = { status: res.status, text: await res.text() };
    };
    child.stdout.on('data', (d) => (run.stdout += d));
    child.stderr.on('data', (d) => {
      run.stderr += d;
      const m = URL_RE.exec(run.stderr);
      if (m && !run.authorizeUrl) {
        run.authorizeUrl = new URL(m[1]!);
        if (!o.closeBrowser) browsing = browse(run.authorizeUrl).catch((e: unknown) => void (run.callback = { status: 0, text: String(e) }));
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dbx-mcp login did not finish\nstdout: ${run.stdout}\nstderr: ${run.stderr}`));
    }, o.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', async (code) => {
      clearTimeout(timer);
      await browsing;
      run.code = code;
      resolve(run);
    });
  });
}
