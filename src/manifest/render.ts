/**
 * Writing a manifest: from the choices `init` collected to a Manifest, and to the exact text
 * dbx-mcp writes (stable key order, 2-space indent, trailing newline, `$schema` first).
 */
import type { AuthMode, ClientId, Scope } from '../clients/types.js';
import { planFileEdit, readFileText, type FileChange } from '../config/file-plan.js';
import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import { normalizeHost } from '../databricks/host.js';
import { MANIFEST_SCHEMA_URL, type Manifest, type ManifestServer, type ManifestServerType } from './schema.js';
import { parseManifest } from './load.js';
import { kindDef } from '../databricks/server-kinds/index.js';

/** One server as `init` knows it: the kind and its command-line target. */
export interface ServerChoice {
  type: ManifestServerType;
  /** genie: space id; vector-search/functions: c.s[.x]; external: connection; mcp-service: c.s.name; app: app name; sql: none. */
  target?: string;
  name?: string;
  meta?: Record<string, string>;
}

/** What `init` chose, as input to manifestFromChoices. */
export interface ManifestChoices {
  host: string;
  servers: ServerChoice[];
  clients?: ClientId[];
  auth?: AuthMode;
  oauth?: { clientId: string; callbackPort?: number };
  scope?: Scope;
}

function toServer(c: ServerChoice): ManifestServer {
  const extra = { ...(c.name ? { name: c.name } : {}), ...(c.meta && Object.keys(c.meta).length ? { meta: c.meta } : {}) };
  const need = (what: string): string => {
    if (!c.target) throw new UsageError(`A ${c.type} server needs ${what}`);
    return c.target.trim();
  };
  const f = kindDef(c.type).manifest;
  // The member's shape is the definition's (schema.ts: KindMember); manifestFromChoices validates it.
  return { type: c.type, ...(f ? { [f.key]: (f.normalize ?? ((t: string) => t))(need(f.needs)) } : {}), ...extra } as ManifestServer;
}

/**
 * A manifest from `init`'s choices, validated like a loaded one (UsageError on bad input).
 * Omits defaults (auth proxy, scope user) so the file stays short.
 */
export function manifestFromChoices(c: ManifestChoices): Manifest {
  const m: Manifest = {
    $schema: MANIFEST_SCHEMA_URL,
    version: 1,
    workspace: { host: normalizeHost(c.host) },
    servers: c.servers.map(toServer),
    ...(c.clients?.length ? { clients: [...new Set(c.clients)] } : {}),
    ...(c.auth && c.auth !== 'proxy' ? { auth: c.auth } : {}),
    ...(c.oauth ? { oauth: { clientId: c.oauth.clientId, ...(c.oauth.callbackPort ? { callbackPort: c.oauth.callbackPort } : {}) } } : {}),
    ...(c.scope && c.scope !== 'user' ? { scope: c.scope } : {}),
  };
  // Validate through the same path as loading so init can never write a file sync rejects.
  parseManifest(renderManifest(m), 'the manifest');
  return m;
}

/** The manifest as dbx-mcp writes it: `$schema` first, 2-space indent, trailing newline. */
export function renderManifest(m: Manifest): string {
  const ordered = {
    $schema: m.$schema ?? MANIFEST_SCHEMA_URL,
    version: m.version,
    workspace: m.workspace,
    servers: m.servers,
    ...(m.clients ? { clients: m.clients } : {}),
    ...(m.auth ? { auth: m.auth } : {}),
    ...(m.oauth ? { oauth: m.oauth } : {}),
    ...(m.scope ? { scope: m.scope } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * A FileChange writing the manifest to `path` for the plan → diff → apply flow (null when
 * the file already holds exactly this text).
 */
export async function writeManifestPlan(_ctx: Pick<Ctx, 'cwd'>, path: string, manifest: Manifest): Promise<FileChange | null> {
  const before = await readFileText(path);
  return planFileEdit(path, before, renderManifest(manifest), { holdsSecret: false, summary: [`${before === null ? '+' : '~'} team manifest (${manifest.servers.length} server${manifest.servers.length === 1 ? '' : 's'})`] });
}
