/**
 * What each MCP client offers an IT admin, as data: one entry per client (compiler-checked),
 * each fact marked by how sure it is and where it comes from. `fleet` generates files only for
 * the files listed here; doctor reads the same paths (clients/managed-scope.ts). Being wrong
 * about an unconfirmed fact is one edit in this table.
 */
import type { ClientId } from '../clients/catalog/index.js';

/** The operating systems a fleet targets (device management speaks in these, not in Node's platform ids). */
export const FLEET_OSES = ['macos', 'windows', 'linux'] as const;
export type FleetOs = (typeof FLEET_OSES)[number];

/** Node's platform id of each fleet OS (for per-OS entry rendering: `cmd /c npx` on Windows). */
export const OS_PLATFORM = { macos: 'darwin', windows: 'win32', linux: 'linux' } as const satisfies Record<FleetOs, NodeJS.Platform>;

/** `fixed`: every laptop gets exactly these servers; `catalog`: users add approved servers themselves, anything else is blocked. */
export type FleetMode = 'fixed' | 'catalog';

/** How sure a fact is: `confirmed` by the vendor's docs or the pinned client's own code, `likely` from one source, `unconfirmed` a guess. */
export type Confidence = 'confirmed' | 'likely' | 'unconfirmed';

export interface Fact {
  text: string;
  confidence: Confidence;
  source: string;
}

/** One system-wide file a client reads. */
export interface ManagedFileSpec {
  /** `servers`: the file delivers servers (fixed mode); `policy`: it filters what users add. */
  role: 'servers' | 'policy';
  name: string;
  /** Its folder per OS; an OS missing here has no such file. */
  dirs: Partial<Record<FleetOs, string>>;
  format: 'jsonc' | 'toml';
  /** Where the server map lives in it (role `servers`). */
  serversPath?: readonly string[];
  fact: Fact;
}

export interface ManagedFacts {
  /** `files`: system-wide files fleet generates; `none`: no file an admin can deploy (see `facts`). */
  mechanism: 'files' | 'none';
  facts: Fact[];
  files: ManagedFileSpec[];
  /** Device-management hints per OS, for the admin README. */
  mdm: Partial<Record<FleetOs, string>>;
}

const CLAUDE_DOCS = 'https://code.claude.com/docs/en/managed-mcp';
const CLAUDE_BIN = 'strings of the pinned Claude Code 2.1.330 binary (.cache/real-clients/claude-code)';
const CLAUDE_DIRS = { macos: '/Library/Application Support/ClaudeCode', linux: '/etc/claude-code', windows: 'C:\\Program Files\\ClaudeCode' };
const GEMINI_DOCS = 'https://geminicli.com/docs/cli/enterprise';
const CODEX_DOCS = 'https://developers.openai.com/codex/enterprise/managed-configuration';
const CODEX_BIN = 'strings of the pinned Codex 0.171.0 binary (.cache/real-clients/codex)';

const none = (facts: Fact[]): ManagedFacts => ({ mechanism: 'none', facts, files: [], mdm: {} });

export const MANAGED = {
  'claude-code': {
    mechanism: 'files',
    facts: [
      { text: 'managed-mcp.json is exclusive: Claude Code loads only its servers; users cannot add others (an empty map disables MCP).', confidence: 'confirmed', source: CLAUDE_DOCS },
      { text: 'allowedMcpServers + allowManagedMcpServersOnly: true in managed-settings.json is the "approved catalog": users add listed servers, everything else is blocked.', confidence: 'confirmed', source: CLAUDE_DOCS },
      { text: 'An allowlist entry has exactly one of serverName, serverCommand (the exact [command, ...args] array) or serverUrl (wildcards allowed).', confidence: 'confirmed', source: CLAUDE_BIN },
      { text: 'managed-mcp.json entries with no ${VAR} in command, args, url or headers are allowed without being listed.', confidence: 'confirmed', source: CLAUDE_BIN },
      { text: 'The system folder is fixed (no environment variable moves managed-mcp.json): the pinned binary computes it from the OS alone.', confidence: 'confirmed', source: CLAUDE_BIN },
      { text: 'Windows folder is C:\\Program Files\\ClaudeCode (older docs said C:\\ProgramData\\ClaudeCode).', confidence: 'confirmed', source: `${CLAUDE_BIN}; https://code.claude.com/docs/en/settings` },
    ],
    files: [
      { role: 'servers', name: 'managed-mcp.json', dirs: CLAUDE_DIRS, format: 'jsonc', serversPath: ['mcpServers'], fact: { text: 'managed-mcp.json in the system folder', confidence: 'confirmed', source: CLAUDE_DOCS } },
      { role: 'policy', name: 'managed-settings.json', dirs: CLAUDE_DIRS, format: 'jsonc', fact: { text: 'managed-settings.json in the same folder (also deliverable as server-managed settings or MDM profiles)', confidence: 'confirmed', source: CLAUDE_DOCS } },
    ],
    mdm: {
      macos: 'Jamf / a configuration profile or a package script that runs install.sh as root (files go to /Library/Application Support/ClaudeCode).',
      windows: 'Intune or Group Policy: run install.ps1 as SYSTEM (files go to C:\\Program Files\\ClaudeCode).',
      linux: 'Ansible / Chef / Puppet: run install.sh as root (files go to /etc/claude-code).',
    },
  },
  'gemini': {
    mechanism: 'files',
    facts: [
      { text: 'The system settings file overrides user and project settings; objects such as mcpServers are merged.', confidence: 'confirmed', source: GEMINI_DOCS },
      { text: 'GEMINI_CLI_SYSTEM_SETTINGS_PATH moves the system settings file.', confidence: 'confirmed', source: 'https://www.mintlify.com/google-gemini/gemini-cli/reference/settings' },
      { text: 'mcp.allowed (server names) is an allowlist: servers not on it are not loaded. Names only, so a user can reuse an approved name.', confidence: 'likely', source: GEMINI_DOCS },
    ],
    files: [
      {
        role: 'servers',
        name: 'settings.json',
        dirs: { linux: '/etc/gemini-cli', windows: 'C:\\ProgramData\\gemini-cli', macos: '/Library/Application Support/GeminiCli' },
        format: 'jsonc',
        serversPath: ['mcpServers'],
        fact: { text: 'system settings.json per OS', confidence: 'confirmed', source: 'https://geminicli.com/docs/cli/configuration' },
      },
    ],
    mdm: {
      macos: 'Run install.sh as root (files go to /Library/Application Support/GeminiCli).',
      windows: 'Run install.ps1 as SYSTEM (files go to C:\\ProgramData\\gemini-cli).',
      linux: 'Run install.sh as root (files go to /etc/gemini-cli).',
    },
  },
  'codex': {
    mechanism: 'files',
    facts: [
      { text: 'requirements.toml is admin-enforced; with an mcp_servers allowlist Codex enables a server only when its name and identity match.', confidence: 'confirmed', source: CODEX_DOCS },
      { text: 'The identity is [mcp_servers.<name>.identity] with command = "…" (stdio) or url = "…" (HTTP).', confidence: 'likely', source: `${CODEX_BIN} (RawMcpServerCommandIdentity / RawMcpServerUrlIdentity)` },
      { text: '/etc/codex/config.toml is a system config layer (servers defined there reach every user, who can still override them).', confidence: 'likely', source: CODEX_BIN },
      { text: 'macOS MDM can deliver requirements as com.openai.codex requirements_toml_base64; no Windows system path is documented.', confidence: 'confirmed', source: CODEX_DOCS },
    ],
    files: [
      { role: 'servers', name: 'config.toml', dirs: { linux: '/etc/codex', macos: '/etc/codex' }, format: 'toml', serversPath: ['mcp_servers'], fact: { text: '/etc/codex/config.toml', confidence: 'likely', source: CODEX_BIN } },
      { role: 'policy', name: 'requirements.toml', dirs: { linux: '/etc/codex', macos: '/etc/codex' }, format: 'toml', fact: { text: '/etc/codex/requirements.toml on Unix, macOS included', confidence: 'confirmed', source: CODEX_DOCS } },
    ],
    mdm: {
      macos: 'Run install.sh as root, or deliver requirements.toml base64-encoded as com.openai.codex requirements_toml_base64 in a configuration profile.',
      linux: 'Run install.sh as root (files go to /etc/codex).',
    },
  },
  'vscode': none([
    { text: 'Admin control is OS policy (Group Policy ADMX / macOS configuration profile), not a settings file: ChatMCP / chat.mcp.access ("none", "registry", "all") restricts MCP servers; an MCP registry URL lists approved ones. fleet does not generate policy payloads.', confidence: 'likely', source: 'https://code.visualstudio.com/docs/setup/enterprise; https://docs.github.com/en/copilot/how-tos/administer-copilot/configure-mcp-server-access' },
  ]),
  'cursor': none([{ text: 'Team MCP controls live in the Cursor team admin dashboard (cloud), not in a file on the laptop.', confidence: 'unconfirmed', source: 'https://docs.cursor.com/account/teams/dashboard' }]),
  'windsurf': none([{ text: 'Teams/Enterprise admins whitelist MCP servers in the Windsurf admin portal (cloud); there is no system file.', confidence: 'likely', source: 'https://docs.windsurf.com/windsurf/cascade/mcp' }]),
  'claude-desktop': none([{ text: 'Claude Desktop connectors are managed in the Claude organization settings; no system MCP file is documented.', confidence: 'unconfirmed', source: 'https://support.claude.com' }]),
  'copilot-cli': none([{ text: 'GitHub Copilot MCP allowlists are enterprise policies / a managed-settings.json stored on GitHub; fleet does not generate it.', confidence: 'likely', source: 'https://docs.github.com/en/copilot/how-tos/administer-copilot/manage-mcp-usage/configure-enterprise-allowlist' }]),
  'opencode': none([{ text: 'No system-wide managed config documented.', confidence: 'unconfirmed', source: 'https://opencode.ai/docs/config' }]),
  'zed': none([{ text: 'No system-wide managed config documented.', confidence: 'unconfirmed', source: 'https://zed.dev/docs/ai/mcp' }]),
  'goose': none([{ text: 'No system-wide managed config documented.', confidence: 'unconfirmed', source: 'https://block.github.io/goose/docs' }]),
  'kiro': none([{ text: 'No system-wide managed config documented.', confidence: 'unconfirmed', source: 'https://kiro.dev/docs/mcp' }]),
  'cline': none([{ text: 'No system-wide managed config documented.', confidence: 'unconfirmed', source: 'https://docs.cline.bot' }]),
} as const satisfies Record<ClientId, ManagedFacts>;

/** The clients fleet generates files for: exactly those whose entry has files (checked below). */
export const FLEET_CLIENT_IDS = ['claude-code', 'codex', 'gemini'] as const;
export type FleetClientId = (typeof FLEET_CLIENT_IDS)[number];
type FileClients = { [K in keyof typeof MANAGED]: (typeof MANAGED)[K]['mechanism'] extends 'files' ? K : never }[keyof typeof MANAGED];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _complete: Same<FleetClientId, FileClients> = true;
void _complete;

/** The managed facts of a client. */
export function managedFacts(id: ClientId): ManagedFacts {
  return MANAGED[id] as ManagedFacts;
}

/** The system path of one managed file on one OS, or undefined when the client has none there. */
export function managedFilePath(file: ManagedFileSpec, os: FleetOs): string | undefined {
  const dir = file.dirs[os];
  if (dir === undefined) return undefined;
  return os === 'windows' ? `${dir}\\${file.name}` : `${dir}/${file.name}`;
}
