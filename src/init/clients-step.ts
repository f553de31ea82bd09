/**
 * Step 2 (which clients, detected ones pre-selected, each shown with the file it will write)
 * and step 4 (the auth mode per client, with the recommendation and why).
 */
import { clientDefinition } from '../clients/catalog/index.js';
import { clientIds, detectClients, getClient, type AuthMode, type ClientId } from '../clients/index.js';
import { configFileFor } from '../clients/target.js';
import { clientsForScope, reportSkipped, withFileFor } from '../workflows/project-scope.js';
import type { Ctx } from '../context.js';
import type { Choice } from '../ui/prompter.js';
import type { ClientAuth, InitOptions, WizardDefaults } from './options.js';
import { displayPath } from '../util/paths.js';

export async function clientsStep(ctx: Ctx, o: InitOptions, d: WizardDefaults): Promise<ClientId[]> {
  if (o.client?.length) return (await clientsForScope(ctx, o.client, o.scope)).clients;
  if (!ctx.prompt.interactive) {
    const { clients, skipped } = d.clients ? withFileFor(ctx, d.clients, o.scope) : await clientsForScope(ctx, undefined, o.scope);
    reportSkipped(ctx, skipped);
    return clients;
  }
  const detections = await detectClients(ctx);
  const available = withFileFor(ctx, clientIds, o.scope).clients;
  const detected = detections.filter((x) => x.detected).map((x) => x.id);
  const choices: Choice<ClientId>[] = available.map((id) => {
    const det = detections.find((x) => x.id === id);
    const file = configFileFor(ctx, id, o.scope);
    return { value: id, label: getClient(id).displayName, hint: `${file ? displayPath(ctx, file) : ''}${det?.detected ? '' : ` · not detected${det?.missing ? ` (${det.missing})` : ''}`}` };
  });
  const picked = await ctx.prompt.multiselect<ClientId>({
    id: 'clients',
    message: 'Which MCP clients should get the servers?',
    flag: '--client <ids>',
    choices,
    initial: (d.clients ?? detected).filter((id) => available.includes(id)),
    required: true,
  });
  // A multiselect answers in the order the boxes were ticked: the questions that follow (auth
  // per client) and the plan go in the order of the list the user saw.
  return available.filter((id) => picked.includes(id));
}

/** Why each mode, in one line (the wizard's hints and the README say the same). */
export const AUTH_WHY: Record<AuthMode, string> = {
  proxy: 'no secret on disk, the token is always fresh',
  header: 'no background process; the token comes from an environment variable',
  oauth: 'per-user sign-in in the client; needs an OAuth app',
  'mcp-remote': 'stdio through npx mcp-remote; the token is written into the file',
};

function authChoices(client: ClientId, scope: InitOptions['scope']): Choice<AuthMode>[] {
  return [
    { value: 'proxy', label: 'proxy (recommended)', hint: AUTH_WHY.proxy },
    { value: 'header', label: 'header', hint: clientDefinition(client).dialect.httpEntry === undefined ? `${clientDefinition(client).displayName} cannot send headers from its file: it gets proxy` : AUTH_WHY.header },
    { value: 'oauth', label: 'oauth', hint: AUTH_WHY.oauth },
    // Project files never hold a token: there the entry references the variable.
    { value: 'mcp-remote', label: 'mcp-remote', hint: scope === 'project' ? 'stdio through npx mcp-remote; the token comes from an environment variable' : AUTH_WHY['mcp-remote'] },
  ];
}

export async function authStep(ctx: Ctx, o: InitOptions, clients: ClientId[]): Promise<ClientAuth[]> {
  if (o.auth || !ctx.prompt.interactive) return clients.map((client) => ({ client, auth: o.auth ?? 'proxy' }));
  if (clients.length > 1) {
    const same = await ctx.prompt.select<'proxy' | 'each'>({
      id: 'auth',
      message: 'How should the clients authenticate?',
      flag: '--auth <mode>',
      choices: [
        { value: 'proxy', label: 'proxy for every client (recommended)', hint: AUTH_WHY.proxy },
        { value: 'each', label: 'choose per client', hint: 'header, oauth or mcp-remote for some' },
      ],
      initial: 'proxy',
    });
    if (same === 'proxy') return clients.map((client) => ({ client, auth: 'proxy' }));
  }
  const out: ClientAuth[] = [];
  for (const client of clients) {
    const auth = await ctx.prompt.select<AuthMode>({ id: `auth.${client}`, message: `Auth mode for ${getClient(client).displayName}`, flag: '--auth <mode>', choices: authChoices(client, o.scope), initial: 'proxy' });
    out.push({ client, auth });
  }
  return out;
}
