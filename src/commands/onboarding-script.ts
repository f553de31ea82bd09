// Placeholder until this command lands; replaced by its implementation.
import type { Ctx } from '../context.js';
import { DbxMcpError, type ExitCode } from '../errors.js';

export async function runOnboardingScript(_ctx: Ctx, _raw: object): Promise<ExitCode> {
  throw new DbxMcpError('This command is not available in this build yet.');
}
