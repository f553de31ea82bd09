/**
 * The per-OS path table for every client and scope. Pure: it takes platform, env, home and
 * cwd as data, and globbing (MSIX package dirs, windsurf-next) goes through an injected
 * `listDir`, so tests for win32 and darwin run on Linux. Separators follow the *target*
 * platform (path.win32 / path.posix), not the host.
 */
import path from 'node:path';
import { pathFor } from '../util/paths.js';
import type { ClientId, PathInput, Scope } from './types.js';

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v !== '' ? v : undefined;
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

/**
 * The MSIX (Store / current default installer) package dir of Claude Desktop, if present.
 * The publisher hash is normally `pzs8sxrjxfjjc`; prefer it, else the first `Claude_*` match.
 */
export function claudeMsixPackageDir(p: PathInput): string | undefined {
  if (!p.listDir) return undefined;
  const packages = path.win32.join(localAppData(p), 'Packages');
  let names: string[];
  try {
    names = p.listDir(packages);
  } catch {
    return undefined;
  }
  const matches = names.filter((n) => /^Claude_[a-z0-9]+$/i.test(n)).sort();
  const pick = matches.find((n) => n.toLowerCase() === 'claude_pzs8sxrjxfjjc') ?? matches[0];
  return pick === undefined ? undefined : path.win32.join(packages, pick);
}

/** Claude Desktop's app-data dir (where claude_desktop_config.json lives). */
export function claudeDesktopDir(p: PathInput): string {
  switch (p.platform) {
    case 'darwin':
      return path.posix.join(p.home, 'Library', 'Application Support', 'Claude');
    case 'win32': {
      // The MSIX build reads a virtualised copy of Roaming; writing %APPDATA% there is silently ignored.
      const msix = claudeMsixPackageDir(p);
      return msix !== undefined
        ? path.win32.join(msix, 'LocalCache', 'Roaming', 'Claude')
        : path.win32.join(appData(p), 'Claude');
    }
    default:
      return path.posix.join(xdgConfigHome(p), 'Claude');
  }
}

/** Claude Code's config dir: $CLAUDE_CONFIG_DIR, else the home directory. */
function claudeCodeDir(p: PathInput): string {
  return nonEmpty(p.env.CLAUDE_CONFIG_DIR) ?? p.home;
}

/** `~/.codeium/windsurf`, or `windsurf-next` when only the Next build has ever run. */
export function windsurfDir(p: PathInput): string {
  const P = pathFor(p.platform);
  const codeium = P.join(p.home, '.codeium');
  let names: string[] = [];
  try {
    names = p.listDir ? p.listDir(codeium) : [];
  } catch {
    names = [];
  }
  const useNext = names.includes('windsurf-next') && !names.includes('windsurf');
  return P.join(codeium, useNext ? 'windsurf-next' : 'windsurf');
}

/** VS Code's default-profile user dir (`Code/User`). */
export function vscodeUserDir(p: PathInput): string {
  switch (p.platform) {
    case 'darwin':
      return path.posix.join(p.home, 'Library', 'Application Support', 'Code', 'User');
    case 'win32':
      return path.win32.join(appData(p), 'Code', 'User');
    default:
      return path.posix.join(xdgConfigHome(p), 'Code', 'User');
  }
}

/** Cursor's per-user dir (`~/.cursor`, i.e. %USERPROFILE%\.cursor on Windows). */
export function cursorDir(p: PathInput): string {
  return pathFor(p.platform).join(p.home, '.cursor');
}

/**
 * The config file of a client for a scope. Undefined when the client has no file for that
 * scope (Claude Desktop and Windsurf have no project file) or no cwd was given for `project`.
 */
export function configPathFor(client: ClientId, p: PathInput, scope: Scope): string | undefined {
  const P = pathFor(p.platform);
  if (scope === 'project') {
    if (p.cwd === undefined) return undefined;
    switch (client) {
      case 'cursor':
        return P.join(p.cwd, '.cursor', 'mcp.json');
      case 'claude-code':
        return P.join(p.cwd, '.mcp.json');
      case 'vscode':
        return P.join(p.cwd, '.vscode', 'mcp.json');
      default:
        return undefined;
    }
  }
  switch (client) {
    case 'claude-desktop':
      return P.join(claudeDesktopDir(p), 'claude_desktop_config.json');
    case 'cursor':
      return P.join(cursorDir(p), 'mcp.json');
    case 'claude-code':
      return P.join(claudeCodeDir(p), '.claude.json');
    case 'windsurf':
      return P.join(windsurfDir(p), 'mcp_config.json');
    case 'vscode':
      return P.join(vscodeUserDir(p), 'mcp.json');
  }
}

/**
 * Directories whose presence means the client is (or was) installed, most specific first.
 * Used by detection only; configPathFor decides where to write.
 */
export function detectionDirs(client: ClientId, p: PathInput): string[] {
  const P = pathFor(p.platform);
  switch (client) {
    case 'claude-desktop': {
      const dirs = [claudeDesktopDir(p)];
      if (p.platform === 'win32') {
        const msix = claudeMsixPackageDir(p);
        if (msix !== undefined) dirs.push(msix);
        dirs.push(path.win32.join(appData(p), 'Claude'));
      }
      if (p.platform === 'darwin') dirs.push('/Applications/Claude.app');
      return [...new Set(dirs)];
    }
    case 'cursor':
      return [cursorDir(p)];
    case 'claude-code':
      return [P.join(claudeCodeDir(p), '.claude.json'), P.join(p.home, '.claude')];
    case 'windsurf':
      return [P.join(p.home, '.codeium', 'windsurf'), P.join(p.home, '.codeium', 'windsurf-next')];
    case 'vscode':
      return [vscodeUserDir(p)];
  }
}

/**
 * dbx-mcp's own config dir (holds state.json): %APPDATA%\dbx-mcp on Windows,
 * $XDG_CONFIG_HOME/dbx-mcp or ~/.config/dbx-mcp elsewhere (macOS included, like most CLIs).
 */
export function dbxMcpConfigDir(p: PathInput): string {
  return p.platform === 'win32'
    ? path.win32.join(appData(p), 'dbx-mcp')
    : path.posix.join(xdgConfigHome(p), 'dbx-mcp');
}
