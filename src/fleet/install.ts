/**
 * `dbx-mcp fleet install <os-folder>`: what install.sh / install.ps1 run on a laptop. Reads the
 * folder's fleet-plan.json, merges each file's operations into the system file (under `root`
 * when given) through its codec, and returns one change plan: applied atomically with backups,
 * empty on a second run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadCodec } from '../config/codecs/index.js';
import { planFileEdit, readFileText, type FileChange } from '../config/file-plan.js';
import { UsageError } from '../errors.js';
import { readUserFileSync } from '../util/regular-file.js';
import type { ClientId } from '../clients/catalog/index.js';
import { FLEET_CLIENT_IDS, FLEET_OSES, underRoot, type FleetOp } from './catalog.js';
import type { InstallPlan } from './generate.js';
import { applyOps } from './merge.js';

const PathSchema = z.array(z.string()).min(1);
const OpSchema = z.union([
  z.object({ op: z.literal('set'), path: PathSchema, value: z.unknown() }).strict(),
  z.object({ op: z.literal('default'), path: PathSchema, value: z.unknown() }).strict(),
  z.object({ op: z.literal('include'), path: PathSchema, items: z.array(z.unknown()) }).strict(),
]);
const PlanSchema = z
  .object({
    version: z.literal(1),
    generator: z.string(),
    os: z.enum(FLEET_OSES),
    files: z.array(
      z.object({ client: z.enum(FLEET_CLIENT_IDS as [ClientId, ...ClientId[]]), file: z.string(), target: z.string(), format: z.enum(['jsonc', 'toml']), trailingCommas: z.literal('never').optional(), ops: z.array(OpSchema) }).strict(),
    ),
  })
  .strict();

/** The install plan of an OS folder (UsageError, exit 2, when it is missing or not one). */
export function readInstallPlan(dir: string): InstallPlan {
  const file = path.join(dir, 'fleet-plan.json');
  if (!existsSync(file)) {
    throw new UsageError(`${dir} has no fleet-plan.json`, { code: 'FLEET_PLAN', hint: 'Pass the OS folder that `dbx-mcp fleet` generated (e.g. dbx-mcp-fleet/linux).' });
  }
  const text = readPlanText(file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`, { code: 'FLEET_PLAN', hint: 'Regenerate the folder with `dbx-mcp fleet`.' });
  }
  const r = PlanSchema.safeParse(doc);
  if (!r.success) throw new UsageError(`${file} is not a fleet install plan`, { code: 'FLEET_PLAN', hint: 'Regenerate the folder with `dbx-mcp fleet`.' });
  return r.data as InstallPlan;
}

/**
 * The plan's text. A FIFO or folder at its path is its own refusal (exit 2), not invalid JSON;
 * a plan that cannot be read (permissions, an I/O error) is refused naming the file and the
 * reason, never reported as a bug.
 */
function readPlanText(file: string): string {
  const unreadable = (e: NodeJS.ErrnoException) =>
    new UsageError(`${file} could not be read (${e.code ?? e.message})`, {
      code: 'FLEET_PLAN',
      hint: `Check that you may read ${file} (run the install as the user or admin who copied the folder), or regenerate the folder with \`dbx-mcp fleet\`.`,
    });
  return readUserFileSync(file, 'fleet install plan', unreadable)?.toString('utf8') ?? '';
}

/** The changes that make the system files hold the plan's entries (none when they already do). */
export async function planInstall(plan: InstallPlan, root: string | undefined): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  for (const f of plan.files) {
    const target = underRoot(f.target, plan.os, root);
    const before = await readFileText(target);
    const codec = await loadCodec(f.format, f.trailingCommas ? { trailingCommas: f.trailingCommas } : {});
    const after = applyOps(codec, before ?? '', f.ops as FleetOp[], target);
    const change = planFileEdit(target, before, after, { summary: summaryOf(f.client, f.ops as FleetOp[]) });
    if (change) changes.push(change);
  }
  return changes;
}

function summaryOf(client: string, ops: FleetOp[]): string[] {
  return ops.map((o) => `${o.op === 'include' ? '+=' : '='} ${o.path.join('.')} (${client}, managed)`);
}
