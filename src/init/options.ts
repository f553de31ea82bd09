/**
 * `init`'s flags: the writer flags every `add` takes plus one flag per wizard answer, so a
 * script can run the whole wizard without a terminal (contract: Commands, non-interactive).
 */
import { z } from 'zod';
import type { AuthMode, ClientId } from '../clients/types.js';
import type { McpTarget } from '../databricks/mcp-urls.js';
import { addKinds, flagTargets, initOptionKey, kindDef, type ServerFlags } from '../databricks/server-kinds.js';
import { WriterOptions } from '../workflows/writer-options.js';

export const InitOptions = WriterOptions.extend({
  demo: z.boolean().optional(),
  ...serverFlagsShape(),
  from: z.string().optional(),
  saveManifest: z.union([z.string(), z.literal(true)]).optional(),
  oauthProfile: z.string().optional(),
  verify: z.boolean().default(true),
  install: z.boolean().default(true),
});
export type InitOptions = z.infer<typeof InitOptions>;

/** One option per kind of the server-kind table: a repeatable target flag is a string list, `--sql` a boolean. */
function serverFlagsShape(): { [K in keyof ServerFlags]-?: z.ZodType<ServerFlags[K]> } {
  return Object.fromEntries(addKinds.map((k) => [initOptionKey(k), (kindDef(k).initFlag.value ? z.array(z.string()) : z.boolean()).optional()])) as never;
}

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
