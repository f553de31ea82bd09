// Issue 20 item 2: doctor counts causes, not the checks one cause fails. One IP access list
// block fails auth.current-user and every handshake; one revoked grant fails a server's grants
// check and its handshake: each is "1 problem", with the other checks counted as following from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../../../src/doctor/runner.js';
import type { CheckOutcome } from '../../../src/doctor/types.js';
import { renderHuman } from '../../../src/ui/doctor-human.js';
import { toJson } from '../../../src/ui/doctor-json.js';

const ipAcl = { kind: 'ip-acl', sourceIp: '203.0.113.7', workspaceId: '1' };
const fail = (id: string, data: Record<string, unknown>, fix = 'Ask a workspace admin to add 203.0.113.7 to an ALLOW list', subject?: string): CheckOutcome => ({
  id, title: subject ? `${subject}: ${id.split('.').pop()}` : id, group: subject ? 'server' : 'workspace', status: 'fail', summary: 'blocked', fix, data, durationMs: 1, ...(subject ? { subject } : {}),
});

test('one IP ACL block failing the identity check and two handshakes is one problem', () => {
  const r = buildReport([fail('auth.current-user', ipAcl), fail('server.a.handshake', ipAcl, undefined, 'a'), fail('server.b.handshake', ipAcl, undefined, 'b')], 10);
  assert.equal(r.summary.fail, 3, 'the checks are still counted as checks');
  assert.equal(r.problems, 1);
  assert.match(renderHuman(r, { color: false, verbose: false }), /doctor found 1 problem \(3 checks failed\)/);
  // --json keeps its shape (scripts count `summary.fail` or group by `data.kind` themselves).
  assert.deepEqual(Object.keys(toJson(r)), ['version', 'ok', 'summary', 'checks']);
});

test("one revoked grant failing a server's grants check and its handshake is one problem; another server's is a second", () => {
  const r = buildReport([
    fail('server.app.grants', { kind: 'no-access' }, 'Ask the owner of the app for CAN USE', 'app'),
    fail('server.app.handshake', { kind: 'no-access' }, 'Check it under Compute → Apps; ask its owner for CAN USE.', 'app'),
    fail('server.fn.grants', { kind: 'missing-privilege' }, 'GRANT EXECUTE …', 'fn'),
    fail('server.fn.handshake', { kind: 'no-access' }, 'Ask the owner', 'fn'),
  ], 10);
  assert.equal(r.problems, 2);
  assert.match(renderHuman(r, { color: false, verbose: false }), /doctor found 2 problems \(4 checks failed\)/);
});

test('unrelated failures are each a problem; the wording stays as it was when each check is its own cause', () => {
  const r = buildReport([fail('auth.current-user', { kind: 'invalid-token' }, 'databricks auth login'), fail('client.cursor.config', { kind: 'config-invalid' }, 'fix the file')], 10);
  assert.equal(r.problems, 2);
  assert.match(renderHuman(r, { color: false, verbose: false }), /doctor found 2 problems — /);
});
