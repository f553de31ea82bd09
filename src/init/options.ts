/**
 * `init`'s flags: the writer flags every `add` takes plus one flag per wizard answer, so a
 * script can run the whole wizard without a terminal (contract: Commands, non-interactive).
 */
import type { z } from 'zod';
import type { AuthMode, ClientId } from '../clients/types.js';
import type { McpTarget } from '../databricks/mcp-urls.js';
import { flagTargets, type ServerFlags } from '../databricks/server-kinds/index.js';
import { INIT_FLAGS } from '../workflows/flags.js';
import { optionsSchema } from '../workflows/parse-options.js';
import { WriterOptions } from '../workflows/writer-options.js';

/** Validated from the flags' one declaration (workflows/flags.ts: WRITER_FLAGS and INIT_FLAGS). */
export const InitOptions = WriterOptions.extend(optionsSchema(INIT_FLAGS).shape);
export type InitOptions = z.infer<typeof InitOptions>;

/** True when any server was named on the command line. */
export function hasServerFlags(o: InitOptions): boolean {
  return flagTargets(o).length > 0;
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
export interface WizardDefaults extends ServerFlags {
  clients?: ClientId[];
  /** Accept the plan without asking (the demo writes only into its temporary HOME). */
  autoYes?: boolean;
  /** Offer to save a team manifest at the end (default true; the demo's would point at a dead emulator). */
  offerManifest?: boolean;
  /** Server names by `<kind>:<parts joined by .>` (from a manifest). */
  names?: Record<string, string>;
  /** A label for messages (e.g. "demo workspace"). */
  workspaceLabel?: string;
}
