// The Socket.IO nodes end to end: a project compiled, run on each target,
// talking to a real socket.io server on 127.0.0.1. One suite, every target.

import { strict as assert } from 'node:assert';
import type { Socket } from 'socket.io';
import { TARGETS } from '../../targets/runtime.ts';
import { project } from '../helpers/project.ts';
import { live, type LiveRun } from '../helpers/live.ts';
import { closedPort } from '../helpers/servers.ts';
import { listenSio, type SioTestServer } from '../helpers/sio-servers.ts';

const cfg = { Configuration: 'Vehicle' };
const SIO = (options: object = {}) => ({
  socketIOConnections: [{ Name: 'Vehicle', URL: 'http://127.0.0.1', Port: 1, reconnect: { enabled: false }, ...options }],
});
const line = (id: string, format: string, n: number) => ({ id, type: 'Format', attributes: { 'Input Count': n }, inputs: { Format: format } });

/**
 * Boot → Start; On Start → "up", subscribe to `speed` in / and `alert` in /vehicle (and `unspeed`, which
 * unsubscribes `speed`); every On … node prints its payload; a `ping` is answered with a Send of `pong`.
 */
function vehicleProject(settings: object, extra: { nodes?: object[]; links?: [string, string, string, string][] } = {}) {
  return project({
    settings,
    nodes: [
      { id: 'boot', type: 'On Scene Loaded' },
      { id: 'start', type: 'Socket.IO Start', attributes: cfg },
      { id: 'onStart', type: 'On Socket.IO Start', attributes: cfg },
      { id: 'sayUp', type: 'Console', inputs: { Input: 'up' } },
      { id: 'subSpeed', type: 'Socket.IO Subscribe', attributes: cfg, inputs: { 'Event Name': 'speed', Namespace: '' } },
      { id: 'subPing', type: 'Socket.IO Subscribe', attributes: cfg, inputs: { 'Event Name': 'ping', Namespace: '/' } },
      { id: 'subUnspeed', type: 'Socket.IO Subscribe', attributes: cfg, inputs: { 'Event Name': 'unspeed', Namespace: '/' } },
      { id: 'subAlert', type: 'Socket.IO Subscribe', attributes: cfg, inputs: { 'Event Name': 'alert', Namespace: '/vehicle' } },
      { id: 'onSub', type: 'On Socket.IO Subscribe', attributes: cfg },
      line('subText', 'subscribed {0} {1}', 2), { id: 'saySub', type: 'Console' },
      { id: 'onUnsub', type: 'On Socket.IO Unsubscribe', attributes: cfg },
      line('unsubText', 'unsubscribed {0} {1}', 2), { id: 'sayUnsub', type: 'Console' },
      { id: 'onRecv', type: 'On Socket.IO Receive', attributes: cfg },
      line('recvText', 'recv {0} {1} {2}', 3), { id: 'sayRecv', type: 'Console' },
      { id: 'isPing', type: 'Is Equal', inputs: { 'Input 1': 'ping' } },
      { id: 'ifPing', type: 'Branch' },
      { id: 'pong', type: 'Socket.IO Send', attributes: cfg, inputs: { 'Event Name': 'pong' } },
      { id: 'isUnspeed', type: 'Is Equal', inputs: { 'Input 1': 'unspeed' } },
      { id: 'ifUnspeed', type: 'Branch' },
      { id: 'unsub', type: 'Socket.IO Unsubscribe', attributes: cfg, inputs: { 'Event Name': 'speed', Namespace: '/' } },
      { id: 'onStop', type: 'On Socket.IO Stop', attributes: cfg },
      line('stopText', 'stop {0}', 1), { id: 'sayStop', type: 'Console' },
      { id: 'onError', type: 'On Socket.IO Error', attributes: cfg },
      line('errorText', 'error {0} {1}: {2}', 3), { id: 'sayError', type: 'Console' },
      ...((extra.nodes ?? []) as never[]),
    ],
    links: [
      ['boot', '►', 'start', '►'],
      ['onStart', '►', 'sayUp', '►'], ['sayUp', '►', 'subSpeed', '►'], ['subSpeed', '►', 'subPing', '►'],
      ['subPing', '►', 'subUnspeed', '►'], ['subUnspeed', '►', 'subAlert', '►'],
      ['onSub', '►', 'saySub', '►'], ['onSub', 'Namespace', 'subText', 'Input 0'], ['onSub', 'Event Name', 'subText', 'Input 1'],
      ['subText', 'Output', 'saySub', 'Input'],
      ['onUnsub', '►', 'sayUnsub', '►'], ['onUnsub', 'Namespace', 'unsubText', 'Input 0'], ['onUnsub', 'Event Name', 'unsubText', 'Input 1'],
      ['unsubText', 'Output', 'sayUnsub', 'Input'],
      ['onRecv', '►', 'sayRecv', '►'], ['onRecv', 'Namespace', 'recvText', 'Input 0'], ['onRecv', 'Trigger Name', 'recvText', 'Input 1'],
      ['onRecv', 'Message', 'recvText', 'Input 2'], ['recvText', 'Output', 'sayRecv', 'Input'],
      ['sayRecv', '►', 'ifPing', '►'], ['onRecv', 'Trigger Name', 'isPing', 'Input 0'], ['isPing', 'Output', 'ifPing', 'Input'],
      ['ifPing', 'OnTrue', 'pong', '►'], ['onRecv', 'Namespace', 'pong', 'Namespace'], ['onRecv', 'Message', 'pong', 'Message'],
      ['ifPing', 'OnFalse', 'ifUnspeed', '►'], ['onRecv', 'Trigger Name', 'isUnspeed', 'Input 0'], ['isUnspeed', 'Output', 'ifUnspeed', 'Input'],
      ['ifUnspeed', 'OnTrue', 'unsub', '►'],
      ['onStop', '►', 'sayStop', '►'], ['onStop', 'Reason', 'stopText', 'Input 0'], ['stopText', 'Output', 'sayStop', 'Input'],
      ['onError', '►', 'sayError', '►'], ['onError', 'Code', 'errorText', 'Input 0'], ['onError', 'Namespace', 'errorText', 'Input 1'],
      ['onError', 'Message', 'errorText', 'Input 2'], ['errorText', 'Output', 'sayError', 'Input'],
      ...(extra.links ?? []),
    ],
  });
}

/** The server side: the latest client socket of each namespace. */
function track(server: SioTestServer) {
  const latest: Record<string, Socket | undefined> = {};
  const received: string[] = [];
  for (const ns of ['/', '/vehicle']) {
    server.io.of(ns).on('connection', (s) => {
      latest[ns] = s;
      s.onAny((event: string, ...args: unknown[]) => received.push(`${ns} ${event} ${JSON.stringify(args)}`));
    });
  }
  return { latest, received };
}

for (const target of TARGETS) {
  describe(`Socket.IO nodes on a real server [${target}]`, () => {
    let server: SioTestServer | undefined;
    let run: LiveRun | undefined;
    afterEach(async () => {
      await run?.stop();
      await server?.close();
      run = server = undefined;
    });
    const lines = () => run!.console();
    const has = (l: string) => lines().includes(l);
    const starting = (p: string) => lines().filter((l) => l.startsWith(p));
    const subscribedAll = () => has('subscribed / speed') && has('subscribed /vehicle alert') && has('subscribed / ping') && has('subscribed / unspeed');

    async function connected(settings = SIO()) {
      server ??= await listenSio();
      const t = track(server);
      run = await live(vehicleProject(settings), { target, connect: { Vehicle: server.url } });
      await run.until('subscriptions in effect', subscribedAll);
      return t;
    }

    it('connects, fires On Socket.IO Start, and subscriptions take effect in / and in a second namespace', async () => {
      const { latest } = await connected();
      assert.equal(starting('up').length, 1);
      latest['/']!.emit('speed', 'fast');
      latest['/vehicle']!.emit('alert', 'tyre pressure low');
      await run!.until('two events', () => starting('recv').length >= 2);
      assert.deepEqual(starting('recv').sort(), ['recv / speed fast', 'recv /vehicle alert tyre pressure low']);
    });

    it('no Receive for an event never subscribed, nor after Unsubscribe', async () => {
      const { latest } = await connected();
      const root = latest['/']!;
      root.emit('gear', 3); // never subscribed
      root.emit('unspeed', ''); // the graph unsubscribes `speed`
      await run!.until('unsubscribed', () => has('unsubscribed / speed'));
      root.emit('speed', 'after unsubscribe');
      root.emit('ping', 'sentinel'); // events of one namespace arrive in order: once this is here, the others were too
      await run!.until('sentinel', () => has('recv / ping sentinel'));
      assert.deepEqual(starting('recv'), ['recv / unspeed ', 'recv / ping sentinel']);
    });

    it('object and multi-argument payloads arrive as JSON text', async () => {
      const { latest } = await connected();
      latest['/']!.emit('speed', { kmh: 88, unit: 'km/h' });
      latest['/']!.emit('speed', 1, 'two', [3]);
      latest['/']!.emit('speed', 42);
      await run!.until('three events', () => starting('recv').length >= 3);
      assert.deepEqual(starting('recv'), ['recv / speed {"kmh":88,"unit":"km/h"}', 'recv / speed [1,"two",[3]]', 'recv / speed 42']);
    });

    it('Send reaches the server with the event name, the namespace and the message', async () => {
      const t = await connected();
      t.latest['/vehicle']!.emit('ping', 'ack 17'); // not subscribed in /vehicle: nothing
      t.latest['/']!.emit('ping', 'ack 18');
      await run!.until('pong received by the server', () => t.received.length > 0);
      assert.deepEqual(t.received, ['/ pong ["ack 18"]']);
    });

    it('a server-side disconnect fires On Socket.IO Stop once', async () => {
      const { latest } = await connected();
      latest['/']!.disconnect(true);
      await run!.until('stop', () => starting('stop').length > 0);
      await run!.settle(200);
      assert.deepEqual(starting('stop'), ['stop closed by the server: io server disconnect']);
    });

    it('the server restarting on the same port, with reconnection on, gives Stop then Start again, and subscriptions still deliver', async () => {
      const settings = SIO({ reconnect: { enabled: true, initialDelayMs: 50, maxDelayMs: 100, maxAttempts: 0 } });
      await connected(settings);
      const port = server!.port;
      await server!.close();
      await run!.until('stop', () => starting('stop').length === 1);
      server = await listenSio(port);
      const t = track(server);
      await run!.until('up again', () => starting('up').length === 2, 10_000);
      const order = lines().filter((l) => l === 'up' || l.startsWith('stop'));
      assert.deepEqual(order.map((l) => (l === 'up' ? 'up' : 'stop')), ['up', 'stop', 'up']);
      await run!.until('namespace back', () => t.latest['/vehicle'] !== undefined);
      t.latest['/vehicle']!.emit('alert', 'after restart');
      await run!.until('alert', () => has('recv /vehicle alert after restart'));
    });

    it('middleware refusing a namespace gives On Socket.IO Error with the server\'s reason', async () => {
      server = await listenSio();
      server.io.of('/vehicle').use((_s, next) => next(new Error('not allowed in /vehicle')));
      run = await live(vehicleProject(SIO()), { target, connect: { Vehicle: server.url } });
      await run.until('error', () => starting('error').length > 0);
      assert.match(starting('error')[0], /^error namespace_refused \/vehicle: .*not allowed in \/vehicle/);
      assert.equal(starting('up').length, 1, 'the main namespace is still up');
    });

    it('an unreachable server gives an error and no exception', async () => {
      const port = await closedPort();
      run = await live(vehicleProject(SIO()), { target, connect: { Vehicle: `http://127.0.0.1:${port}` } });
      await run.until('error', () => starting('error').length > 0 && starting('stop').length > 0);
      assert.match(starting('error')[0], /^error refused \/: /);
      assert.equal(starting('up').length, 0);
    });

    it('the offline buffer bound is enforced and reported with a count', async () => {
      const port = await closedPort();
      const settings = SIO({ offlineQueue: 2, reconnect: { enabled: true, initialDelayMs: 1000, maxAttempts: 0 } });
      const p = vehicleProject(settings, {
        nodes: [
          { id: 'loop', type: 'For Loop', inputs: { First: 1, Last: 5 } },
          { id: 'send', type: 'Socket.IO Send', attributes: cfg, inputs: { 'Event Name': 'telemetry', Namespace: '/', Message: 'x' } },
        ],
        links: [['start', '►', 'loop', '►'], ['loop', 'Loop Body', 'send', '►']],
      });
      run = await live(p, { target, connect: { Vehicle: `http://127.0.0.1:${port}` } });
      await run.until('three refusals', () => starting('error send_buffer_full').length >= 3);
      assert.match(starting('error send_buffer_full')[2], /\b3 refused so far/);
    });
  });
}
