/**
 * The team manifest `dbx-mcp.json` (contract: Team manifest) as a zod schema. The JSON Schema
 * shipped in templates/ is generated from this one (test/helpers/manifest-json-schema.ts), so keep every rule that
 * editors should see expressible there: regex patterns without flags, enums, literals.
 * Cross-field rules (unique names, oauth needs a client id) live in `checkManifest`.
 */
import { listIds, PROJECT_CLIENT_IDS } from '../clients/catalog/index.js';
import { z } from 'zod';
import { clientIds } from '../clients/registry.js';
import type { ClientId } from '../clients/types.js';
import type { ServerKind } from '../databricks/mcp-urls.js';
import { addKinds, kindDef, type AddKind, type SERVER_KINDS } from '../databricks/server-kinds/index.js';
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_ID_RULE } from '../oauth/client-id.js';
import { FLEET_CLIENT_IDS, FLEET_OSES, type FleetOs } from '../fleet/catalog.js';

/** Where editors fetch the schema: the copy shipped in the published package. */
export const MANIFEST_SCHEMA_URL = 'https://unpkg.com/dbx-mcp/templates/dbx-mcp.schema.json';
/** The file name `findManifest` looks for. */
export const MANIFEST_FILE = 'dbx-mcp.json';

// Patterns carry no flags: JSON Schema `pattern` cannot express them.
const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
// https://host[:port][/], or http:// for loopback emulators only (contract: Hosts).
const HOST = /^((https:\/\/)?[A-Za-z0-9.-]+(:[0-9]+)?|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?)\/?$/;
const META_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const common = {
  name: z
    .string()
    .regex(SERVER_NAME, 'a server name is letters, digits, "-" and "_" (at most 64 characters)')
    .describe('Server name in the clients (default: derived from the target, e.g. databricks-functions-main-tools)')
    .optional(),
  meta: z
    .record(z.string().regex(META_KEY, 'a _meta key is letters, digits, "_", "." and "-"'), z.string())
    .describe('_meta fields the proxy adds to tools/call, e.g. {"warehouse_id": "abcdef1234567890"}')
    .optional(),
};

/** A kind's manifest member, from its definition's `manifest` field (server-kinds/). */
function kindMember(kind: AddKind) {
  const f = kindDef(kind).manifest;
  const field = f ? { [f.key]: z.string().regex(new RegExp(f.pattern), f.message).describe(f.description) } : {};
  return z.object({ type: z.literal(kind), ...field, ...common }).strict();
}

/** One server of the manifest, discriminated by `type`. */
// The members are built at runtime from the table, so their type is declared (ManifestServer) and the union cast to it.
type Member = z.ZodObject<{ type: z.ZodLiteral<string> } & z.ZodRawShape>;
const serverUnion = z.discriminatedUnion('type', addKinds.map(kindMember) as unknown as [Member, ...Member[]]);
export const ManifestServerSchema = serverUnion as unknown as z.ZodType<ManifestServer> & Pick<typeof serverUnion, 'options'>;

/** The manifest's shape (without cross-field rules; see checkManifest). */
export const ManifestSchema = z
  .object({
    $schema: z.string().describe('JSON Schema of this file').optional(),
    version: z.literal(1).describe('Manifest format version'),
    workspace: z
      .object({
        host: z.string().regex(HOST, 'expected the workspace URL, e.g. https://dbc-1234abcd-5678.cloud.databricks.com').describe('Workspace URL'),
      })
      .strict(),
    servers: z.array(ManifestServerSchema).min(1, 'list at least one server').describe('Databricks MCP servers every developer gets'),
    clients: z
      .array(z.enum(clientIds as [ClientId, ...ClientId[]]))
      .describe('Preferred MCP clients (default: every client detected on the machine)')
      .optional(),
    auth: z.enum(['proxy', 'header', 'oauth', 'mcp-remote']).describe('How clients authenticate (default: proxy)').optional(),
    oauth: z
      .object({
        clientId: z.string().regex(OAUTH_CLIENT_ID, OAUTH_CLIENT_ID_RULE).describe('Pre-registered OAuth client id (public client; not a secret)'),
        callbackPort: z.number().int().min(1024).max(65535).describe('Pinned loopback callback port').optional(),
      })
      .strict()
      .optional(),
    scope: z.enum(['user', 'project']).describe('Where sync writes by default (default: user)').optional(),
    fleet: z
      .object({
        mode: z.enum(['fixed', 'catalog']).describe('fixed: every laptop gets exactly these servers; catalog: an allowlist users add from (default: fixed)').optional(),
        os: z.array(z.enum(FLEET_OSES)).min(1).describe('Operating systems to generate for (default: all)').optional(),
        clients: z.array(z.enum(FLEET_CLIENT_IDS as [ClientId, ...ClientId[]])).min(1).describe('Clients with managed files to generate for (default: all)').optional(),
        out: z.string().min(1).describe('Output folder, relative to the manifest (default: dbx-mcp-fleet)').optional(),
      })
      .strict()
      .describe('Options of `dbx-mcp fleet` (managed settings for device management)')
      .optional(),
  })
  .strict();

/** A parsed team manifest. */
export interface Manifest {
  $schema?: string;
  version: 1;
  workspace: { host: string };
  servers: ManifestServer[];
  clients?: ClientId[];
  auth?: 'proxy' | 'header' | 'oauth' | 'mcp-remote';
  oauth?: { clientId: string; callbackPort?: number };
  scope?: 'user' | 'project';
  fleet?: { mode?: 'fixed' | 'catalog'; os?: FleetOs[]; clients?: ClientId[]; out?: string };
}
type Common = { name?: string; meta?: Record<string, string> };
/** A kind's member: `type`, its target field when its definition has one, name and meta. */
type KindMember = { [K in AddKind]: { type: K } & ((typeof SERVER_KINDS)[K] extends { manifest: { key: infer F extends string } } ? { [P in F]: string } : Record<never, never>) & Common }[AddKind];
export type ManifestServer = KindMember;
export type ManifestServerType = ManifestServer['type'];

// Compile-time proof that the interface and the schema agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _same: Same<Manifest, z.infer<typeof ManifestSchema>> = true;
void _same;
// Compile-time proof that the manifest has one member per kind of the server-kind table.
const _kinds: Same<ManifestServerType, ServerKind> = true;
void _kinds;

/** One cross-field problem, in zod's issue form so callers report both alike. */
export interface ManifestIssue {
  path: (string | number)[];
  message: string;
}

/** Rules the JSON Schema cannot say: unique server names, oauth needs a client id. */
export function checkManifest(m: Manifest, nameOf: (s: ManifestServer) => string): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const seen = new Map<string, number>();
  m.servers.forEach((s, i) => {
    const name = nameOf(s);
    const first = seen.get(name);
    if (first !== undefined) {
      issues.push({ path: ['servers', i, 'name'], message: `"${name}" is also the name of servers[${first}]; give one of them another "name"` });
    } else seen.set(name, i);
  });
  if (m.auth === 'oauth' && !m.oauth?.clientId) {
    issues.push({ path: ['oauth', 'clientId'], message: 'auth "oauth" needs oauth.clientId (an account admin creates one with `dbx-mcp oauth register`)' });
  }
  if (m.scope === 'project' && m.clients?.length && m.clients.every((c) => !PROJECT_CLIENT_IDS.includes(c))) {
    issues.push({ path: ['clients'], message: `scope "project" needs a client with a project file: ${listIds(PROJECT_CLIENT_IDS, ' or ')}` });
  }
  return issues;
}
