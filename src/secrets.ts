/**
 * Redaction by value: every secret the process learns (tokens, client secrets) is
 * registered here, and every line the logger writes passes through `redact`. Field-name
 * redaction alone misses tokens that end up inside URLs, error bodies or arguments.
 */
const secrets = new Set<string>();

/** Remember a secret so it never reaches output. Short values are ignored (false positives). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 8) secrets.add(value);
}

const TOKEN_PATTERNS: RegExp[] = [
  /\bdapi[0-9a-f]{16,}(-\d+)?\b/gi, // Databricks PATs
  /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}\b/g, // JWTs (OAuth access tokens)
  /(Bearer\s+)[\w.~+/=-]{8,}/gi,
];

/** Replaces every registered secret and anything that looks like a token with `***`. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  for (const re of TOKEN_PATTERNS) out = out.replace(re, (_m, bearer?: string) => (typeof bearer === 'string' ? `${bearer}***` : '***'));
  return out;
}

/** For tests. */
export function clearSecrets(): void {
  secrets.clear();
}
