/** Gemini CLI's admin controls: the system settings file (overrides every other), with `mcp.allowed` / `mcp.excluded`. */
import { commandLine, rec, type ManagedFacts } from './managed.js';

const DOCS = 'https://geminicli.com/docs/cli/enterprise';

export const geminiManaged: ManagedFacts = {
  facts: [
    { text: 'The system settings file overrides user and project settings; objects such as mcpServers are merged.', confidence: 'confirmed', source: DOCS },
    { text: 'GEMINI_CLI_SYSTEM_SETTINGS_PATH moves the system settings file.', confidence: 'confirmed', source: 'https://www.mintlify.com/google-gemini/gemini-cli/reference/settings' },
    { text: 'mcp.allowed (server names) is an allowlist: a server not on it is listed "Blocked" and not started. Names only, so a user can reuse an approved name.', confidence: 'confirmed', source: `${DOCS}; \`gemini mcp list\` of the pinned Gemini CLI 0.61.0 (test/e2e/real-clients-fleet.test.ts)` },
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
  generate: (servers, _os, mode) => [
    {
      file: 'settings.json',
      ops: [
        ...(mode === 'fixed' ? servers.map((s) => ({ op: 'set' as const, path: ['mcpServers', s.name], value: s.entry })) : []),
        { op: 'include', path: ['mcp', 'allowed'], items: servers.map((s) => s.name) },
      ],
    },
  ],
  blocks: (docs, name) => {
    const settings = docs.find((d) => d.name === 'settings.json');
    const mcp = rec(rec(settings?.doc)?.mcp);
    if (!settings || !mcp) return undefined;
    if (Array.isArray(mcp.excluded) && mcp.excluded.includes(name)) return { policyFile: settings.file, reason: 'it is in mcp.excluded of the system settings' };
    if (Array.isArray(mcp.allowed) && !mcp.allowed.includes(name)) return { policyFile: settings.file, reason: 'it is not in mcp.allowed of the system settings' };
    return undefined;
  },
  addCommand: (name, s) => `gemini mcp add -s user ${name} ${commandLine(s)}`,
};
