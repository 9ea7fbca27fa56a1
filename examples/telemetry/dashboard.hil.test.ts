// Hardware-in-the-loop tests of the telemetry dashboard (project.json), the
// way a test engineer writes them: real back ends on 127.0.0.1 (a WebSocket
// telemetry server, a Socket.IO alerts server), the project pointed at them,
// ticks on a virtual clock, assertions on variables, console lines and what
// each back end received — on every target.
//
// To use it for your own project, copy this file next to it, change PROJECT
// and the steps, and run it with mocha:
//     npx mocha --import tsx dashboard.hil.test.ts
// A failing assertion names the tick and shows the last ticks of the trace.
// docs/HIL.md describes the kit.

import { strict as assert } from 'node:assert';
import { startRig, startWsBackend, startSioBackend, TARGETS, type Rig, type WsBackend, type SioBackend } from 'pulsewire/hil';

const PROJECT = new URL('./project.json', import.meta.url).pathname;

for (const target of TARGETS) {
  describe(`telemetry dashboard, hardware in the loop [${target}]`, () => {
    let telemetry: WsBackend;
    let alerts: SioBackend;
    let rig: Rig;

    beforeEach(async () => {
      telemetry = await startWsBackend();
      alerts = await startSioBackend();
      rig = await startRig({ project: PROJECT, target, connect: { Telemetry: telemetry, Alerts: alerts } });
    });
    afterEach(async () => {
      await rig.close();
      await Promise.all([telemetry.close(), alerts.close()]);
    });

    const connected = () => rig.runUntil('the telemetry link is up', (r) => r.variable('connected') === true, { maxTicks: 600 });

    it('connects and says hello', async () => {
      await connected();
      await rig.step(); // the hello went out in the tick that saw the link come up
      const hello = rig.expectReceived(telemetry, '"type":"hello"');
      assert.deepEqual(JSON.parse(hello.text), { type: 'hello', client: 'pulsewire-dashboard' });
    });

    it('shows telemetry, and warns above the speed limit only', async () => {
      await connected();
      telemetry.send({ type: 'telemetry', speed: 87.5, gear: 4 });
      await rig.step(); // what a back end sends lands in the next tick
      rig.expectVariable('speed', 87.5);
      rig.expectVariable('gear', 4);
      rig.expectNoConsole('above the limit');

      telemetry.send({ type: 'telemetry', speed: 131, gear: 6 });
      await rig.step();
      rig.expectVariable('speed', 131);
      rig.expectConsole('speed 131 km/h is above the limit of 120 km/h', 'warning');
    });

    it('shows a vehicle alert and acknowledges it', async () => {
      await rig.runUntil('subscribed to /vehicle', () => alerts.clients('/vehicle') > 0, { maxTicks: 600 });
      alerts.emit('/vehicle', 'alert', { id: 7, text: 'washer fluid low' });
      await rig.runUntil('the acknowledgement', () => alerts.received.some((m) => m.event === 'ack'));
      rig.expectVariable('alert', 'washer fluid low');
      rig.expectConsole('vehicle alert: washer fluid low', 'warning');
      rig.expectReceived(alerts, (m) => m.ns === '/vehicle' && m.event === 'ack' && m.text === '7');
    });

    it('notices a server drop and reconnects by itself after 2 s', async () => {
      await connected();
      telemetry.drop(1001, 'back end restarting');
      const down = await rig.runUntil('the link is down', (r) => r.variable('connected') === false);
      rig.expectConsole('telemetry link down (closed by the server: back end restarting); retrying in 2 s');

      const up = await rig.runUntil('up again', (r) => r.variable('connected') === true, { maxTicks: 600 });
      assert.ok((up - down) * rig.period >= 2000, `reconnected after the 2 s retry delay, not before (${up - down} ticks)`);
      assert.equal(telemetry.connections, 2);

      await rig.step();
      assert.equal(telemetry.received.filter((m) => m.text.includes('"hello"')).length, 2, 'said hello again');
      telemetry.send({ type: 'telemetry', speed: 50, gear: 3 });
      await rig.step();
      rig.expectVariable('speed', 50);
    });

    it('keeps retrying while the server is gone, and gets back on when it restarts on the same port', async () => {
      await connected();
      await telemetry.refuse();
      await rig.runUntil('the link is down', (r) => r.variable('connected') === false);
      await rig.runUntil('a refused retry', (r) => r.console('warning').some((l) => l.startsWith('telemetry link error:')), { maxTicks: 600 });
      await telemetry.restart();
      await rig.runUntil('up again', (r) => r.variable('connected') === true, { maxTicks: 600 });
      assert.equal(telemetry.connections, 2);
    });
  });
}
