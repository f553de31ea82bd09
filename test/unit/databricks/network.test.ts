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

test('issue 20 item 11: a refused tunnel names the proxy variable in use, with its value; an unset one as unset', async () => {
  const { networkFailure } = await import('../../../src/proxy/errors.js');
  const tunnel = () => Object.assign(new Error('the proxy proxy.corp.example:3128 answered 403 Forbidden to CONNECT dbc-1.cloud.databricks.com:443'), { code: 'PROXY_TUNNEL_FAILED' });
  const url = 'https://dbc-1.cloud.databricks.com/api/2.0/mcp/sql';
  const set = classifyNetworkError(tunnel(), url, { HTTPS_PROXY: 'http://user:pw@proxy.corp.example:3128' });
  assert.equal(set.network, 'proxy');
  assert.match(set.hint!, /^Check HTTPS_PROXY \(http:\/\/(\*\*\*@)?proxy\.corp\.example:3128\/?\) and its credentials/);
  assert.doesNotMatch(set.hint!, /pw/);
  const lower = classifyNetworkError(tunnel(), url, { https_proxy: 'http://proxy.corp.example:3128' });
  assert.match(lower.hint!, /^Check https_proxy \(/);
  // An https URL never uses HTTP_PROXY (transport.ts), so that one is not "the proxy".
  const unset = classifyNetworkError(tunnel(), url, { HTTP_PROXY: 'http://other:1', HTTPS_PROXY: '' });
  assert.doesNotMatch(unset.hint!, /\(unset\)|\(\)|other:1/);
  assert.match(unset.hint!, /HTTPS_PROXY is unset/);
  // The proxy process classifies with its own environment: a set HTTPS_PROXY is not "unset".
  const saved = process.env.HTTPS_PROXY;
  process.env.HTTPS_PROXY = 'http://proxy.corp.example:3128';
  try {
    const f = networkFailure(tunnel(), { url, host: 'https://dbc-1.cloud.databricks.com', profile: 'p', authType: 'pat' }, false);
    assert.match(f.message, /Check HTTPS_PROXY \(http:\/\/proxy\.corp\.example:3128\/?\)/);
    assert.doesNotMatch(f.message, /unset/);
  } finally {
    if (saved === undefined) delete process.env.HTTPS_PROXY;
    else process.env.HTTPS_PROXY = saved;
  }
});
