// The Socket.IO transport against a peer that breaks Engine.IO on purpose
// (test/helpers/hostile-servers.ts): one malformed packet must become an
// On Socket.IO Error with code `protocol` — never an exception that ends
// the process — and an oversize frame is refused by ws before it is
// buffered whole.

import { strict as assert } from 'node:assert';
import { createSocketIoTransport } from '../../bindings/node/socketio.ts';
import type { Transport } from '../../bindings/types.ts';
import type { Value } from '../../runtime/values.ts';
import type { InEvent } from '../../runtime/vm/io.ts';
import { pumpUntil, waitFor } from '../helpers/pump.ts';
import { CollectingSink } from '../helpers/sink.ts';
import { listenHostile, openPacket, socketIoPeer, type HostileServer, type Script } from '../helpers/hostile-servers.ts';

const count = (evs: readonly InEvent[], kind: InEvent['kind']) => evs.filter((e) => e.kind === kind).length;

describe('bindings/node/socketio against a hostile Engine.IO peer', function () {
  const servers: HostileServer[] = [];
  const transports: Transport[] = [];
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function peer(script: Script): Promise<HostileServer> {
    const s = await listenHostile(script);
    servers.push(s);
    return s;
  }

  function client(url: string, options: { [k: string]: Value } = {}) {
    const sink = new CollectingSink();
    const t = createSocketIoTransport({
      connections: [{ kind: 'sio', name: 'veh', url, options: { reconnect: { enabled: false }, handshakeTimeoutMs: 2_000, ...options } }],
      sink,
      log: { warn: () => {} },
      env: {},
      seed: 1,
    });
    transports.push(t);
    const until = (pred: (evs: readonly InEvent[]) => boolean) => pumpUntil(t, sink, pred, { timeoutMs: 3_000 });
    return { t, sink, until };
  }

  const handshakes: Array<[string, string]> = [
    ['an open packet without upgrades', '0{"sid":"a"}'],
    ['an open packet that is null', '0null'],
    ['an open packet that is not JSON', '0{"sid":'],
    ['an open packet without ping timing', '0{"sid":"a","upgrades":[]}'],
    ['an open packet asking for a 30-day ping interval', '0{"sid":"a","upgrades":[],"pingInterval":2592000000,"pingTimeout":1}'],
  ];
  for (const [what, packet] of handshakes) {
    it(`${what} (${packet}) is a protocol error, and the process goes on`, async () => {
      const s = await peer((conn) => conn.send(packet));
      const c = client(s.url);
      c.t.handle({ kind: 'sio.start', conn: 0 });
      await c.until((evs) => count(evs, 'sio.close') === 1);
      assert.deepEqual(c.sink.trail(), ['sio.error:protocol', 'sio.close']);
      assert.match(c.sink.of('sio.error')[0].message, /^Socket\.IO connection "veh", namespace "\/": 127\.0\.0\.1:\d+ broke the Engine\.IO protocol: the open packet/);
    });
  }

  it('a malformed handshake is retried by the policy, one protocol error per attempt', async () => {
    const s = await peer((conn) => conn.send('0null'));
    const c = client(s.url, { reconnect: { initialDelayMs: 10, maxDelayMs: 20, jitter: 0, maxAttempts: 2 } });
    c.t.handle({ kind: 'sio.start', conn: 0 });
    await c.until((evs) => count(evs, 'sio.close') === 1);
    assert.deepEqual(c.sink.trail(), ['sio.error:protocol', 'sio.error:protocol', 'sio.error:protocol', 'sio.error:gave_up', 'sio.close']);
    assert.equal(s.accepted, 3);
  });

  it('a second open packet on an open link is a protocol error; the link drops and reconnects', async () => {
    const s = await peer(socketIoPeer((conn) => setTimeout(() => conn.send('0null'), 10)));
    const c = client(s.url, { reconnect: { initialDelayMs: 10, maxDelayMs: 20, jitter: 0, maxAttempts: 0 } });
    c.t.handle({ kind: 'sio.start', conn: 0 });
    await c.until((evs) => count(evs, 'sio.open') === 2);
    assert.deepEqual(c.sink.trail().slice(0, 4), ['sio.open', 'sio.error:protocol', 'sio.close', 'sio.open']);
    assert.equal(c.sink.of('sio.close')[0].by, 'fault');
  });

  it('a frame beyond the transport cap is refused by ws from its header (message_too_big, not retried)', async () => {
    // maxMessageBytes 1000 → the cap is 6 × 1000 + 64 KiB; the peer announces a 1 MiB frame.
    let closeCode = 0;
    const s = await peer(
      socketIoPeer((conn) => {
        conn.on('close', (code) => (closeCode = code));
        conn.send('42["big","' + 'x'.repeat(1 << 20) + '"]');
      }),
    );
    const c = client(s.url, { maxMessageBytes: 1000, reconnect: { initialDelayMs: 10, jitter: 0 } });
    c.t.handle({ kind: 'sio.start', conn: 0 });
    c.t.handle({ kind: 'sio.subscribe', conn: 0, ns: '/', event: 'big' });
    await c.until((evs) => count(evs, 'sio.close') === 1);
    assert.deepEqual(c.sink.trail(), ['sio.open', 'sio.subscribed', 'sio.error:message_too_big', 'sio.close']);
    assert.match(c.sink.of('sio.error')[0].message, /larger than \d+ bytes/);
    assert.deepEqual(c.sink.of('sio.close')[0], { kind: 'sio.close', conn: 0, reason: 'message_too_big', by: 'fault' });
    await waitFor('the peer to see the 1009 close', () => closeCode === 1009);
    assert.equal(s.accepted, 1, 'not retried');
  });

  it('an event within the cap but over maxMessageBytes is still dropped alone, and the link stays', async () => {
    const s = await peer(
      socketIoPeer((conn) => {
        conn.send('42["big","' + 'x'.repeat(2000) + '"]');
        conn.send('42["big","small"]');
      }),
    );
    const c = client(s.url, { maxMessageBytes: 1000 });
    c.t.handle({ kind: 'sio.start', conn: 0 });
    c.t.handle({ kind: 'sio.subscribe', conn: 0, ns: '/', event: 'big' });
    await c.until((evs) => count(evs, 'sio.event') === 1);
    assert.deepEqual(c.sink.trail(), ['sio.open', 'sio.subscribed', 'sio.error:message_too_big', 'sio.event']);
  });

  it('an event nested too deep to become a Message is dropped with an error, and the link stays', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const s = await peer(
      socketIoPeer((conn) => {
        conn.send(`42["deep",${deep}]`);
        conn.send('42["deep","after"]');
      }),
    );
    const c = client(s.url);
    c.t.handle({ kind: 'sio.start', conn: 0 });
    c.t.handle({ kind: 'sio.subscribe', conn: 0, ns: '/', event: 'deep' });
    await c.until((evs) => count(evs, 'sio.event') === 1);
    assert.deepEqual(c.sink.trail(), ['sio.open', 'sio.subscribed', 'sio.error:conversion', 'sio.event']);
    assert.equal(c.sink.of('sio.event')[0].message, 'after');
  });

  it('a valid open packet from this helper opens (the peer itself is sound)', async () => {
    const s = await peer(socketIoPeer(undefined, openPacket({ pingInterval: 1000, pingTimeout: 1000 })));
    const c = client(s.url);
    c.t.handle({ kind: 'sio.start', conn: 0 });
    await c.until((evs) => count(evs, 'sio.open') === 1);
    assert.deepEqual(c.sink.trail(), ['sio.open']);
  });
});
