/**
 * `scenario.mcpExtras`: the endpoint also offers one resource and one prompt (custom MCP
 * servers on Databricks Apps do; managed servers offer tools only), in either era, so the
 * proxy's era matrix covers resources/list, resources/read, prompts/list and prompts/get.
 * The same content from the legacy 1.x and the modern 2.x `McpServer`.
 */
import { z } from 'zod';

export const EXTRA_RESOURCE = { name: 'readme', uri: 'emulator://readme', mimeType: 'text/markdown', text: '# Emulated workspace ✓\n\nünïcode 日本語 🚀\n' };
export const EXTRA_PROMPT = { name: 'summarize', description: 'Summarize a table.', args: { table: z.string().describe('Full table name') } };

export const promptText = (table: string): string => `Summarize the table ${table} in three sentences.`;

/** The registrations both McpServer versions share (their register* signatures are the same for these). */
interface Registrar {
  registerResource(name: string, uri: string, config: { mimeType: string; description: string }, cb: (uri: URL) => unknown): unknown;
  registerPrompt(name: string, config: { description: string; argsSchema: never }, cb: (args: { table: string }) => unknown): unknown;
}

/** Registers the extras; `argsSchema` is the prompt's arguments as that server version takes them. */
export function registerExtras(server: unknown, argsSchema: unknown): void {
  const s = server as Registrar;
  s.registerResource(EXTRA_RESOURCE.name, EXTRA_RESOURCE.uri, { mimeType: EXTRA_RESOURCE.mimeType, description: 'What this emulated server is.' }, (uri: URL) => ({
    contents: [{ uri: uri.href, mimeType: EXTRA_RESOURCE.mimeType, text: EXTRA_RESOURCE.text }],
  }));
  s.registerPrompt(EXTRA_PROMPT.name, { description: EXTRA_PROMPT.description, argsSchema: argsSchema as never }, ({ table }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: promptText(table) } }],
  }));
}
