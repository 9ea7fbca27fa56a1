// The demo project (examples/telemetry) against its own back ends, on every
// target: its variables take exactly the values the servers sent.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { TARGETS } from '../../targets/runtime.ts';
import { live, type LiveRun } from '../helpers/live.ts';
import { startTelemetryServer, type TelemetryServer } from '../../examples/telemetry/backend.ts';
import { startAlertServer, type AlertServer } from '../../examples/telemetry/alerts.ts';

const DEMO = JSON.parse(readFileSync(new URL('../../examples/telemetry/project.json', import.meta.url), 'utf8'));

for (const target of TARGETS) {
  describe(`the telemetry demo against its back ends [${target}]`, () => {
    let telemetry: TelemetryServer;
    let alerts: AlertServer;
    let run: LiveRun | undefined;
    beforeEach(async () => {
      telemetry = await startTelemetryServer(); // no interval: the test sends each frame
      alerts = await startAlertServer();
    });
    afterEach(async () => {
      await run?.stop();
      await Promise.all([telemetry.close(), alerts.close()]);
      run = undefined;
    });

    it('says hello, stores speed and gear as sent, warns above the limit, acknowledges alerts', async () => {
      run = await live(DEMO, { target, connect: { Telemetry: telemetry.url, Alerts: alerts.url } });
      const r = run;
      await r.until('hello', () => telemetry.received.length > 0 && r.variables().connected === true);
      assert.deepEqual(JSON.parse(telemetry.received[0]), { type: 'hello', client: 'pulsewire-dashboard' });

      telemetry.broadcast({ type: 'telemetry', speed: 87.5, gear: 4 });
      await r.until('speed 87.5', () => r.variables().speed === 87.5);
      assert.equal(r.variables().gear, 4);
      assert.equal(r.console().filter((l) => l.includes('above the limit')).length, 0);

      telemetry.broadcast({ type: 'telemetry', speed: 131, gear: 6 });
      await r.until('warning', () => r.console().some((l) => l.includes('above the limit')));
      assert.deepEqual(r.console().filter((l) => l.includes('above the limit')), ['speed 131 km/h is above the limit of 120 km/h']);
      assert.equal(r.variables().gear, 6);

      // The subscription is in effect once the command was handed over and /vehicle is connected.
      await r.until('alerts subscribed', () => r.outputs.some((o) => o.kind === 'sio.subscribe') && alerts.clients() > 0);
      const id = alerts.alert('washer fluid low');
      await r.until('ack', () => alerts.acks.length > 0);
      assert.deepEqual(alerts.acks, [String(id)]);
      assert.equal(r.variables().alert, 'washer fluid low');
    });

    it('a back end that drops the dashboard is reconnected to by the graph after its Start Timeout', async () => {
      run = await live(DEMO, { target, connect: { Telemetry: telemetry.url, Alerts: alerts.url } });
      const r = run;
      await r.until('connected', () => r.variables().connected === true);
      telemetry.dropClients();
      await r.until('down', () => r.variables().connected === false);
      assert.ok(r.console().some((l) => /telemetry link down \(closed by the server: back end restarting\); retrying in 2 s/.test(l)));
      await r.until('reconnected', () => telemetry.connections === 2 && r.variables().connected === true, 6000);
    });
  });
}
