/**
 * OpenAI Codex (CLI, IDE extension and desktop app share the file): `[mcp_servers.<name>]` in
 * $CODEX_HOME/config.toml (default ~/.codex/config.toml). User scope only: the project
 * `.codex/config.toml` is read only for projects the user trusted (🟡), so a project entry could
 * silently do nothing. No env interpolation in TOML; the header form names the variable in
 * `bearer_token_env_var` instead, and an inline token is refused (Codex rejects `bearer_token`).
 */
import { pathFor } from '../../util/paths.js';
import type { PathInput } from '../types.js';
import { defineClient, type ReadEntry } from './definition.js';
import { envValue, ERA_MEASUREMENT as M21, plainStdioEntry } from './shared.js';
import { codexManaged } from './codex-managed.js';

/** Codex's home: $CODEX_HOME, else ~/.codex. */
function codexHome(p: PathInput): string {
  return envValue(p, 'CODEX_HOME') ?? pathFor(p.platform).join(p.home, '.codex');
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A Codex entry: `command`/`args`/`env`, or `url` with `bearer_token_env_var`, `http_headers`, `oauth`. */
function readCodexEntry(entry: unknown): ReadEntry | undefined {
  const e = record(entry);
  if (e === undefined) return undefined;
  const disabled = e.enabled === false ? { disabled: true } : {};
  if (typeof e.command === 'string') {
    const args = Array.isArray(e.args) ? e.args.filter((a): a is string => typeof a === 'string') : [];
    return { transport: 'stdio', command: e.command, args, env: record(e.env) ?? {}, ...(typeof e.cwd === 'string' ? { cwd: e.cwd } : {}), ...disabled };
  }
  if (typeof e.url !== 'string') return undefined;
  const oauth = record(e.oauth);
  return {
    transport: 'http',
    url: e.url,
    headers: record(e.http_headers) ?? {},
    ...(typeof e.bearer_token_env_var === 'string' ? { tokenEnvVar: e.bearer_token_env_var } : {}),
    ...(oauth !== undefined ? { oauth } : {}),
    ...disabled,
  };
}

export const codex = defineClient({
  id: 'codex',
  displayName: 'Codex',
  binaries: ['codex'],
  detectionDirs: (p) => [codexHome(p)],
  userPath: (p) => pathFor(p.platform).join(codexHome(p), 'config.toml'),
  projectPath: null,
  format: 'toml',
  serversPath: ['mcp_servers'],
  // ❓/🟡: Codex's `validate_server_name` (mcp_cmd.rs); a name outside it is refused with the fix.
  namePattern: /^[A-Za-z0-9_-]+$/,
  literalTokenRefusal: 'Codex refuses an inline bearer_token for HTTP servers; the entry names the variable instead (bearer_token_env_var)',
  dialect: {
    stdioEntry: plainStdioEntry,
    // Literal headers go in `http_headers` (a `headers` key is ignored): Codex config/src/mcp_types.rs, CONFIRMED by third parties against 0.159.
    envTokenEntry: (url, tokenEnvVar, staticHeaders) => ({ url, bearer_token_env_var: tokenEnvVar, ...(staticHeaders && Object.keys(staticHeaders).length ? { http_headers: staticHeaders } : {}) }),
    oauthEntry: (url, clientId) => ({ url, oauth: { client_id: clientId } }),
    // Codex's callback port is one top-level key for every server in the file.
    oauthFileKeys: (callbackPort) => ({ mcp_oauth_callback_port: callbackPort }),
    readEntry: readCodexEntry,
  },
  envRefs: 'none',
  // Started from a shell (the desktop app shares the file, but the CLI is what we prove).
  gui: false,
  // Plain `/callback` on the pinned port; newer builds append a per-server id (❓), which
  // Databricks' loopback matching by path would not accept: see the README.
  oauthRedirects: (port) => [`http://127.0.0.1:${port}/callback`],
  needsAllRedirects: false,
  shapeRules: (e) => {
    const issues = [];
    if (typeof e.entry.bearer_token === 'string') {
      issues.push({ message: `"${e.name}" has an inline bearer_token, which Codex rejects for HTTP servers`, fix: `Replace bearer_token with bearer_token_env_var = "DATABRICKS_TOKEN" in [mcp_servers.${e.name}].` });
    }
    if (e.entry.headers !== undefined) {
      issues.push({ message: `"${e.name}" has "headers", which Codex ignores`, fix: `Use http_headers (literal values) or env_http_headers (values read from variables) in [mcp_servers.${e.name}].` });
    }
    return issues;
  },
  fileRules: (doc, file) => {
    const servers = record(record(doc)?.mcp_servers) ?? {};
    return Object.keys(servers)
      .filter((name) => !/^[A-Za-z0-9_-]+$/.test(name))
      .map((name) => ({ message: `"${name}" in ${file} is not a valid Codex server name (letters, digits, - and _ only)`, fix: `Rename [mcp_servers."${name}"] to [mcp_servers.${name.replace(/[^A-Za-z0-9_-]/g, '-')}].` }));
  },
  mcpEra: {
    speaks: 'legacy',
    fact: {
      text: 'Codex 0.171 (the newest measured) speaks legacy only: its native entry opens with initialize (2025-06-18), which a modern-only server refuses with -32022 Unsupported protocol version, so `codex exec` is offered none of the server\'s tools; through the proxy entry it calls them.',
      confidence: 'confirmed',
      source: `${M21}; \`codex exec\` with a stand-in model, test/e2e/real-clients-model.test.ts`,
    },
  },
  managed: codexManaged,
  restartHint: 'Start a new Codex session (run /mcp in it to see the server); check with `codex mcp list`.',
  oauthSignInHint: 'Then run `codex mcp login <name>` to sign in.',
});
