/**
 * The client catalog: every MCP client dbx-mcp writes, in the order the CLI lists them.
 * `ClientId` is derived from it, and so are the id lists in hints, choices and the manifest.
 * To add a client: write catalog/<id>.ts (see definition.ts) and add it here.
 */
import { claudeCode } from './claude-code.js';
import { claudeDesktop } from './claude-desktop.js';
import { cline } from './cline.js';
import { codex } from './codex.js';
import { copilotCli } from './copilot-cli.js';
import { cursor } from './cursor.js';
import type { ClientDefinition } from './definition.js';
import { gemini } from './gemini.js';
import { goose } from './goose.js';
import { kiro } from './kiro.js';
import { opencode } from './opencode.js';
import { vscode } from './vscode.js';
import { windsurf } from './windsurf.js';
import { zed } from './zed.js';

export const CLIENTS = [claudeDesktop, cursor, claudeCode, windsurf, vscode, codex, gemini, opencode, copilotCli, zed, goose, kiro, cline] as const;

/** Stable client ids (contract: Clients). */
export type ClientId = (typeof CLIENTS)[number]['id'];

/** Every client id, in catalog order. */
export const CLIENT_IDS: readonly ClientId[] = CLIENTS.map((c) => c.id);

/** The clients that have a project-scope file. */
export const PROJECT_CLIENT_IDS: readonly ClientId[] = CLIENTS.filter((c) => c.projectPath !== null).map((c) => c.id);

/** The definition of a known client id. */
export function clientDefinition(id: ClientId): ClientDefinition<ClientId> {
  // The catalog holds exactly one definition per id (checked by test/unit/clients/catalog.test.ts).
  return CLIENTS.find((c) => c.id === id) as ClientDefinition<ClientId>;
}

/** "a, b, c" or "a, b or c": an id list for hints. */
export function listIds(ids: readonly string[], lastJoin: ', ' | ' or ' | ' and ' = ', '): string {
  if (ids.length < 2 || lastJoin === ', ') return ids.join(', ');
  return `${ids.slice(0, -1).join(', ')}${lastJoin}${ids[ids.length - 1]}`;
}

export type { ClientDefinition } from './definition.js';
