/**
 * Codex's admin controls: requirements.toml (admin-enforced; an mcp_servers allowlist by name
 * and identity) and the system config.toml layer, under /etc/codex on Unix. No Windows path is
 * documented, so Windows gets nothing.
 */
import { commandLine, rec, type FleetOp, type ManagedFacts } from './managed.js';

const DOCS = 'https://developers.openai.com/codex/enterprise/managed-configuration';
const PROVEN = '`codex mcp list --json` of the pinned Codex 0.171.0 (test/e2e/real-clients-fleet.test.ts)';

export const codexManaged: ManagedFacts = {
  facts: [
    { text: 'requirements.toml is admin-enforced; with an mcp_servers allowlist Codex enables a server only when its name and identity match.', confidence: 'confirmed', source: DOCS },
    { text: 'The identity is [mcp_servers.<name>.identity] with command = "…" (stdio) or url = "…" (HTTP); a server without a matching entry is listed disabled ("requirements (/etc/codex/requirements.toml)").', confidence: 'confirmed', source: PROVEN },
    { text: 'A command identity names the command only, not its arguments: any `npx …` server under an approved name passes (Codex has no argument matching).', confidence: 'likely', source: 'https://github.com/openai/codex/pull/9101 (name + transport match)' },
    { text: '/etc/codex/config.toml is a system config layer: its servers reach every user (who can still override them).', confidence: 'confirmed', source: PROVEN },
    { text: 'macOS MDM can deliver requirements as com.openai.codex requirements_toml_base64; no Windows system path is documented.', confidence: 'confirmed', source: DOCS },
  ],
  files: [
    { role: 'servers', name: 'config.toml', dirs: { linux: '/etc/codex', macos: '/etc/codex' }, format: 'toml', serversPath: ['mcp_servers'], fact: { text: '/etc/codex/config.toml', confidence: 'confirmed', source: PROVEN } },
    { role: 'policy', name: 'requirements.toml', dirs: { linux: '/etc/codex', macos: '/etc/codex' }, format: 'toml', fact: { text: '/etc/codex/requirements.toml on Unix, macOS included', confidence: 'confirmed', source: DOCS } },
  ],
  mdm: {
    macos: 'Run install.sh as root, or deliver requirements.toml base64-encoded as com.openai.codex requirements_toml_base64 in a configuration profile.',
    linux: 'Run install.sh as root (files go to /etc/codex).',
  },
  generate: (servers, os, mode) => {
    if (os === 'windows') return [];
    const requirements = {
      file: 'requirements.toml',
      ops: servers.map((s): FleetOp => ({ op: 'set', path: ['mcp_servers', s.name, 'identity'], value: s.stdio ? { command: s.stdio.command } : { url: s.url } })),
    };
    if (mode === 'catalog') return [requirements];
    const fileKeys = Object.assign({}, ...servers.map((s) => s.fileKeys ?? {})) as Record<string, unknown>;
    const config = {
      file: 'config.toml',
      ops: [
        ...Object.entries(fileKeys).map(([k, v]): FleetOp => ({ op: 'default', path: [k], value: v })),
        ...servers.map((s): FleetOp => ({ op: 'set', path: ['mcp_servers', s.name], value: s.entry })),
      ],
    };
    return [config, requirements];
  },
  blocks: (docs, name, e) => {
    const req = docs.find((d) => d.name === 'requirements.toml');
    const servers = rec(rec(req?.doc)?.mcp_servers);
    if (!req || !servers) return undefined;
    const identity = rec(rec(servers[name])?.identity);
    if (!identity) return { policyFile: req.file, reason: 'it is not on the requirements.toml allowlist (mcp_servers)' };
    const ok = typeof identity.command === 'string' ? e?.transport === 'stdio' && e.command === identity.command : typeof identity.url === 'string' ? e?.transport === 'http' && e.url === identity.url : false;
    return ok ? undefined : { policyFile: req.file, reason: 'its command or URL is not the identity requirements.toml allows for that name' };
  },
  addCommand: (name, s) => (s.stdio ? `codex mcp add ${name} -- ${commandLine(s)}` : `codex mcp add ${name} --url ${s.url ?? ''}`),
};
