import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyNetworkError } from '../../../src/databricks/network.js';

// What node's TLS client reports when a plain-HTTP server answers its ClientHello.
const wrongVersion = Object.assign(new Error('write EPROTO 80AC…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'), { code: 'EPROTO' });

test('a plain-HTTP answer to the TLS handshake is diagnosed as the scheme, not the certificate', () => {
  const remote = classifyNetworkError(wrongVersion, 'https://dbc-1.cloud.databricks.com:8080/api/2.0/preview/scim/v2/Me');
  assert.equal(remote.network, 'tls');
  assert.equal(remote.message, 'Cannot reach https://dbc-1.cloud.databricks.com:8080: dbc-1.cloud.databricks.com:8080 speaks plain HTTP, not HTTPS');
  assert.match(remote.hint!, /HTTPS only: check the host and port/);
  const loopback = classifyNetworkError(wrongVersion, 'https://localhost:8080/x');
  assert.match(loopback.hint!, /^Write the host with its scheme: http:\/\/localhost:8080/);
});

test('an untrusted certificate is still diagnosed as one', () => {
  const e = classifyNetworkError(Object.assign(new Error('unable to get local issuer certificate'), { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }), 'https://dbc-1.cloud.databricks.com/x');
  assert.match(e.message, /TLS certificate of dbc-1\.cloud\.databricks\.com is not trusted/);
});
