/**
 * `client.<id>.config`: each inspected client's files parse, use the keys that client reads
 * (Windsurf `serverUrl`, Claude Code and VS Code `type: "http"`, VS Code `servers`, Claude
 * Desktop stdio only), hold no plaintext token (and are private if they do), and every stdio
 * command resolves (`npx` needs `cmd /c` on Windows).
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { clientDefinition } from '../../clients/catalog/index.js';
import { isDatabricksUrl } from '../../clients/list.js';
import type { Ctx } from '../../context.js';
import { GUI_PATH } from '../../mcp/handshake.js';
import type { ClientFact, ClientFileFact, EntryFact } from '../facts.js';
import { STATUS_RANK, type Check, type CheckResult } from '../types.js';
import { looksLikeToken } from '../../secrets.js';
import { readerFor } from '../../clients/read-entry.js';
import { isGuiClient, stdioCommandOf } from './environment.js';
import { displayPath, findOnPath } from '../../util/paths.js';

interface Issue {
  status: 'fail' | 'warn';
  kind: string;
  message: string;
  fix: string;
  server?: string;
}

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

/** The client's own shape rules (its catalog definition), for entries with a URL. */
function shapeIssues(f: ClientFileFact, e: EntryFact): Issue[] {
  const en = e.entry;
  if (readerFor(f.client)(en)?.transport !== 'http') return [];
  return clientDefinition(f.client)
    .shapeRules({ name: e.name, entry: en, isDatabricks: isDatabricksUrl(e.url), owned: e.owned })
    .map((i) => ({ status: 'fail', kind: 'config-invalid', server: e.name, message: i.message, fix: i.fix }));
}

function commandIssues(ctx: Ctx, e: EntryFact): Issue[] {
  const read = readerFor(e.client)(e.entry);
  if (read?.transport !== 'stdio' || e.disabled) return [];
  const cmd = stdioCommandOf(e.entry, readerFor(e.client)) as string;
  const raw = read.command;
  if (ctx.platform === 'win32' && /^npx(\.cmd)?$/i.test(raw)) {
    return [{ status: 'fail', kind: 'config-invalid', server: e.name, message: `"${e.name}" runs npx directly; on Windows clients can't spawn the npx.cmd shim`, fix: `Wrap it: "command": "cmd", "args": ["/c", "npx", …] (dbx-mcp add writes this form).` }];
  }
  if (/\$\{/.test(cmd)) return [];
  if (isAbsolute(cmd)) {
    if (!existsSync(cmd)) return [{ status: 'fail', kind: 'command-not-found', server: e.name, message: `"${e.name}" runs ${cmd}, which does not exist`, fix: `Fix the path, or re-add the server with dbx-mcp add (it writes the current installation's path).` }];
    try {
      if (ctx.platform !== 'win32') accessSync(cmd, constants.X_OK);
    } catch {
      return [{ status: 'fail', kind: 'command-not-found', server: e.name, message: `"${e.name}" runs ${cmd}, which is not executable`, fix: `chmod +x ${cmd}` }];
    }
    return [];
  }
  const inShell = findOnPath(ctx, cmd);
  if (!inShell) return [{ status: 'fail', kind: 'command-not-found', server: e.name, message: `"${e.name}" runs ${cmd}, which is not on PATH`, fix: `Install it or use an absolute path in the entry.` }];
  if (isGuiClient(e.client) && ctx.platform !== 'win32' && !findOnPath({ env: { PATH: GUI_PATH }, platform: ctx.platform }, cmd)) {
    return [{ status: 'warn', kind: 'command-not-found', server: e.name, message: `"${e.name}" runs ${cmd}, found in your shell (${displayPath(ctx, inShell)}) but not on the PATH GUI apps get`, fix: `Use the absolute path ${inShell} in the entry (the client may fail with "spawn ${cmd} ENOENT").` }];
  }
  return [];
}

function secretIssues(ctx: Ctx, f: ClientFileFact, e: EntryFact): Issue[] {
  const hit = strings(e.entry).some(looksLikeToken);
  if (!hit) return [];
  const where = displayPath(ctx, f.file);
  if (f.scope === 'project') {
    return [{ status: 'fail', kind: 'plaintext-secret', server: e.name, message: `"${e.name}" holds a plaintext token in a project file (${where}), which is shared with the repository`, fix: `Remove it, revoke the token, and use the proxy: dbx-mcp add … --name ${e.name} --scope project --auth proxy${e.owned ? '' : ' --force'}` }];
  }
  const loose = f.mode !== undefined && ctx.platform !== 'win32' && (f.mode & 0o077) !== 0;
  if (loose) {
    return [{ status: 'fail', kind: 'plaintext-secret', server: e.name, message: `"${e.name}" holds a plaintext token and ${where} is readable by others (mode ${f.mode!.toString(8)})`, fix: `chmod 600 ${where}; better, switch to the proxy (no secret in the file): dbx-mcp add … --name ${e.name} --auth proxy` }];
  }
  return [{ status: 'warn', kind: 'plaintext-secret', server: e.name, message: `"${e.name}" holds a plaintext token in ${where}`, fix: `Switch to the proxy (no secret in the file): dbx-mcp add … --name ${e.name} --client ${e.client} --auth proxy${e.owned ? '' : ' --force'}` }];
}

function fileIssues(ctx: Ctx, f: ClientFileFact): Issue[] {
  if (f.error) {
    return [{ status: 'fail', kind: 'config-invalid', message: f.error.message.split(ctx.home).join('~'), fix: f.error.hint ? f.error.hint.split(ctx.home).join('~') : `Fix ${displayPath(ctx, f.file)} by hand, then run dbx-mcp doctor again.` }];
  }
  const out: Issue[] = [];
  // Parse errors are reported through f.error; the client's file rules see only a parsed document.
  if (f.doc !== undefined) {
    for (const i of clientDefinition(f.client).fileRules(f.doc, displayPath(ctx, f.file))) out.push({ status: 'fail', kind: 'config-invalid', message: i.message, fix: i.fix });
  }
  for (const e of f.entries) out.push(...shapeIssues(f, e), ...secretIssues(ctx, f, e), ...commandIssues(ctx, e));
  return out;
}

export function clientConfigCheck(c: ClientFact): Check {
  return {
    id: `client.${c.id}.config`,
    title: `${c.id} config`,
    group: 'client',
    subject: c.id,
    async run(ctx): Promise<CheckResult> {
      const existing = c.files.filter((f) => f.exists);
      if (existing.length === 0) {
        return { status: 'pass', summary: `no config file yet (${c.detection.configPath ? displayPath(ctx, c.detection.configPath) : 'none'}); ${c.detection.reason}` };
      }
      const issues = existing.flatMap((f) => fileIssues(ctx, f).map((i) => ({ ...i, file: displayPath(ctx, f.file) })));
      const files = existing.map((f) => displayPath(ctx, f.file)).join(', ');
      const dbx = existing.flatMap((f) => f.entries).filter((e) => isDatabricksUrl(e.url)).length;
      if (issues.length === 0) {
        return { status: 'pass', summary: `${files}: ${dbx} Databricks server${dbx === 1 ? '' : 's'}, the file is well formed (each server's own checks are under Servers)`, data: { files: existing.map((f) => displayPath(ctx, f.file)), databricksServers: dbx } };
      }
      issues.sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status]);
      const first = issues[0]!;
      return {
        status: first.status,
        summary: `${first.message}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`,
        fix: first.fix,
        details: issues.map((i) => `${i.status}: ${i.message} — ${i.fix}`),
        data: { kind: first.kind, issues: issues.map((i) => ({ status: i.status, kind: i.kind, ...(i.server ? { server: i.server } : {}), file: i.file, message: i.message })) },
      };
    },
  };
}
