/**
 * Helpers the client definitions share: per-OS base directories (pure: platform, env and home
 * come in as data, globbing goes through an injected `listDir`, so win32 and darwin paths are
 * tested on Linux), the two stdio entry shapes of today's clients, and the shape rule for
 * entries that need `type: "http"`.
 */
import path from 'node:path';
import type { PathInput } from '../types.js';
import type { ShapeInput, ShapeIssue, StdioCommand } from './definition.js';

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v !== '' ? v : undefined;
}

/** An env variable's value, or undefined when it is unset or empty. */
export function envValue(p: PathInput, name: string): string | undefined {
  return nonEmpty(p.env[name]);
}

/** %APPDATA% (Roaming), falling back to the default location under the profile. */
export function appData(p: PathInput): string {
  return nonEmpty(p.env.APPDATA) ?? path.win32.join(p.home, 'AppData', 'Roaming');
}

/** %LOCALAPPDATA%, falling back to the default location under the profile. */
export function localAppData(p: PathInput): string {
  return nonEmpty(p.env.LOCALAPPDATA) ?? path.win32.join(p.home, 'AppData', 'Local');
}

/** $XDG_CONFIG_HOME or ~/.config (only an absolute XDG value counts, as the spec says). */
export function xdgConfigHome(p: PathInput): string {
  const x = nonEmpty(p.env.XDG_CONFIG_HOME);
  return x !== undefined && path.posix.isAbsolute(x) ? x : path.posix.join(p.home, '.config');
}

/** Names inside `dir` through the injected lister; [] without one or when it fails. */
export function listDirSafe(p: PathInput, dir: string): string[] {
  try {
    return p.listDir ? p.listDir(dir) : [];
  } catch {
    return [];
  }
}

/** `{command, args}` (no `type`): Claude Desktop, Cursor, Windsurf. */
export function plainStdioEntry(cmd: StdioCommand, env?: Record<string, string>): Record<string, unknown> {
  return { command: cmd.command, args: cmd.args, ...(env !== undefined ? { env } : {}) };
}

/** `{type: "stdio", command, args}`: Claude Code, VS Code. */
export function typedStdioEntry(cmd: StdioCommand, env?: Record<string, string>): Record<string, unknown> {
  return { type: 'stdio', ...plainStdioEntry(cmd, env) };
}

/** Shape rule of clients that read a URL entry only with `type: "http"` (an `sse` one is fine off Databricks). */
export function needsHttpType(e: ShapeInput): ShapeIssue[] {
  if (e.entry.type === 'http') return [];
  const sse = e.entry.type === 'sse';
  if (sse && !e.isDatabricks) return [];
  return [
    {
      message: sse ? `"${e.name}" says type "sse"; Databricks MCP servers speak streamable HTTP` : `"${e.name}" has a URL but no "type": "http"`,
      fix: `Set "type": "http" on ${e.name}.`,
    },
  ];
}

/** Where the measured era facts (each client's `mcpEra`) come from. */
export const ERA_MEASUREMENT = "issue 21's measurement: the client against a modern-only @modelcontextprotocol/server 2.4.0 server";
