/** The last words: per-client next steps, and what the verification found. */
import { getClient, type ClientId } from '../clients/index.js';
import { clientDefinition } from '../clients/catalog/index.js';
import type { Ctx } from '../context.js';
import type { VerifyResult } from './apply-step.js';
import type { ClientAuth } from './options.js';

/** What each client needs to pick the servers up (and sign in, for OAuth). */
export function nextSteps(auths: ClientAuth[]): string[] {
  const lines: string[] = [];
  for (const a of auths) {
    const c = getClient(a.client);
    let line = `${c.displayName}: ${c.restartHint}`;
    if (a.auth === 'oauth') line += ` ${clientDefinition(a.client).oauthSignInHint}`;
    if (a.auth === 'header') line += ' The entry reads the token from an environment variable: set it where the client starts.';
    lines.push(line);
  }
  return lines;
}

export function printOutro(ctx: Ctx, o: { auths: ClientAuth[]; clients: ClientId[]; verify: VerifyResult[]; adminCommand?: string; launcherNote?: string }): void {
  if (o.launcherNote) ctx.log.info(o.launcherNote);
  const failed = o.verify.filter((v) => !v.ok);
  const body = nextSteps(o.auths).map((l) => `• ${l}`);
  if (o.adminCommand) body.push(`• OAuth app: an account admin runs ${o.adminCommand}; then rerun dbx-mcp init --auth oauth --client-id <client_id>.`);
  if (failed.length) body.push(`• ${failed.length} server${failed.length === 1 ? '' : 's'} did not answer: run dbx-mcp doctor for the exact fix.`);
  body.push('• Check everything any time: dbx-mcp doctor');
  ctx.prompt.note(body.join('\n'), 'Next steps');
  // The note is a terminal widget; without a terminal the same lines go to the log.
  if (!ctx.prompt.interactive) for (const l of body) ctx.log.info(l);
}
