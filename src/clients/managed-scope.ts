/**
 * The managed-settings scope: the system-wide files an admin deploys (each client definition's
 * `managed.files`, per OS). Pure: it takes platform and env as data. DBX_MCP_MANAGED_ROOT, when
 * set, prefixes every system path (tests and admins inspecting a mounted image only; a laptop
 * never sets it).
 */
import path from 'node:path';
import { clientDefinition, type ClientId } from './catalog/index.js';
import type { FleetOs, ManagedFileSpec } from './catalog/managed.js';

/** Test/admin-only: a folder standing in for `/` (or the system drive) when reading managed files. */
export const MANAGED_ROOT_ENV = 'DBX_MCP_MANAGED_ROOT';

export function fleetOsOf(platform: NodeJS.Platform): FleetOs {
  return platform === 'win32' ? 'windows' : platform === 'darwin' ? 'macos' : 'linux';
}

/** The system path of one managed file on one OS, or undefined when the client has none there. */
export function systemPathOf(spec: ManagedFileSpec, os: FleetOs): string | undefined {
  const dir = spec.dirs[os];
  if (dir === undefined) return undefined;
  return os === 'windows' ? `${dir}\\${spec.name}` : `${dir}/${spec.name}`;
}

/** A system path under `root` (a Windows path's drive letter dropped: it means nothing under a prefix). */
export function underRoot(systemPath: string, os: FleetOs, root: string | undefined): string {
  if (root === undefined || root === '') return systemPath;
  return os === 'windows' ? path.win32.join(root, systemPath.replace(/^[A-Za-z]:/, '')) : path.posix.join(root, systemPath);
}

/** One managed file of a client on this machine. */
export interface ManagedFile {
  spec: ManagedFileSpec;
  /** Where it is read from (the system path, under DBX_MCP_MANAGED_ROOT when set). */
  path: string;
  /** The system path as the client knows it. */
  systemPath: string;
}

/** The managed files a client reads on this platform ([]: it has none). */
export function managedFilesFor(client: ClientId, p: { platform: NodeJS.Platform; env: Record<string, string | undefined> }): ManagedFile[] {
  const os = fleetOsOf(p.platform);
  return clientDefinition(client).managed.files.flatMap((spec) => {
    const systemPath = systemPathOf(spec, os);
    return systemPath === undefined ? [] : [{ spec, path: underRoot(systemPath, os, p.env[MANAGED_ROOT_ENV]), systemPath }];
  });
}
