// The mapping from ws / Node errors to stable codes (bindings/node/errors.ts),
// for the shapes a loopback test cannot produce on demand (DNS, resets,
// aggregate errors of happy eyeballs).

import assert from 'node:assert/strict';
import { classifyCloseCode, classifySocketError, endpointOf } from '../../bindings/node/errors.ts';

const at = endpointOf('ws://board.local:8080/path?token=abc');
const err = (code: string | undefined, message = '') => Object.assign(new Error(message), code ? { code } : {});

describe('bindings/node/errors', () => {
  it('names the peer as host:port, never the path or query', () => {
    assert.deepEqual(at, { host: 'board.local', peer: 'board.local:8080' });
    assert.equal(endpointOf('wss://h').peer, 'h:443');
    assert.equal(endpointOf('ws://user:pw@h').peer, 'h:80');
  });

  const cases: Array<[string, unknown, string, boolean]> = [
    ['ECONNREFUSED', err('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:8080'), 'refused', false],
    ['an AggregateError of refusals (happy eyeballs)', Object.assign(new Error(''), { errors: [err('ECONNREFUSED')] }), 'refused', false],
    ['ENOTFOUND', err('ENOTFOUND', 'getaddrinfo ENOTFOUND board.local'), 'dns', false],
    ['EAI_AGAIN', err('EAI_AGAIN'), 'dns', false],
    ['HTTP 401', err(undefined, 'Unexpected server response: 401'), 'unauthorized', true],
    ['HTTP 403', err(undefined, 'Unexpected server response: 403'), 'unauthorized', true],
    ['HTTP 502', err(undefined, 'Unexpected server response: 502'), 'http_status', false],
    ['a self-signed certificate', err('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'tls', false],
    ['a host name mismatch', err('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), 'tls', false],
    ['max payload', err('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 'Max payload size exceeded'), 'message_too_big', true],
    ['a bad opcode', err('WS_ERR_INVALID_OPCODE', 'Invalid opcode 3'), 'protocol', false],
    ['a bad accept key', err(undefined, 'Invalid Sec-WebSocket-Accept header'), 'protocol', false],
    ['ECONNRESET', err('ECONNRESET', 'read ECONNRESET'), 'network', false],
    ['a non-error value', 'boom', 'network', false],
  ];
  for (const [what, e, code, permanent] of cases) {
    it(`${what} → ${code}${permanent ? ' (permanent)' : ''}`, () => {
      const f = classifySocketError(e, at, 1024);
      assert.equal(f.code, code);
      assert.equal(f.permanent, permanent);
      assert.ok(f.text.length > 0 && !f.text.includes('token=abc'), f.text);
    });
  }

  it('HTTP statuses and the payload limit are named in the text', () => {
    assert.match(classifySocketError(err(undefined, 'Unexpected server response: 502'), at, 1).text, /HTTP 502/);
    assert.match(classifySocketError(err('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'), at, 4096).text, /4096 bytes/);
    assert.equal(classifySocketError(err('ECONNRESET', 'read ECONNRESET'), at, 1).text, 'network error with board.local:8080: read ECONNRESET');
  });

  it('close codes 1008 and 1009 are permanent, others are not failures', () => {
    assert.equal(classifyCloseCode(1008, 'nope', at)?.code, 'close_policy');
    assert.match(classifyCloseCode(1008, 'nope', at)!.text, /nope/);
    assert.equal(classifyCloseCode(1009, '', at)?.code, 'close_too_big');
    assert.equal(classifyCloseCode(1000, '', at), undefined);
    assert.equal(classifyCloseCode(1001, '', at), undefined);
  });
});
