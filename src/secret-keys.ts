/**
 * Redaction by key name, the rule every displayed file passes through (redact-text.ts applies
 * it to JSONC, TOML, YAML and INI text). secrets.ts masks values dbx-mcp knows or that look like
 * tokens; this masks values a user's file keeps under a name that says "secret", whatever their
 * shape (`"X-Api-Key": "sk-live-…"`), in every server and every profile, not only dbx-mcp's own.
 *
 * The rule, shown to users in the README (Security model → Redaction):
 * - a value under a key whose name holds token, secret, password/passwd/pwd, credential,
 *   authorization, cookie or key (any case; snake, camel, kebab or dotted) is masked;
 * - every value inside a headers or env table (headers, http_headers, env, envs, environment…)
 *   is masked, and everything nested under a masked key;
 * - except a value that is only an environment reference (`${VAR}`, `$VAR`, `${env:VAR}`,
 *   `${input:id}`, `{env:VAR}`, optionally after `Bearer `/`Basic `/`Token `): it names a
 *   secret, it is not one, and seeing it is how a user checks an entry. A reference with a
 *   default (`${VAR:-value}`) is masked: the default may be the secret;
 * - and a key that names a variable, a file, a URL or a kind rather than holding a value
 *   (`bearer_token_env_var`, `token_file`, `token_url`, `auth_type`) is not a secret key.
 * true, false, null and '' are shown: they hide nothing.
 */

/** Substrings of a key name (lower case, separators dropped) that make it a secret key. */
const SECRET_KEY_PARTS = ['token', 'secret', 'passw', 'pwd', 'credential', 'authorization', 'cookie', 'key'] as const;

/** A last word that makes the key name something else than the secret itself. */
const NOT_A_VALUE_SUFFIX = new Set(['var', 'vars', 'envvar', 'env', 'file', 'path', 'url', 'uri', 'endpoint', 'type', 'helper', 'command', 'cmd', 'name', 'id', 'ids']);

/** Tables whose every value is masked (lower case, separators dropped). */
const SECRET_TABLES = new Set(['headers', 'header', 'httpheaders', 'requestheaders', 'env', 'envs', 'environment', 'envvars', 'environmentvariables']);

/** The words of a key name: `X-Api-Key`, `OPENAI_API_KEY`, `apiKey`, `a.b` all split. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

interface Verdict { key: boolean; table: boolean }

/**
 * Verdicts by name: a large file repeats a few key names thousands of times (~/.claude.json's
 * `projects`), and splitting words was most of a diff's redaction time. Bounded, for untrusted input.
 */
const verdicts = new Map<string, Verdict>();

function verdict(name: string): Verdict {
  let v = verdicts.get(name);
  if (v === undefined) {
    const w = words(name);
    const last = w[w.length - 1];
    const joined = w.join('');
    v = { key: last !== undefined && !NOT_A_VALUE_SUFFIX.has(last) && SECRET_KEY_PARTS.some((p) => joined.includes(p)), table: SECRET_TABLES.has(joined) };
    if (verdicts.size < 10_000) verdicts.set(name, v);
  }
  return v;
}

/** The key's value is a secret (see the rule above). */
export function isSecretKey(name: string): boolean {
  return verdict(name).key;
}

/** Every value in the key's table is a secret: headers and environment tables. */
export function isSecretTable(name: string): boolean {
  return verdict(name).table;
}

/** Values nested under `key` (a table or list) are masked when this is true. */
export function secretScope(parentSecret: boolean, key: string | null): boolean {
  return parentSecret || (key !== null && (isSecretKey(key) || isSecretTable(key)));
}

const ENV_REFERENCE = /^(?:(?:Bearer|Basic|Token)\s+)?(?:\$\{(?:env:|input:)?[A-Za-z_][\w.-]*\}|\$[A-Za-z_]\w*|\{env:[A-Za-z_]\w*\})$/i;

/** The value is only a reference to an environment variable (or a VS Code input). */
export function isEnvReference(value: string): boolean {
  return ENV_REFERENCE.test(value.trim());
}

/** A value in a secret place is masked unless it hides nothing (a reference, a boolean, empty). */
export function masksValue(secret: boolean, key: string | null, value: string): boolean {
  if (!(secret || (key !== null && isSecretKey(key)))) return false;
  const v = value.trim();
  return v !== '' && !/^(?:true|false|null|~)$/i.test(v) && !isEnvReference(v);
}

/** How much of a masked value stays visible: an auth scheme (`Bearer ***`) says what kind of secret it is. */
export function visiblePrefix(value: string): number {
  return /^(?:Bearer|Basic|Token)\s+(?=\S)/i.exec(value)?.[0].length ?? 0;
}

/** A command-line flag naming a secret (`--api-key`, `--token`), whose next argument is one. */
export function isSecretFlag(arg: string): boolean {
  const m = /^--?([A-Za-z][\w-]*)$/.exec(arg);
  return m !== null && isSecretKey(m[1] as string);
}

/** Where a secret starts in one argument: `--token=…` after the `=`, `X-Api-Key: …` after the colon; -1 if none. */
export function secretInArgument(arg: string): number {
  const flag = /^--?([A-Za-z][\w-]*)=/.exec(arg);
  if (flag && isSecretKey(flag[1] as string) && !isEnvReference(arg.slice(flag[0].length))) return flag[0].length;
  const header = /^([A-Za-z][\w-]*):\s*/.exec(arg);
  if (header && isSecretKey(header[1] as string) && !isEnvReference(arg.slice(header[0].length))) return header[0].length;
  return -1;
}

/**
 * Secrets inside any one line: a URL's password (`https://user:pw@host`) and query parameters
 * with a secret name (`?api_key=…`).
 */
export function maskInlineSecrets(line: string): string {
  return line
    .replace(/(\/\/[^\s/:@"'`]+:)([^\s/@"'`]+)@/g, '$1***@')
    .replace(/([?&]([\w.-]+)=)([^&\s"'`#]+)/g, (m, head: string, name: string, value: string) => ((isSecretKey(name) || /^(?:sig|signature)$/i.test(name)) && !isEnvReference(value) ? `${head}***` : m));
}
