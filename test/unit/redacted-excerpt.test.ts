/**
 * Excerpts in log lines and error messages are redacted before they are cut: a token straddling
 * the cut, cut first, keeps a part that neither a pattern nor a registered value matches, and the
 * logger's own redaction lets it through.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact, redactedExcerpt, registerSecret } from '../../src/secrets.js';
import { classifyApiError } from '../../src/databricks/api-errors.js';
import { Forwarder } from '../../src/proxy/forwarder.js';
import type { Channel } from '../../src/proxy/channel.js';
import type { LineWriter } from '../../src/proxy/framing.js';
import type { ProxyLog } from '../../src/proxy/log.js';
import type { Session } from '../../src/proxy/session.js';

const PAT = 'dapi0123456789abcdef0123456789abcdef';
const SECRET = 'registered-Qm7vZk2Lw9Rt4Yp8';
registerSecret(SECRET);

/** The longest piece of `token` that `text` shows (0: none). */
function shown(text: string, token: string): number {
  let longest = 0;
  for (let i = 0; i < token.length; i++) for (let j = i + longest + 1; j <= token.length; j++) if (text.includes(token.slice(i, j))) longest = j - i;
  return longest;
}
/** `token` placed so that the cut at `at` falls in its middle. */
const straddling = (token: string, at: number) => `${'.'.repeat(at - Math.floor(token.length / 2))}${token} tail`;

test('redactedExcerpt: a PAT or a registered secret straddling the cut shows nothing of itself', () => {
  for (const token of [PAT, SECRET]) {
    const out = redactedExcerpt(straddling(token, 200), 200);
    assert.ok(out.length <= 200);
    assert.ok(shown(out, token) <= 3, `${token}: ${out.slice(-30)}`);
  }
  assert.equal(redactedExcerpt('short', 200), 'short');
});

test('an API error body quoted in its message shows nothing of a token straddling the 500-character cut', () => {
  for (const token of [PAT, SECRET]) {
    // Through the logger, as every printed message is.
    const asJson = redact(classifyApiError(400, { error: { detail: straddling(token, 500) } }).message);
    const asText = redact(classifyApiError(502, straddling(token, 500)).message);
    assert.ok(shown(asJson, token) <= 3, `json body: ${asJson.slice(-30)}`);
    assert.ok(shown(asText, token) <= 3, `text body: ${asText.slice(-30)}`);
  }
});

test('the proxy log line for a non-JSON stdin line shows nothing of a token straddling the 200-character cut', () => {
  const lines: string[] = [];
  // The proxy logger's base redacts every line (context.ts), as here.
  const log: ProxyLog = { error: () => undefined, warn: (t) => lines.push(redact(t)), info: () => undefined, debug: () => undefined, debugEnabled: false };
  const writer: LineWriter = { write: () => undefined, flushed: async () => undefined, ready: async () => undefined, broken: false };
  const target = { url: 'https://example.invalid/mcp', host: undefined, profile: undefined, authType: undefined };
  const f = new Forwarder({} as Channel, {} as Session, undefined, writer, log, { target });
  for (const token of [PAT, SECRET]) {
    lines.length = 0;
    // 'stdin: not JSON: ' comes first: the cut falls 200 characters into the line.
    f.handleLine(straddling(token, 200));
    assert.equal(lines.length, 1);
    assert.ok(shown(lines[0]!, token) <= 3, lines[0]!.slice(-40));
  }
});
