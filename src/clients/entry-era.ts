/**
 * The MCP era an entry speaks to its server, as far as the files tell (no network): a native
 * entry (header, OAuth, any other URL entry) speaks its client's era (catalog `mcpEra`), a
 * dbx-mcp proxy entry both (the proxy bridges), an mcp-remote entry legacy. Doctor's handshake
 * check says what the server speaks.
 */
import type { Confidence } from './catalog/managed.js';
import { clientDefinition } from './catalog/index.js';
import type { DetectedAuth } from './list.js';
import type { ClientId } from './types.js';
import type { McpEra } from '../mcp/types.js';

export interface EntryEra {
  speaks: McpEra;
  confidence: Confidence;
}

/** Undefined for a stdio command of no known kind (it speaks whatever it speaks). */
export function entryEra(client: ClientId, auth: DetectedAuth): EntryEra | undefined {
  if (auth === 'proxy') return { speaks: 'dual', confidence: 'confirmed' };
  // The pinned mcp-remote (render.ts) has no --protocol option; that it speaks legacy only is not measured.
  if (auth === 'mcp-remote' || (auth === 'oauth' && isStdioOauth(client))) return { speaks: 'legacy', confidence: 'unconfirmed' };
  if (auth === 'stdio-other') return undefined;
  const f = clientDefinition(client).mcpEra;
  return { speaks: f.speaks, confidence: f.fact.confidence };
}

/** A client without a native OAuth entry gets mcp-remote with a static client for OAuth (definition.ts: oauthEntry). */
const isStdioOauth = (client: ClientId): boolean => clientDefinition(client).dialect.oauthEntry === undefined;
