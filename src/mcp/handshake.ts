/**
 * `handshake(target, opts)`: initialize + notifications/initialized + tools/list against an MCP
 * server, over streamable HTTP or stdio, the way a client would. Never throws for anything the
 * server or the network does: the result says `ok` and, if not, what failed and where.
 */
import { createHttpClient } from '../databricks/http.js';
import { VERSION } from '../context.js';
import { httpHandshake } from './http-handshake.js';
import { stdioHandshake } from './stdio-handshake.js';
import type { HandshakeOptions, HandshakeResult, HandshakeTarget } from './types.js';

export type { HandshakeOptions, HandshakeResult, HandshakeTarget } from './types.js';

/** The minimal PATH a GUI app (launched from the Dock or a menu) gets on macOS and Linux. */
export const GUI_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';

/**
 * The environment a GUI client gives a stdio server: a minimal PATH, HOME (and the Windows
 * equivalents when present), then the entry's own `env` on top.
 */
export function guiEnvironment(base: NodeJS.ProcessEnv, entryEnv: Record<string, string> = {}, platform: NodeJS.Platform = process.platform): Record<string, string> {
  const env: Record<string, string> = {};
  if (platform === 'win32') {
    for (const k of ['PATH', 'Path', 'PATHEXT', 'SystemRoot', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'TEMP', 'TMP', 'HOME']) {
      const v = base[k];
      if (v !== undefined) env[k] = v;
    }
  } else {
    env.PATH = GUI_PATH;
    if (base.HOME !== undefined) env.HOME = base.HOME;
  }
  return { ...env, ...entryEnv };
}

/** Runs the handshake. `opts.http` is used for HTTP targets (a plain client is made otherwise). */
export async function handshake(target: HandshakeTarget, opts: HandshakeOptions): Promise<HandshakeResult> {
  const clientVersion = opts.clientVersion ?? VERSION;
  if (target.transport === 'http') {
    const http = opts.http ?? createHttpClient({ env: {}, version: clientVersion });
    return httpHandshake(target.url, target.headers ?? {}, { ...opts, http, clientVersion });
  }
  return stdioHandshake(target, { ...opts, clientVersion });
}
