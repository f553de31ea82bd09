/**
 * What each managed client gets, as edit operations on its system files: one function per
 * client with a managed mechanism (`satisfies` keeps it complete against the catalog). An
 * operation names only the keys dbx-mcp owns, so installing merges into what the admin already
 * has instead of replacing the file.
 */
import { clientDefinition, type ClientId } from '../clients/catalog/index.js';
import { readerFor } from '../clients/read-entry.js';
import { renderFor } from '../clients/render.js';
import type { ServerSpec } from '../clients/types.js';
import { OS_PLATFORM, type FleetClientId, type FleetMode, type FleetOs } from './catalog.js';

/** One edit of a managed file. */
export type FleetOp =
  /** The value at `path` is `value` (replaced if present). */
  | { op: 'set'; path: string[]; value: unknown }
  /** The array at `path` holds every one of `items` (deep-equal; others kept, order kept). */
  | { op: 'include'; path: string[]; items: unknown[] }
  /** `value` at `path` only when nothing is there yet (the admin's own value wins). */
  | { op: 'default'; path: string[]; value: unknown };

/** The operations on one managed file (by its name in the client's catalog entry). */
export interface FileOps {
  file: string;
  ops: FleetOp[];
}

/** A server as this client on this OS writes it, and how an allowlist names it. */
interface Rendered {
  name: string;
  entry: Record<string, unknown>;
  fileKeys?: Record<string, unknown>;
  stdio?: { command: string; args: string[] };
  url?: string;
}

function renderAll(client: ClientId, specs: readonly ServerSpec[], os: FleetOs): Rendered[] {
  const def = clientDefinition(client);
  const read = readerFor(client);
  return specs.map((spec) => {
    const r = renderFor(def, spec, OS_PLATFORM[os]);
    const e = read(r.entry);
    return {
      name: spec.name,
      entry: r.entry,
      ...(r.fileKeys ? { fileKeys: r.fileKeys } : {}),
      ...(e?.transport === 'stdio' ? { stdio: { command: e.command, args: e.args } } : {}),
      ...(e?.transport === 'http' ? { url: e.url } : {}),
    };
  });
}

type Generator = (specs: readonly ServerSpec[], os: FleetOs, mode: FleetMode) => FileOps[];

/**
 * Claude Code. fixed: managed-mcp.json (exclusive). catalog: an allowlist that names each server
 * by its exact command (a name alone would admit any server a user calls that name) or its URL.
 */
const claudeCode: Generator = (specs, os, mode) => {
  const rendered = renderAll('claude-code', specs, os);
  if (mode === 'fixed') return [{ file: 'managed-mcp.json', ops: rendered.map((r) => ({ op: 'set', path: ['mcpServers', r.name], value: r.entry })) }];
  const items = rendered.map((r) => (r.stdio ? { serverCommand: [r.stdio.command, ...r.stdio.args] } : { serverUrl: r.url }));
  return [
    {
      file: 'managed-settings.json',
      ops: [
        { op: 'include', path: ['allowedMcpServers'], items },
        { op: 'set', path: ['allowManagedMcpServersOnly'], value: true },
      ],
    },
  ];
};

/** Gemini CLI: the system settings file; `mcp.allowed` names the only servers that load. */
const gemini: Generator = (specs, os, mode) => {
  const rendered = renderAll('gemini', specs, os);
  const allow: FleetOp = { op: 'include', path: ['mcp', 'allowed'], items: rendered.map((r) => r.name) };
  const servers: FleetOp[] = mode === 'fixed' ? rendered.map((r) => ({ op: 'set', path: ['mcpServers', r.name], value: r.entry })) : [];
  return [{ file: 'settings.json', ops: [...servers, allow] }];
};

/**
 * Codex: requirements.toml allows each server by name and identity (its command, or its URL);
 * fixed also defines the servers in the system config.toml. Unix only (no Windows path known).
 */
const codex: Generator = (specs, os, mode) => {
  if (os === 'windows') return [];
  const rendered = renderAll('codex', specs, os);
  const requirements: FileOps = {
    file: 'requirements.toml',
    ops: rendered.map((r) => ({ op: 'set', path: ['mcp_servers', r.name, 'identity'], value: r.stdio ? { command: r.stdio.command } : { url: r.url } })),
  };
  if (mode === 'catalog') return [requirements];
  const fileKeys = Object.assign({}, ...rendered.map((r) => r.fileKeys ?? {})) as Record<string, unknown>;
  const config: FileOps = {
    file: 'config.toml',
    ops: [
      ...Object.entries(fileKeys).map(([k, v]): FleetOp => ({ op: 'default', path: [k], value: v })),
      ...rendered.map((r): FleetOp => ({ op: 'set', path: ['mcp_servers', r.name], value: r.entry })),
    ],
  };
  return [config, requirements];
};

/** One generator per client whose catalog entry has files. */
const GENERATORS = { 'claude-code': claudeCode, gemini, codex } satisfies Record<FleetClientId, Generator>;

/** The operations for one client on one OS in one mode ([]: the client has no file there). */
export function fleetOps(client: FleetClientId, specs: readonly ServerSpec[], os: FleetOs, mode: FleetMode): FileOps[] {
  return GENERATORS[client](specs, os, mode);
}
