// Flow in the Node WebSocket transport — backpressure, liveness and the
// delivery ledger — driven by hand
// as a host loop would (handle, advance on a clock the test sets, drained
// after each "tick"), against real `ws` servers on 127.0.0.1. Everything
// asserted is a count or an order; the transport's clock is the test's.

import assert from 'node:assert/strict';
import { createWebSocketTransport } from '../../bindings/node/websocket.ts';
import type { Transport } from '../../bindings/types.ts';
import type { InEvent } from '../../runtime/vm/io.ts';
import { CollectingSink } from '../helpers/sink.ts';
import { waitFor } from '../helpers/pump.ts';
import { listenWs, type WsTestServer } from '../helpers/servers.ts';

const C = 0;
let transports: Transport[] = [];
let servers: WsTestServer[] = [];
afterEach(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await Promise.all(servers.map((s) => s.close()));
  transports = [];
  servers = [];
});

/** A sink that is full after `share` events until the test says a tick ran (as the host's is). */
class TickSink extends CollectingSink {
  sinceTick = 0;
  maxPerTick = 0;
  constructor(private readonly share: number) {
    super();
  }
  override post(ev: InEvent): void {
    super.post(ev);
    this.sinceTick++;
    this.maxPerTick = Math.max(this.maxPerTick, this.sinceTick);
  }
  full(): boolean {
    return this.sinceTick >= this.share;
  }
  tick(): void {
    this.sinceTick = 0;
  }
}

function transport(url: string, sink: CollectingSink, options: object): Transport {
  const t = createWebSocketTransport({ connections: [{ kind: 'ws', name: 'Link', url, options: options as never }], sink, log: { warn: () => {} }, env: {}, seed: 1 });
  transports.push(t);
  return t;
}

const messages = (sink: CollectingSink) => sink.of('ws.message').map((e) => e.data as string);

describe('WebSocket transport: backpressure', () => {
  it('stops reading when the queue is full, so the sender waits in TCP; every frame arrives, in order, no more per tick than there is room for', async () => {
    const FRAMES = 100;
    const frame = (i: number) => `${i}:`.padEnd(256 << 10, 'x'); // 25 MiB in all: more than the kernel's buffers hold
    const s = await listenWs({ maxPayload: 1 << 20 });
    servers.push(s);
    s.wss.on('connection', (c) => {
      for (let i = 0; i < FRAMES; i++) c.send(frame(i));
    });
    const sink = new TickSink(4);
    const t = transport(s.url, sink, { heartbeat: { intervalMs: 0 }, maxMessageBytes: 1 << 20 });
    t.advance(0);
    t.handle({ kind: 'ws.start', conn: C });
    await waitFor('the first frames', () => sink.full(), 10_000);
    // No tick runs: the client has stopped reading, and what the server sent waits in its own buffer.
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(s.clients[0].bufferedAmount > 0, 'the server is held back by TCP flow control');
    assert.ok(messages(sink).length < FRAMES);
    // Ticks: each makes room for 4 more.
    await waitFor('every frame', () => {
      sink.tick();
      t.drained!();
      return messages(sink).length === FRAMES;
    }, 20_000);
    assert.equal(sink.maxPerTick, 4, 'never more than the room a tick made');
    assert.deepEqual(messages(sink).map((m) => Number(m.slice(0, m.indexOf(':')))), Array.from({ length: FRAMES }, (_, i) => i));
  });

  it('what arrives after a close waits behind the kept frames: the close comes last', async () => {
    const s = await listenWs();
    servers.push(s);
    s.wss.on('connection', (c) => {
      for (let i = 0; i < 50; i++) c.send(String(i));
      c.close(4001, 'bye');
    });
    const sink = new TickSink(3);
    const t = transport(s.url, sink, { heartbeat: { intervalMs: 0 }, reconnect: { enabled: false } });
    t.advance(0);
    t.handle({ kind: 'ws.start', conn: C });
    await waitFor('the close', () => {
      sink.tick();
      t.drained!();
      return sink.of('ws.close').length > 0;
    }, 10_000);
    assert.deepEqual(sink.trail(), ['ws.open', ...Array<string>(50).fill('ws.message'), 'ws.close']);
    assert.deepEqual(messages(sink), Array.from({ length: 50 }, (_, i) => String(i)));
  });
});

describe('WebSocket transport: heartbeat', () => {
  it('frames arriving count as a sign of life: no pong needed while the peer talks; silence still ends the link', async () => {
    const s = await listenWs({ autoPong: false });
    servers.push(s);
    const sink = new CollectingSink();
    const t = transport(s.url, sink, { heartbeat: { intervalMs: 1_000, timeoutMs: 1_000 }, reconnect: { enabled: false } });
    t.advance(0);
    t.handle({ kind: 'ws.start', conn: C });
    await waitFor('the open', () => sink.of('ws.open').length === 1, 10_000);
    t.advance(1_000); // the ping goes out; this server never answers one
    s.clients[0].send('still here');
    await waitFor('a frame after the ping', () => messages(sink).length === 1, 10_000);
    t.advance(2_000); // the pong is due: a frame came instead
    assert.deepEqual(sink.trail(), ['ws.open', 'ws.message']);
    t.advance(3_000); // the next ping, and no word after it
    t.advance(4_000);
    assert.deepEqual(sink.trail(), ['ws.open', 'ws.message', 'ws.error:heartbeat_timeout', 'ws.close']);
  });
});

describe('WebSocket transport: delivery ledger', () => {
  const open = async (s: WsTestServer, sink: CollectingSink) => {
    const t = transport(s.url, sink, { heartbeat: { intervalMs: 0 }, reconnect: { enabled: false } });
    t.advance(0);
    t.handle({ kind: 'ws.start', conn: C });
    await waitFor('the open', () => sink.of('ws.open').length === 1, 10_000);
    return t;
  };
  const got = (s: WsTestServer) => {
    const texts: string[] = [];
    s.wss.on('connection', (c) => c.on('message', (d) => texts.push(String(d))));
    return texts;
  };

  it('messages the peer never confirmed are reported with their count when the link dies, before the close', async () => {
    const s = await listenWs({ autoPong: false }); // reads everything, confirms nothing
    servers.push(s);
    const texts = got(s);
    const sink = new CollectingSink();
    const t = await open(s, sink);
    for (const m of ['a', 'b', 'c']) t.handle({ kind: 'ws.send', conn: C, data: m });
    await waitFor('the messages at the server', () => texts.length === 3);
    s.clients[0].terminate();
    await waitFor('the close', () => sink.of('ws.close').length === 1, 10_000);
    assert.deepEqual(sink.trail(), ['ws.open', 'ws.error:network', 'ws.error:unconfirmed', 'ws.close']);
    assert.match(sink.of('ws.error')[1].message, /^Link: 3 messages written since the last confirmation may not have reached 127\.0\.0\.1:\d+ \(the link went down\)$/);
  });

  it('a pong to a ping written after the messages confirms them: nothing to report', async () => {
    const s = await listenWs();
    servers.push(s);
    const texts = got(s);
    // After the messages, the server's answer to the next ping goes out first, then a frame: when the
    // client has that frame, it has the pong.
    s.wss.on('connection', (c) => c.on('ping', () => texts.length === 3 && c.send('seen')));
    const sink = new CollectingSink();
    const t = await open(s, sink);
    for (const m of ['a', 'b', 'c']) t.handle({ kind: 'ws.send', conn: C, data: m });
    await waitFor('the frame after the pong', () => sink.of('ws.message').length > 0, 10_000);
    s.clients[0].terminate();
    await waitFor('the close', () => sink.of('ws.close').length === 1, 10_000);
    assert.deepEqual(sink.trail(), ['ws.open', 'ws.message', 'ws.error:network', 'ws.close']);
  });
});
