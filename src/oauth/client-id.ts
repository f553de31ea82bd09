/**
 * The shape of a Databricks OAuth client id (source: Go SDK service/oauth2/model.go; Go SDK service/oauth2 published app integrations): a custom app
 * integration's client id is a UUID (what `dbx-mcp oauth register` prints); a published app's
 * is a lowercase id such as `databricks-cli`, `claude-code` or `cursor-desktop`. Checked
 * before anything is asked of the network or written; whether the workspace knows the id is
 * the token-endpoint probe's question (probe.ts).
 */

/** No flags: the manifest's JSON Schema reuses the pattern. */
export const OAUTH_CLIENT_ID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[a-z0-9]+(-[a-z0-9]+){0,7})$/;

/** The rule in words, for validation messages. */
export const OAUTH_CLIENT_ID_RULE =
  'an OAuth client id is the UUID `dbx-mcp oauth register` prints (e.g. 5e1f0c6a-1b2c-4d3e-8f90-a1b2c3d4e5f6) or a published app id such as claude-code';

/** Undefined when `v` has the shape of a client id, else what is wrong (for prompts). */
export function clientIdProblem(v: string): string | undefined {
  if (!v.trim()) return 'paste the client id';
  return OAUTH_CLIENT_ID.test(v.trim()) ? undefined : OAUTH_CLIENT_ID_RULE;
}
