/**
 * An AI Gateway MCP service: <workspace>/ai-gateway/mcp-services/<catalog>.<schema>.<name>
 * (built-ins under `system.ai`, e.g. `system.ai.genie_one_mcp`, `system.ai.dbsql`,
 * `system.ai.github`; source: /work/shared/reference/breadth.md §4).
 */
import { DbxMcpError, UsageError } from '../../errors.js';
import { decodeSegment, IDENT, MANIFEST_IDENT, slugify } from './shared.js';
import type { NoAccess, ServerKindDef } from './types.js';

/** Where AI Gateway serves MCP services on the workspace host. */
export const MCP_SERVICES_PATH = '/ai-gateway/mcp-services';
/** The service that replaces the sunset space-less Genie One path (`/api/2.0/mcp/genie`). */
export const GENIE_ONE_SERVICE = 'system.ai.genie_one_mcp';

const noAccess = (parts: readonly string[]): NoAccess => ({ what: `the MCP service ${parts.join('.')} does not exist or is not visible to you`, fix: `Check the name in Catalog Explorer (schema ${parts.slice(0, 2).join('.')}); ask its owner for USE CATALOG / USE SCHEMA.` });

export const mcpService = {
  add: { argument: { name: 'service', description: '<catalog>.<schema>.<name>, e.g. system.ai.genie_one_mcp' }, description: `an AI Gateway MCP service: ${MCP_SERVICES_PATH}/{catalog.schema.name}` },
  initFlag: { value: '<c.s.name>', description: 'an AI Gateway MCP service (repeatable)' },
  picker: { label: 'AI Gateway MCP services', hint: 'built-in services under system.ai and your own' },
  fromUrl(url) {
    const m = /^\/ai-gateway\/mcp-services\/([^/]+)$/.exec(url.pathname.replace(/\/+$/, ''));
    if (!m) return undefined;
    const parts = decodeSegment(m[1]!).split('.');
    return parts.length === 3 ? parts : undefined;
  },
  parse(t, raw) {
    const parts = t.split('.');
    if (parts.length !== 3 || !parts.every((p) => IDENT.test(p))) {
      throw new UsageError(`"${raw}" is not <catalog>.<schema>.<name>`, { hint: `For example: dbx-mcp add mcp-service ${GENIE_ONE_SERVICE} (the services of a schema are listed under Catalog → the schema → MCP services).` });
    }
    return parts;
  },
  url: (host, parts) => `${host}${MCP_SERVICES_PATH}/${parts.map(encodeURIComponent).join('.')}`,
  // system.ai.genie_one_mcp → databricks-genie-one-mcp; main.tools.crm → databricks-main-tools-crm.
  defaultName: (parts) => `databricks-${slugify(parts[0] === 'system' && parts[1] === 'ai' ? parts[2]! : parts.join('-'))}`,
  async validate(api, parts, refusedAs) {
    const { findMcpService } = await import('../workspace.js');
    const full = parts.join('.');
    const fix = `Check the name (the services of ${parts[0]}.${parts[1]} are listed in Catalog Explorer), or ask for USE CATALOG on ${parts[0]} and USE SCHEMA on ${parts[0]}.${parts[1]}.`;
    const s = await findMcpService(api, parts[0]!, parts[1]!, parts[2]!).catch(refusedAs(`MCP service ${full}`, fix));
    // Listings hide what this identity cannot use: absent is "not found, or not visible to you".
    if (!s) throw new DbxMcpError(`MCP service ${full} was not found, or you cannot see it, in ${api.host}`, { code: 'TARGET_NOT_FOUND', hint: fix });
    return { title: s.full_name ?? full, warnings: [] };
  },
  manifest: { key: 'service', pattern: `^${MANIFEST_IDENT}\\.${MANIFEST_IDENT}\\.${MANIFEST_IDENT}$`, message: 'expected <catalog>.<schema>.<name>, e.g. system.ai.genie_one_mcp', description: 'AI Gateway MCP service <catalog>.<schema>.<name>', needs: 'a service name' },
  noAccess,
  async pick(kit) {
    const { listVisibleMcpServices } = await import('../catalog.js');
    const services = await kit.listing('Listing AI Gateway MCP services', () => listVisibleMcpServices(kit.api));
    if (services.length === 0) {
      kit.warn('No AI Gateway MCP service is visible to you (pass --mcp-service <catalog>.<schema>.<name> to name one).');
      return [];
    }
    const names = await kit.prompt.multiselect<string>({
      id: 'mcp-service',
      message: 'AI Gateway MCP services',
      flag: '--mcp-service <c.s.name>',
      choices: kit.shortList(services, 'services').map((s) => ({ value: s.full_name!, label: s.full_name!, hint: s.comment ?? '' })),
      initial: kit.initial.filter((i) => services.some((s) => s.full_name === i)),
      required: true,
    });
    return names.map((n) => ({ parts: n.split('.'), title: n }));
  },
  // Listed in its schema for this identity (listings hide what it cannot use).
  async access(probe, parts) {
    const { findMcpService } = await import('../workspace.js');
    const [c, s, n] = parts as [string, string, string];
    if (await findMcpService(probe.api, c, s, n)) return { status: 'pass', summary: `the MCP service ${c}.${s}.${n} is visible to you` };
    const nf = noAccess(parts);
    return { status: 'fail', summary: nf.what, fix: nf.fix, data: { kind: 'not-found' } };
  },
} as const satisfies ServerKindDef;
