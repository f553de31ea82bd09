/**
 * `dbx-mcp token [--headers]`: a fresh access token for the profile, on stdout only.
 * `--headers` prints {"Authorization":"Bearer …"} for Claude Code's `headersHelper`.
 * The one command whose purpose is to print a secret: it goes to stdout (never stderr or
 * logs), so it is written raw rather than through the redacting logger.
 */
import type { Ctx } from '../context.js';
import { createTokenSource } from '../databricks/auth.js';
import { resolveConfig } from '../databricks/profiles.js';
import { ExitCode } from '../errors.js';
import { optionsSchema, parseOptions } from '../workflows/parse-options.js';
import { TOKEN_FLAGS } from '../workflows/flags.js';

/** Validated from the flags' one declaration (workflows/flags.ts). */
const TokenOptions = optionsSchema(TOKEN_FLAGS);

export async function runToken(ctx: Ctx, raw: object, stdout: NodeJS.WritableStream = process.stdout): Promise<ExitCode> {
  const options = parseOptions(TokenOptions, raw, 'token');
  const config = resolveConfig(ctx, ctx.globals.profile);
  const { token, expiresAt } = await createTokenSource(ctx, config).getToken();
  if (options.headers) {
    stdout.write(JSON.stringify({ Authorization: `Bearer ${token}` }) + '\n');
  } else if (ctx.globals.json) {
    stdout.write(JSON.stringify({ access_token: token, token_type: 'Bearer', expiry: expiresAt ? new Date(expiresAt).toISOString() : null, host: config.host, profile: config.profile ?? null }) + '\n');
  } else {
    stdout.write(token + '\n');
  }
  return ExitCode.Ok;
}
