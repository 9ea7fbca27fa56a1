// The HIL kit in-process, on every target: real back ends on 127.0.0.1, the
// virtual clock's rule (I/O before time), assertions that name the tick and
// show the recent trace, injection, real-time play, and ten simulated
// minutes of the demo.

import { strict as assert, AssertionError } from 'node:assert';
import {
  startRig, startWsBackend, startSioBackend, TARGETS, type Rig, type WsBackend, type SioBackend,
} from '../../targets/hil/index.ts';
import { ackProject, questionProject } from './projects.ts';

const DEMO = new URL('../../examples/telemetry/project.json', import.meta.url).pathname;

for (const target of TARGETS) {
  describe(`HIL kit in-process [${target}]`, () => {
    let ws: WsBackend | undefined;
    let sio: SioBackend | undefined;
    let rig: Rig | undefined;
    afterEach(async () => {
      await rig?.close();
      await ws?.close();
      await sio?.close();
      rig = ws = sio = undefined;
    });

    it('a back end\'s send lands in the next tick, the reply is at the back end one tick later, ticks run at n × period', async () => {
      ws = await startWsBackend();
      rig = await startRig({ project: ackProject(), connect: { Link: ws }, target });
      await rig.runUntil('up', (r) => r.variable('up') === true);
      const t = rig.tick;
      ws.send('speed 42');
      await rig.step();
      rig.expectVariable('last', 'speed 42');
      const [rec] = (await rig.trace(1)).ticks;
      assert.equal(rec.tick, t);
      assert.equal(rec.time, t * rig.period);
      assert.deepEqual(rec.events.map((e) => e.ev), [{ kind: 'ws.message', conn: 0, data: 'speed 42' }]);
      await rig.step();
      assert.equal(rig.expectReceived(ws, 'ack speed 42').text, 'ack speed 42');
      rig.expectConsole('got speed 42');
      rig.expectNoConsole(/^error/);
    });

    it('a failed assertion names the tick and shows the recent trace', async () => {
      ws = await startWsBackend();
      rig = await startRig({ project: ackProject(), connect: { Link: ws }, target });
      await rig.runUntil('up', (r) => r.variable('up') === true);
      ws.send(Uint8Array.from([0xc3, 0xa9]));
      await rig.step(3);
      const e = await rig.runUntil('never', () => false, { maxTicks: 30 }).then(() => undefined, (err: unknown) => err);
      assert.ok(e instanceof AssertionError);
      assert.match(e.message, new RegExp(`^at tick ${rig.tick - 1} \\(t=[\\d.]+ ms\\) on ${target}: never: not reached within 30 ticks`));
      assert.throws(() => rig!.expectVariable('last', 'x'), (err: Error) => {
        assert.match(err.message, /variable "last" is "é", expected "x"/);
        assert.match(err.message, /recent trace \(ticks \d+–\d+; ← event in, → output\):/);
        assert.match(err.message, /… \d+ quiet ticks/);
        return true;
      });
      assert.throws(() => rig!.expectReceived(ws!, 'nothing like this'), /received nothing matching "nothing like this"/);
      assert.throws(() => rig!.variable('nope'), /no variable "nope" \(there are: up, last\)/);
    });

    it('a handshake timeout shorter than a tick does not fire while the real connect is under way', async () => {
      ws = await startWsBackend();
      rig = await startRig({ project: ackProject({ handshakeTimeoutMs: 1 }), connect: { Link: ws }, target });
      await rig.runUntil('up', (r) => r.variable('up') === true, { maxTicks: 600 });
      assert.deepEqual(rig.errors(), []);
    });

    it('inject queues an event as a transport would, and it is in the trace', async () => {
      ws = await startWsBackend();
      rig = await startRig({ project: ackProject(), connect: { Link: ws }, target });
      await rig.runUntil('up', (r) => r.variable('up') === true);
      assert.equal(await rig.inject({ kind: 'ws.message', conn: 0, data: 'injected' }), true);
      await rig.step();
      rig.expectVariable('last', 'injected');
      assert.deepEqual((await rig.trace(1)).ticks[0].events[0].ev, { kind: 'ws.message', conn: 0, data: 'injected' });
      await assert.rejects(rig.inject({ kind: 'sio.open', conn: 0 }), /connection 0 is not a Socket.IO connection/);
    });

    it('a back end that refuses, then restarts on the same port, is reconnected to', async () => {
      ws = await startWsBackend();
      const port = ws.port;
      rig = await startRig({ project: ackProject({ reconnect: { enabled: true, initialDelayMs: 200, maxDelayMs: 200, maxAttempts: 0 } }), connect: { Link: ws }, target });
      await rig.runUntil('up', (r) => r.variable('up') === true);
      await ws.refuse();
      await rig.runUntil('down', (r) => r.variable('up') === false);
      await rig.runUntil('a refused attempt', (r) => r.console('error').some((l) => l.startsWith('error refused')));
      await ws.restart();
      assert.equal(ws.port, port);
      await rig.runUntil('up again', (r) => r.variable('up') === true);
      assert.equal(ws.connections, 2);
    });

    it('a Socket.IO back end answers, drops (the client reconnects) and disconnects (it does not)', async () => {
      sio = await startSioBackend();
      sio.reply((m) => m.event === 'question', { event: 'answer', args: ['a1'] });
      rig = await startRig({ project: questionProject(), connect: { Bus: sio }, target });
      await rig.runUntil('answer', (r) => r.console().includes('answer a1'));
      rig.expectReceived(sio, (m) => m.event === 'question' && m.text === 'q1');
      sio.drop();
      await rig.runUntil('stop', (r) => r.console().some((l) => l.startsWith('sio stop')));
      await rig.runUntil('second answer', (r) => r.console().filter((l) => l === 'answer a1').length === 2);
      sio.disconnect();
      await rig.runUntil('stop again', (r) => r.console().filter((l) => l.startsWith('sio stop')).length === 2);
      await rig.step(30);
      assert.equal(rig.console().filter((l) => l === 'sio up').length, 2, 'no reconnect after a server-side disconnect');
    });

    it('resume runs in real time, one period apart, until pause', async () => {
      ws = await startWsBackend();
      rig = await startRig({ project: ackProject(), connect: { Link: ws }, target });
      await rig.step();
      const t0 = performance.now();
      await rig.resume();
      assert.equal(rig.paused, false);
      await assert.rejects(rig.step(), /pause it before stepping/);
      await new Promise((r) => setTimeout(r, 150));
      await rig.pause();
      const elapsed = performance.now() - t0;
      assert.equal(rig.paused, true);
      assert.ok(rig.tick > 1 && rig.tick <= 2 + elapsed / rig.period, `${rig.tick} ticks in ${elapsed.toFixed(0)} ms`);
      assert.equal(rig.now, (rig.tick - 1) * rig.period);
    });

    it('ten simulated minutes of the demo, heartbeat and all, take seconds', async function () {
      this.timeout(60_000);
      ws = await startWsBackend();
      sio = await startSioBackend();
      rig = await startRig({ project: DEMO, connect: { Telemetry: ws, Alerts: sio }, target });
      const t0 = performance.now();
      await rig.runFor(10 * 60_000);
      const seconds = (performance.now() - t0) / 1000;
      assert.equal(rig.tick, 36_000);
      rig.expectVariable('connected', true);
      assert.ok(ws.pings >= 115, `the heartbeat ran every 5 s: ${ws.pings} pings`);
      assert.deepEqual(rig.errors(), []);
      assert.ok(seconds < 60, `10 simulated minutes took ${seconds.toFixed(1)} s: the virtual clock is not racing through quiet time`);
    });
  });
}
