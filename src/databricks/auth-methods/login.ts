/** The exact `databricks auth login` command for a host/profile: the fix for most auth problems. */
export function loginCommand(host: string | undefined, profile: string | undefined, accountId?: string): string {
  const acct = accountId ? ` --account-id ${accountId}` : '';
  return `databricks auth login --host ${host ?? 'https://<workspace-host>'}${acct}${profile ? ` --profile ${profile}` : ''}`;
}
