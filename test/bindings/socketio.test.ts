// The Socket.IO transport against real socket.io servers on 127.0.0.1.
// Every wait is bounded (pumpUntil / waitFor fail with what was seen);
// "nothing happened" is shown by ordering: a later event that does arrive
// proves that an earlier one would have. No test needs mocha --exit.

import { strict as assert } from 'node:assert';
import type { Socket as ServerSocket } from 'socket.io';
import { createSocketIoTransport } from '../../bindings/node/socketio.ts';
import type { Transport } from '../../bindings/types.ts';
import type { Value } from '../../runtime/values.ts';
import type { InEvent } from '../../runtime/vm/io.ts';
import { selfSignedCert, type TestCert } from '../helpers/certs.ts';
import { pumpFor, pumpUntil, waitFor } from '../helpers/pump.ts';
import { closedPort, listenTcp, type TcpTestServer } from '../helpers/servers.ts';
import { CollectingSink } from '../helpers/sink.ts';
import { listenSio, silentUpgrade, type SioTestServer } from '../helpers/sio-servers.ts';

/** Small delays so that reconnection tests take milliseconds. */
const FAST = { reconnect: { initialDelayMs: 20, maxDelayMs: 80, jitter: 0, maxAttempts: 0 }, handshakeTimeoutMs: 2_000 };

const start = { kind: 'sio.start', conn: 0 } as const;
const stop = { kind: 'sio.stop', conn: 0 } as const;
const sub = (ns: string, event: string) => ({ kind: 'sio.subscribe', conn: 0, ns, event }) as const;
const unsub = (ns: string, event: string) => ({ kind: 'sio.unsubscribe', conn: 0, ns, event }) as const;
const emit = (ns: string, event: string, message: string) => ({ kind: 'sio.emit', conn: 0, ns, event, message }) as const;

const count = (evs: readonly InEvent[], kind: InEvent['kind']) => evs.filter((e) => e.kind === kind).length;
const hasError = (code: string) => (evs: readonly InEvent[]) => evs.some((e) => e.kind === 'sio.error' && e.code === code);

describe('bindings/node/socketio', function () {
  const servers: Array<{ close(): Promise<void> }> = [];
  const transports: Transport[] = [];

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function server(port = 0, options: Parameters<typeof listenSio>[1] = {}, tls?: TestCert): Promise<SioTestServer> {
    const s = await listenSio(port, options, tls);
    servers.push(s);
    return s;
  }

  async function tcp(onSocket?: Parameters<typeof listenTcp>[0]): Promise<TcpTestServer> {
    const s = await listenTcp(onSocket);
    servers.push(s);
    return s;
  }

  /** Server-side sockets of one namespace, in connection order. */
  function accepted(s: SioTestServer, ns = '/'): ServerSocket[] {
    const list: ServerSocket[] = [];
    s.io.of(ns).on('connection', (sock) => list.push(sock));
    return list;
  }

  function client(url: string, options: { [k: string]: Value } = {}, env: Record<string, string> = {}) {
    const sink = new CollectingSink();
    const warnings: string[] = [];
    const t = createSocketIoTransport({
      connections: [{ kind: 'sio', name: 'veh', url, options: { ...FAST, ...options } }],
      sink,
      log: { warn: (s) => warnings.push(s) },
      env,
      seed: 1,
    });
    transports.push(t);
    const until = (pred: (evs: readonly InEvent[]) => boolean, timeoutMs = 3_000) => pumpUntil(t, sink, pred, { timeoutMs });
    return { t, sink, warnings, until };
  }

  it('posts sio.open only once the server has seen the connection', async () => {
    const s = await server();
    const seen = accepted(s);
    const c = client(s.url);
    let seenAtOpen = -1;
    c.sink.onPost = (ev) => {
      if (ev.kind === 'sio.open') seenAtOpen = seen.length;
    };
    c.t.handle(start);
    assert.equal(count(c.sink.events, 'sio.open'), 0, 'Start only begins connecting');
    await c.until((evs) => count(evs, 'sio.open') === 1);
    assert.equal(seenAtOpen, 1);
    assert.deepEqual(c.sink.trail(), ['sio.open']);
  });

  it("delivers subscribed events in '/' and in '/vehicle' with namespace, name and message", async () => {
    const s = await server();
    const root = accepted(s);
    const vehicle = accepted(s, '/vehicle');
    const c = client(s.url);
    c.t.handle(start);
    await c.until((evs) => count(evs, 'sio.open') === 1);
    c.t.handle(sub('', 'speed')); // '' is '/'
    c.t.handle(sub('/vehicle', 'gear'));
    await c.until((evs) => count(evs, 'sio.subscribed') === 2);
    assert.deepEqual(c.sink.of('sio.subscribed'), [
      { kind: 'sio.subscribed', conn: 0, ns: '/', event: 'speed' },
      { kind: 'sio.subscribed', conn: 0, ns: '/vehicle', event: 'gear' },
    ]);
    root[0].emit('speed', '42');
    vehicle[0].emit('gear', 'D');
    await c.until((evs) => count(evs, 'sio.event') === 2);
    assert.deepEqual(c.sink.of('sio.event'), [
      { kind: 'sio.event', conn: 0, ns: '/', event: 'speed', message: '42' },
      { kind: 'sio.event', conn: 0, ns: '/vehicle', event: 'gear', message: 'D' },
    ]);
  });

  it('posts nothing for an event never subscribed, in another namespace, or after unsubscribe', async () => {
    const s = await server();
    const root = accepted(s);
    s.io.of('/vehicle');
    const c = client(s.url);
    c.t.handle(start);
    c.t.handle(sub('/', 'a'));
    c.t.handle(sub('/', 'a')); // the same subscription: one listener, one announcement
    c.t.handle(sub('/', 'sentinel'));
    c.t.handle(sub('/vehicle', 'elsewhere'));
    await c.until((evs) => count(evs, 'sio.subscribed') === 3);
    c.t.handle(unsub('/', 'a'));
    assert.deepEqual(c.sink.of('sio.unsubscribed'), [{ kind: 'sio.unsubscribed', conn: 0, ns: '/', event: 'a' }]);
    root[0].emit('never', 'x');
    root[0].emit('a', 'x');
    root[0].emit('elsewhere', 'x'); // subscribed in '/vehicle', not in '/'
    root[0].emit('sentinel', 'last');
    await c.until((evs) => count(evs, 'sio.event') >= 1);
    await pumpFor(c.t, 20);
    assert.deepEqual(c.sink.of('sio.event'), [{ kind: 'sio.event', conn: 0, ns: '/', event: 'sentinel', message: 'last' }]);
    assert.equal(count(c.sink.events, 'sio.subscribed'), 3);
  });

  it('turns non-string payloads into JSON text, and acknowledges delivered events', async () => {
    const s = await server();
    const root = accepted(s);
    const c = client(s.url);
    c.t.handle(start);
    for (const e of ['obj', 'num', 'nil', 'multi', 'none', 'bin', 'acked']) c.t.handle(sub('/', e));
    await c.until((evs) => count(evs, 'sio.subscribed') === 7);
    const sock = root[0];
    sock.emit('obj', { speed: 42, tags: ['a', true, null] });
    sock.emit('num', 7);
    sock.emit('nil', null);
    sock.emit('multi', 1, 'two', { three: 3 });
    sock.emit('none');
    sock.emit('bin', Buffer.from([1, 2, 3]));
    const ack = sock.timeout(2_000).emitWithAck('acked', 'please');
    await c.until((evs) => count(evs, 'sio.event') === 7);
    assert.deepEqual(
      c.sink.of('sio.event').map((e) => [e.event, e.message]),
      [
        ['obj', '{"speed":42,"tags":["a",true,null]}'],
        ['num', '7'],
        ['nil', 'null'],
        ['multi', '[1,"two",{"three":3}]'],
        ['none', ''],
        ['bin', '"AQID"'],
        ['acked', 'please'], // the acknowledgement callback is not part of the message
      ],
    );
    assert.equal(await ack, undefined, 'acknowledged (with no data) before the server-side timeout');
  });

  it('drops an event over maxMessageBytes with message_too_big, and keeps delivering', async () => {
    const s = await server();
    const root = accepted(s);
    const c = client(s.url, { maxMessageBytes: 16 });
    c.t.handle(start);
    c.t.handle(sub('/', 'speed'));
    await c.until((evs) => count(evs, 'sio.subscribed') === 1);
    root[0].emit('speed', 'x'.repeat(17));
    root[0].emit('speed', 'x'.repeat(16));
    await c.until((evs) => count(evs, 'sio.event') === 1);
    assert.deepEqual(c.sink.trail(), ['sio.open', 'sio.subscribed', 'sio.error:message_too_big', 'sio.event']);
    assert.match(c.sink.of('sio.error')[0].message, /17 bytes.*16/);
  });

  it('emits reach the server with event name, namespace and message', async () => {
    const s = await server();
    const got: string[] = [];
    s.io.on('connection', (sock) => sock.on('cmd', (m: unknown) => got.push(`/ ${String(m)}`)));
    s.io.of('/vehicle').on('connection', (sock) => sock.on('cmd', (m: unknown) => got.push(`/vehicle ${String(m)}`)));
    const c = client(s.url);
    c.t.handle(start);
    await c.until((evs) => count(evs, 'sio.open') === 1);
    c.t.handle(emit('/', 'cmd', 'lights on'));
    c.t.handle(emit('vehicle', 'cmd', 'doors locked')); // opens '/vehicle' on demand; buffered until it connects
    await waitFor('both emits at the server', () => got.length === 2);
    assert.deepEqual(got.sort(), ['/ lights on', '/vehicle doors locked']);
    assert.equal(count(c.sink.events, 'sio.error'), 0);
  });

  it('an emit under a name Socket.IO reserves is refused with protocol, never thrown', async () => {
    const s = await server();
    const c = client(s.url);
    c.t.handle(start);
    assert.doesNotThrow(() => c.t.handle(emit('/', 'connect', 'x')));
    assert.deepEqual(c.sink.trail(), ['sio.error:protocol']);
    assert.match(c.sink.of('sio.error')[0].message, /"connect".*reserved/);
  });

  it("honours the transports option ('polling'), and close() still ends everything", async () => {
    const s = await server(0, { transports: ['polling', 'websocket'] });
    const names: string[] = [];
    const reasons: string[] = [];
    s.io.on('connection', (sock) => {
      names.push(sock.conn.transport.name);
      sock.on('disconnect', (r) => reasons.push(r));
    });
    const c = client(s.url, { transports: ['polling'] });
    c.t.handle(start);
    await c.until((evs) => count(evs, 'sio.open') === 1);
    assert.deepEqual(names, ['polling']);
    await c.t.close();
    await waitFor('the server to see the client leave', () => reasons.length === 1);
  });

  it('a server-side disconnect posts one sio.close by server and ends the session', async () => {
    const s = await server();
    const root = accepted(s);
    const c = client(s.url);
    c.t.handle(start);
    await c.until((evs) => count(evs, 'sio.open') === 1);
    root[0].disconnect();
    await c.until((evs) => count(evs, 'sio.close') === 1);
    assert.deepEqual(c.sink.of('sio.close'), [{ kind: 'sio.close', conn: 0, reason: 'io server disconnect', by: 'server' }]);
    c.t.handle(emit('/', 'cmd', 'x'));
    assert.ok(hasError('not_started')(c.sink.events), 'the library does not reconnect after a server disconnect; the session is over');
    c.t.handle(start); // a new Start works, and proves no second close came in between
    await c.until((evs) => count(evs, 'sio.open') === 2);
    assert.deepEqual(c.sink.trail(), ['sio.open', 'sio.close', 'sio.error:not_started', 'sio.open']);
  });

  it('a server restart on the same port: close by fault, open again, subscriptions still deliver', async () => {
    const s1 = await server();
    s1.io.of('/vehicle');
    const c = client(s1.url);
    c.t.handle(start);
    c.t.handle(sub('/', 'speed'));
    c.t.handle(sub('/vehicle', 'gear'));
    await c.until((evs) => count(evs, 'sio.subscribed') === 2);
    await s1.close();
    await c.until((evs) => count(evs, 'sio.close') === 1);
    assert.equal(c.sink.of('sio.close')[0].by, 'fault');
    const s2 = await server(s1.port);
    const root = accepted(s2);
    const vehicle = accepted(s2, '/vehicle');
    await c.until((evs) => count(evs, 'sio.open') === 2 && count(evs, 'sio.subscribed') === 4);
    root[0].emit('speed', 'after');
    vehicle[0].emit('gear', 'P');
    await c.until((evs) => count(evs, 'sio.event') === 2);
    assert.deepEqual(
      c.sink.of('sio.event').map((e) => `${e.ns} ${e.event} ${e.message}`),
      ['/ speed after', '/vehicle gear P'],
    );
    const lifecycle = c.sink.trail().filter((k) => k === 'sio.open' || k === 'sio.close');
    assert.deepEqual(lifecycle, ['sio.open', 'sio.close', 'sio.open']);
    assert.deepEqual(c.sink.of('sio.subscribed').slice(2).map((e) => `${e.ns} ${e.event}`).sort(), ['/ speed', '/vehicle gear']);
  });

  it('a namespace refused by middleware: namespace_refused with the reason, not retried, connection stays up', async () => {
    const s = await server();
    let tries = 0;
    s.io.of('/vehicle').use((_sock, next) => {
      tries++;
      next(new Error('not allowed'));
    });
    const got: string[] = [];
    s.io.on('connection', (sock) => sock.on('ping-me', (m: string) => got.push(m)));
    const c = client(s.url);
    c.t.handle(start);
    c.t.handle(sub('/vehicle', 'gear'));
    await c.until(hasError('namespace_refused'));
    const err = c.sink.of('sio.error')[0];
    assert.equal(err.ns, '/vehicle');
    assert.match(err.message, /not allowed/);
    assert.match(err.message, /"veh"/);
    assert.deepEqual(c.sink.of('sio.unsubscribed'), [{ kind: 'sio.unsubscribed', conn: 0, ns: '/vehicle', event: 'gear' }]);
    // Ordering proof that no retry happened meanwhile: a later round trip in '/'.
    c.t.handle(emit('/', 'ping-me', 'sentinel'));
    await waitFor('the sentinel at the server', () => got.length === 1);
    await pumpFor(c.t, 100); // several reconnection delays of FAST
    assert.equal(tries, 1);
    assert.equal(count(c.sink.events, 'sio.close'), 0);
    assert.equal(count(c.sink.events, 'sio.subscribed'), 0);
  });

  it("'/' refused by middleware abandons the Start: namespace_refused, then one sio.close by server", async () => {
    const s = await server();
    let tries = 0;
    s.io.use((_sock, next) => {
      tries++;
      next(new Error('vehicle id unknown'));
    });
    const c = client(s.url);
    c.t.handle(start);
    await c.until((evs) => count(evs, 'sio.close') === 1);
    assert.deepEqual(c.sink.trail(), ['sio.error:namespace_refused', 'sio.close']);
    assert.match(c.sink.of('sio.error')[0].message, /vehicle id unknown/);
    assert.equal(c.sink.of('sio.close')[0].by, 'server');
    await pumpFor(c.t, 100);
    assert.equal(tries, 1);
    assert.equal(c.sink.events.length, 2);
  });

  it('an unreachable server posts refused, and with reconnection off one sio.close by fault', async () => {
    const port = await closedPort();
    const c = client(`http://127.0.0.1:${port}`, { reconnect: { enabled: false } });
    assert.doesNotThrow(() => c.t.handle(start));
    await c.until((evs) => count(evs, 'sio.close') === 1);
    assert.deepEqual(c.sink.trail(), ['sio.error:refused', 'sio.close']);
    assert.match(c.sink.of('sio.error')[0].message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.deepEqual(c.sink.of('sio.close')[0], { kind: 'sio.close', conn: 0, reason: 'refused', by: 'fault' });
  });

  it('gives up after the attempt limit: refused per attempt, then gave_up and one sio.close', async () => {
    const port = await closedPort();
    const c = client(`http://127.0.0.1:${port}`, { reconnect: { initialDelayMs: 10, maxDelayMs: 20, jitter: 0, maxAttempts: 2 } });
    c.t.handle(start);
    await c.until((evs) => count(evs, 'sio.close') === 1);
    // The first attempt, then maxAttempts reconnection attempts (socket.io-client's reconnectionAttempts).
    assert.deepEqual(c.sink.trail(), ['sio.error:refused', 'sio.error:refused', 'sio.error:refused', 'sio.error:gave_up', 'sio.close']);
    assert.equal(c.sink.of('sio.close')[0].reason, 'gave_up');
  });

  it('subscribe and emit before Start, or after Stop, post not_started', async () => {
    const s = await server();
    const c = client(s.url);
    c.t.handle(sub('/vehicle', 'gear'));
    c.t.handle(emit('/', 'cmd', 'x'));
    assert.deepEqual(c.sink.trail(), ['sio.error:not_started', 'sio.error:not_started']);
    const [a, b] = c.sink.of('sio.error');
    assert.equal(a.ns, '/vehicle');
    assert.match(a.message, /"veh".*Subscribe to "gear"/);
    assert.match(b.message, /"veh".*Send of "cmd"/);
    c.t.handle(start);
    await c.until((evs) => count(evs, 'sio.open') === 1);
    c.t.handle(stop);
    c.t.handle(emit('/', 'cmd', 'y'));
    assert.deepEqual(c.sink.trail().slice(2), ['sio.open', 'sio.close', 'sio.error:not_started']);
  });

  it('bounds the offline buffer with offlineQueue: refusals counted, the rest flushed on connect', async () => {
    const s = await server();
    const got: string[] = [];
    s.io.on('connection', (sock) => sock.on('m', (m: string) => got.push(m)));
    const c = client(s.url, { offlineQueue: 3 });
    c.t.handle(start);
    for (let i = 0; i < 5; i++) c.t.handle(emit('/', 'm', String(i))); // before the connect completes
    const errors = c.sink.of('sio.error');
    assert.deepEqual(errors.map((e) => e.code), ['send_buffer_full', 'send_buffer_full']);
    assert.match(errors[0].message, /1 refused so far/);
    assert.match(errors[1].message, /2 refused so far/);
    assert.match(errors[1].message, /"3"|"m"/);
    await c.until((evs) => count(evs, 'sio.open') === 1);
    c.t.handle(emit('/', 'm', 'sentinel'));
    await waitFor('the sentinel at the server', () => got.includes('sentinel'));
    assert.deepEqual(got, ['0', '1', '2', 'sentinel']);
  });

  it('reports buffered emits that Stop discards, before the close', async () => {
    const port = await closedPort();
    const c = client(`http://127.0.0.1:${port}`, { offlineQueue: 4 });
    c.t.handle(start);
    c.t.handle(emit('/', 'm', 'a'));
    c.t.handle(emit('/', 'm', 'b'));
    c.t.handle(stop);
    const tail = c.sink.events.filter((e) => e.kind === 'sio.close' || (e.kind === 'sio.error' && e.code === 'closed'));
    assert.equal(tail.length, 2);
    assert.equal(tail[0].kind, 'sio.error');
    assert.match((tail[0] as { message: string }).message, /2 emits .*discarded/);
    assert.deepEqual(tail[1], { kind: 'sio.close', conn: 0, reason: 'io client disconnect', by: 'client' });
  });

  it('sends the token, the auth payload and the headers, and never posts or logs the secrets', async () => {
    const s = await server();
    let handshake: { auth: unknown; headers: Record<string, unknown> } | undefined;
    s.io.use((sock, next) => {
      handshake = { auth: sock.handshake.auth, headers: sock.handshake.headers };
      next();
    });
    // A server that echoes a secret in its refusal: the binding masks it.
    s.io.of('/vehicle').use((sock, next) => next(new Error(`bad token ${String(sock.handshake.auth.token)}`)));
    const TOKEN = 'tok-secret-123';
    const KEY = 'key-secret-456';
    const c = client(
      s.url,
      { token: { env: 'SIO_TOKEN' }, auth: { vehicle: 'v1', pin: { env: 'SIO_PIN' } }, headers: { 'x-api-key': { env: 'SIO_KEY' } }, tls: { verify: false } },
      { SIO_TOKEN: TOKEN, SIO_KEY: KEY, SIO_PIN: '98765' },
    );
    c.t.handle(start);
    c.t.handle(sub('/vehicle', 'gear'));
    await c.until((evs) => count(evs, 'sio.open') === 1 && hasError('namespace_refused')(evs));
    assert.deepEqual(handshake?.auth, { vehicle: 'v1', pin: '98765', token: TOKEN });
    assert.equal(handshake?.headers['x-api-key'], KEY);
    assert.match(c.sink.of('sio.error')[0].message, /bad token \*\*\*/);
    c.t.handle(stop);
    const everything = JSON.stringify(c.sink.events) + c.warnings.join('\n');
    for (const secret of [TOKEN, KEY, '98765']) assert.ok(!everything.includes(secret), `${secret} leaked`);
    assert.equal(c.warnings.length, 1, 'verify: false is logged once');
    assert.match(c.warnings[0], /verification is off/);
  });

  it('masks literal auth and header values too, when the server echoes them in its refusal', async () => {
    const s = await server();
    // The reproduction: middleware that rejects with the password it was given.
    s.io.use((sock, next) => {
      const a = sock.handshake.auth as { password: string; pin: number; user: string };
      next(new Error(`bad password ${a.password} (pin ${a.pin}, user ${a.user}, key ${String(sock.handshake.headers['x-key'])})`));
    });
    const c = client(s.url, { auth: { password: 'hunter22', pin: 4321, user: 'bob' }, headers: { 'x-key': 'k3y' }, reconnect: { enabled: false } });
    c.t.handle(start);
    await c.until((evs) => count(evs, 'sio.close') === 1);
    assert.deepEqual(c.sink.trail(), ['sio.error:namespace_refused', 'sio.close']);
    assert.match(c.sink.of('sio.error')[0].message, /bad password \*\*\* \(pin \*\*\*, user \*\*\*, key \*\*\*\)/);
    const everything = JSON.stringify(c.sink.events) + c.warnings.join('\n');
    for (const secret of ['hunter22', '4321', 'bob', 'k3y']) assert.ok(!everything.includes(secret), `${secret} leaked`);
  });

  it('a missing environment secret or an unreadable CA file ends the Start with config / tls', async () => {
    const s = await server();
    const a = client(s.url, { token: { env: 'SIO_NOT_SET' } });
    a.t.handle(start);
    assert.deepEqual(a.sink.trail(), ['sio.error:config', 'sio.close']);
    assert.match(a.sink.of('sio.error')[0].message, /SIO_NOT_SET/);
    const b = client(s.url, { tls: { ca: '/nonexistent/ca.pem' } });
    b.t.handle(start);
    assert.deepEqual(b.sink.trail(), ['sio.error:tls', 'sio.close']);
    assert.match(b.sink.of('sio.error')[0].message, /ca\.pem.*ENOENT/);
  });

  describe('TLS', () => {
    const local = selfSignedCert('IP:127.0.0.1');
    const other = selfSignedCert('DNS:elsewhere.test');

    before(function () {
      if (!local || !other) this.skip(); // no openssl on this machine
    });

    it('fails closed on a certificate the system CAs do not trust', async () => {
      const s = await server(0, {}, local);
      const c = client(s.url, { reconnect: { enabled: false } });
      c.t.handle(start);
      await c.until((evs) => count(evs, 'sio.close') === 1);
      assert.deepEqual(c.sink.trail(), ['sio.error:tls', 'sio.close']);
    });

    it('opens with the CA file of the connection', async () => {
      const s = await server(0, {}, local);
      const c = client(s.url, { tls: { ca: local!.certPath } });
      c.t.handle(start);
      await c.until((evs) => count(evs, 'sio.open') === 1);
      assert.deepEqual(c.warnings, []);
    });

    it('checks the host name against the certificate', async () => {
      const s = await server(0, {}, other);
      const c = client(s.url, { tls: { ca: other!.certPath }, reconnect: { enabled: false } });
      c.t.handle(start);
      await c.until((evs) => count(evs, 'sio.close') === 1);
      assert.deepEqual(c.sink.trail(), ['sio.error:tls', 'sio.close']);
    });

    it('verify: false opens anyway and is logged once per connection', async () => {
      const s = await server(0, {}, local);
      const c = client(s.url, { tls: { verify: false } });
      c.t.handle(start);
      await c.until((evs) => count(evs, 'sio.open') === 1);
      c.t.handle(stop);
      c.t.handle(start);
      await c.until((evs) => count(evs, 'sio.open') === 2);
      assert.equal(c.warnings.length, 1);
      assert.match(c.warnings[0], /"veh".*verification is off/);
    });
  });

  it('Stop posts one sio.close by client, and the server sees the disconnect', async () => {
    const s = await server();
    const reasons: string[] = [];
    s.io.on('connection', (sock) => sock.on('disconnect', (r) => reasons.push(r)));
    const c = client(s.url);
    c.t.handle(start);
    c.t.handle(sub('/', 'speed'));
    await c.until((evs) => count(evs, 'sio.subscribed') === 1);
    c.t.handle(stop);
    c.t.handle(stop); // idle already: nothing more
    await waitFor('the server-side disconnect', () => reasons.length === 1);
    assert.deepEqual(reasons, ['client namespace disconnect']);
    assert.deepEqual(c.sink.trail(), ['sio.open', 'sio.subscribed', 'sio.close']);
    assert.deepEqual(c.sink.of('sio.close')[0], { kind: 'sio.close', conn: 0, reason: 'io client disconnect', by: 'client' });
  });

  it('Stop while connecting closes by client once; Start during reconnection is a no-op', async () => {
    const port = await closedPort();
    const c = client(`http://127.0.0.1:${port}`);
    c.t.handle(start);
    await c.until((evs) => count(evs, 'sio.error') >= 2); // retrying
    c.t.handle(start);
    c.t.handle(stop);
    await pumpFor(c.t, 100);
    const closes = c.sink.of('sio.close');
    assert.deepEqual(closes, [{ kind: 'sio.close', conn: 0, reason: 'io client disconnect', by: 'client' }]);
    assert.equal(c.sink.events[c.sink.events.length - 1].kind, 'sio.close', 'no retry after Stop');
  });

  it('a server that upgrades and never speaks: handshake_timeout; close() still ends within 1 s', async () => {
    const closedAtServer: boolean[] = [];
    const peer = await tcp((sock) => {
      const i = closedAtServer.push(false) - 1;
      sock.on('close', () => (closedAtServer[i] = true));
      silentUpgrade(sock);
    });
    const c = client(`http://127.0.0.1:${peer.port}`, { handshakeTimeoutMs: 150, reconnect: { enabled: false } });
    c.t.handle(start);
    await c.until((evs) => count(evs, 'sio.close') === 1);
    assert.deepEqual(c.sink.trail(), ['sio.error:handshake_timeout', 'sio.close']);
    // The client sent a close frame the peer never answers: close() must not wait for ws's 30 s timer.
    const t0 = performance.now();
    await c.t.close();
    assert.ok(performance.now() - t0 < 1_000, 'close() is bounded');
    await waitFor('the peer to see the socket end', () => closedAtServer.length === 1 && closedAtServer[0]);
  });

  it('close() ends open connections within 1 s and ignores later commands', async () => {
    const s = await server();
    const reasons: string[] = [];
    s.io.of('/vehicle').on('connection', (sock) => sock.on('disconnect', (r) => reasons.push(r)));
    const c = client(s.url);
    c.t.handle(start);
    c.t.handle(sub('/vehicle', 'gear'));
    await c.until((evs) => count(evs, 'sio.subscribed') === 1);
    const t0 = performance.now();
    await c.t.close();
    assert.ok(performance.now() - t0 < 1_000);
    assert.deepEqual(c.sink.of('sio.close').map((e) => e.by), ['client']);
    await waitFor('the server to see /vehicle leave', () => reasons.length === 1);
    c.t.handle(start);
    assert.equal(count(c.sink.events, 'sio.open'), 1);
    assert.match(c.warnings.join('\n'), /after close/);
  });

  it('serves only kind-sio connections, by their index in the table', async () => {
    const s = await server();
    const sink = new CollectingSink();
    const warnings: string[] = [];
    const t = createSocketIoTransport({
      connections: [
        { kind: 'ws', name: 'dash', url: 'ws://127.0.0.1:1', options: {} },
        { kind: 'sio', name: 'veh', url: s.url, options: FAST },
      ],
      sink,
      log: { warn: (w) => warnings.push(w) },
      env: {},
      seed: 1,
    });
    transports.push(t);
    t.handle({ kind: 'sio.start', conn: 0 });
    t.handle({ kind: 'ws.start', conn: 0 }); // not this transport's family: ignored silently
    t.handle({ kind: 'sio.start', conn: 1 });
    await pumpUntil(t, sink, (evs) => count(evs, 'sio.open') === 1);
    assert.deepEqual(sink.events, [{ kind: 'sio.open', conn: 1 }]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /connection 0/);
    assert.equal(t.nextDeadline(), undefined);
  });
});
