/**
 * Entry rendering shared by every adapter. Each client differs only in its dialect (a
 * ClientStyle: env-reference syntax, the shape of a native HTTP / OAuth entry, whether stdio
 * entries carry `type`), so the auth-mode rules of the contract live here once.
 */
import { UsageError } from '../errors.js';
import type { ClientDefinition, EnvRefSyntax } from './catalog/definition.js';
import { readJsonEntry, type EntryReader } from './read-entry.js';
import type { AuthMode, Rendered, ServerSpec } from './types.js';

/** Pinned mcp-remote (>= 0.1.16 fixes CVE-2025-6514; a pin keeps its token cache dir stable). */
export const MCP_REMOTE_VERSION = '0.15.1';
export const MCP_REMOTE_PACKAGE = `mcp-remote@${MCP_REMOTE_VERSION}`;
/** Variable a header / mcp-remote entry references when the spec names none. */
export const DEFAULT_TOKEN_ENV_VAR = 'DATABRICKS_TOKEN';
/** Variable carrying `Bearer <token>` into mcp-remote (no space in args: Windows quoting bug). */
export const AUTH_HEADER_ENV_VAR = 'DBX_MCP_AUTH_HEADER';
/**
 * Callback port pinned for pre-registered OAuth clients (mcp-remote's hash-derived default
 * would never match a registered redirect). Redirects: mcp-remote
 * `http://localhost:3334/oauth/callback`, Claude Code `http://localhost:3334/callback`.
 */
export const DEFAULT_OAUTH_CALLBACK_PORT = 3334;

/** How each env-reference syntax writes a reference to NAME; undefined: the client has none. */
const ENV_REF_WRITERS = {
  'none': undefined,
  'env-colon': (name: string) => `\${env:${name}}`,
  'shell': (name: string) => `\${${name}}`,
  'env-brace': (name: string) => `{env:${name}}`,
} satisfies Record<EnvRefSyntax, ((name: string) => string) | undefined>;

/** What rendering needs of a client definition. */
type ClientStyle = Pick<ClientDefinition, 'displayName' | 'dialect' | 'gui' | 'envRefNote'> & { envRef?: (name: string) => string };

/**
 * Undoes stdioCommand's Windows wrapper, as written by dbx-mcp or by hand: `cmd /c <real> …`
 * (cmd or cmd.exe, bare or by full path) → `<real> …`. Anything else is returned as is.
 */
export function unwrapCmd(command: string, args: readonly string[]): { command: string; args: string[] } {
  const exe = command.split(/[\\/]/).pop() ?? '';
  if (/^cmd(\.exe)?$/i.test(exe) && args[0]?.toLowerCase() === '/c' && args[1] !== undefined) return { command: args[1], args: args.slice(2) };
  return { command, args: [...args] };
}

/** A stdio command, wrapped in `cmd /c` on Windows where a bare `npx` cannot be spawned. */
export function stdioCommand(
  command: string,
  args: string[],
  platform: NodeJS.Platform,
): { command: string; args: string[] } {
  if (platform === 'win32' && needsCmdWrapper(command)) return { command: 'cmd', args: ['/c', command, ...args] };
  return { command, args: [...args] };
}

/**
 * `npx` on Windows is a .cmd shim; clients spawn without a shell, which fails with ENOENT
 * ("Connection closed" in Claude Code) unless `cmd /c` runs it.
 */
function needsCmdWrapper(command: string): boolean {
  const base = command.split(/[\\/]/).pop()?.toLowerCase() ?? '';
  const absolute = /^([a-z]:)?[\\/]/i.test(command);
  return !absolute && (base === 'npx' || base === 'npx.cmd');
}

/** `http://` on a loopback host: mcp-remote refuses plain HTTP elsewhere; tests use a loopback workspace. */
export function isLoopbackHttp(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(u.hostname);
}

/** The args of `dbx-mcp proxy` (after the launcher's own args). Meta keys sorted for stable output. */
export function proxyArgs(spec: ServerSpec): string[] {
  const args = ['proxy', '--url', spec.url];
  if (spec.profile !== undefined && spec.profile !== '') args.push('--profile', spec.profile);
  for (const k of Object.keys(spec.meta ?? {}).sort()) args.push('--meta', `${k}=${spec.meta?.[k] ?? ''}`);
  return args;
}

/**
 * True for the portable proxy entry project scope writes (`npx -y dbx-mcp@<version> proxy --url
 * …`, no profile, `cmd /c` in front on Windows): dbx-mcp wrote it, maybe on a teammate's
 * machine whose ownership registry this one cannot see.
 */
export function isPortableProxyEntry(entry: unknown, read: EntryReader = readJsonEntry): boolean {
  const e = read(entry);
  if (e?.transport !== 'stdio') return false;
  const unwrapped = unwrapCmd(e.command, e.args);
  const [npx, y, pkg, proxy, url, ...rest] = [unwrapped.command, ...unwrapped.args];
  return (
    (npx === 'npx' || npx === 'npx.cmd') && y === '-y' && /^dbx-mcp@[0-9A-Za-z.+-]+$/.test(pkg ?? '') && proxy === 'proxy' && url === '--url' &&
    rest.length > 0 && !rest.includes('--profile')
  );
}

/** A launcher word that starts dbx-mcp: `dbx-mcp`, `/…/bin/dbx-mcp.js`, `dbx-mcp@0.2.0`. */
function startsDbxMcp(word: string): boolean {
  return /(^|[\\/])dbx-mcp(\.js|\.cmd|\.exe)?$/i.test(word) || /^dbx-mcp@[0-9A-Za-z.+-]+$/.test(word);
}

/**
 * True for an entry in a form only dbx-mcp writes: its proxy (a launcher of dbx-mcp, then
 * `proxy --url …`) or mcp-remote carrying the bearer in $DBX_MCP_AUTH_HEADER. What counts as ours
 * while the ownership registry is corrupt. A header-mode entry (`Authorization: Bearer
 * ${DATABRICKS_TOKEN}`) is what users write by hand too, so it is not recognised.
 */
export function hasDbxMcpShape(entry: unknown, read: EntryReader = readJsonEntry): boolean {
  const e = read(entry);
  if (e?.transport !== 'stdio') return false;
  const { command, args } = unwrapCmd(e.command, e.args);
  const words = [command, ...args];
  const p = words.indexOf('proxy');
  if (p > 0 && words[p + 1] === '--url' && words.slice(0, p).some(startsDbxMcp)) return true;
  return AUTH_HEADER_ENV_VAR in e.env && args.some((a) => a.startsWith('mcp-remote@'));
}

function stdioEntry(
  style: ClientStyle,
  cmd: { command: string; args: string[] },
  env?: Record<string, string>,
): Record<string, unknown> {
  return style.dialect.stdioEntry(cmd, env);
}

function pathNote(style: ClientStyle, command: string, platform: NodeJS.Platform): string[] {
  if (!style.gui || platform === 'win32' || command.startsWith('/')) return [];
  return [
    `${style.displayName} does not see your shell's PATH when started from the Dock or menu; if the server fails with "spawn ${command} ENOENT", pass an absolute path with --proxy-command.`,
  ];
}

function renderProxy(style: ClientStyle, spec: ServerSpec, platform: NodeJS.Platform, notes: string[]): Rendered {
  const cmd = stdioCommand(spec.launcher.command, [...spec.launcher.args, ...proxyArgs(spec)], platform);
  return {
    entry: stdioEntry(style, cmd),
    effectiveAuth: 'proxy',
    holdsSecret: false,
    notes: [...notes, ...pathNote(style, spec.launcher.command, platform)],
  };
}

function mcpRemoteBase(spec: ServerSpec, port?: number): string[] {
  return [
    '-y',
    MCP_REMOTE_PACKAGE,
    spec.url,
    // mcp-remote reads the callback port positionally, right after the URL.
    ...(port !== undefined ? [String(port)] : []),
    '--transport',
    'http-only',
    ...(isLoopbackHttp(spec.url) ? ['--allow-http'] : []),
    // No space after the colon: the Windows argument-quoting bug (see AUTH_HEADER_ENV_VAR).
    ...Object.entries(spec.routingHeaders ?? {}).flatMap(([k, v]) => ['--header', `${k}:${v}`]),
  ];
}

/**
 * mcp-remote carrying `Authorization: <headerValue>`. The value always travels in the entry's
 * `env` and args only name the variable, which mcp-remote expands itself: a value in args is
 * printed by `claude mcp list`/`get` and visible to every local user in `ps`. Claude Code also
 * expands `${VAR}` in args, but only from its own environment; an unset one is passed through
 * unexpanded (with a warning in `claude mcp list`), so mcp-remote still receives it.
 */
function renderMcpRemoteBearer(
  style: ClientStyle,
  spec: ServerSpec,
  platform: NodeJS.Platform,
  headerValue: string,
  effectiveAuth: AuthMode,
  notes: string[],
): Rendered {
  const cmd = stdioCommand('npx', [...mcpRemoteBase(spec), '--header', `Authorization:\${${AUTH_HEADER_ENV_VAR}}`], platform);
  return {
    entry: stdioEntry(style, cmd, { [AUTH_HEADER_ENV_VAR]: headerValue }),
    effectiveAuth,
    holdsSecret: spec.literalToken !== undefined,
    notes: [...notes, ...pathNote(style, 'npx', platform)],
  };
}

function requireOAuth(spec: ServerSpec): { clientId: string; callbackPort: number } {
  if (spec.oauth === undefined || spec.oauth.clientId === '') {
    throw new UsageError(`--auth oauth needs a pre-registered OAuth client id for ${spec.name}`, {
      hint: 'Pass --client-id <id>, or run `dbx-mcp oauth register` to create one.',
    });
  }
  return { clientId: spec.oauth.clientId, callbackPort: spec.oauth.callbackPort ?? DEFAULT_OAUTH_CALLBACK_PORT };
}

/** Render `spec` in a client's dialect following the contract's auth-mode rules. */
export function renderFor(def: ClientDefinition, spec: ServerSpec, platform: NodeJS.Platform): Rendered {
  if (def.namePattern !== undefined && !def.namePattern.test(spec.name)) {
    const safe = spec.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'databricks';
    throw new UsageError(`"${spec.name}" is not a valid ${def.displayName} server name (letters, digits, - and _ only)`, {
      hint: `Pass a name ${def.displayName} accepts, e.g. --name ${safe}.`,
    });
  }
  if (def.literalTokenRefusal !== undefined && spec.auth === 'header' && spec.literalToken !== undefined) {
    throw new UsageError(`--literal-token is not available for ${def.displayName}: ${def.literalTokenRefusal}`, {
      hint: `Drop --literal-token (${def.displayName} then reads the token from $${spec.tokenEnvVar ?? DEFAULT_TOKEN_ENV_VAR}, or --token-env <VAR>), or use --auth proxy.`,
    });
  }
  const style: ClientStyle = { displayName: def.displayName, dialect: def.dialect, gui: def.gui, envRef: ENV_REF_WRITERS[def.envRefs], ...(def.envRefNote !== undefined ? { envRefNote: def.envRefNote } : {}) };
  const rendered = renderWithStyle(style, spec, platform);
  const nameWarning = def.nameWarning?.(spec.name);
  const warned = nameWarning === undefined ? rendered : { ...rendered, notes: [nameWarning, ...rendered.notes] };
  const named = def.dialect.namedEntry !== undefined ? { ...warned, entry: def.dialect.namedEntry(warned.entry, spec.name) } : warned;
  const fileKeys = named.effectiveAuth === 'oauth' && def.dialect.oauthEntry !== undefined ? def.dialect.oauthFileKeys?.(requireOAuth(spec).callbackPort) : undefined;
  return fileKeys !== undefined ? { ...named, fileKeys } : named;
}

/** The notes of an entry that references `varName` in the client's own syntax. */
function envRefNotes(style: ClientStyle, varName: string): string[] {
  return [`${style.displayName} must be started with ${varName} in its environment for this entry to authenticate.`, ...(style.envRefNote !== undefined ? [style.envRefNote] : [])];
}

function renderWithStyle(style: ClientStyle, spec: ServerSpec, platform: NodeJS.Platform): Rendered {
  const varName = spec.tokenEnvVar ?? DEFAULT_TOKEN_ENV_VAR;
  // The name lands inside `${...}` in the client's own syntax: anything else would not resolve.
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(varName)) {
    throw new UsageError(`"${varName}" is not a valid environment variable name`, {
      hint: 'Name the variable with letters, digits and underscores only (e.g. DATABRICKS_TOKEN).',
    });
  }
  const literal = spec.literalToken;
  switch (spec.auth) {
    case 'proxy':
      return renderProxy(style, spec, platform, []);
    case 'header': {
      const envTokenEntry = style.dialect.envTokenEntry;
      if (literal === undefined && envTokenEntry !== undefined) {
        // The client reads the token from the variable itself (e.g. a `bearer_token_env_var` key).
        return {
          entry: envTokenEntry(spec.url, varName, spec.routingHeaders),
          effectiveAuth: 'header',
          holdsSecret: false,
          notes: [`${style.displayName} must be started with ${varName} in its environment for this entry to authenticate.`],
        };
      }
      if (style.dialect.httpEntry !== undefined) {
        if (literal === undefined && style.envRef === undefined) {
          return renderProxy(style, spec, platform, [
            `${style.displayName} cannot reference environment variables such as ${varName} in its file; it gets the proxy form instead (no secret in the file).`,
          ]);
        }
        const value = literal !== undefined ? `Bearer ${literal}` : `Bearer ${style.envRef?.(varName)}`;
        const notes = literal === undefined ? envRefNotes(style, varName) : [];
        return {
          entry: style.dialect.httpEntry(spec.url, { ...spec.routingHeaders, Authorization: value }),
          effectiveAuth: 'header',
          holdsSecret: literal !== undefined,
          notes,
        };
      }
      if (literal !== undefined) {
        return renderMcpRemoteBearer(style, spec, platform, `Bearer ${literal}`, 'mcp-remote', [
          `${style.displayName} cannot call a remote server from its config file, so the token goes through mcp-remote (stdio) in the entry's env.`,
        ]);
      }
      return renderProxy(style, spec, platform, [
        `${style.displayName} cannot call a remote server from its config file and, as a GUI app, does not see shell variables such as ${varName}; it gets the proxy form instead (no secret in the file).`,
      ]);
    }
    case 'oauth': {
      const o = requireOAuth(spec);
      if (spec.routingHeaders && Object.keys(spec.routingHeaders).length) {
        // UNCONFIRMED (no client documents it): a client's own OAuth discovery and sign-in
        // requests carry no custom header, so on a unified host they never reach the workspace.
        throw new UsageError(`${style.displayName}'s own OAuth sign-in cannot reach a workspace on a unified host (its sign-in requests carry no workspace routing header)`, {
          hint: 'Use --auth proxy: the proxy signs in with your profile and routes every request to the workspace.',
        });
      }
      if (style.dialect.oauthEntry !== undefined) {
        return { entry: style.dialect.oauthEntry(spec.url, o.clientId, o.callbackPort), effectiveAuth: 'oauth', holdsSecret: false, notes: [] };
      }
      const args = [
        ...mcpRemoteBase(spec, o.callbackPort),
        '--static-oauth-client-info',
        JSON.stringify({ client_id: o.clientId }),
      ];
      return {
        entry: stdioEntry(style, stdioCommand('npx', args, platform)),
        effectiveAuth: 'oauth',
        holdsSecret: false,
        notes: [
          `${style.displayName} has no native OAuth with a pre-registered client; it signs in through mcp-remote on http://localhost:${o.callbackPort}/oauth/callback (register that redirect URL).`,
          ...pathNote(style, 'npx', platform),
        ],
      };
    }
    case 'mcp-remote': {
      if (literal !== undefined) return renderMcpRemoteBearer(style, spec, platform, `Bearer ${literal}`, 'mcp-remote', []);
      if (style.envRef !== undefined) {
        return renderMcpRemoteBearer(style, spec, platform, `Bearer ${style.envRef(varName)}`, 'mcp-remote', style.envRefNote !== undefined ? [style.envRefNote] : []);
      }
      return renderProxy(style, spec, platform, [
        `${style.displayName} cannot reference environment variables and no token was given; it gets the proxy form instead (no secret in the file).`,
      ]);
    }
  }
}
