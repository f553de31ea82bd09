/**
 * Rendering the onboarding scripts (templates/onboarding.sh, templates/onboarding.ps1) for a
 * manifest: the pinned dbx-mcp version, the workspace host, a login profile name, and where
 * the manifest is relative to the script. Pure apart from reading the template.
 */
import { normalizeHost } from '../databricks/host.js';
import { mcpUrl } from '../databricks/mcp-urls.js';
import { kindDef } from '../databricks/server-kinds/index.js';
import type { Manifest } from '../manifest/index.js';
import { serverName, serverTarget } from '../manifest/index.js';
import { suggestProfileName } from '../databricks/profile-match.js';
import { bashQuote, commentText, fillTemplate, powershellQuote, readTemplate } from './templates.js';

/** The oldest Node dbx-mcp runs on (contract: Package and runtime). */
export const NODE_MIN_VERSION = '20.18.1';

export type Shell = 'bash' | 'powershell';

/** Inputs of renderOnboardingScript besides the manifest. */
export interface OnboardingOptions {
  shell: Shell;
  /** The dbx-mcp version the script pins (npx -y dbx-mcp@<version>). */
  version: string;
  /** The manifest relative to the script's directory, with forward slashes. */
  manifestRel: string;
  /** Shown in the header comment only. */
  manifestLabel: string;
  /** Profile names already on this machine, so the suggested one does not collide. */
  takenProfiles?: string[];
}

/** The script's text. */
export function renderOnboardingScript(manifest: Manifest, o: OnboardingOptions): string {
  const host = normalizeHost(manifest.workspace.host);
  const quote = o.shell === 'bash' ? bashQuote : powershellQuote;
  const servers = manifest.servers
    .map((s) => `#   ${commentText(serverName(s))}: ${commentText(kindDef(s.type).resolvesUrl ? `${s.type} ${serverTarget(s).parts.join('.')} (URL from the workspace)` : mcpUrl(host, serverTarget(s)))}`)
    .join('\n');
  const rel = o.shell === 'powershell' ? o.manifestRel.replace(/\//g, '\\') : o.manifestRel;
  const text = fillTemplate(readTemplate(o.shell === 'bash' ? 'onboarding.sh' : 'onboarding.ps1'), {
    version: quote(o.version),
    version_comment: commentText(o.version),
    host: quote(host),
    host_comment: commentText(host),
    profile: quote(suggestProfileName(host, o.takenProfiles ?? [])),
    node_min: quote(NODE_MIN_VERSION),
    manifest_rel: quote(rel),
    manifest_comment: commentText(o.manifestLabel),
    servers_comment: servers,
  });
  // PowerShell 5.1 reads a BOM-less script as the ANSI code page; keep it ASCII-safe with CRLF.
  return o.shell === 'powershell' ? text.replace(/\r?\n/g, '\r\n') : text;
}
