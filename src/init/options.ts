/**
 * `init`'s flags: the writer flags every `add` takes plus one flag per wizard answer, so a
 * script can run the whole wizard without a terminal (contract: Commands, non-interactive).
 */
import { z } from 'zod';
import type { AuthMode, ClientId } from '../clients/types.js';
import type { McpTarget } from '../databricks/mcp-urls.js';
import { WriterOptions } from '../workflows/writer-options.js';

export const InitOptions = WriterOptions.extend({
  demo: z.boolean().optional(),
  genie: z.array(z.string()).optional(),
  vectorSearch: z.array(z.string()).optional(),
  functions: z.array(z.string()).optional(),
  sql: z.boolean().optional(),
  external: z.array(z.string()).optional(),
  from: z.string().optional(),
  saveManifest: z.union([z.string(), z.literal(true)]).optional(),
  oauthProfile: z.string().optional(),
  verify: z.boolean().default(true),
  install: z.boolean().default(true),
});
export type InitOptions = z.infer<typeof InitOptions>;

/** True when any server was named on the command line. */
export function hasServerFlags(o: InitOptions): boolean {
  return Boolean(o.genie?.length || o.vectorSearch?.length || o.functions?.length || o.sql || o.external?.length);
}

/** One server the wizard will write. */
export interface ChosenServer {
  target: McpTarget;
  /** What the user recognises: the space title, the full name. */
  title: string;
  name: string;
  url: string;
  warnings: string[];
}

/** The auth mode of one client, with the OAuth client it signs in with (mode `oauth`). */
export interface ClientAuth {
  client: ClientId;
  auth: AuthMode;
  oauth?: { clientId: string; callbackPort?: number; source: 'flag' | 'published' | 'registered' | 'manifest' | 'dry-run' };
}

/** Answers a caller (the demo, a manifest) fills in before the wizard asks. */
export interface WizardDefaults {
  clients?: ClientId[];
  genie?: string[];
  vectorSearch?: string[];
  functions?: string[];
  sql?: boolean;
  external?: string[];
  /** Accept the plan without asking (the demo writes only into its temporary HOME). */
  autoYes?: boolean;
  /** Offer to save a team manifest at the end (default true; the demo's would point at a dead emulator). */
  offerManifest?: boolean;
  /** Server names by `<kind>:<parts joined by .>` (from a manifest). */
  names?: Record<string, string>;
  /** A label for messages (e.g. "demo workspace"). */
  workspaceLabel?: string;
}
