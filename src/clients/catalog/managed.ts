/**
 * What a client offers an IT admin (its `managed` field): system-wide files, each fact marked by
 * how sure it is and where it comes from, and — for clients with files — how fleet writes them
 * and how the client's policy decides whether a user-added server loads. `fleet` and doctor's
 * policy check read only this, so a client's admin controls are one place, like the rest of it.
 */
import type { ReadEntry } from './definition.js';

/** The operating systems a fleet targets (device management speaks in these, not in Node's platform ids). */
export const FLEET_OSES = ['macos', 'windows', 'linux'] as const;
export type FleetOs = (typeof FLEET_OSES)[number];

/** `fixed`: every laptop gets exactly these servers; `catalog`: users add approved servers themselves, anything else is blocked. */
export type FleetMode = 'fixed' | 'catalog';

/** How sure a fact is: `confirmed` by the vendor's docs or the pinned client's own code, `likely` from one source, `unconfirmed` a guess. */
export type Confidence = 'confirmed' | 'likely' | 'unconfirmed';

export interface Fact {
  text: string;
  confidence: Confidence;
  source: string;
}

/** One system-wide file a client reads. */
export interface ManagedFileSpec {
  /** `servers`: the file delivers servers; `policy`: it only filters what users add. */
  role: 'servers' | 'policy';
  name: string;
  /** Its folder per OS; an OS missing here has no such file. */
  dirs: Partial<Record<FleetOs, string>>;
  format: 'jsonc' | 'toml';
  /** Where the server map lives in it (role `servers`). */
  serversPath?: readonly string[];
  fact: Fact;
}

/** A server as the client writes it on one OS, and what an allowlist can name it by. */
export interface ManagedServer {
  name: string;
  entry: Record<string, unknown>;
  fileKeys?: Record<string, unknown>;
  stdio?: { command: string; args: string[] };
  url?: string;
}

/** One edit of a managed file; only the keys it names change, so installing merges. */
export type FleetOp =
  /** The value at `path` is `value` (replaced if present). */
  | { op: 'set'; path: string[]; value: unknown }
  /** The array at `path` holds every one of `items` (deep-equal; others kept, order kept). */
  | { op: 'include'; path: string[]; items: unknown[] }
  /** `value` at `path` only when nothing is there yet (the admin's own value wins). */
  | { op: 'default'; path: string[]; value: unknown };

/** The operations on one managed file (by its `name`). */
export interface FileOps {
  file: string;
  ops: FleetOp[];
}

/** A parsed managed file found on this machine. */
export interface PolicyDoc {
  name: string;
  /** Where it was read, named in the verdict. */
  file: string;
  doc: unknown;
}

/** Why a policy blocks a server. */
export interface Blocked {
  policyFile: string;
  reason: string;
}

export interface ManagedFacts {
  facts: Fact[];
  /** [] : no file an admin can deploy (the facts say what the client has instead). */
  files: ManagedFileSpec[];
  /** Device-management hints per OS, for the admin README. */
  mdm: Partial<Record<FleetOs, string>>;
  /** The edits of each file for these servers on `os` ([]: none there); only with `files`. */
  generate?: (servers: readonly ManagedServer[], os: FleetOs, mode: FleetMode) => FileOps[];
  /** Whether the deployed policy blocks a user-added entry, as the client decides it. */
  blocks?: (docs: readonly PolicyDoc[], name: string, entry: ReadEntry | undefined) => Blocked | undefined;
  /** The command a user runs to add an approved server in catalog mode (its exact approved form). */
  addCommand?: (name: string, server: ManagedServer) => string;
}

/** A client with no managed files: only what it has instead. */
export function noManagedFiles(facts: Fact[]): ManagedFacts {
  return { facts, files: [], mdm: {} };
}

export function rec(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The command line of a stdio server, for `… mcp add <name> -- <command line>`. */
export function commandLine(s: ManagedServer): string {
  return s.stdio ? [s.stdio.command, ...s.stdio.args].join(' ') : (s.url ?? '');
}
