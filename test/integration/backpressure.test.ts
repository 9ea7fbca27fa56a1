// Backpressure instead of drops: a back end sends far more in one go than
// the event queue holds between two ticks; the connection stops reading
// (TCP holds the sender) and reads again after each tick, so every frame
// reaches the graph, in order, and none is refused. Fixed mode at 60 Hz —
// where a burst between two frames used to overflow the queue — on both
// engines and both protocols, against real servers on 127.0.0.1.

import { strict as assert } from 'node:assert';
import { TARGETS } from '../../targets/runtime.ts';
import { project } from '../helpers/project.ts';
import { live, type LiveRun } from '../helpers/live.ts';
import { listenWs, type WsTestServer } from '../helpers/servers.ts';
import { listenSio, type SioTestServer } from '../helpers/sio-servers.ts';
import type { Output } from '../../runtime/vm/io.ts';

const FRAMES = 2_000;
/** Far below FRAMES: without backpressure most of the burst would be refused. */
const QUEUE = 64;
const cfg = { Configuration: 'Link' };
const conn = { Name: 'Link', URL: 'ws://127.0.0.1', Port: 1, reconnect: { enabled: false } };

/** WebSocket: every frame received is sent back. */
const wsEcho = () =>
  project({
    settings: { webSocketConnections: [conn] },
    nodes: [
      { id: 'boot', type: 'On Scene Loaded' },
      { id: 'start', type: 'WebSocket Client Start', attributes: cfg },
      { id: 'onReceive', type: 'On WebSocket Receive', attributes: cfg },
      { id: 'echo', type: 'WebSocket Client Send', attributes: cfg },
    ],
    links: [['boot', '►', 'start', '►'], ['onReceive', '►', 'echo', '►'], ['onReceive', 'Message', 'echo', 'Message']],
  });

/** Socket.IO: subscribe to `t`, say `go`, send every `t` back as `back`. */
const sioEcho = () =>
  project({
    settings: { socketIOConnections: [{ ...conn, URL: 'http://127.0.0.1' }] },
    nodes: [
      { id: 'boot', type: 'On Scene Loaded' },
      { id: 'start', type: 'Socket.IO Start', attributes: cfg },
      { id: 'onStart', type: 'On Socket.IO Start', attributes: cfg },
      { id: 'subscribe', type: 'Socket.IO Subscribe', attributes: cfg, inputs: { 'Event Name': 't' } },
      { id: 'onSubscribed', type: 'On Socket.IO Subscribe', attributes: cfg },
      { id: 'go', type: 'Socket.IO Send', attributes: cfg, inputs: { 'Event Name': 'go' } },
      { id: 'onReceive', type: 'On Socket.IO Receive', attributes: cfg },
      { id: 'echo', type: 'Socket.IO Send', attributes: cfg, inputs: { 'Event Name': 'back' } },
    ],
    links: [
      ['boot', '►', 'start', '►'], ['onStart', '►', 'subscribe', '►'], ['onSubscribed', '►', 'go', '►'],
      ['onReceive', '►', 'echo', '►'], ['onReceive', 'Message', 'echo', 'Message'],
    ],
  });

const sent = (outputs: Output[]): string[] =>
  outputs.flatMap((o) => (o.kind === 'ws.send' ? [String(o.data)] : o.kind === 'sio.emit' && o.event === 'back' ? [o.message] : []));
const expected = Array.from({ length: FRAMES }, (_, i) => String(i));

for (const target of TARGETS) {
  describe(`backpressure instead of drops [${target}]`, function () {
    this.timeout(40_000);
    let run: LiveRun | undefined;
    let ws: WsTestServer | undefined;
    let sio: SioTestServer | undefined;
    afterEach(async () => {
      await run?.stop();
      await ws?.close();
      await sio?.close();
      run = ws = sio = undefined;
    });

    const check = (r: LiveRun) => {
      assert.deepEqual(r.outputs.filter((o) => o.kind === 'error'), [], 'nothing refused, nothing failed');
      assert.deepEqual(sent(r.outputs), expected, 'every frame reached the graph once, in order');
    };

    it(`WebSocket: ${FRAMES} frames in one go into a queue of ${QUEUE}, fixed mode`, async () => {
      ws = await listenWs();
      ws.wss.on('connection', (c) => {
        for (let i = 0; i < FRAMES; i++) c.send(String(i));
      });
      run = await live(wsEcho(), { target, mode: 'fixed', limits: { queueCapacity: QUEUE }, connect: { Link: ws.url } });
      await run.until(`${FRAMES} echoes`, () => sent(run!.outputs).length >= FRAMES || run!.outputs.some((o) => o.kind === 'error'), 30_000);
      check(run);
    });

    it(`Socket.IO: ${FRAMES} events in one go into a queue of ${QUEUE}, fixed mode`, async () => {
      sio = await listenSio();
      sio.io.on('connection', (s) => s.on('go', () => {
        for (let i = 0; i < FRAMES; i++) s.emit('t', String(i));
      }));
      run = await live(sioEcho(), { target, mode: 'fixed', limits: { queueCapacity: QUEUE }, connect: { Link: sio.url } });
      await run.until(`${FRAMES} echoes`, () => sent(run!.outputs).length >= FRAMES || run!.outputs.some((o) => o.kind === 'error'), 30_000);
      check(run);
    });
  });
}
