import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatOfPath, maskSecrets } from '../../src/redact-text.js';
import { isEnvReference, isSecretKey } from '../../src/secret-keys.js';
import { redact } from '../../src/secrets.js';

test('the key rule: secret names in any case style; names of variables, files and kinds are not secrets', () => {
  for (const k of ['token', 'TOKEN', 'access_token', 'accessToken', 'X-Api-Key', 'OPENAI_API_KEY', 'apikey', 'api-key', 'client_secret', 'clientSecret', 'password', 'passwd', 'DB_PWD', 'Authorization', 'credentials', 'google_credentials', 'azure_client_secret', 'Cookie', 'privateKey', 'secrets.key'])
    assert.equal(isSecretKey(k), true, k);
  for (const k of ['host', 'url', 'command', 'args', 'client_id', 'bearer_token_env_var', 'token_file', 'token_url', 'auth_type', 'env', 'headers', 'name', 'cluster_id', 'tokenEnvVar'])
    assert.equal(isSecretKey(k), false, k);
});

test('env references are not secrets; a reference with a default is', () => {
  for (const v of ['${DATABRICKS_TOKEN}', 'Bearer ${DATABRICKS_TOKEN}', '${env:DATABRICKS_TOKEN}', 'Bearer ${input:databricks-token}', '$TOKEN', '{env:TOKEN}', 'Bearer {env:TOKEN}'])
    assert.equal(isEnvReference(v), true, v);
  for (const v of ['${TOKEN:-sk-live-x}', 'Bearer sk-live', 'sk-${X}', 'abc'])
    assert.equal(isEnvReference(v), false, v);
});

test('formats by file name', () => {
  assert.equal(formatOfPath('/h/.cursor/mcp.json'), 'json');
  assert.equal(formatOfPath('/h/.codex/config.toml'), 'toml');
  assert.equal(formatOfPath('/h/.config/goose/config.yaml'), 'yaml');
  assert.equal(formatOfPath('/h/.databrickscfg'), 'ini');
});

const lines = (s: string) => s.split('\n').length;

test('JSONC: header, env, secret keys, args flags; references and structure stay', () => {
  const text = `{
  // a comment with "token": "not-a-value"
  "mcpServers": {
    "a": { "url": "https://x/?api_key=QSECRET&x=1", "headers": { "X-Api-Key": "HSECRET", "Authorization": "Bearer \${TOKEN}" } },
    "b": { "command": "npx", "args": ["srv", "--api-key", "ASECRET", "--token=FSECRET", "X-Auth-Token: XSECRET", "--header", "Authorization:\${AUTH}"],
      "env": { "PLAIN": "ESECRET", "N": 12345678 } },
    "c": { "oauth": { "clientId": "id-1", "clientSecret": "CSECRET" }, "password": "PSECRET", "enabled": true },
    "d": { "url": "https://user:USECRET@host/mcp" }
  }
}
`;
  // URL secrets are redact()'s (every printed line), the rest maskSecrets's.
  const out = redact(maskSecrets(text, 'json'));
  for (const s of ['QSECRET', 'HSECRET', 'ASECRET', 'FSECRET', 'XSECRET', 'ESECRET', '12345678', 'CSECRET', 'PSECRET', 'USECRET']) assert.equal(out.includes(s), false, `${s} in\n${out}`);
  for (const s of ['Bearer ${TOKEN}', '"--api-key"', '"--token=***"', '"X-Auth-Token: ***"', 'Authorization:${AUTH}', '"clientId": "id-1"', '"enabled": true', '"X-Api-Key": "***"', '"N": ***', 'api_key=***&x=1', 'user:***@host']) assert.ok(out.includes(s), `${s} missing in\n${out}`);
  assert.equal(lines(out), lines(text));
});

test('TOML: tables, dotted keys, inline tables, multi-line strings', () => {
  const text = `[mcp_servers.a]
url = "https://x"
bearer_token_env_var = "DATABRICKS_TOKEN"
http_headers = { "X-Api-Key" = "HSECRET", Other = 'LSECRET' }
env_http_headers = { "X-Org" = "MY_VAR" }

[mcp_servers.b.env]
OPENAI_API_KEY = "ESECRET"
MULTI = """
M1SECRET
M2SECRET"""

[mcp_servers.c]
args = [
  "--token",
  "ASECRET",
]
auth.password = 'PSECRET'
`;
  const out = maskSecrets(text, 'toml');
  for (const s of ['HSECRET', 'LSECRET', 'ESECRET', 'M1SECRET', 'M2SECRET', 'ASECRET', 'PSECRET']) assert.equal(out.includes(s), false, `${s} in\n${out}`);
  for (const s of ['bearer_token_env_var = "DATABRICKS_TOKEN"', '"X-Org" = "MY_VAR"', '"X-Api-Key" = "***"', '[mcp_servers.b.env]']) assert.ok(out.includes(s), `${s} missing in\n${out}`);
  assert.equal(lines(out), lines(text));
});

test('YAML: block maps, lists, flow maps, block scalars, quoted keys', () => {
  const text = `extensions:
  other:
    cmd: npx
    args:
    - --api-key
    - ASECRET
    envs:
      OPENAI_API_KEY: ESECRET
      "QUOTED": 'QSECRET'
    headers: { X-Api-Key: HSECRET, Authorization: "Bearer \${TOK}" }
    token: |
      B1SECRET
      B2SECRET
    password: a, PLAINSECRET # comment
  list:
  - name: x
    credentials:
      - L1SECRET
  - api_key: K2SECRET
    enabled: true
`;
  const out = maskSecrets(text, 'yaml');
  for (const s of ['ASECRET', 'ESECRET', 'QSECRET', 'HSECRET', 'B1SECRET', 'B2SECRET', 'PLAINSECRET', 'L1SECRET', 'K2SECRET']) assert.equal(out.includes(s), false, `${s} in\n${out}`);
  for (const s of ['- --api-key', 'Bearer ${TOK}', 'cmd: npx', 'enabled: true', 'OPENAI_API_KEY: ***', '# comment']) assert.ok(out.includes(s), `${s} missing in\n${out}`);
  assert.equal(lines(out), lines(text));
});

test('INI (~/.databrickscfg): every profile\'s secrets, keys and hosts stay', () => {
  const text = `; comment\n[DEFAULT]\nhost  = https://a\ntoken = TSECRET\n\n[sp]\nclient_id=abc\nclient_secret=CSECRET\npassword : PSECRET\nauth_type = databricks-cli\n`;
  const out = maskSecrets(text, 'ini');
  for (const s of ['TSECRET', 'CSECRET', 'PSECRET']) assert.equal(out.includes(s), false, s);
  assert.equal(out, `; comment\n[DEFAULT]\nhost  = https://a\ntoken = ***\n\n[sp]\nclient_id=abc\nclient_secret=***\npassword : ***\nauth_type = databricks-cli\n`);
});

test('a file that does not parse is still masked', () => {
  const out = maskSecrets('{ "a": { "token": "T1SECRET", \n "env": { "X": "E1SECRET" ,, ]] "password": "P1SECRET"', 'json');
  for (const s of ['T1SECRET', 'E1SECRET', 'P1SECRET']) assert.equal(out.includes(s), false, `${s} in ${out}`);
});

test('redactedDiff: a changed secret is still a changed line, shown masked on both sides', async () => {
  const { redactedDiff } = await import('../../src/config/diff.js');
  const before = '[a]\nhost = https://a\ntoken = OLDSECRET1\n';
  const after = '[a]\nhost = https://a\ntoken = NEWSECRET2\n';
  const d = redactedDiff('/h/.databrickscfg', before, after);
  assert.equal(d, '--- a/h/.databrickscfg\n+++ b/h/.databrickscfg\n@@ -1,3 +1,3 @@\n [a]\n host = https://a\n-token = ***\n+token = ***\n');
  const y = redactedDiff('/h/config.yaml', 'x:\n  headers:\n    Authorization: Bearer OLDSECRET1\n', 'x:\n  headers:\n    Authorization: Bearer NEWSECRET2\n');
  assert.match(y, /^-    Authorization: Bearer \*\*\*$/m);
  assert.match(y, /^\+    Authorization: Bearer \*\*\*$/m);
});

test('redact (every printed line) masks a URL\'s password and secret-named query parameters', async () => {
  const { redact } = await import('../../src/secrets.js');
  assert.equal(redact('see https://u:PW1SECRET@h.example/x?a=1&api_key=Q1SECRET&sig=S1SECRET#f'), 'see https://u:***@h.example/x?a=1&api_key=***&sig=***#f');
  assert.equal(redact('https://h.example/mcp?state=abc&client_id=xyz'), 'https://h.example/mcp?state=abc&client_id=xyz');
});

test('a parse error quoting a secret value (toml-patch: Invalid float "…") masks it; other quotes stay', async () => {
  const { loadCodec } = await import('../../src/config/codecs/index.js');
  const toml = await loadCodec('toml');
  assert.throws(() => toml.parse('a = 1\ntoken = sk-live-PARSESECRET1 x\n', 'f.toml'), (e: Error) => !e.message.includes('PARSESECRET1') && e.message.includes('"***"'));
  assert.throws(() => toml.parse('a = nope-value\n', 'f.toml'), (e: Error) => e.message.includes('nope-value'));
});

// A project file from a cloned repository is input: a long line that is no key must not make the
// masker backtrack (the TOML key pattern was exponential on 40 characters). Bounded by the test's timeout.
test('long lines that are no key are masked in linear time, in every format', { timeout: 20_000 }, () => {
  const lines = ['a'.repeat(40) + '!', 'a.b.'.repeat(15) + '!', `k${' '.repeat(50_000)}x`, `k${' x'.repeat(20_000)} #`, `"${'\\\\'.repeat(5_000)}`, `token = ${'s'.repeat(50_000)}`];
  for (const format of ['json', 'toml', 'yaml', 'ini'] as const) for (const l of lines) assert.equal(maskSecrets(`${l}\n`, format).split('\n').length, 2, `${format}: ${l.slice(0, 20)}`);
  assert.equal(maskSecrets(`token = ${'s'.repeat(50_000)}\n`, 'toml'), 'token = ***\n');
});
