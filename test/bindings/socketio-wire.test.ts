// The pure pieces of the Socket.IO binding: namespace names, the Message of
// an incoming payload, and how connect failures map to stable codes.

import { strict as assert } from 'node:assert';
import { endpointOf } from '../../bindings/node/errors.ts';
import { classifyConnectError, messageText, namespaceOf } from '../../bindings/node/socketio-wire.ts';
import { transportsFrom } from '../../bindings/options.ts';

describe('bindings/node/socketio-wire', () => {
  it("namespaceOf: '' is '/', a missing leading slash is added", () => {
    assert.equal(namespaceOf(''), '/');
    assert.equal(namespaceOf('/'), '/');
    assert.equal(namespaceOf('vehicle'), '/vehicle');
    assert.equal(namespaceOf('/vehicle'), '/vehicle');
  });

  it('messageText: a string as is, anything else as JSON text, binary as base64', () => {
    assert.equal(messageText(['42']), '42');
    assert.equal(messageText(['']), '');
    assert.equal(messageText([]), '');
    assert.equal(messageText([42]), '42');
    assert.equal(messageText([false]), 'false');
    assert.equal(messageText([null]), 'null');
    assert.equal(messageText([{ a: [1, 'b'] }]), '{"a":[1,"b"]}');
    assert.equal(messageText(['a', 'b']), '["a","b"]');
    assert.equal(messageText([new Uint8Array([255, 0])]), '"/wA="');
    assert.equal(messageText([{ frame: Buffer.from('hi') }]), '{"frame":"aGk="}');
  });

  it('classifyConnectError: Socket.IO shapes first, the ws error beneath through the shared classifier', () => {
    const at = endpointOf('http://example.test:3000/?token=secret');
    const wsError = (error: Error) => Object.assign(new Error('websocket error'), { type: 'TransportError', description: { error } });
    const refused = classifyConnectError(wsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), at, 1024);
    assert.equal(refused.code, 'refused');
    assert.ok(!refused.text.includes('secret'));
    assert.equal(classifyConnectError(wsError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })), at, 1024).code, 'dns');
    const denied = classifyConnectError(wsError(new Error('Unexpected server response: 403')), at, 1024);
    assert.deepEqual([denied.code, denied.permanent], ['unauthorized', true]);
    const timeout = classifyConnectError(new Error('timeout'), at, 1024);
    assert.deepEqual([timeout.code, timeout.permanent], ['handshake_timeout', false]);
    assert.equal(classifyConnectError(new SyntaxError('Invalid URL'), at, 1024).code, 'config');
    assert.equal(classifyConnectError(new Error('It seems you are trying to reach a Socket.IO server in v2.x'), at, 1024).code, 'protocol');
  });

  it("transportsFrom: WebSocket only unless the option names 'websocket' / 'polling'", () => {
    assert.deepEqual(transportsFrom(undefined), ['websocket']);
    assert.deepEqual(transportsFrom(['carrier-pigeon']), ['websocket']);
    assert.deepEqual(transportsFrom(['polling', 'websocket']), ['polling', 'websocket']);
  });
});
