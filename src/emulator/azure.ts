/**
 * Fake Azure sign-in endpoints for a fake workspace, on their own loopback server (so a test can
 * tell what reached "Azure" from what reached the workspace): Entra ID v1 client credentials
 * (`POST /<tenant>/oauth2/token`), the instance metadata managed-identity endpoint
 * (`GET /metadata/identity/oauth2/token`, `Metadata: true`) and a Databricks metadata service
 * as an IDE extension runs it (`GET /metadata-service/<session>`). The Entra ID tokens issued for
 * the Azure Databricks resource are registered in the workspace's `state.tokens`, so the
 * workspace accepts them like a real Azure Databricks workspace accepts Entra ID tokens.
 * Bodies follow the real ones (source: Microsoft identity platform docs, "client credentials"
 * v1 and "How to use managed identities … to acquire an access token"; Go SDK v0.175
 * config/auth_azure_msi.go, auth_metadata_service.go): `expires_on` as a string of epoch seconds.
 *
 * dbx-mcp reaches it only through the TEST-ONLY variables DBX_MCP_TEST_AZURE_LOGIN_URL
 * (= `loginUrl`) and DBX_MCP_TEST_AZURE_IMDS_URL (= `imdsUrl`); the metadata service through
 * DATABRICKS_METADATA_SERVICE_URL (= `metadataServiceUrl`), as in real use.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson } from './http-util.js';
import type { FakeWorkspace } from './index.js';
import { DEMO_GROUP, DEMO_USER } from './seed.js';
import { redactValue } from './server.js';

export const AZURE_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** The Azure Databricks first-party application: the `resource` a workspace token is asked for. */
export const AZURE_DATABRICKS_APP_ID = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';
export const AZURE_SP_CLIENT_ID = '0b5f6c1e-7a43-4d0e-9a1f-5c2b8e3d4a71';
export const AZURE_SP_CLIENT_SECRET = 'Qx8~azureFixtureSecret.0123456789abcdefABCDEF';
/** The VM's system-assigned identity (no client_id asked) and a user-assigned one. */
export const AZURE_MSI_SYSTEM_ID = '5e2d9a40-3c1b-4f7e-8d6a-9b0c1d2e3f40';
export const AZURE_MSI_USER_ID = '9c4b7e21-6d5a-4b3c-8e2f-1a0b9c8d7e62';
/** The metadata service's session path (its secret part, as the VS Code extension's is). */
export const METADATA_SESSION = 'b3f1c0d2e4a59687';

export interface AzureRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
}

export interface FakeAzure {
  /** Base of the Entra ID login endpoint (`<loginUrl><tenant>/oauth2/token`). */
  loginUrl: string;
  /** Replaces `http://169.254.169.254/metadata`. */
  imdsUrl: string;
  /** A DATABRICKS_METADATA_SERVICE_URL for the workspace's user jane. */
  metadataServiceUrl: string;
  /** Every request received, secrets redacted (`client_secret` → `***`). */
  requests: AzureRequest[];
  /** The raw client secrets received (to prove where the secret went: here and nowhere else). */
  secretsReceived: string[];
  close(): Promise<void>;
}

function fakeJwt(claims: Record<string, unknown>): string {
  const b = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ typ: 'JWT', alg: 'RS256', kid: 'azure-fixture' })}.${b(claims)}.${randomBytes(24).toString('base64url')}`;
}

/** Starts the fake Azure endpoints for `ws`, adding its Azure service principal and managed identities to the workspace. */
export async function startFakeAzure(ws: FakeWorkspace, o: { ttlSec?: number } = {}): Promise<FakeAzure> {
  const ttl = o.ttlSec ?? 3599;
  for (const [id, applicationId, displayName] of [
    ['7710000000000001', AZURE_SP_CLIENT_ID, 'azure-ci-sp'],
    ['7710000000000002', AZURE_MSI_SYSTEM_ID, 'vm-system-identity'],
    ['7710000000000003', AZURE_MSI_USER_ID, 'runner-user-identity'],
  ] as const) {
    if (!ws.state.servicePrincipals.some((s) => s.applicationId === applicationId)) {
      ws.state.servicePrincipals.push({ id, applicationId, displayName, clientSecret: '', groups: [DEMO_GROUP], accountAdmin: false });
    }
  }
  const requests: AzureRequest[] = [];
  const secretsReceived: string[] = [];

  /** An Entra ID token for `principal`; registered in the workspace only when asked for Azure Databricks. */
  const issue = (principal: string, resource: string, tid: string): Record<string, string> => {
    const now = Math.floor(Date.now() / 1000);
    const token = fakeJwt({ aud: resource, iss: `https://sts.windows.net/${tid}/`, oid: principal, appid: principal, tid, iat: now, nbf: now, exp: now + ttl });
    if (resource === AZURE_DATABRICKS_APP_ID) ws.state.tokens[token] = { principal, kind: 'oauth', audience: 'workspace', expiresAt: Date.now() + ttl * 1000 };
    return { token_type: 'Bearer', expires_in: String(ttl), ext_expires_in: String(ttl), expires_on: String(now + ttl), not_before: String(now), resource, access_token: token };
  };
  const aadError = (status: number, error: string, code: number, description: string): [number, unknown] => [
    status,
    { error, error_description: `AADSTS${code}: ${description}\r\nTrace ID: 0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6\r\nCorrelation ID: 11111111-2222-3333-4444-555555555555\r\nTimestamp: 2026-01-01 00:00:00Z`, error_codes: [code], error_uri: `https://login.microsoftonline.com/error?code=${code}` },
  ];

  function answer(req: IncomingMessage, url: URL, form: URLSearchParams): [number, unknown] {
    const m = /^\/([^/]+)\/oauth2\/token$/.exec(url.pathname);
    if (m && req.method === 'POST') {
      if (m[1] !== AZURE_TENANT_ID) return aadError(400, 'invalid_request', 90002, `Tenant '${m[1]}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
      if (form.get('grant_type') !== 'client_credentials') return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
      const secret = form.get('client_secret') ?? '';
      if (secret) secretsReceived.push(secret);
      if (form.get('client_id') !== AZURE_SP_CLIENT_ID) return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory.`);
      if (secret !== AZURE_SP_CLIENT_SECRET) return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
      return [200, issue(AZURE_SP_CLIENT_ID, form.get('resource') ?? '', AZURE_TENANT_ID)];
    }
    if (url.pathname === '/metadata/identity/oauth2/token' && req.method === 'GET') {
      if (req.headers.metadata !== 'true') return [400, { error: 'invalid_request', error_description: 'Required metadata header not specified' }];
      if (url.searchParams.get('api-version') !== '2018-02-01') return [400, { error: 'invalid_request', error_description: 'Invalid API version' }];
      const asked = url.searchParams.get('client_id');
      if (asked && asked !== AZURE_MSI_USER_ID) return [400, { error: 'invalid_request', error_description: 'Identity not found' }];
      const id = asked ?? AZURE_MSI_SYSTEM_ID;
      return [200, { ...issue(id, url.searchParams.get('resource') ?? '', AZURE_TENANT_ID), client_id: id }];
    }
    if (url.pathname === `/metadata-service/${METADATA_SESSION}` && req.method === 'GET') {
      if (req.headers['x-databricks-metadata-version'] !== '1') return [400, { error: 'unsupported metadata version' }];
      if (req.headers['x-databricks-host'] !== ws.url) return [404, { error: `no session for host ${String(req.headers['x-databricks-host'])}` }];
      const token = ws.mintOAuthToken(DEMO_USER, { ttlSec: ttl });
      return [200, { token_type: 'Bearer', access_token: token, expires_on: Math.floor(Date.now() / 1000) + ttl }];
    }
    return [404, { error: 'not_found', error_description: `No fake Azure endpoint at ${req.method ?? ''} ${url.pathname}` }];
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = (await readBody(req)) ?? Buffer.alloc(0);
      const form = new URLSearchParams(raw.toString('utf8'));
      const [status, body] = answer(req, url, form);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, k === 'authorization' ? '***' : String(v)]));
      requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: redactValue(Object.fromEntries(form)), status });
      if (requests.length > 1000) requests.shift();
      sendJson(res, status, body);
    })().catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    loginUrl: `${base}/`,
    imdsUrl: `${base}/metadata`,
    metadataServiceUrl: `${base}/metadata-service/${METADATA_SESSION}`,
    requests,
    secretsReceived,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
