// Issue 20 item 3: a failing request's id (the `x-request-id` response header, or the
// body's RequestInfo / "[ReqId: …]") is shown with --verbose and named in the fix that asks
// for it; without one, no fix sends the user to --verbose for an id it would not show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyApiError } from '../../../src/databricks/api-errors.js';
import { diagnoseApi } from '../../../src/doctor/diagnose.js';
import { buildReport } from '../../../src/doctor/runner.js';
import { renderHuman } from '../../../src/ui/doctor-human.js';

test('the x-request-id header of a failing request reaches --verbose and the fix', () => {
  const info = classifyApiError(502, { error_code: 'BAD_GATEWAY', message: 'upstream failed' }, { 'x-request-id': 'a1b2c3d4-0000-4000-8000-000000000001' });
  assert.equal(info.requestId, 'a1b2c3d4-0000-4000-8000-000000000001');
  const r = diagnoseApi({ ...info, kind: 'other' }, {});
  assert.match(r.fix!, /request id a1b2c3d4-0000-4000-8000-000000000001/);
  assert.doesNotMatch(r.fix!, /--verbose/);
  const o = { ...r, id: 'auth.current-user', title: 'Signed in', group: 'workspace' as const, durationMs: 1 };
  const report = buildReport([o], 1);
  assert.match(renderHuman(report, { color: false, verbose: true }), /request id: a1b2c3d4-0000-4000-8000-000000000001/);
  // Every API diagnosis carries it in --verbose, not only the unclassified one.
  const denied = diagnoseApi(classifyApiError(403, { error_code: 'PERMISSION_DENIED', message: 'no' }, { 'x-request-id': 'r-403' }), {});
  assert.deepEqual(denied.details, ['request id: r-403']);
});

test('without a request id the fix does not promise one', () => {
  const r = diagnoseApi({ ...classifyApiError(502, { message: 'upstream failed' }), kind: 'other' }, {});
  assert.doesNotMatch(r.fix!, /--verbose for the request id/);
});
