/**
 * Deterministic generator of client configs and ~/.databrickscfg files holding canary secrets
 * under many key names, in servers and profiles that are not dbx-mcp's (the redaction property
 * tests). Seeded, so a failure names the seed that reproduces it.
 */

/** mulberry32: a small seeded PRNG, enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SECRET_KEYS = [
  'token', 'access_token', 'accessToken', 'X-Api-Key', 'OPENAI_API_KEY', 'apiKey', 'api-key', 'client_secret', 'clientSecret',
  'password', 'passwd', 'DB_PWD', 'Authorization', 'credentials', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'private_key', 'session-cookie', 'SECRET',
] as const;
/** Names that say nothing: only their place (a headers or env table) makes their values secret. */
const PLAIN_KEYS = ['X-Custom', 'PLAIN_VAR', 'Region', 'mode'] as const;

export interface Generated {
  text: string;
  canaries: string[];
}

class Gen {
  readonly canaries: string[] = [];
  constructor(readonly r: () => number, readonly seed: number) {}
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)] as T;
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  canary(): string {
    const c = `cnry${this.seed}q${this.canaries.length}${Math.floor(this.r() * 1e9).toString(36)}`;
    this.canaries.push(c);
    return c;
  }
  table(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0, n = 1 + this.int(3); i < n; i++) {
      const k = this.pick([...SECRET_KEYS, ...PLAIN_KEYS]);
      if (!(k in out)) out[k] = this.canary();
    }
    return out;
  }
}

type Server = { kind: 'http'; url: string; headers: Record<string, string>; extra: Record<string, string> } | { kind: 'stdio'; command: string; args: string[]; env: Record<string, string>; extra: Record<string, string> };

function servers(g: Gen): Record<string, Server> {
  const out: Record<string, Server> = {};
  for (let i = 0, n = 1 + g.int(3); i < n; i++) {
    const extra: Record<string, string> = g.r() < 0.5 ? { [g.pick(SECRET_KEYS)]: g.canary() } : {};
    if (g.r() < 0.5) {
      const url = g.pick([() => `http://127.0.0.1:1/mcp?api_key=${g.canary()}`, () => `http://user:${g.canary()}@127.0.0.1:1/mcp`, () => 'http://127.0.0.1:1/mcp'])();
      out[`other-${i}`] = { kind: 'http', url, headers: g.table(), extra };
    } else {
      const args = g.pick([() => ['--api-key', g.canary()], () => [`--token=${g.canary()}`], () => ['serve']])();
      out[`other-${i}`] = { kind: 'stdio', command: 'no-such-command-dbx-test', args, env: g.table(), extra };
    }
  }
  return out;
}

const q = (s: string) => JSON.stringify(s);

export function genJson(seed: number): Generated {
  const g = new Gen(rng(seed), seed);
  const mcpServers: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(servers(g))) {
    mcpServers[name] = s.kind === 'http' ? { url: s.url, headers: s.headers, ...s.extra } : { command: s.command, args: s.args, env: s.env, ...s.extra };
  }
  return { text: `${JSON.stringify({ mcpServers }, null, g.pick([2, 4]))}\n`, canaries: g.canaries };
}

export function genToml(seed: number): Generated {
  const g = new Gen(rng(seed), seed);
  const blocks: string[] = [];
  const inline = (t: Record<string, string>) => `{ ${Object.entries(t).map(([k, v]) => `${q(k)} = ${q(v)}`).join(', ')} }`;
  const table = (path: string, t: Record<string, string>) => `[${path}]\n${Object.entries(t).map(([k, v]) => `${q(k)} = ${q(v)}`).join('\n')}`;
  for (const [name, s] of Object.entries(servers(g))) {
    const head = `[mcp_servers.${name}]`;
    const extra = Object.entries(s.extra).map(([k, v]) => `${q(k)} = ${q(v)}`);
    const [field, values] = s.kind === 'http' ? ['http_headers', s.headers] : ['env', s.env];
    const body = s.kind === 'http' ? [`url = ${q(s.url)}`] : [`command = ${q(s.command)}`, `args = [${s.args.map(q).join(', ')}]`];
    if (g.r() < 0.5) blocks.push([head, ...body, `${field} = ${inline(values)}`, ...extra].join('\n'));
    else blocks.push([head, ...body, ...extra].join('\n'), table(`mcp_servers.${name}.${field}`, values));
  }
  return { text: `${blocks.join('\n\n')}\n`, canaries: g.canaries };
}

export function genYaml(seed: number): Generated {
  const g = new Gen(rng(seed), seed);
  const lines = ['extensions:'];
  const map = (indent: string, t: Record<string, string>, flow: boolean) =>
    flow ? [` { ${Object.entries(t).map(([k, v]) => `${k}: ${v}`).join(', ')} }`] : ['', ...Object.entries(t).map(([k, v]) => `${indent}${k}: ${g.pick([v, q(v), `'${v}'`])}`)];
  for (const [name, s] of Object.entries(servers(g))) {
    lines.push(`  ${name}:`, `    name: ${name}`, '    enabled: true');
    if (s.kind === 'http') {
      lines.push('    type: streamable_http', `    uri: ${s.url}`);
      const h = map('      ', s.headers, g.r() < 0.3);
      lines.push(`    headers:${h[0]}`, ...h.slice(1));
    } else {
      lines.push('    type: stdio', `    cmd: ${s.command}`, '    args:', ...s.args.map((a) => `    - ${q(a)}`));
      const e = map('      ', s.env, g.r() < 0.3);
      lines.push(`    envs:${e[0]}`, ...e.slice(1));
    }
    for (const [k, v] of Object.entries(s.extra)) lines.push(`    ${k}: ${v}`);
  }
  return { text: `${lines.join('\n')}\n`, canaries: g.canaries };
}

/** Other profiles of ~/.databrickscfg, with `host`, the first profile's pointing at `host`. */
export function genIni(seed: number, host: string, token: string): Generated {
  const g = new Gen(rng(seed), seed);
  const out = [`[DEFAULT]\nhost  = ${host}\ntoken = ${token}\n`];
  for (let i = 0, n = 1 + g.int(3); i < n; i++) {
    const keys = g.pick([['token'], ['client_id', 'client_secret'], ['username', 'password'], ['azure_client_secret'], ['google_credentials']]);
    out.push(`[other${i}]\nhost = https://other${i}.example.com\n${keys.map((k) => `${k}${g.pick([' = ', '=', ' : '])}${k.endsWith('_id') || k === 'username' ? 'visible' : g.canary()}`).join('\n')}\n`);
  }
  return { text: out.join('\n'), canaries: g.canaries };
}
