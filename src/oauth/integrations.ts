/**
 * Account API for OAuth custom app integrations (source: Go SDK service/oauth2/impl.go; Go SDK service/oauth2/model.go): list (every
 * page), create, update. PATCH replaces `redirect_urls` and `scopes` wholesale, so callers
 * always send the merged lists. Pure API calls: nothing here prints.
 */
import { z } from 'zod';
import { listAllPages, type Api } from '../databricks/api.js';

export const TokenAccessPolicy = z.object({
  access_token_ttl_in_minutes: z.number().optional(),
  refresh_token_ttl_in_minutes: z.number().optional(),
});
export type TokenAccessPolicy = z.infer<typeof TokenAccessPolicy>;

export const CustomAppIntegration = z.object({
  integration_id: z.string(),
  client_id: z.string().optional(),
  name: z.string().optional(),
  redirect_urls: z.array(z.string()).optional(),
  confidential: z.boolean().optional(),
  scopes: z.array(z.string()).optional(),
  token_access_policy: TokenAccessPolicy.optional(),
});
export type CustomAppIntegration = z.infer<typeof CustomAppIntegration>;

const CreateOutput = z.object({ integration_id: z.string(), client_id: z.string(), client_secret: z.string().optional() });
export type CreateOutput = z.infer<typeof CreateOutput>;

/** The body of a create call; also what an admin is handed when the caller is not one. */
export interface CreateBody {
  name: string;
  redirect_urls: string[];
  confidential: boolean;
  scopes: string[];
  token_access_policy?: TokenAccessPolicy;
}

export interface UpdateBody {
  redirect_urls?: string[];
  scopes?: string[];
  token_access_policy?: TokenAccessPolicy;
}

const base = (accountId: string) => `/api/2.0/accounts/${encodeURIComponent(accountId)}/oauth2/custom-app-integrations`;

/** Every integration of the account, following `next_page_token`. */
export async function listCustomApps(api: Api, accountId: string): Promise<CustomAppIntegration[]> {
  return listAllPages(async (page_token) => {
    const r = await api.get(base(accountId), {
      query: { page_size: 100, page_token },
      schema: z.object({ apps: z.array(CustomAppIntegration).optional(), next_page_token: z.string().optional().nullable() }),
    });
    return { items: r.apps ?? [], next: r.next_page_token };
  }, 1000);
}

/** The integration with exactly this name (the first one, if an admin made duplicates). */
export async function findCustomAppByName(api: Api, accountId: string, name: string): Promise<CustomAppIntegration | undefined> {
  return (await listCustomApps(api, accountId)).find((a) => a.name === name);
}

export async function createCustomApp(api: Api, accountId: string, body: CreateBody): Promise<CreateOutput> {
  return api.call('POST', base(accountId), { body, schema: CreateOutput, retryBudgetMs: 0 });
}

export async function updateCustomApp(api: Api, accountId: string, integrationId: string, body: UpdateBody): Promise<void> {
  // The response body is undocumented (probably `{}`): ignore it.
  await api.call('PATCH', `${base(accountId)}/${encodeURIComponent(integrationId)}`, { body });
}
