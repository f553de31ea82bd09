/**
 * The `--json` result of `init`, shared by the wizard's command and the demo (which adds a
 * `demo` block); it lives here so init/demo.ts need not import the command that loads it.
 */
import { ExitCode } from '../errors.js';
import type { WizardResult } from './wizard.js';

/** The `--json` result of init. */
export function initJson(r: WizardResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ok: r.code === ExitCode.Ok,
    status: r.status,
    dryRun: r.status === 'dry-run',
    host: r.host,
    profile: r.profile ?? null,
    user: r.user,
    servers: r.servers.map((s) => ({ name: s.name, kind: s.target.kind, title: s.title, url: s.url, warnings: s.warnings })),
    clients: r.auths.map((a) => ({ client: a.client, auth: a.auth, ...(a.oauth && { oauthClientId: a.oauth.clientId, oauthSource: a.oauth.source }) })),
    files: r.files,
    verify: r.verify,
    ...extra,
  };
}
