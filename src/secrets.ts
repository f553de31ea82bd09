/**
 * Redaction by value: every secret the process learns (tokens, client secrets) is
 * registered here, and every line the logger writes passes through `redact`. Field-name
 * redaction alone misses tokens that end up inside URLs, error bodies or arguments. Values a
 * file keeps under a secret-looking key are masked by key (secret-keys.ts, redact-text.ts) in
 * every diff; here, in every line, only what a line shows by itself: a URL's password or a
 * secret-named query parameter.
 */
import { maskInlineSecrets } from './secret-keys.js';

const secrets = new Set<string>();

/** Remember a secret so it never reaches output. Short values are ignored (false positives). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 8) secrets.add(value);
}

/**
 * What a token looks like, the one list for redaction (here) and doctor's plaintext-secret
 * check. Databricks PATs start `dapi` (optionally `-<n>` after the hex), OAuth client secrets
 * `dose`, OAuth access tokens are JWTs (`eyJ…`), and anything after `Bearer ` is a token.
 */
export const TOKEN_PATTERNS: readonly RegExp[] = [
  /\bdapi[0-9a-f]{16,}(?:-\d+)?\b/i, // Databricks PATs
  /\bdose[0-9a-f]{16,}\b/i, // Databricks OAuth client secrets
  /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}\b/, // JWTs (OAuth access tokens)
  /(Bearer\s+)[\w.~+/=-]{8,}/i,
];
const GLOBAL_TOKEN_PATTERNS = TOKEN_PATTERNS.map((re) => new RegExp(re.source, `${re.flags}g`));

/** True when the text holds something shaped like a token (see TOKEN_PATTERNS). */
export function looksLikeToken(text: string): boolean {
  return TOKEN_PATTERNS.some((re) => re.test(text));
}

/** Replaces every registered secret, anything that looks like a token and a URL's secrets with `***`. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  for (const re of GLOBAL_TOKEN_PATTERNS) out = out.replace(re, (_m, bearer?: string) => (typeof bearer === 'string' ? `${bearer}***` : '***'));
  return maskInlineSecrets(out);
}

/**
 * At most `max` characters of `text` for a message or log line, redacted before the cut: cut
 * first, a token straddling the cut keeps a part no pattern or registered value matches.
 */
export function redactedExcerpt(text: string, max: number): string {
  return redact(text).slice(0, max);
}

